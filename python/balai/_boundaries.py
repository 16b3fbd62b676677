"""Indonesia's 38 province boundaries, shipped with the package for maps.

``draw(ax)`` lays the provinces under a longitude/latitude map in light grey;
``draw(ax, values)`` colours them by a value per province code instead (a choropleth),
and the collection it returns feeds a colour bar. The boundaries come from
``data/provinces.geojson`` (CC BY 4.0; see ``data/NOTICE``), read once per process:
anything that draws them must show :data:`ATTRIBUTION`.

Plain matplotlib: one compound path per province in one ``PathCollection``, so a map
needs no GIS library.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.colors import Colormap, Normalize
from matplotlib.path import Path

__all__ = ["ATTRIBUTION", "CREDIT", "ProvinceShape", "credit", "draw", "province_shapes"]

ATTRIBUTION = (
    'Province boundaries: "Indonesia GeoJSON & TopoJSON Maps (38 Provinces)" by Deny '
    "Herianto (github.com/denyherianto/indonesia-geojson-topojson-maps-with-38-provinces), "
    "CC BY 4.0 (creativecommons.org/licenses/by/4.0); properties renamed and the Papua "
    "provinces' codes set to Kemendagri codes for balai."
)

# The attribution in a few words, for a figure's corner; the full text goes with a page.
CREDIT = "Boundaries: Deny Herianto, CC BY 4.0"

FILL = "#eceff1"
NEUTRAL = "#d9dde1"  # a choropleth's provinces without a value
OUTLINE = "#9aa5ae"
OUTLINE_WIDTH = 0.4


@dataclass(frozen=True, eq=False)
class ProvinceShape:
    """One province: its Kemendagri code, its name and its outline as one compound path
    of longitude/latitude vertices (every ring of every polygon)."""

    code: int
    name: str
    path: Path


@functools.cache
def province_shapes() -> tuple[ProvinceShape, ...]:
    """The 38 provinces in code order, read from the package's GeoJSON on first use."""
    source = resources.files("balai") / "data" / "provinces.geojson"
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    return tuple(
        ProvinceShape(
            int(feature["properties"]["code"]),
            str(feature["properties"]["name"]),
            _path(feature["geometry"]),
        )
        for feature in features
    )


def draw(
    ax: Axes,
    values: Mapping[int, float] | None = None,
    *,
    cmap: str | Colormap = "Blues",
    norm: Normalize | None = None,
    zorder: float = 0.0,
) -> PathCollection:
    """Draw every province on `ax` below what is drawn at a higher `zorder`.

    Without `values` the provinces are light grey with a thin outline. With `values` (by
    province code) they take `cmap`'s colours, scaled by `norm` (from 0 to the largest
    value without one); a province missing from `values`, or whose value is NaN, is drawn
    in the neutral grey. The axes' limits are left as they were.
    """
    shapes = province_shapes()
    collection = PathCollection(
        [shape.path for shape in shapes],
        edgecolors=OUTLINE,
        linewidths=OUTLINE_WIDTH,
        zorder=zorder,
    )
    if values is None:
        collection.set_facecolor(FILL)
    else:
        data = np.ma.masked_invalid([float(values.get(shape.code, np.nan)) for shape in shapes])
        colours = colormaps[cmap] if isinstance(cmap, str) else cmap
        collection.set_cmap(colours.with_extremes(bad=NEUTRAL))
        top = float(data.max()) if data.count() else 1.0
        collection.set_norm(norm if norm is not None else Normalize(0.0, max(top, 1.0)))
        collection.set_array(data)
    ax.add_collection(collection, autolim=False)
    return collection


def credit(ax: Axes) -> None:
    """Write :data:`CREDIT` small in the lower right corner of `ax`."""
    ax.annotate(
        CREDIT,
        xy=(1.0, 0.0),
        xycoords="axes fraction",
        xytext=(-3, 3),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=6,
        color="#58636d",
    )


def _path(geometry: Mapping[str, Any]) -> Path:
    """One compound path of a Polygon's or MultiPolygon's rings, each ring closed."""
    kind = geometry["type"]
    if kind == "Polygon":
        polygons = [geometry["coordinates"]]
    elif kind == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise ValueError(f"provinces.geojson: geometry type {kind!r} is not a polygon")
    rings: list[npt.NDArray[np.float64]] = [
        np.asarray(ring, dtype=float)[:, :2] for polygon in polygons for ring in polygon
    ]
    return Path.make_compound_path(*(Path(ring, closed=True) for ring in rings))
