"""The balai command, run as a user runs it: in a subprocess, through both entry points."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import balai
from balai import Dataset, cli, scenario, summary


def _run(
    *arguments: str, command: list[str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*(command or [sys.executable, "-m", "balai"]), *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _assert_one_line_error(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("balai: error: ")
    for text in expected:
        assert text in lines[0]


def test_provinces_and_island_groups() -> None:
    result = _run("provinces")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    for text in ["Jawa Barat", "Bandung", "WITA", "51,316,378", "Papua Barat Daya", "Sulawesi"]:
        assert text in out
    total = next(line for line in out.splitlines() if line.startswith("total"))
    population = sum(province.population for province in balai.provinces())
    assert total.split()[1:3] == ["38", f"{population:,}"]


def test_default_is_the_pilot_of_the_built_in_scenario(tmp_path: Path) -> None:
    result = _run("--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("Pilot plan (10,000 trainees)")
    labels = ["Sites:", "Placed:", "Classes:", "Timetabled:", "Forecast:", "Target:"]
    for label in [*labels, "Shared space:", "Idle BLK workshops:"]:
        assert label in result.stdout
    out = tmp_path / "balai-pilot"
    assert "<h2>Shared space</h2>" in (out / "report.html").read_text(encoding="utf-8")
    assert len(pd.read_csv(out / "forecast.csv")) == 1_000
    assert len(pd.read_csv(out / "space_requests.csv")) == 20_000
    use = pd.read_csv(out / "space_use.csv")
    assert (use["capacity"] == use["training"] + use["shared"] + use["idle"]).all()
    assert use["training"].sum() > 0
    bookings = pd.read_csv(out / "space_bookings.csv")
    booked = bookings["amount"] * bookings["weeks"]
    assert booked.sum() == use["shared"].sum()


def test_pilot_options_reach_the_plan(tmp_path: Path) -> None:
    holidays = tmp_path / "holidays.txt"
    holidays.write_text(
        "# three days off\n2027-01-04\n2027-01-05\n\n2027-01-06\n", encoding="utf-8"
    )
    result = _run(
        "pilot", "--trainees", "1500", "--sites", "60", "--objective", "p_median",
        "--replications", "25", "--holidays", str(holidays), "--no-report", "--quiet",
        "--space-requests", "0", "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Pilot plan (1,500 trainees)" in result.stdout
    out = tmp_path / "out"
    sites = pd.read_csv(out / "sites.csv")
    assert 0 < len(sites) <= 60  # a budget: sites that gather no class are not opened
    assert set(sites["facility_id"]) == set(pd.read_csv(out / "cohorts.csv")["facility_id"])
    assert len(pd.read_csv(out / "forecast.csv")) == 25
    assert not (out / "report.html").exists()
    assert not (out / "space_use.csv").exists()
    assert "Shared space" not in result.stdout
    cohorts = pd.read_csv(out / "cohorts.csv", parse_dates=["first_session", "last_session"])
    assert (cohorts["first_session"] >= "2027-01-07").all()  # Monday the 4th and two more days off


def test_what_if_options_reach_the_plan(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _run(
        "pilot", "--trainees", "1500", "--site-kinds", "uptd, plut", "--sites", "45",
        "--class-min", "8", "--max-distance", "35", "--replications", "5", "--no-report",
        "--no-excel", "--quiet", "--space-requests", "0", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "within 35 km" in result.stdout  # the site selection's radius follows
    sites = pd.read_csv(out / "sites.csv")
    assert 0 < len(sites) <= 45  # a budget: only sites that host a class are kept
    assert set(sites["kind"]) <= {"uptd", "plut"}
    allocation = pd.read_csv(out / "allocation.csv")
    assert allocation["distance_km"].max() <= 35
    assert pd.read_csv(out / "cohorts.csv")["trainees"].min() >= 8
    assert not (out / "pilot.xlsx").exists()


def test_radius_given_beside_max_distance_wins(tmp_path: Path) -> None:
    result = _run(
        "pilot", "--trainees", "300", "--sites", "40", "--max-distance", "35",
        "--radius-km", "20", "--replications", "2", "--no-report", "--no-excel", "--quiet",
        "--space-requests", "0", "--out", str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "within 20 km" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--site-kinds", "uptd,warung"], ["--site-kinds", "warung"]),
        (["--sites", "-4"], ["--sites", "-4"]),
        (["--class-min", "0"], ["--class-min", "0"]),
        (["--max-distance", "-5"], ["--max-distance", "-5"]),
        (["--max-distance-km", "nan"], ["--max-distance", "nan"]),
        (["--radius-km", "0"], ["--radius-km", "0"]),
    ],
)
def test_bad_what_if_values_name_the_option(
    arguments: list[str], expected: list[str], tmp_path: Path
) -> None:
    for command in [["pilot"], []]:  # the default run is the pilot too
        result = _run(*command, *arguments, "--out", str(tmp_path))
        _assert_one_line_error(result, *expected)
        assert not (tmp_path / "sites.csv").exists()


def test_pilot_refuses_bad_input(tmp_path: Path) -> None:
    _assert_one_line_error(_run("pilot", "--sites", "0", "--out", str(tmp_path)), "sites", "0")
    _assert_one_line_error(_run("pilot", "--data", str(tmp_path / "nowhere")), "no such directory")
    holidays = tmp_path / "holidays.txt"
    holidays.write_text("2027-01-05\nsoon\n", encoding="utf-8")
    _assert_one_line_error(
        _run("pilot", "--holidays", str(holidays)), "holidays.txt:2", "not a date"
    )
    _assert_one_line_error(
        _run("pilot", "--replications", "-3", "--out", str(tmp_path)), "replications"
    )
    _assert_one_line_error(
        _run("pilot", "--space-requests", "-5", "--out", str(tmp_path)), "requests", "-5"
    )


def test_scenario_summarises_the_generated_dataset(tmp_path: Path) -> None:
    result = _run("scenario", "--seed", "5", "--trainees", "300", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "seed 5, 300 trainees" in result.stdout
    written = balai.read_csv(tmp_path)
    assert written == scenario.indonesia(seed=5, trainees=300)
    lines = result.stdout.splitlines()
    for kind, row in summary.facilities_by_kind(written).iterrows():
        line = next(line for line in lines if line.startswith(f"{kind} "))
        assert line.split()[1:] == [str(row["facilities"]), str(row["seats"])]
    assert "umkm_owner" in result.stdout
    assert "placed at the seats of the 514 regencies and cities" in result.stdout
    assert len(written.regencies) == 514


def test_scenario_regencies_file_replaces_the_embedded_table(tmp_path: Path) -> None:
    table = tmp_path / "bali.csv"
    balai.write_regencies([r for r in balai.regencies() if r.province == 51], table)
    out = tmp_path / "out"
    result = _run("scenario", "--trainees", "100", "--regencies", str(table), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"placed at the seats of {table}" in result.stdout
    assert len(balai.read_csv(out).regencies) == 9


def test_scenario_refuses_bad_options(tmp_path: Path) -> None:
    _assert_one_line_error(_run("scenario", "--trainees", "-5"), "trainees", "-5")
    _assert_one_line_error(
        _run("scenario", "--regencies", str(tmp_path / "none.csv")), "no such file"
    )


def test_console_script_entry_point() -> None:
    script = Path(sys.executable).with_name("balai")
    assert script.is_file()
    result = _run("--version", command=[str(script)])
    assert result.returncode == 0
    assert result.stdout.strip() == f"balai {balai.__version__}"


def test_help_lists_the_commands() -> None:
    result = _run("--help")
    assert result.returncode == 0
    for command in ["pilot", "provinces", "scenario", "summary", "xapi"]:
        assert command in result.stdout
    assert "--replications" in _run("pilot", "--help").stdout
    assert "--data DIR" in _run("summary", "--help").stdout


def test_summary_of_a_dataset_directory(dataset: Dataset, tmp_path: Path) -> None:
    balai.write_csv(dataset, tmp_path)
    result = _run("summary", "--data", str(tmp_path))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "3 regencies, 3 facilities, 3 modules, 3 trainees" in out
    assert "target: 5,000 to 10,000 trainees completing" in out
    uptd = next(line for line in out.splitlines() if line.startswith("uptd "))
    assert uptd.split() == ["uptd", "1", "120"]
    owners = next(line for line in out.splitlines() if line.startswith("umkm_owner "))
    assert owners.split() == ["umkm_owner", "1", "1", "0", "2"]
    assert "Jawa Timur" in out
    assert "rollout" in out


def test_summary_of_a_missing_directory(tmp_path: Path) -> None:
    _assert_one_line_error(_run("summary", "--data", str(tmp_path / "nowhere")), "nowhere")


def test_summary_of_a_bad_directory(dataset: Dataset, tmp_path: Path) -> None:
    balai.write_csv(dataset, tmp_path)
    path = tmp_path / "modules.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",16,", ",many,"), encoding="utf-8")
    _assert_one_line_error(_run("summary", "--data", str(tmp_path)), "modules.csv", "hours_jp")


def test_summary_with_many_problems_stays_on_one_line(dataset: Dataset, tmp_path: Path) -> None:
    balai.write_csv(dataset, tmp_path)
    path = tmp_path / "trainees.csv"
    text = path.read_text(encoding="utf-8").replace("REG-0002", "REG-0001")
    path.write_text(text.replace("REG-0003", "REG-0001"), encoding="utf-8")
    _assert_one_line_error(_run("summary", "--data", str(tmp_path)), "(and 1 more problem)")


@pytest.mark.parametrize(
    "arguments", [["pilot", "--sites", "x"], ["summary"], ["--objective", "nearest"]]
)
def test_bad_command_lines_exit_2(arguments: list[str]) -> None:
    result = _run(*arguments)
    assert result.returncode == 2
    assert "usage: balai" in result.stderr
    assert "Traceback" not in result.stderr


def _options(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.Action]]:
    """Every option taking a value, of each command: (command, action)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                for option in sub._actions:
                    if option.option_strings and option.nargs != 0:
                        yield name, option


