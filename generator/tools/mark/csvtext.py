"""Text cells of the CSV files `quizgen mark` writes, made safe to open in a spreadsheet program.

A spreadsheet program opening a CSV file takes a cell that starts with `=`, `+`, `-` or `@` (or a tab
or a carriage return, which it may skip before one of them) as a formula and runs it: a roster name
`=HYPERLINK(...)` would become a link, `+SUM(1;2)` a sum ("CSV injection"). The usual rule is a
leading apostrophe, which spreadsheet programs read as "this is text": `'=1+1`. A number (`-1.5`)
and a lone sign (quizgen's decision `-`, "none") are left as they are: neither can run anything.

review.csv is read back by `--review`, so `plain_text` takes the apostrophe off again; the two are
exact inverses (a text that itself starts with apostrophes before one of those characters gets one
more). defusedcsv, the library for this, also rewrites `|`
inside a text as `\\|`, which the review file read back would have to undo: this is its rule alone.
"""

from __future__ import annotations

FORMULA = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may take as the start of a formula


def safe_text(text: str) -> str:
    """`text` as a CSV cell a spreadsheet shows as text, never runs (see the module's docstring)."""
    if text.startswith(FORMULA) and len(text) > 1 and not _number(text):
        return "'" + text
    return "'" + text if plain_text(text) != text else text


def plain_text(text: str) -> str:
    """A cell read back from a CSV file quizgen wrote: what `safe_text` was given."""
    if text.startswith("'") and safe_text(text[1:]) != text[1:]:
        return text[1:]
    return text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
