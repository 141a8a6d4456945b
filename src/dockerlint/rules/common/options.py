"""Reading a rule's options from its context."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

OptionsT = TypeVar("OptionsT", bound=BaseModel)


def options_of(ctx: Any, cls: type[OptionsT]) -> OptionsT:
    """The rule's validated options: what the configuration gave, else the defaults.

    The engine passes an instance of ``cls`` when a configuration sets the rule's options;
    a plain mapping (from a caller that built the context by hand) is validated here.
    """
    opts = ctx.options
    if isinstance(opts, cls):
        return opts
    if isinstance(opts, dict):
        return cls.model_validate(opts)
    return cls()
