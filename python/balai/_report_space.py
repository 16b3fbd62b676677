"""The report's shared-space section: how the facilities' resources were used week by week
(training first, then UMKM bookings, the rest idle), the idle capacity by kind of facility
and province that shared use could still fill, and what became of the requests.

Amounts of different kinds have different units (hours, slots, m2), so totals are only
ever added up within one kind of resource; shares of capacity compare across kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from balai import _html as h

PROVINCE_ROWS = 10

_USES = ("training", "shared", "idle")
_USE_COLOURS = {"training": "#4292c6", "shared": "#31a354", "idle": "#d9d9d9"}
_STATUSES = ("served", "partly_served", "capacity", "out_of_range", "no_resource")

UTILISATION_COLUMNS = (
    "facility_kind",
    "province",
    "kind",
    "unit",
    "week",
    "week_start",
    "capacity",
    "training",
    "shared",
    "idle",
)
OUTCOME_COLUMNS = ("kind", "graduate", "requested", "served", "status")


@dataclass(frozen=True, eq=False)
class SpaceReport:
    """The frames the section shows (balai.space.utilisation_frame and outcomes_frame).

    Equality is identity: frames do not compare to a single truth value.
    """

    # One row per resource and week: the UTILISATION_COLUMNS at least.
    utilisation: pd.DataFrame
    # One row per request: the OUTCOME_COLUMNS at least.
    outcomes: pd.DataFrame


def missing_columns(space: SpaceReport) -> list[str]:
    """One text per frame that lacks columns, naming them."""
    problems = []
    for name, columns in (("utilisation", UTILISATION_COLUMNS), ("outcomes", OUTCOME_COLUMNS)):
        frame: pd.DataFrame = getattr(space, name)
        missing = [column for column in columns if column not in frame.columns]
        if missing:
            problems.append(f"space.{name} lacks column(s) {', '.join(missing)}")
    return problems


def space_section(space: SpaceReport, province_label: Any) -> str:
    """The section's HTML; ``province_label(code)`` names a province."""
    use = space.utilisation
    if use.empty:
        return h.note("The inventory has no shared resources.")
    by_kind = _sums(use, ["kind", "unit"])
    parts = [
        h.note(
            "Facilities' resources besides classroom seats, week by week: what the "
            "timetable's classes use comes first, UMKM bookings take what it leaves free, "
            "and the rest stays idle."
        ),
        h.figure(
            _shares_chart(by_kind, [str(kind) for kind in by_kind["kind"]]),
            "Use of capacity by kind of resource",
            "Share of each kind's capacity over the window used by training, by UMKM "
            "bookings (shared) and left idle.",
        ),
        _use_table(by_kind, ["kind", "unit"], ["Resource", "Unit"]),
        "<h3>Weekly use</h3>",
        h.figure(
            _weekly_chart(use),
            "Weekly shares of capacity",
            "Share of capacity used by training and by shared use each week: the mean over "
            "the kinds of resource of each kind's share of its own capacity.",
        ),
        "<h3>Idle capacity by kind of facility</h3>",
        h.note(
            "What shared use could still fill, per kind of facility: in BLK this is the "
            "workshop time training leaves unused."
        ),
        _use_table(
            _sums(use, ["facility_kind", "kind", "unit"]),
            ["facility_kind", "kind", "unit"],
            ["Facility", "Resource", "Unit"],
        ),
        f"<h3>Provinces with the most idle workshop hours (first {PROVINCE_ROWS})</h3>",
        _province_table(use, province_label),
        "<h3>UMKM requests</h3>",
        _requests_table(space.outcomes),
    ]
    return "\n".join(parts)


