"""Progress of long C++ calls: what a `progress` argument asks for, as the callable
``_core`` calls (from the computing thread, with the GIL) — a tqdm bar, the user's
callable, or nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ProgressCallback = Callable[[str, int, int], object]
"""``progress(stage, done, total)``, called now and then during a long computation (from
the computing thread, with the GIL); returning ``False`` cancels it with
:class:`balai.CancelledError`, any other value (``None`` too) lets it go on."""

Progress = bool | ProgressCallback | None

_BAR_DELAY_S = 0.5


class Reporter:
    """A context manager giving the callable for ``progress``: with True a tqdm bar per
    stage, created on the first report and shown only once the call has taken half a
    second (so quick calls print nothing) — unless `bar` is False, for calls known to be
    quick; with a callable, that callable; with False or None, nothing."""

    def __init__(self, progress: Progress, *, bar: bool = True) -> None:
        self._bar: Any = None
        self._stage = ""
        self.callback: ProgressCallback | None
        if progress is True:
            self.callback = self._show if bar else None
        elif progress is False or progress is None:
            self.callback = None
        elif callable(progress):
            self.callback = progress
        else:
            raise TypeError(f"progress must be True, False or a callable, not {progress!r}")

    def __enter__(self) -> ProgressCallback | None:
        return self.callback

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def _show(self, stage: str, done: int, total: int) -> None:
        from tqdm.auto import tqdm  # type: ignore[import-untyped]  # only a bar needs tqdm

        if self._bar is None:
            self._bar = tqdm(total=total, desc=stage, delay=_BAR_DELAY_S, leave=False)
            self._stage = stage
        elif stage != self._stage:
            self._stage = stage
            self._bar.set_description(stage, refresh=False)
            self._bar.reset(total=total)
        self._bar.update(done - self._bar.n)
