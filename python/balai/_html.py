"""The pieces of balai's HTML reports: sections, notes, escaped tables, charts drawn on a
private matplotlib ``Figure`` with fixed margins and embedded as PNG ``data:`` URIs with
no software version (so the same inputs give the same bytes), and cell formatting where
a missing value shows as an em dash."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from balai._dates import local_date

DPI = 100
MISSING = "—"


def chart(
    size: tuple[float, float],
    *,
    left: float = 0.8,
    right: float = 0.25,
    bottom: float = 0.6,
    top: float = 0.2,
) -> tuple[Figure, Axes]:
    """A figure with one axes placed by fixed margins in inches: a layout engine would
    draw each chart twice, doubling the time a report takes."""
    width, height = size
    figure = Figure(figsize=size)
    box = (left / width, bottom / height, 1 - (left + right) / width, 1 - (bottom + top) / height)
    return figure, figure.add_axes(box)


def tidy(axes: Axes) -> None:
    axes.spines["top"].set_visible(False)
    axes.spines["right"].set_visible(False)


def figure(figure: Figure, alt: str, caption: str) -> str:
    buffer = io.BytesIO()
    # No Software entry: it names the matplotlib version, and the bytes must not vary.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    width, height = (round(size * DPI) for size in figure.get_size_inches())
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{escape(alt)}" '
        f'width="{width}" height="{height}">\n'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def section(heading: str, content: str) -> str:
    return f"<section>\n<h2>{escape(heading)}</h2>\n{content}\n</section>"


def note(text: str) -> str:
    return f'<p class="note">{escape(text)}</p>'


def shown_note(total: int, shown: int, noun: str) -> str:
    if total <= shown:
        return ""
    return "\n" + note(f"Showing the first {shown:,} of {total:,} {noun}; {total - shown:,} more.")


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numeric: set[int],
    total: Sequence[str] | None = None,
) -> str:
    """A table of plain-text cells, which it escapes: callers pass raw values."""

    def cells(values: Sequence[str], tag: str) -> str:
        return "".join(
            f'<{tag} class="num">{escape(v)}</{tag}>'
            if i in numeric
            else f"<{tag}>{escape(v)}</{tag}>"
            for i, v in enumerate(values)
        )

    body = [f"<tr>{cells(row, 'td')}</tr>" for row in rows]
    if total is not None:
        body.append(f'<tr class="total">{cells(total, "td")}</tr>')
    return (
        '<div class="scroll"><table>\n'
        f"<thead><tr>{cells(headers, 'th')}</tr></thead>\n"
        "<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table></div>"
    )


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def is_missing(value: Any) -> bool:
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and np.isnan(value))
    )


def text(value: Any) -> str:
    return MISSING if is_missing(value) else str(value)


def count(value: Any) -> str:
    return MISSING if is_missing(value) else f"{int(value):,}"


def number(value: Any) -> str:
    return MISSING if is_missing(value) else f"{float(value):,.1f}"


def share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else MISSING


def date(value: Any) -> str:
    return MISSING if is_missing(value) else local_date(value).isoformat()
