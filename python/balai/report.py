"""The pilot's report: one self-contained HTML page with charts and tables.

``render_report`` turns the pilot's frames (:class:`ReportInputs`) into the text of an
HTML page that a planner can open offline, mail or archive as a single file:

- a header with the title and a generation note, and the key figures as a table;
- sites and trainees: a map of the selected sites and the trainees (placed and unplaced),
  trainees by allocation status, utilisation of the selected sites, and the sites
  selected per province;
- timetable: classes taught and trainee-days per week, the first 50 classes, and what
  could not be scheduled, one row per root cause (reason and module; the cascade it caused
  in later modules beside it: the unscheduled CSV has every facility-module pair);
- forecast: national completions per Monte Carlo replication against the target range,
  a map of the median completions per province, the p5 to p95 completion band per
  province, as charts and a table, and, when given, the completions of women and men and
  of trainees with and without an accessibility need;
- shared space, when given (:class:`SpaceReport`, balai._report_space): the facilities'
  resources used by training, by UMKM bookings and left idle, by kind, week, kind of
  facility and province, and what became of the requests.

The province tables list all 38 provinces, zeros included: a province the plan leaves out
is a finding, not a row to drop.

Charts are PNGs drawn with matplotlib's Agg renderer on a private ``Figure`` (pyplot and
rcParams are left alone) and embedded as ``data:`` URIs; the page has no scripts, no
external references and no web fonts, and its Content-Security-Policy forbids them. Every
text cell is HTML-escaped, since facility names come from users. The page records no
clock time and the PNGs no software version, so the same inputs give the same bytes.
``write_report`` writes the page atomically (a temporary file renamed over the target).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from balai import _html as h
from balai._files import file_errors, write_atomically
from balai._report_maps import SITE_COLOUR as _SITE_COLOUR
from balai._report_maps import attribution, completions_caption, completions_map, sites_map
from balai._report_space import SpaceReport, missing_columns, space_section

__all__ = ["ReportInputs", "SpaceReport", "render_report", "write_report"]

COHORT_ROWS = 50

_EN_DASH = "\u2013"
_BAND_LABEL = f"p5{_EN_DASH}p95"
_THOUSANDS = StrMethodFormatter("{x:,.0f}")
# Width of a tick label character at 8 points in DejaVu Sans, rounded up.
_LABEL_INCHES_PER_CHAR = 0.07
_STATUSES = ("placed", "out_of_range", "capacity", "no_class", "quota")

_BAR_COLOUR = "#4292c6"
_LINE_COLOUR = "#d94801"
_BAND_COLOUR = "#6baed6"
_TARGET_COLOUR = "#31a354"

_REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "sites": (
        "facility_id",
        "name",
        "kind",
        "province",
        "latitude",
        "longitude",
        "selected",
        "capacity",
        "load",
        "utilisation",
    ),
    "trainees": (
        "trainee_id",
        "province",
        "latitude",
        "longitude",
        "facility_id",
        "distance_km",
        "status",
        "complete",
    ),
    "cohorts": (
        "code",
        "facility_id",
        "module",
        "room",
        "first_session",
        "last_session",
        "sessions",
        "trainees",
    ),
    "weekly": ("week_start", "sessions", "trainee_days"),
    "unscheduled": (
        "facility_id",
        "module",
        "trainees",
        "reason",
        "detail",
        "root_module",
        "root_reason",
    ),
    "bands": ("province", "name", "registrations", "p5", "p50", "p95", "mean"),
    "provinces": ("code", "name"),
}
_GROUP_COLUMNS = ("group", "registrations", "p5", "p50", "p95", "mean")

_STYLE = """
:root { color-scheme: light; }
body { margin: 0; background: #f6f7f9; color: #1d2327;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
header { border-bottom: 3px solid #08306b; margin-bottom: 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 0.25rem; color: #08306b; }
h2 { font-size: 1.3rem; margin: 2.25rem 0 0.75rem; color: #08306b;
  border-bottom: 1px solid #d5dbe1; padding-bottom: 0.2rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; }
p.note { color: #58636d; font-size: 0.9rem; margin: 0.25rem 0 0.75rem; }
figure { margin: 1rem 0; background: #fff; border: 1px solid #d5dbe1; border-radius: 6px;
  padding: 0.5rem; }
figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { color: #58636d; font-size: 0.88rem; padding: 0.35rem 0.5rem 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; background: #fff; margin: 0.5rem 0 1rem;
  font-size: 0.88rem; font-variant-numeric: tabular-nums; }
th, td { padding: 0.3rem 0.65rem; border-bottom: 1px solid #e3e7eb; text-align: left;
  vertical-align: top; }
th { background: #eef2f6; font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
tbody tr:nth-child(even) { background: #f9fafb; }
tr.total td { font-weight: 600; border-top: 2px solid #c4ccd4; }
table.summary th { text-align: left; background: #fff; font-weight: 400; color: #58636d; }
table.summary td { font-weight: 600; text-align: right; }
@media print { body { background: #fff; } figure { break-inside: avoid; } }
""".strip()

_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


@dataclass(frozen=True, eq=False)
class ReportInputs:
    """Everything the report shows; the frames' columns are listed beside each field.

    Equality is identity: frames do not compare to a single truth value.
    """

    title: str
    # Key figures, in order, e.g. ("Trainees", "10,000").
    summary: list[tuple[str, str]]
    # One row per candidate facility: facility_id, name, kind, province, latitude, longitude,
    # selected, capacity, load, utilisation.
    sites: pd.DataFrame
    # One row per trainee: trainee_id, province, latitude, longitude, facility_id (NA when
    # unplaced), distance_km, status (placed, out_of_range, capacity, quota, no_class), complete.
    trainees: pd.DataFrame
    # One row per class: code, facility_id, module, room, first_session, last_session,
    # sessions, trainees.
    cohorts: pd.DataFrame
    # One row per week of the window: week_start, sessions, trainee_days.
    weekly: pd.DataFrame
    # What could not be scheduled: facility_id, module, trainees, reason, detail,
    # root_module, root_reason (the failure behind a prerequisite row; a row's own otherwise).
    unscheduled: pd.DataFrame
    # National program completions per replication.
    completions: npt.NDArray[np.integer[Any]]
    # One row per province: province, name, registrations, p5, p50, p95, mean.
    bands: pd.DataFrame
    target_min: int
    target_max: int
    # code, name: labels for province codes.
    provinces: pd.DataFrame
    # The shared-space section's frames; None leaves the section out.
    space: SpaceReport | None = None
    # One row per group of registrations: group, registrations, p5, p50, p95, mean (as
    # balai.pilot.groups_frame gives them); None leaves the table out.
    groups: pd.DataFrame | None = None


def render_report(inputs: ReportInputs) -> str:
    """The report as HTML text; the same inputs always give the same text.

    Raises ValueError naming the frame and the columns when a frame lacks a column.
    """
    _check_columns(inputs)
    names = _province_names(inputs.provinces)
    sections = [
        _header(inputs),
        h.section("Key figures", _summary_table(inputs.summary)),
        h.section("Sites and trainees", _sites_section(inputs, names)),
        h.section("Timetable", _timetable_section(inputs)),
        h.section("Completion forecast", _forecast_section(inputs, names)),
    ]
    if inputs.space is not None:
        label = partial(_province, names=names)
        sections.append(h.section("Shared space", space_section(inputs.space, label)))
    # The sites section always draws a map over the province boundaries, whose licence
    # asks for their attribution wherever they are shown.
    body = "\n".join([*sections, attribution()])
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{h.escape(inputs.title)}</title>\n"
        f"<style>\n{_STYLE}\n</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


@file_errors
def write_report(inputs: ReportInputs, path: Path) -> None:
    """Write the report to ``path`` as UTF-8, atomically: readers see the old file or the
    whole new one, never a part, and a failure leaves no temporary file behind."""
    write_atomically(Path(path), render_report(inputs).encode("utf-8"))


def _check_columns(inputs: ReportInputs) -> None:
    problems = []
    for field, columns in _REQUIRED_COLUMNS.items():
        frame = getattr(inputs, field)
        missing = [column for column in columns if column not in frame.columns]
        if missing:
            problems.append(f"{field} lacks column(s) {', '.join(missing)}")
    if inputs.space is not None:
        problems += missing_columns(inputs.space)
    if inputs.groups is not None:
        missing = [column for column in _GROUP_COLUMNS if column not in inputs.groups.columns]
        if missing:
            problems.append(f"groups lacks column(s) {', '.join(missing)}")
    if problems:
        raise ValueError("report inputs: " + "; ".join(problems))


# --- page parts -------------------------------------------------------------------------


def _header(inputs: ReportInputs) -> str:
    note = (
        "Generated by balai from the pilot plan's tables. The report records no clock time: "
        "the same plan gives the same report."
    )
    window = _window(inputs.weekly)
    if window:
        note = f"Timetable weeks: {window}. {note}"
    return f"<header>\n<h1>{h.escape(inputs.title)}</h1>\n{h.note(note)}\n</header>"


def _window(weekly: pd.DataFrame) -> str:
    if weekly.empty:
        return ""
    starts = pd.to_datetime(weekly["week_start"])
    first, last = starts.min(), starts.max() + pd.Timedelta(days=6)
    return f"{h.date(first)} to {h.date(last)} ({len(weekly)} weeks)"


def _summary_table(summary: Sequence[tuple[str, str]]) -> str:
    if not summary:
        return h.note("No key figures were given.")
    rows = "\n".join(
        f"<tr><th>{h.escape(key)}</th><td>{h.escape(value)}</td></tr>" for key, value in summary
    )
    return f'<table class="summary">\n<tbody>\n{rows}\n</tbody>\n</table>'


def _sites_section(inputs: ReportInputs, names: dict[int, str]) -> str:
    sites, trainees = inputs.sites, inputs.trainees
    selected = sites[_flags(sites["selected"])]
    placed = int(trainees["facility_id"].notna().sum())
    map_caption = (
        f"{len(selected):,} selected sites of {len(sites):,} candidates; "
        f"{placed:,} placed and {len(trainees) - placed:,} unplaced trainees."
    )
    parts = [
        h.figure(sites_map(selected, trainees), "Map of selected sites and trainees", map_caption),
        "<h3>Trainees by allocation status</h3>",
        _status_table(trainees),
        "<h3>Utilisation of the selected sites</h3>",
    ]
    if selected.empty:
        parts.append(h.note("No site was selected."))
    else:
        utilisation = selected["utilisation"].to_numpy(dtype=float)
        caption = (
            f"Load / capacity of the {len(selected):,} selected sites: "
            f"median {np.median(utilisation):.0%}, mean {np.mean(utilisation):.0%}."
        )
        parts.append(h.figure(_utilisation_chart(utilisation), "Utilisation histogram", caption))
    parts += [
        "<h3>Sites selected per province</h3>",
        h.note("Capacity and load are those of the selected sites."),
        _sites_table(sites, selected, names),
    ]
    return "\n".join(parts)


def _status_table(trainees: pd.DataFrame) -> str:
    if trainees.empty:
        return h.note("There are no trainees.")
    statuses = trainees["status"].astype("string").fillna("(none)")
    counts = statuses.value_counts()
    order = [s for s in _STATUSES if s in counts.index]
    order += sorted(str(s) for s in counts.index if s not in _STATUSES)
    total = len(trainees)
    rows = [[s, h.count(counts[s]), h.share(int(counts[s]), total)] for s in order]
    complete = int(_flags(trainees["complete"]).sum())
    share = h.share(complete, total)
    notes = [f"{complete:,} of {total:,} trainees ({share}) have every module scheduled."]
    distances = trainees["distance_km"].dropna().to_numpy(dtype=float)
    if distances.size:
        median, p95 = np.percentile(distances, [50, 95])
        notes.append(
            f"Placed trainees live a median {median:,.1f} km from their site (p95 {p95:,.1f} km)."
        )
    table = h.table(["Status", "Trainees", "Share"], rows, numeric={1, 2})
    return table + "\n" + h.note(" ".join(notes))


def _sites_table(sites: pd.DataFrame, selected: pd.DataFrame, names: dict[int, str]) -> str:
    if sites.empty:
        return h.note("There are no candidate sites.")
    chosen = selected.groupby("province").agg(
        selected=("facility_id", "size"), capacity=("capacity", "sum"), load=("load", "sum")
    )
    candidates = sites.groupby("province").size().rename("candidates")
    counts = _every_province(candidates.to_frame().join(chosen), names).fillna(0)
    values = counts.to_numpy(dtype=np.int64)
    rows = [
        _sites_row(_province(int(code), names), row)
        for code, row in zip(counts.index, values, strict=True)
    ]
    headers = ["Province", "Candidates", "Selected", "Capacity", "Load", "Utilisation"]
    total = _sites_row("Total", values.sum(axis=0))
    return h.table(headers, rows, numeric={1, 2, 3, 4, 5}, total=total)


def _sites_row(label: str, values: npt.NDArray[np.int64]) -> list[str]:
    candidates, chosen, capacity, load = (int(value) for value in values)
    return [
        label,
        h.count(candidates),
        h.count(chosen),
        h.count(capacity),
        h.count(load),
        h.share(load, capacity),
    ]


def _timetable_section(inputs: ReportInputs) -> str:
    weekly, cohorts, unscheduled = inputs.weekly, inputs.cohorts, inputs.unscheduled
    parts = ["<h3>Load per week</h3>"]
    if weekly.empty:
        parts.append(h.note("The window has no weeks."))
    else:
        caption = (
            f"{h.count(weekly['sessions'].sum())} class-days and "
            f"{h.count(weekly['trainee_days'].sum())} trainee-days over {len(weekly)} weeks."
        )
        parts.append(h.figure(_weekly_chart(weekly), "Sessions and trainee-days per week", caption))
    facility_names = _facility_names(inputs.sites)
    parts += ["<h3>Classes</h3>", _cohorts_table(cohorts, facility_names)]
    parts += ["<h3>Not scheduled</h3>", _unscheduled_table(unscheduled)]
    return "\n".join(parts)


def _cohorts_table(cohorts: pd.DataFrame, facility_names: dict[str, str]) -> str:
    if cohorts.empty:
        return h.note("No class was scheduled.")
    rows = [
        [
            h.text(row.code),
            _facility(row.facility_id, facility_names),
            h.text(row.module),
            h.count(row.room),
            h.date(row.first_session),
            h.date(row.last_session),
            h.count(row.sessions),
            h.count(row.trainees),
        ]
        for row in cohorts.head(COHORT_ROWS).itertuples(index=False)
    ]
    headers = ["Class", "Facility", "Module", "Room", "First", "Last", "Sessions", "Trainees"]
    note = h.shown_note(len(cohorts), COHORT_ROWS, "classes")
    return h.table(headers, rows, numeric={3, 6, 7}) + note


def _unscheduled_table(unscheduled: pd.DataFrame) -> str:
    if unscheduled.empty:
        return h.note("Everything was scheduled.")
    cascade = unscheduled["reason"] == "prerequisite"
    causes = (
        unscheduled.assign(
            facilities=unscheduled["facility_id"].where(~cascade),
            left_out=unscheduled["trainees"].where(~cascade, 0),
            later=unscheduled["trainees"].where(cascade, 0),
        )
        .groupby(["root_reason", "root_module"], sort=False)
        .agg(
            facilities=("facilities", "nunique"),
            left_out=("left_out", "sum"),
            later=("later", "sum"),
        )
        .sort_values(["left_out", "later"], ascending=False, kind="stable")
    )
    rows = [
        [h.text(reason), h.text(module), h.count(facilities), h.count(left_out), h.count(later)]
        for (reason, module), facilities, left_out, later in zip(
            causes.index, causes["facilities"], causes["left_out"], causes["later"], strict=True
        )
    ]
    lead = h.note(
        f"{len(unscheduled):,} facility-module pairs could not be scheduled in full, "
        f"leaving {h.count(unscheduled['trainees'].sum())} trainee places without a class; "
        "one row per root cause, the modules it left out after it in the last column. "
        "unscheduled.csv lists every pair."
    )
    headers = ["Reason", "Module", "Facilities", "Trainees left out", "Later module places"]
    return lead + "\n" + h.table(headers, rows, numeric={2, 3, 4})


def _forecast_section(inputs: ReportInputs, names: dict[int, str]) -> str:
    completions = np.asarray(inputs.completions, dtype=np.int64).ravel()
    target = f"{inputs.target_min:,}{_EN_DASH}{inputs.target_max:,}"
    if completions.size == 0:
        return h.note(
            f"The forecast ran no replications, so there is no completion forecast "
            f"against the target of {target}."
        )
    p5, p50, p95 = np.percentile(completions, [5, 50, 95])
    below = float(np.mean(completions < inputs.target_min))
    above = float(np.mean(completions > inputs.target_max))
    caption = (
        f"National completions over {completions.size:,} replications: p5 {p5:,.0f}, "
        f"median {p50:,.0f}, p95 {p95:,.0f} (mean {np.mean(completions):,.0f}). "
        f"Within the target of {target} in {1 - below - above:.1%} of replications, "
        f"below it in {below:.1%}, above it in {above:.1%}."
    )
    chart = _completions_chart(completions, (p5, p95), (inputs.target_min, inputs.target_max))
    parts = [
        "<h3>National completions</h3>",
        h.figure(chart, "Histogram of national completions per replication", caption),
        "<h3>Completions per province</h3>",
    ]
    bands = inputs.bands.sort_values("province", kind="stable")
    parts.append(
        h.figure(
            completions_map(bands),
            "Map of median completions per province",
            completions_caption(bands),
        )
    )
    drawn = bands.dropna(subset=["p5", "p50", "p95"])
    if drawn.empty:
        parts.append(h.note("No province has a forecast band."))
    else:
        caption = "The bar spans p5 to p95 of a province's completions; the mark is the median."
        parts.append(h.figure(_bands_chart(drawn, names), "Completion bands per province", caption))
    parts.append(_bands_table(bands, names))
    if inputs.groups is not None:
        parts += ["<h3>Completions by group</h3>", _groups_table(inputs.groups)]
    return "\n".join(parts)


def _bands_table(bands: pd.DataFrame, names: dict[int, str]) -> str:
    if bands.empty and not names:
        return h.note("There are no province bands.")
    # A province without registrations completes nobody: zeros, not a missing row (while a
    # count the frame left NA stays unknown).
    listed = bands["province"].astype("int64").to_numpy()
    bands = _every_province(bands.set_index("province"), names)
    bands.loc[~bands.index.isin(listed), ["registrations", "p5", "p50", "p95", "mean"]] = 0
    bands = bands.rename_axis("province").reset_index()
    rows = [
        [
            _band_name(row.province, row.name, names),
            h.count(row.registrations),
            h.number(row.p5),
            h.number(row.p50),
            h.number(row.p95),
            h.number(row.mean),
        ]
        for row in bands.itertuples(index=False)
    ]
    headers = ["Province", "Registrations", "p5", "p50", "p95", "Mean"]
    return h.table(headers, rows, numeric={1, 2, 3, 4, 5})


def _groups_table(groups: pd.DataFrame) -> str:
    if groups.empty:
        return h.note("The forecast counted no groups.")
    rows = [
        [
            h.text(row.group),
            h.count(row.registrations),
            h.number(row.p5),
            h.number(row.p50),
            h.number(row.p95),
            h.number(row.mean),
        ]
        for row in groups.itertuples(index=False)
    ]
    headers = ["Group", "Registrations", "p5", "p50", "p95", "Mean"]
    note = h.note("A registration counts in one gender group and in one accessibility group.")
    return h.table(headers, rows, numeric={1, 2, 3, 4, 5}) + "\n" + note


# --- charts -----------------------------------------------------------------------------


def _utilisation_chart(utilisation: npt.NDArray[np.float64]) -> Figure:
    figure, axes = h.chart((8.0, 3.2))
    top = max(1.0, float(np.max(utilisation)))
    axes.hist(
        utilisation, bins=np.linspace(0.0, top, 21).tolist(), color=_BAR_COLOUR, edgecolor="white"
    )
    axes.axvline(float(np.mean(utilisation)), color=_LINE_COLOUR, linestyle="--", label="mean")
    axes.xaxis.set_major_formatter(StrMethodFormatter("{x:.0%}"))
    axes.set_xlabel("utilisation (load / capacity)")
    axes.set_ylabel("selected sites")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(fontsize=8)
    h.tidy(axes)
    return figure


def _weekly_chart(weekly: pd.DataFrame) -> Figure:
    figure, axes = h.chart((10.0, 3.6), right=0.85)
    positions = np.arange(len(weekly))
    labels = [day.strftime("%d %b") for day in pd.to_datetime(weekly["week_start"])]
    axes.bar(
        positions,
        weekly["sessions"].to_numpy(dtype=float),
        color=_BAR_COLOUR,
        label="class-days taught",
    )
    axes.set_ylabel("class-days taught")
    axes.yaxis.set_major_formatter(_THOUSANDS)
    step = max(1, len(weekly) // 16)
    axes.set_xticks(positions[::step], labels[::step], fontsize=8)
    axes.set_xlabel("week starting")
    twin = axes.twinx()
    twin.plot(
        positions,
        weekly["trainee_days"].to_numpy(dtype=float),
        color=_LINE_COLOUR,
        marker="o",
        markersize=3,
        label="trainee-days",
    )
    twin.set_ylabel("trainee-days")
    twin.set_ylim(bottom=0)
    twin.yaxis.set_major_formatter(_THOUSANDS)
    handles = axes.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    axes.legend(handles=handles, loc="upper left", fontsize=8)
    axes.spines["top"].set_visible(False)
    twin.spines["top"].set_visible(False)
    return figure


def _completions_chart(
    completions: npt.NDArray[np.int64],
    band: tuple[float, float],
    target: tuple[int, int],
) -> Figure:
    figure, axes = h.chart((10.0, 3.8))
    low, high = int(completions.min()), int(completions.max())
    # One bin per value when the values are few, so no bin straddles two of them.
    bins = np.arange(low - 0.5, high + 1.5) if high - low < 40 else np.linspace(low, high, 41)
    axes.axvspan(*target, color=_TARGET_COLOUR, alpha=0.12, label="target range")
    axes.axvspan(*band, color=_BAND_COLOUR, alpha=0.25, label=_BAND_LABEL)
    # Filled steps rather than bars: narrow bins would vanish under white bar edges.
    axes.hist(
        completions,
        bins=bins.tolist(),
        histtype="stepfilled",
        color=_BAR_COLOUR,
        label="replications",
    )
    for value in target:
        axes.axvline(value, color=_TARGET_COLOUR, linestyle="--", linewidth=1.2)
    edges = [float(low), float(high), float(target[0]), float(target[1])]
    margin = max(1.0, 0.04 * (max(edges) - min(edges)))
    axes.set_xlim(min(edges) - margin, max(edges) + margin)
    axes.xaxis.set_major_formatter(_THOUSANDS)
    axes.set_xlabel("national completions")
    axes.set_ylabel("replications")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(loc="upper left", fontsize=8)
    h.tidy(axes)
    return figure


def _bands_chart(bands: pd.DataFrame, names: dict[int, str]) -> Figure:
    count = len(bands)
    labels = [
        _band_name(code, name, names)
        for code, name in zip(bands["province"], bands["name"], strict=True)
    ]
    width = 0.3 + _LABEL_INCHES_PER_CHAR * max(len(label) for label in labels)
    figure, axes = h.chart((9.0, 0.26 * count + 1.0), left=width)
    positions = np.arange(count)
    p5 = bands["p5"].to_numpy(dtype=float)
    p95 = bands["p95"].to_numpy(dtype=float)
    axes.barh(positions, p95 - p5, left=p5, height=0.6, color=_BAND_COLOUR, label=_BAND_LABEL)
    axes.scatter(
        bands["p50"].to_numpy(dtype=float),
        positions,
        marker="|",
        s=90,
        color=_SITE_COLOUR,
        label="median",
        zorder=3,
    )
    axes.set_yticks(positions, labels, fontsize=8)
    axes.set_ylim(count - 0.5, -0.5)
    axes.set_xlim(left=0)
    axes.xaxis.set_major_formatter(_THOUSANDS)
    axes.set_xlabel("completions")
    axes.legend(loc="lower right", fontsize=8)
    h.tidy(axes)
    return figure


# --- labels -----------------------------------------------------------------------------


def _flags(column: pd.Series[Any]) -> npt.NDArray[np.bool_]:
    """A boolean column as a numpy mask, NA counting as False."""
    return column.astype("boolean").to_numpy(dtype=bool, na_value=False)


def _every_province(frame: pd.DataFrame, names: dict[int, str]) -> pd.DataFrame:
    """`frame` (indexed by province code) with a row for every province named, then any
    other code it holds, ascending; the added rows are NA."""
    codes = sorted(set(names) | {int(code) for code in frame.index})
    return frame.reindex(codes)


def _province_names(provinces: pd.DataFrame) -> dict[int, str]:
    return {
        int(code): str(name)
        for code, name in zip(provinces["code"], provinces["name"], strict=True)
    }


def _facility_names(sites: pd.DataFrame) -> dict[str, str]:
    return {
        str(key): str(name) for key, name in zip(sites["facility_id"], sites["name"], strict=True)
    }


def _province(code: int, names: dict[int, str]) -> str:
    name = names.get(code)
    return f"{code} {name}" if name else str(code)


def _band_name(code: Any, name: Any, names: dict[int, str]) -> str:
    if h.is_missing(name) or not str(name):
        return _province(int(code), names)
    return f"{int(code)} {name}"


def _facility(facility_id: Any, facility_names: dict[str, str]) -> str:
    if h.is_missing(facility_id):
        return h.MISSING
    key = str(facility_id)
    name = facility_names.get(key)
    return f"{key} {name}" if name else key