def _sums(use: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    sums = use.groupby(keys, observed=True, sort=True)[["capacity", *_USES]].sum()
    return sums.reset_index()


def _use_row(labels: list[str], row: Any) -> list[str]:
    capacity = int(row["capacity"])
    values = [h.count(row["capacity"])]
    for column in _USES:
        values += [h.count(row[column]), h.share(int(row[column]), capacity)]
    return [*labels, *values]


def _use_table(sums: pd.DataFrame, keys: list[str], headers: list[str]) -> str:
    rows = [_use_row([str(row[key]) for key in keys], row) for _, row in sums.iterrows()]
    columns = [*headers, "Capacity", "Training", "%", "Shared", "%", "Idle", "%"]
    numeric = set(range(len(headers), len(columns)))
    return h.table(columns, rows, numeric=numeric)


def _province_table(use: pd.DataFrame, province_label: Any) -> str:
    workshops = use[use["kind"].astype("string") == "workshop"]
    if workshops.empty:
        return h.note("No facility has workshop hours.")
    sums = _sums(workshops, ["province"]).sort_values(["idle", "province"], ascending=[False, True])
    rows = [
        _use_row([province_label(int(row["province"]))], row)
        for _, row in sums.head(PROVINCE_ROWS).iterrows()
    ]
    columns = ["Province", "Hours", "Training", "%", "Shared", "%", "Idle", "%"]
    table = h.table(columns, rows, numeric=set(range(1, len(columns))))
    return table + h.shown_note(len(sums), PROVINCE_ROWS, "provinces")


def _requests_table(outcomes: pd.DataFrame) -> str:
    if outcomes.empty:
        return h.note("There were no requests.")
    statuses = outcomes["status"].astype("string")
    counts = statuses.value_counts()
    order = [s for s in _STATUSES if s in counts.index]
    total = len(outcomes)
    rows = [[s, h.count(counts[s]), h.share(int(counts[s]), total)] for s in order]
    graduates = outcomes[outcomes["graduate"].astype(bool)]
    notes = [
        f"{total:,} requests, {len(graduates):,} of them from program graduates (served first)."
    ]
    for kind, group in outcomes.groupby(outcomes["kind"].astype("string"), sort=True):
        requested, served = int(group["requested"].sum()), int(group["served"].sum())
        notes.append(f"{kind}: {h.share(served, requested)} of requested units served.")
    table = h.table(["Status", "Requests", "Share"], rows, numeric={1, 2})
    return table + "\n" + h.note(" ".join(notes))


def _shares_chart(sums: pd.DataFrame, labels: list[str]) -> Figure:
    figure, axes = h.chart((7.0, 0.5 + 0.45 * max(len(labels), 1)), left=1.2, bottom=0.7)
    capacity = np.maximum(sums["capacity"].to_numpy(dtype=float), 1.0)
    positions = np.arange(len(labels))
    left = np.zeros(len(labels))
    for column in _USES:
        share = sums[column].to_numpy(dtype=float) / capacity
        axes.barh(positions, share, left=left, color=_USE_COLOURS[column], label=column)
        left += share
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.xaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_xlim(0, 1)
    axes.legend(loc="lower right", fontsize=8, ncols=3)
    h.tidy(axes)
    return figure


def _weekly_chart(use: pd.DataFrame) -> Figure:
    # Each kind's share of its own capacity, then the mean over kinds: hours and square
    # metres never add up.
    per_kind = use.groupby(["week_start", "kind"], observed=True)[["capacity", *_USES]].sum()
    capacity = per_kind["capacity"].clip(lower=1)
    weeks = per_kind.index.get_level_values("week_start").unique().sort_values()
    figure, axes = h.chart((7.0, 2.6))
    bottom = np.zeros(len(weeks))
    for column in _USES[:2]:
        mean = (per_kind[column] / capacity).groupby(level="week_start").mean()
        share = mean.reindex(weeks).to_numpy(dtype=float)
        axes.bar(
            np.arange(len(weeks)), share, bottom=bottom, color=_USE_COLOURS[column], label=column
        )
        bottom += share
    axes.set_xticks(np.arange(len(weeks)), [pd.Timestamp(w).strftime("%d %b") for w in weeks])
    axes.tick_params(axis="x", labelsize=7, rotation=45)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_ylim(0, 1)
    axes.legend(loc="upper right", fontsize=8)
    h.tidy(axes)
    return figure
