"""The pilot's HTML report, on small hand-made frames: structure, embedded charts,
escaping, determinism, empty inputs and the atomic write."""

from __future__ import annotations

import base64
import dataclasses
import datetime
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

import balai
from balai import _boundaries
from balai._report_maps import completions_map
from balai.report import ReportInputs, SpaceReport, render_report, write_report

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HOSTILE_NAME = "<script>alert('x')</script> & Sons"
VOID_TAGS = {"meta", "img", "br", "hr", "link", "input"}
WEEKS = 13


class Page(HTMLParser):
    """The tags of a page, checked to nest properly, and its text and attributes."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.open: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open.pop() == tag, f"</{tag}> closes another element"

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def images(self) -> list[str]:
        return [value for tag, name, value in self.attributes if tag == "img" and name == "src"]


def make_inputs(seed: int = 11) -> ReportInputs:
    rng = np.random.default_rng(seed)
    # Papua has no site, no trainee and no band: its rows must still show, with zeros.
    provinces = pd.DataFrame(
        {"code": [31, 32, 35, 94], "name": ["DKI Jakarta", "Jawa Barat", "Jawa Timur", "Papua"]}
    )
    sites = pd.DataFrame(
        {
            "facility_id": ["F1", "F2", "F3", "F4", "F5", "F6"],
            "name": ["BLK Jakarta", HOSTILE_NAME, "BLK Bandung", "PLUT Bogor", "BLK Sby", "RPB"],
            "kind": ["uptp", "blk_komunitas", "uptd", "plut", "uptd", "rpb"],
            "province": [31, 31, 32, 32, 35, 35],
            "latitude": [-6.2, -6.3, -6.9, -6.6, -7.25, -7.5],
            "longitude": [106.8, 106.9, 107.6, 106.8, 112.75, 112.1],
            "selected": [True, True, True, False, True, False],
            "capacity": [40, 20, 30, 25, 35, 10],
            "load": [38, 12, 30, 0, 20, 0],
        }
    )
    sites["utilisation"] = sites["load"] / sites["capacity"]
    count = 60
    placed = rng.random(count) < 0.85
    trainees = pd.DataFrame(
        {
            "trainee_id": [f"T{i:03d}" for i in range(count)],
            "province": rng.choice([31, 32, 35], size=count),
            "latitude": rng.uniform(-7.8, -6.0, size=count),
            "longitude": rng.uniform(106.0, 113.0, size=count),
            "facility_id": pd.array(
                [f"F{1 + i % 5}" if ok else None for i, ok in enumerate(placed)], dtype="string"
            ),
            "distance_km": np.where(placed, rng.uniform(1, 40, size=count), np.nan),
            "status": pd.array(np.where(placed, "placed", "out_of_range"), dtype="string"),
            "complete": placed & (rng.random(count) < 0.9),
        }
    )
    start = datetime.date(2026, 1, 5)
    cohorts = pd.DataFrame(
        {
            "code": [f"C{i}" for i in range(8)],
            "facility_id": ["F1", "F2", "F3", "F5"] * 2,
            "module": ["M1"] * 4 + ["M2"] * 4,
            "room": [1, 1, 2, 1, 2, 1, 1, 2],
            "first_session": pd.to_datetime(
                [start + datetime.timedelta(days=7 * i) for i in range(8)]
            ),
            # Plain dates, as balai.pilot gives them; first_session is datetime64.
            "last_session": [start + datetime.timedelta(days=7 * i + 4) for i in range(8)],
            "sessions": [5] * 8,
            "trainees": [20, 12, 18, 20, 18, 12, 12, 0],
        }
    )
    weekly = pd.DataFrame(
        {
            "week_start": [start + datetime.timedelta(days=7 * i) for i in range(WEEKS)],
            "sessions": rng.integers(0, 20, size=WEEKS),
            "trainee_days": rng.integers(0, 300, size=WEEKS),
        }
    )
    # F3's window failure of M<3> leaves its trainees out of M4 and M5 too; F5's of M<3>
    # as well, so the cause counts two facilities.
    unscheduled = pd.DataFrame(
        {
            "facility_id": ["F2", "F3", "F3", "F3", "F5"],
            "module": ["M<3>", "M<3>", "M4", "M5", "M<3>"],
            "trainees": [12, 30, 25, 20, 6],
            "reason": ["no_room", "window", "prerequisite", "prerequisite", "window"],
            "detail": ["room <b>2</b> busy", "ends after the window", "", "", "late"],
            "root_module": ["M<3>"] * 5,
            "root_reason": ["no_room", "window", "window", "window", "window"],
        }
    )
    completions = rng.binomial(12_000, 0.6, size=200)
    bands = pd.DataFrame(
        {
            "province": [31, 32, 35],
            "name": ["DKI Jakarta", "Jawa Barat", "Jawa Timur"],
            "registrations": pd.array([4000, 5000, pd.NA], dtype="Int64"),
            "p5": [2300.0, 2900.0, 1700.0],
            "p50": [2400.0, 3000.0, 1800.0],
            "p95": [2500.0, 3100.0, 1900.0],
            "mean": [2401.5, 3000.2, 1799.9],
        }
    )
    groups = pd.DataFrame(
        {
            "group": ["female", "male", "any accessibility need", "no accessibility need"],
            "registrations": [5200, 3800, 400, 8600],
            "p5": [3100.0, 2200.0, 210.0, 5100.0],
            "p50": [3200.0, 2300.0, 230.0, 5270.0],
            "p95": [3300.0, 2400.0, 250.0, 5440.0],
            "mean": [3201.0, 2299.5, 229.0, 5271.5],
        }
    )
    return ReportInputs(
        title="Pilot plan — Pelatihan Kewirausahaan Nasional",
        summary=[("Trainees", "10,000"), ("Selected sites", "4"), ("Classes", "8")],
        sites=sites,
        trainees=trainees,
        cohorts=cohorts,
        weekly=weekly,
        unscheduled=unscheduled,
        completions=completions,
        bands=bands,
        target_min=5_000,
        target_max=10_000,
        provinces=provinces,
        groups=groups,
    )


@pytest.fixture(scope="module")
def inputs() -> ReportInputs:
    return make_inputs()


@pytest.fixture(scope="module")
def report(inputs: ReportInputs) -> str:
    return render_report(inputs)


def test_page_nests_and_embeds_six_png_charts(report: str) -> None:
    page = Page(report)
    assert page.open == []
    assert page.starts.count("html") == page.starts.count("body") == 1
    # summary, status, sites, classes, unscheduled, bands, groups
    assert page.starts.count("table") == 7
    images = page.images()
    assert len(images) == 6  # two maps, utilisation, weekly load, completions, bands
    for source in images:
        assert source.startswith("data:image/png;base64,")
        assert base64.b64decode(source.split(",", 1)[1], validate=True)[:8] == PNG_SIGNATURE


def test_page_references_nothing_outside_itself(report: str) -> None:
    page = Page(report)
    references = [value for _, name, value in page.attributes if name in {"src", "href"}]
    assert references
    assert all(value.startswith("data:") for value in references)
    assert "http://" not in report
    assert "https://" not in report
    assert "script" not in page.starts
    assert "link" not in page.starts


def test_title_and_summary_figures_appear(report: str) -> None:
    text = " ".join(Page(report).text)
    assert "Pilot plan — Pelatihan Kewirausahaan Nasional" in text
    for key, value in [("Trainees", "10,000"), ("Selected sites", "4"), ("Classes", "8")]:
        assert re.search(rf"<th>{key}</th><td>{value}</td>", report)


def test_sites_per_province_add_up(report: str) -> None:
    # Jakarta: 2 candidates, both selected, capacity 40 + 20, load 38 + 12.
    assert re.search(
        r"<td>31 DKI Jakarta</td><td class=\"num\">2</td><td class=\"num\">2</td>"
        r"<td class=\"num\">60</td><td class=\"num\">50</td><td class=\"num\">83.3%</td>",
        report,
    )
    assert re.search(
        r'<tr class="total"><td>Total</td><td class="num">6</td><td class="num">4</td>'
        r'<td class="num">125</td><td class="num">100</td><td class="num">80.0%</td>',
        report,
    )


def test_every_province_has_its_rows_zeros_included(report: str) -> None:
    zeros = r'<td class="num">0</td>'
    assert re.search(rf"<td>94 Papua</td>{zeros * 4}<td class=\"num\">—</td>", report)
    band_zeros = r'<td class="num">0.0</td>' * 4
    assert re.search(rf"<td>94 Papua</td>{zeros}{band_zeros}", report)


def test_unscheduled_is_one_row_per_root_cause(report: str) -> None:
    # window of M<3>: 2 facilities, 36 trainees left out, 45 places in later modules.
    assert re.search(
        r"<td>window</td><td>M&lt;3&gt;</td><td class=\"num\">2</td>"
        r"<td class=\"num\">36</td><td class=\"num\">45</td>",
        report,
    )
    assert re.search(
        r"<td>no_room</td><td>M&lt;3&gt;</td><td class=\"num\">1</td>"
        r"<td class=\"num\">12</td><td class=\"num\">0</td>",
        report,
    )
    assert "<td>prerequisite</td>" not in report
    assert "5 facility-module pairs could not be scheduled in full" in report


def test_completions_by_group(report: str) -> None:
    assert "<h3>Completions by group</h3>" in report
    assert re.search(
        r"<td>any accessibility need</td><td class=\"num\">400</td>"
        r"<td class=\"num\">210.0</td><td class=\"num\">230.0</td>",
        report,
    )


def test_trainee_and_forecast_figures_match_the_frames(inputs: ReportInputs, report: str) -> None:
    trainees = inputs.trainees
    placed = int((trainees["status"] == "placed").sum())
    complete = int(trainees["complete"].sum())
    assert re.search(rf"<td>placed</td><td class=\"num\">{placed}</td>", report)
    assert f"{complete} of 60 trainees ({complete / 60:.1%}) have every module scheduled" in report
    p5, p50, p95 = np.percentile(inputs.completions, [5, 50, 95])
    assert f"p5 {p5:,.0f}, median {p50:,.0f}, p95 {p95:,.0f}" in report
    assert "Within the target of 5,000\u201310,000 in 100.0% of replications" in report
    # Jawa Timur has no registrations given: a dash, not a number or "<NA>".
    assert re.search(
        r"<td>35 Jawa Timur</td><td class=\"num\">—</td><td class=\"num\">1,700.0</td>", report
    )
    assert "&lt;NA&gt;" not in report


def test_maps_draw_the_provinces_and_credit_them(report: str, empty_report: str) -> None:
    for page in (Page(report), Page(empty_report)):
        assert "footer" in page.starts
        assert any(_boundaries.ATTRIBUTION in chunk for chunk in page.text)
    assert 'alt="Map of median completions per province"' in report
    assert "3 of the 38 provinces have planned completions" in report


def test_completions_map_colours_the_planned_provinces(inputs: ReportInputs) -> None:
    bands = inputs.bands.copy()
    bands.loc[bands["province"] == 35, "p50"] = 0.0  # none planned: neutral like the absent
    figure = completions_map(bands)
    axes, bar = figure.axes
    (provinces,) = axes.collections
    assert len(provinces.get_paths()) == 38
    provinces.update_scalarmappable()
    codes = [shape.code for shape in _boundaries.province_shapes()]
    neutral = to_rgba(_boundaries.NEUTRAL)
    for code, colour in zip(codes, provinces.get_facecolor(), strict=True):
        assert np.allclose(colour, neutral) == (code not in (31, 32)), code
    assert bar.get_ylim() == (0.0, 3000.0)


def test_user_text_is_escaped(report: str) -> None:
    page = Page(report)
    assert "script" not in page.starts
    assert "b" not in page.starts
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Sons" in report
    assert "M&lt;3&gt;" in report
    assert any(HOSTILE_NAME in chunk for chunk in page.text)


def test_same_inputs_give_the_same_bytes(inputs: ReportInputs, report: str) -> None:
    assert render_report(make_inputs()) == report


def test_empty_unscheduled_and_zero_replications(inputs: ReportInputs) -> None:
    quiet = dataclasses.replace(
        inputs, unscheduled=inputs.unscheduled.iloc[0:0], completions=np.array([], dtype=np.int64)
    )
    report = render_report(quiet)
    page = Page(report)
    assert page.open == []
    assert "Everything was scheduled." in report
    assert "The forecast ran no replications" in report
    assert len(page.images()) == 3  # map, utilisation, weekly load


@pytest.fixture(scope="module")
def empty(inputs: ReportInputs) -> ReportInputs:
    """No rows anywhere: one chart (an empty map) to draw, so the tests below stay quick."""
    return ReportInputs(
        title="Nothing yet",
        summary=[],
        sites=inputs.sites.iloc[0:0],
        trainees=inputs.trainees.iloc[0:0],
        cohorts=inputs.cohorts.iloc[0:0],
        weekly=inputs.weekly.iloc[0:0],
        unscheduled=inputs.unscheduled.iloc[0:0],
        completions=np.array([], dtype=np.int64),
        bands=inputs.bands.iloc[0:0],
        target_min=5_000,
        target_max=10_000,
        provinces=inputs.provinces,
    )


@pytest.fixture(scope="module")
def empty_report(empty: ReportInputs) -> str:
    return render_report(empty)


def test_all_frames_empty(empty_report: str) -> None:
    report = empty_report
    page = Page(report)
    assert page.open == []
    assert len(page.images()) == 1  # the (empty) map
    for note in ["No site was selected.", "No class was scheduled.", "There are no trainees."]:
        assert note in report


def test_long_lists_are_cut_or_summarised(inputs: ReportInputs, empty: ReportInputs) -> None:
    many = pd.concat([inputs.cohorts] * 10, ignore_index=True)
    unscheduled = pd.concat([inputs.unscheduled] * 130, ignore_index=True)
    report = render_report(dataclasses.replace(empty, cohorts=many, unscheduled=unscheduled))
    assert "Showing the first 50 of 80 classes; 30 more." in report
    assert report.count("<td>window</td>") == 1  # 520 window rows, one cause


def test_a_missing_column_is_named(inputs: ReportInputs) -> None:
    broken = dataclasses.replace(inputs, weekly=inputs.weekly.drop(columns="trainee_days"))
    with pytest.raises(ValueError, match="weekly lacks column\\(s\\) trainee_days"):
        render_report(broken)


def test_write_report_replaces_the_file_atomically(
    empty: ReportInputs, empty_report: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    write_report(empty, target)
    assert target.read_bytes() == empty_report.encode("utf-8")
    assert os.listdir(tmp_path) == ["report.html"]

    def fail(source: object, destination: object) -> None:
        raise OSError("disk full")

    target.write_text("old", encoding="utf-8")
    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(balai.Error, match="disk full"):
        write_report(empty, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["report.html"]


def make_space() -> SpaceReport:
    """Two weeks of three resources: a BLK kitchen and a BLK storage in Jakarta, a PLUT's
    mentors in West Java; and four requests."""
    weeks = [datetime.date(2027, 1, 4), datetime.date(2027, 1, 11)]
    rows = [
        # facility_kind, province, kind, unit, week, capacity, training, shared
        ("blk_komunitas", 31, "workshop", "hours", 0, 40, 10, 20),
        ("blk_komunitas", 31, "workshop", "hours", 1, 40, 30, 0),
        ("blk_komunitas", 31, "storage", "m2", 0, 20, 0, 5),
        ("blk_komunitas", 31, "storage", "m2", 1, 20, 0, 15),
        ("plut", 32, "mentoring", "hours", 0, 60, 6, 30),
        ("plut", 32, "mentoring", "hours", 1, 60, 6, 0),
    ]
    utilisation = pd.DataFrame(
        rows,
        columns=[
            "facility_kind",
            "province",
            "kind",
            "unit",
            "week",
            "capacity",
            "training",
            "shared",
        ],
    )
    utilisation["week_start"] = [weeks[w] for w in utilisation["week"]]
    utilisation["idle"] = utilisation["capacity"] - utilisation["training"] - utilisation["shared"]
    outcomes = pd.DataFrame(
        {
            "kind": ["workshop", "storage", "mentoring", "mentoring"],
            "graduate": [True, False, True, False],
            "requested": [20, 20, 40, 10],
            "served": [20, 20, 30, 0],
            "status": ["served", "served", "partly_served", "capacity"],
        }
    )
    return SpaceReport(utilisation=utilisation, outcomes=outcomes)


def test_shared_space_section_adds_up(inputs: ReportInputs) -> None:
    report = render_report(dataclasses.replace(inputs, space=make_space()))
    page = Page(report)
    assert page.open == []
    assert len(page.images()) == 8  # the six of the plan, two of shared space
    text = " ".join(page.text)
    assert "Shared space" in text
    # Workshop: capacity 80, training 40 (50%), shared 20 (25%), idle 20 (25%).
    assert re.search(
        r"<td>workshop</td><td>hours</td><td class=\"num\">80</td><td class=\"num\">40</td>"
        r"<td class=\"num\">50.0%</td><td class=\"num\">20</td><td class=\"num\">25.0%</td>"
        r"<td class=\"num\">20</td><td class=\"num\">25.0%</td>",
        report,
    )
    # Idle workshop hours by province: only Jakarta has a workshop.
    assert re.search(r"<td>31 DKI Jakarta</td><td class=\"num\">80</td>", report)
    assert re.search(
        r"<td>partly_served</td><td class=\"num\">1</td><td class=\"num\">25.0%</td>", report
    )
    assert "4 requests, 2 of them from program graduates (served first)." in text
    assert "mentoring: 60.0% of requested units served." in text


def test_shared_space_section_is_optional_and_checked(inputs: ReportInputs) -> None:
    assert "Shared space" not in render_report(inputs)
    space = make_space()
    broken = dataclasses.replace(space, utilisation=space.utilisation.drop(columns="idle"))
    with pytest.raises(ValueError, match=r"space\.utilisation lacks column\(s\) idle"):
        render_report(dataclasses.replace(inputs, space=broken))
    empty = SpaceReport(utilisation=space.utilisation.iloc[:0], outcomes=space.outcomes.iloc[:0])
    assert "The inventory has no shared resources." in render_report(
        dataclasses.replace(inputs, space=empty)
    )


def test_importing_balai_leaves_matplotlib_to_the_report() -> None:
    # matplotlib is half of `import balai`'s time; only the report and the plots need it.
    code = "import sys, balai, balai.pilot, balai.space; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
