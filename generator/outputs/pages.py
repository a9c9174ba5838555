"""What every HTML builder shares: a Jinja2 environment over its package's templates, and its files.

Both are cached: a build renders the same templates for hundreds of articles. Compiled templates
are also kept between runs, by Jinja's FileSystemBytecodeCache in quizgen's cache folder
(`generator.pipeline.cachedir`): compiling the quiz's templates costs more CPU than rendering them for a few articles.
"""

from __future__ import annotations

import threading
from collections import ChainMap
from collections.abc import Callable, Mapping
from functools import cache
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

import jinja2
import markupsafe
from jinja2 import nodes, pass_context
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.runtime import Context, Macro, new_context
from jinja2.utils import _PassArg, internalcode
from markupsafe import Markup

from generator.i18n import direction, translations, ui_language
from generator.model import ArticleSet
from generator.outputs import BuildOptions
from generator.outputs.files import static
from generator.pipeline import cachedir

__all__ = ["bytecode_cache", "environment", "page_language", "static"]

# How every page's templates are compiled (the compiled code depends on these, so they key the cache).
OPTIONS = {
    "autoescape": True,
    "undefined": jinja2.StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
    "extensions": ["jinja2.ext.i18n"],
}
NEWSTYLE = True  # gettext's new style: it changes how `{% trans %}` compiles


# Compiled templates are kept by Jinja's own cache under a name made of these options and Jinja's
# version (Jinja's own header holds Python's, and it checks every template's source against its entry).
SETTINGS = cachedir.key(repr(sorted(OPTIONS.items(), key=lambda item: item[0])), f"newstyle={NEWSTYLE}", jinja2.__version__,
                        "outputs escaped and attributes read in line: 3")  # (_CodeGenerator's code)

# The quicker paths of `_Context.call`, `_Template.new_context` and `_CodeGenerator` read and override
# Jinja's internals as Jinja 3.1 has them (Macro's members, the code generator's hooks). Under another
# Jinja, pages are rendered by Jinja's own code: the same bytes, slower (tests/test_pages_fast.py
# renders every output both ways and compares them).
FAST_PATHS = jinja2.__version__.startswith("3.1.")


def bytecode_cache() -> jinja2.FileSystemBytecodeCache | None:
    """Jinja's cache of compiled templates in quizgen's cache folder (`templates/`, this user's alone:
    an entry is code); None when the cache is off or that folder is not private."""
    folder = cachedir.private("templates")
    name = SETTINGS[:16] if FAST_PATHS else cachedir.key(SETTINGS, "Jinja's own code")[:16]
    return jinja2.FileSystemBytecodeCache(str(folder), f"{name}-%s.cache") if folder else None


@cache
def environment(package: str, folder: str = ".", language: str = "en") -> jinja2.Environment:
    """The templates in `folder` of `package`: autoescaped, undefined names are errors, no stray space.

    quizgen's own words are translated into `language` (English when it has no catalogue) with Jinja's
    i18n extension: `{% trans %}`, `_()` and `ngettext()`, new style (autoescaped, `%(name)s` formats).
    """
    env = (_Environment if FAST_PATHS else _PlainEnvironment)(loader=jinja2.PackageLoader(package, folder), bytecode_cache=bytecode_cache(), **OPTIONS)  # type: ignore[arg-type]
    ui = ui_language(language)
    env.install_gettext_translations(translations(ui), newstyle=NEWSTYLE)  # type: ignore[attr-defined]
    _remember_translations(env)
    env.globals.update(ui_lang=ui, ui_dir=direction(ui))
    return env


# MarkupSafe 3's `escape` is Python around this C function; MarkupSafe 2's `escape` is C itself
_escape_inner: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)
_new_markup = str.__new__


def _escape(value: Any) -> Markup:
    """What `{{ value }}` writes, exactly as `markupsafe.escape` gives it, only quicker for the values
    a page prints thousands of times: a Markup is already safe (escape copies it), an int has nothing
    to escape, and a str goes straight to MarkupSafe's C escaping (a quiz and its key print `{{ }}`
    some 3,000 times, and MarkupSafe's Python wrapper and `Markup()` were a sixth of their CPU)."""
    kind = type(value)
    if kind is Markup:
        return value
    if kind is int:
        return _new_markup(Markup, str(value))
    if kind is str and _escape_inner is not None:
        return _new_markup(Markup, _escape_inner(value))
    return markupsafe.escape(value)


