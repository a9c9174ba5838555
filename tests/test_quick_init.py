"""model.quick_init: a frozen dataclass's quicker __init__ takes and leaves what dataclasses' own does."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from generator import model
from generator.kinds.contract import Answer
from generator.model import quick_init


@dataclasses.dataclass(frozen=True)
class _Plain:
    a: int
    b: str = "b"
    c: tuple[int, ...] = ()
    d: bool = dataclasses.field(default=False, kw_only=True)
    e: str = dataclasses.field(kw_only=True)


_Quick = quick_init(dataclasses.make_dataclass("_Quick", [(f.name, f.type, f) for f in dataclasses.fields(_Plain)], frozen=True))


def test_same_signature_and_instances():
    assert str(inspect.signature(_Quick)) == str(inspect.signature(_Plain))
    for args, kwargs in [((1,), {"e": "x"}), ((1, "z", (2,)), {"d": True, "e": "y"})]:
        quick, plain = _Quick(*args, **kwargs), _Plain(*args, **kwargs)
        assert vars(quick) == vars(plain) and list(vars(quick)) == list(vars(plain))
        assert dataclasses.astuple(quick) == dataclasses.astuple(plain)
        assert quick == _Quick(*args, **kwargs) and hash(quick) == hash(_Quick(*args, **kwargs))
        assert dataclasses.replace(quick, a=5).a == 5
        with pytest.raises(dataclasses.FrozenInstanceError):
            quick.a = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        _Quick(1)  # e is required
    with pytest.raises(TypeError):
        _Quick(1, e="x", f=2)


def test_refuses_what_it_cannot_write():
    @dataclasses.dataclass(frozen=True)
    class Factory:
        a: list[int] = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError):
        quick_init(Factory)


@pytest.mark.parametrize("cls", [model.Origin, model.Deletion, model.Event, model.ShortAnswer, model.Cloze,
                                 model.MultipleChoice, model.TrueFalse, model.Chronology, model.Attribution, Answer])
def test_model_classes_keep_their_signature(cls):
    params = list(inspect.signature(cls).parameters.values())
    expected = [f.name for f in dataclasses.fields(cls) if not f.kw_only] + [f.name for f in dataclasses.fields(cls) if f.kw_only]
    assert [p.name for p in params] == expected
    assert all((p.default is inspect.Parameter.empty) == (f.default is dataclasses.MISSING)
               for p in params for f in dataclasses.fields(cls) if f.name == p.name)
