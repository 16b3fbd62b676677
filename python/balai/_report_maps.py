"""The pilot report's maps, drawn over the province boundaries (balai._boundaries): the
selected sites and the trainees, and a choropleth of the forecast's median completions
per province. Whatever page shows one must carry :func:`attribution`, the boundaries'
CC BY 4.0 notice."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MultipleLocator, StrMethodFormatter

from balai import _boundaries
from balai import _html as h

__all__ = ["SITE_COLOUR", "attribution", "completions_caption", "completions_map", "sites_map"]

SITE_COLOUR = "#08306b"
_TRAINEE_COLOUR = "#9ecae1"
_UNPLACED_COLOUR = "#e6550d"
# Indonesia spans about 95°E to 141°E and 11°S to 6°N; a little margin keeps edge sites visible.
_LONGITUDES = (94.0, 142.0)
_LATITUDES = (-12.0, 7.0)
_SIZE = (10.0, 4.6)


def sites_map(selected: pd.DataFrame, trainees: pd.DataFrame) -> Figure:
    """The selected sites and the trainees (placed and unplaced) over the provinces."""
    figure, axes = h.chart(_SIZE)
    _boundaries.draw(axes)
    placed = trainees["facility_id"].notna().to_numpy()
    longitude = trainees["longitude"].to_numpy(dtype=float)
    latitude = trainees["latitude"].to_numpy(dtype=float)
    axes.scatter(
        longitude[placed],
        latitude[placed],
        s=2,
        c=_TRAINEE_COLOUR,
        alpha=0.6,
        linewidths=0,
        label=f"placed trainees ({int(placed.sum()):,})",
    )
    axes.scatter(
        longitude[~placed],
        latitude[~placed],
        s=4,
        c=_UNPLACED_COLOUR,
        alpha=0.8,
        linewidths=0,
        label=f"unplaced trainees ({int((~placed).sum()):,})",
    )
    axes.scatter(
        selected["longitude"].to_numpy(dtype=float),
        selected["latitude"].to_numpy(dtype=float),
        s=28,
        c=SITE_COLOUR,
        marker="^",
        edgecolors="white",
        linewidths=0.5,
        label=f"selected sites ({len(selected):,})",
    )
    _frame(axes)
    axes.legend(loc="lower left", fontsize=8, markerscale=2, framealpha=0.9)
    return figure


def completions_map(bands: pd.DataFrame) -> Figure:
    """Every province coloured by its median (p50) forecast completions, with a colour
    bar; a province without planned completions (no band, or a median of 0) in grey."""
    figure, axes = h.chart(_SIZE, right=1.3)
    medians = bands.dropna(subset=["p50"])
    values = {
        int(code): float(p50)
        for code, p50 in zip(medians["province"], medians["p50"], strict=True)
        if p50 > 0
    }
    provinces = _boundaries.draw(axes, values)
    _frame(axes)
    # The equal aspect shrinks the axes when drawn; place the bar beside the shrunk box.
    axes.apply_aspect()
    left, bottom, width, height = axes.get_position().bounds
    gap = 0.15 / _SIZE[0]  # the bar, and the space before it, 0.15 inch wide
    bar_axes = figure.add_axes((left + width + gap, bottom, gap, height))
    bar = figure.colorbar(provinces, cax=bar_axes, format=StrMethodFormatter("{x:,.0f}"))
    bar.set_label("median completions")
    return figure


def attribution() -> str:
    """The boundaries' notice as a page footer."""
    return f"<footer>{h.note(_boundaries.ATTRIBUTION)}</footer>"


def completions_caption(bands: pd.DataFrame) -> str:
    """The choropleth's caption: how many provinces it colours."""
    planned = int((bands["p50"].fillna(0) > 0).sum())
    return (
        f"Median forecast completions per province; {planned} of the "
        f"{len(_boundaries.province_shapes())} provinces have planned completions, the "
        "others are grey."
    )


def _frame(axes: Axes) -> None:
    axes.set_xlim(*_LONGITUDES)
    axes.set_ylim(*_LATITUDES)
    axes.set_aspect("equal")
    axes.xaxis.set_major_locator(MultipleLocator(5))
    axes.yaxis.set_major_locator(MultipleLocator(5))
    axes.set_xlabel("longitude (°E)")
    axes.set_ylabel("latitude (°N)")
    axes.grid(color="#e3e7eb", linewidth=0.5)
