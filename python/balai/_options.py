"""Options given either as a value or as its keyword arguments, the way every planning and
scenario function takes them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

Options = TypeVar("Options")


def options_or_fields(
    kind: type[Options], options: Options | None, fields: Mapping[str, Any]
) -> Options:
    """`options`, or a `kind` made from `fields` when it is None; TypeError when both are
    given, since one would silently lose to the other."""
    if options is None:
        return kind(**fields)
    if fields:
        raise TypeError(
            f"give the options either as a {kind.__name__} or as keyword arguments, not both "
            f"(got {', '.join(sorted(fields))})"
        )
    return options