# The contexts made by the render under way in this thread (None: no render), for `_Template.render`
_rendering = threading.local()


class _Context(Context):
    """A template's context, noted by the render that made it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        made = getattr(_rendering, "made", None)
        if made is not None:
            made.append(self)

    @internalcode
    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's names)
        """`Context.call`, quicker for what a page calls most (every macro, `_()`, `points()`): a
        Macro (its `__call__` takes the eval context) and a function or method are told by their type, not
        by looking for `__call__` and `jinja_pass_arg` twice, which cost more than many of the calls.
        Anything else, and a function that takes the eval context or the environment, is Jinja's."""
        context: Context
        kind, context = type(__obj), __self
        if not FAST_PATHS:
            return super().call(__obj, *args, **kwargs)
        if kind is Macro:
            return _call_macro(__obj, args, kwargs, context)
        if kind in _FUNCTIONS and (passed := getattr(__obj, "jinja_pass_arg", None)) is not _PassArg.eval_context:
            if passed is _PassArg.context:
                if kwargs.get("_loop_vars"):  # as Jinja: the function sees the loop's and block's variables
                    context = context.derived(kwargs["_loop_vars"])
                if kwargs.get("_block_vars"):
                    context = context.derived(kwargs["_block_vars"])
                args = (context, *args)
            elif passed is not None:
                return super().call(__obj, *args, **kwargs)
        else:
            return super().call(__obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return _stopped(context)


# What Context.call tells by `jinja_pass_arg` alone: a function, a bound method (which reads its
# function's), a builtin (which has none); their `__call__` is a method-wrapper, which has none either
_FUNCTIONS = frozenset({FunctionType, MethodType, BuiltinFunctionType})


def _call_macro(macro: Any, args: tuple[Any, ...], kwargs: dict[str, Any], context: Context) -> Any:
    """What Context.call gives for a macro. One given exactly its arguments, by position, that takes no
    caller, varargs or kwargs (a kind's macros, at every question) is its function's text, Markup when
    the context autoescapes, as Macro.__call__ and Macro._invoke make it, without their two calls and
    Markup's; any other call goes through Macro.__call__ with the eval context, as Jinja's."""
    if kwargs:
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
    try:
        if kwargs or len(args) != macro._argument_count or macro.caller or macro.catch_varargs or macro.catch_kwargs \
                or context.environment.is_async:
            return macro(context.eval_ctx, *args, **kwargs)
        text = macro._func(*args)
    except StopIteration:
        return _stopped(context)
    if context.eval_ctx.autoescape:
        return _new_markup(Markup, text) if type(text) is str else Markup(text)
    return text


def _stopped(context: Context) -> Any:
    return context.environment.undefined("value was undefined because a callable raised a StopIteration exception")


class _Template(jinja2.Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        """The page, then its contexts emptied: each macro a page defines or imports refers to its
        context, which refers to the macro, so without this every page (and the sheet, the article set
        and everything they hold) stayed until the cyclic garbage collection, which had to scan them
        all once an article (`collected_after`; a fifth of a second of a 200-article build). Emptied,
        they are freed as soon as the page is made. A context that holds only the globals (a module
        imported without context, which Jinja keeps for later pages) is left as it is."""
        outer = getattr(_rendering, "made", None)
        made: list[Context] = []
        _rendering.made = made
        try:
            page = super().render(*args, **kwargs)
        finally:
            _rendering.made = outer
        for context in made:
            if not context.parent.keys() <= context.globals_keys:  # made from this page's variables
                context.vars = {}
                context.parent = {}
        return page

    def new_context(self, vars: dict[str, Any] | None = None, shared: bool = False,
                    locals: Mapping[str, Any] | None = None) -> Context:
        """Jinja's context, given the template's globals (its own over the environment's, a ChainMap)
        as one dict with the same keys and values: the context copies them (a page) and makes a set of
        their names (a page and every import), which a ChainMap gives a key at a time in Python, a
        dict in C (some 10 us an import of a kind's macros)."""
        globals = self.globals
        if type(globals) is not ChainMap or not FAST_PATHS:
            return super().new_context(vars, shared, locals)
        flat: dict[str, Any] = {}
        for scope in reversed(globals.maps):  # the first map's value wins, in the ChainMap's key order
            flat.update(scope)
        return new_context(self.environment, self.name, self.blocks, vars, shared, flat, locals)

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: Any, globals: Any, uptodate: Any = None) -> jinja2.Template:
        """The compiled template, its outputs escaped by `_escape`: the compiled code looks `escape`
        up among its module's globals at every output, and this is that module's namespace."""
        template = super().from_code(environment, code, globals, uptodate)
        namespace = template.root_render_func.__globals__
        namespace["escape"], namespace["_markup"], namespace["_inner"] = _escape, _new_markup, _escape_inner
        return template


class _CodeGenerator(CodeGenerator):
    """Jinja's code, with each `{{ value }}` of an autoescaped template escaped in line as `_escape`
    escapes it: a Markup is kept, a str goes to MarkupSafe's C escaping and an int is written, without
    a Python call (a quiz and its key write some 2,500 outputs); anything else still goes to `escape`.
    (`_e` and `_t` are locals of the function the output is in.)"""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if _in_line(frame, finalize):
            self.write("(_e if (_t := type(_e := ")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if _in_line(frame, finalize):
            self.write(")) is Markup else _markup(Markup, _inner(_e)) if _t is str else _markup(Markup, str(_e)) if _t is int "
                       "else escape(_e))")
        else:
            super()._output_child_post(node, frame, finalize)


    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        """`obj.name` as Python's getattr with a default, `environment.getattr` (which then tries
        `obj["name"]`, else Undefined) only when the object has no such attribute: the same value,
        without a Python call for each of the some 2,000 attributes a quiz and its key read."""
        if self.environment.is_async:
            super().visit_Getattr(node, frame)
            return
        self.write("(_a if (_a := getattr(_o := ")  # (an object's own getattrs are done before `_o` is set)
        self.visit(node.node, frame)
        self.write(f", {node.attr!r}, missing)) is not missing else environment.getattr(_o, {node.attr!r}))")


def _in_line(frame: Frame, finalize: Any) -> bool:
    """Whether an output is escaped in line: autoescaped for certain, no `finalize`, and MarkupSafe's
    C escaping at hand."""
    return bool(frame.eval_ctx.autoescape) and not frame.eval_ctx.volatile and finalize.src is None \
        and _escape_inner is not None


class _PlainEnvironment(jinja2.Environment):
    template_class = _Template
    context_class = _Context


class _Environment(_PlainEnvironment):
    code_generator_class = _CodeGenerator


def _remember_translations(env: jinja2.Environment) -> None:
    """Each of quizgen's words translated once per environment, not once per use: a quiz asks for
    "(1 pt)" a hundred times, and every call goes through Jinja's gettext wrappers and a Markup
    formatting. Only calls without variables are kept (their result depends on nothing else; with
    variables they are user text); `_` is the same function as `gettext`, as Jinja's alias resolves it."""
    for name, arity in (("gettext", 1), ("ngettext", 3), ("pgettext", 2)):
        env.globals[name] = _remembered(env.globals[name], arity)  # type: ignore[arg-type]
    env.globals["_"] = env.globals["gettext"]


def _remembered(translate: Callable[..., Any], arity: int) -> Callable[..., Any]:
    known: dict[tuple[Any, ...], Any] = {}

    @pass_context
    def remembered(context: Context, *args: Any, **variables: Any) -> Any:
        if variables or len(args) != arity:
            return translate(context, *args, **variables)
        key = (context.eval_ctx.autoescape, *args)
        try:
            return known[key]
        except KeyError:
            known[key] = result = translate(context, *args)
            return result
        except TypeError:  # an argument that cannot be a key
            return translate(context, *args)

    return remembered


def page_language(found: ArticleSet, options: BuildOptions) -> str:
    """The language of quizgen's words in an article's outputs: --ui-language, else the article's
    (English where it has no catalogue)."""
    return ui_language(found.article.meta.language, options.ui_language)
