"""Summaries of a Dataset and of the province table, as small DataFrames, as text for
the command line and as HTML for Jupyter. They read only the columns they count, so
summarising a million trainees stays quick."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

from balai import _core, frames

if TYPE_CHECKING:
    from balai.dataset import Dataset


def facilities_by_kind(dataset: Dataset) -> pd.DataFrame:
    """Facilities and seats per facility kind, every kind listed, with a total row."""
    frame = dataset.facilities.to_frame(["kind", "seats"])
    counts = frame.groupby("kind", observed=False).agg(
        facilities=("seats", "size"), seats=("seats", "sum")
    )
    return _with_total(counts)


def facilities_by_province(dataset: Dataset) -> pd.DataFrame:
    """Facilities and seats per province that has any, by province code and name."""
    frame = dataset.facilities.to_frame(["province", "seats"])
    counts = frame.groupby("province").agg(facilities=("seats", "size"), seats=("seats", "sum"))
    names = provinces_frame().set_index("code")["name"]
    counts.insert(0, "name", names.reindex(counts.index).to_numpy())
    return counts


def trainees_by_track_and_class(dataset: Dataset) -> pd.DataFrame:
    """Trainees per track (rows) and UMKM class (columns), with totals."""
    frame = dataset.trainees.to_frame(["track", "umkm_class"])
    counts = frame.pivot_table(
        index="track", columns="umkm_class", aggfunc="size", observed=False, fill_value=0
    )
    counts.columns = counts.columns.astype(str)
    counts["total"] = counts.sum(axis=1)
    return _with_total(counts)


def phases(dataset: Dataset) -> pd.DataFrame:
    """The program's phases with their first and last day and length in days."""
    frame = dataset.to_frame("phases")
    frame["days"] = (frame["last"] - frame["first"]).dt.days + 1
    return frame.set_index("name")


def provinces_frame() -> pd.DataFrame:
    """The 38-province table (see :mod:`balai.frames` for its columns)."""
    return frames.frame_of("provinces", _core.province_columns())


def island_groups() -> pd.DataFrame:
    """Provinces, population and land area per island group, with a total row."""
    frame = provinces_frame()
    totals = frame.groupby("island_group", observed=False).agg(
        provinces=("code", "size"),
        population_2024=("population_2024", "sum"),
        area_km2=("area_km2", "sum"),
    )
    return _with_total(totals)


def _with_total(frame: pd.DataFrame) -> pd.DataFrame:
    frame.index = frame.index.astype(str)
    frame.loc["total"] = frame.sum(numeric_only=True)
    return frame


def program_lines(dataset: Dataset) -> list[str]:
    """The program's name, ministries and target, one fact a line; empty without one."""
    program = dataset.program
    if program is None:
        return []
    lines = [f"program: {program.name}"]
    if program.ministries:
        lines.append("ministries: " + "; ".join(program.ministries))
    lines.append(f"target: {program.target_min:,} to {program.target_max:,} trainees completing")
    return lines


def counts_line(dataset: Dataset) -> str:
    return (
        f"{len(dataset.regencies):,} regencies, {len(dataset.facilities):,} facilities, "
        f"{len(dataset.modules):,} modules, {len(dataset.trainees):,} trainees"
    )


def dataset_text(dataset: Dataset) -> str:
    """A plain-text summary for the command line."""
    sections = [counts_line(dataset)]
    if dataset.program is not None:
        sections.append("\n".join(program_lines(dataset)))
    sections.append("facilities by kind:\n" + facilities_by_kind(dataset).to_string())
    if len(dataset.facilities):
        sections.append("facilities by province:\n" + facilities_by_province(dataset).to_string())
    sections.append(
        "trainees by track and UMKM class:\n" + trainees_by_track_and_class(dataset).to_string()
    )
    if dataset.program is not None and dataset.program.phases:
        sections.append("phases:\n" + phases(dataset).to_string())
    return "\n\n".join(sections) + "\n"


def dataset_html(dataset: Dataset) -> str:
    """An HTML summary for Jupyter: counts, program, and the tables by kind and class."""
    parts = [f"<p><strong>balai.Dataset</strong>: {html.escape(counts_line(dataset))}</p>"]
    lines = program_lines(dataset)
    if lines:
        parts.append("<p>" + "<br>".join(html.escape(line) for line in lines) + "</p>")
    parts.append("<h4>Facilities by kind</h4>" + facilities_by_kind(dataset).to_html())
    parts.append(
        "<h4>Trainees by track and UMKM class</h4>" + trainees_by_track_and_class(dataset).to_html()
    )
    if dataset.program is not None and dataset.program.phases:
        parts.append("<h4>Phases</h4>" + phases(dataset).to_html())
    return "<div>" + "".join(parts) + "</div>"
