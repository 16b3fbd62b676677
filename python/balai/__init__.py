"""balai: plan and track Indonesia's national entrepreneurship-training program."""

from __future__ import annotations

try:
    from balai import _core
except ImportError as error:  # pragma: no cover - only without a built extension
    raise ImportError(
        "balai's compiled extension balai._core is missing: install the package with "
        "'pip install .' from a checkout (or run the README's commands) instead of "
        "importing the source tree directly"
    ) from error

__version__: str = _core.__version__

__all__ = ["__version__"]
