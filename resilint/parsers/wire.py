"""How a worker process pickles the model objects it sends back (parsers/parallel.py).

Pickled as pydantic pickles them, each model instance calls pydantic's `__getstate__` in the
worker (a dict of its four slots, the private attributes copied) and its `__setstate__` in the
parent (four lookups in that dict, four slot assignments), and the stream holds that dict for
every instance: at 10x the generated monorepo a fifth of the objects a reply holds. Here a
model instance travels as its class and its slots' values, and `_model` puts them back in the
slots directly: the same instance, built as pydantic's own unpickling builds it (no validation,
the values and the fields-given set as they were sent).

Only the replies use this table (`REDUCERS`, a pickler's `dispatch_table`): the parse cache
keeps pydantic's own pickling, which a newer pydantic reads.
"""

from __future__ import annotations

import copyreg
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

_new = object.__new__
_set = object.__setattr__


def _model(cls: type[BaseModel], values: dict[str, Any], fields_set: set[str], extra: dict[str, Any] | None, private: dict[str, Any] | None) -> BaseModel:
    """A model instance with these slots, as pydantic's `__setstate__` makes it."""
    instance = _new(cls)
    _set(instance, "__dict__", values)
    _set(instance, "__pydantic_fields_set__", fields_set)
    _set(instance, "__pydantic_extra__", extra)
    _set(instance, "__pydantic_private__", private)
    return instance


def _reduce(instance: BaseModel) -> tuple[Callable[..., BaseModel], tuple[Any, ...]]:
    # Private attributes are sent as they are: pydantic's `__getstate__` leaves out those still
    # undefined, and a model of resilint sets every one it declares (each has a default).
    return _model, (
        type(instance),
        instance.__dict__,
        instance.__pydantic_fields_set__,
        instance.__pydantic_extra__,
        instance.__pydantic_private__,
    )


def _reducers() -> dict[type, Callable[[Any], Any]]:
    """copyreg's table, with every model class of `resilint.model` and `resilint.findings` (the
    classes replies hold: a dispatch table is looked up by exact class)."""
    from resilint import findings, model

    table: dict[type, Callable[[Any], Any]] = dict(copyreg.dispatch_table)
    for module in (model, findings):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel and value.__module__ == module.__name__:
                table[value] = _reduce
    return table


REDUCERS = _reducers()