def _bad_values(action: argparse.Action, folder: Path) -> list[str]:
    """Values of the option's kind that are out of range, not numbers or bad paths."""
    loop, binary = folder / "loop", folder / "binary"
    if not loop.is_symlink():
        loop.symlink_to(loop.name)
        binary.write_bytes(b"\xff\xfe\x00")
    by_type: dict[Any, list[str]] = {
        int: ["99999999999999999999", "-99999999999999999999", "x"],
        float: ["nan", "-inf", "1e400", "x"],
        Path: [str(folder / "nowhere"), str(loop), str(binary)],
    }
    return by_type.get(action.type, ["", "\u00e9\u00e9"])


def test_every_bad_option_value_is_one_error_line_never_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each option of each command given bad values: argparse's usage error (exit 2) or one
    `balai: error:` line (exit 1); any other exception escaping main() is a traceback."""
    walked = []
    for command, action in _options(cli._parser()):
        if action.dest in {"out", "help"}:
            continue  # any folder will do for --out
        small = ["--trainees", "20", "--space-requests", "0", "--quiet"]
        xapi = ["--plan", str(tmp_path), "--journal", str(tmp_path / "events.journal")]
        xapi += ["--base-iri", "https://x.example/run", "--home-page", "https://x.example"]
        rest = {"pilot": small, "scenario": ["--trainees", "20"], "summary": [], "xapi": xapi}[
            command
        ]
        if command == "summary" and action.dest != "data":
            rest = ["--data", str(tmp_path)]
        for value in _bad_values(action, tmp_path):
            arguments = [command, *rest, action.option_strings[0], value]
            arguments += ["--out", str(tmp_path / "out")] if command == "pilot" else []
            walked.append(" ".join(arguments))
            status: int | str | None
            try:
                status = cli.main(arguments)
            except SystemExit as exit:
                status = exit.code
            error = capsys.readouterr().err
            if status == 2:
                assert "error:" in error, arguments
            elif status == 1:
                assert len(error.splitlines()) == 1, (arguments, error)
                assert error.startswith("balai: error: "), (arguments, error)
            else:
                assert status == 0, (arguments, status, error)
    assert any("--seed -99999999999999999999" in call for call in walked)
    assert len(walked) > 50


def test_xapi_exports_a_journal_batch_after_batch(tmp_path: Path) -> None:
    folder = tmp_path / "plan"
    planned = _run(
        "pilot", "--trainees", "300", "--replications", "20", "--no-excel", "--quiet",
        "--out", str(folder),
    )  # fmt: skip
    assert planned.returncode == 0, planned.stderr
    dataset = balai.io.load_snapshot(folder / "dataset.snapshot")
    roster = balai.pilot.load_roster(folder / "plan.json", dataset)
    assert len(roster) > 0
    journal_path = tmp_path / "events.journal"
    start = 1_800_000_000

    def record(first: int, kind: balai.EventKind, count: int) -> None:
        with balai.Journal(journal_path, roster) as journal:
            journal.append(
                [
                    balai.Event(first + r, kind=kind, registration=r, time=start, actor="kiosk")
                    for r in range(count)
                ]
            )

    def export(*extra: str) -> tuple[list[Any], str]:
        out = tmp_path / "statements.json"
        result = _run(
            "xapi", "--plan", str(folder), "--journal", str(journal_path),
            "--base-iri", "https://pelatihan.example.go.id/xapi/2027",
            "--home-page", "https://registrasi.example.go.id", "--out", str(out), *extra,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return json.loads(out.read_text(encoding="utf-8")), result.stderr

    def verbs(statements: list[Any]) -> Counter[str]:
        return Counter(s["verb"]["id"].rsplit("/", 1)[-1] for s in statements)

    # Enrolment completes the orientation module (KWU-100: no attendance asked).
    record(1, balai.EventKind.enrolled, 5)
    statements, said = export()
    assert verbs(statements) == {"registered": 5, "completed": 5}
    assert "next time pass --since 5" in said
    # Two withdraw: their statements, and their completions restated on the withdrawal.
    record(100, balai.EventKind.withdrew, 2)
    statements, said = export("--since", "5")
    assert verbs(statements) == {"exited": 2, "voided": 2, "completed": 2}
    assert "--since 7" in said
    _assert_one_line_error(
        _run("xapi", "--plan", str(tmp_path), "--journal", str(journal_path),
             "--base-iri", "https://x.example", "--home-page", "https://x.example"),
        "plan.json",
    )  # fmt: skip
