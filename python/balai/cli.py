"""The ``balai`` command.

    balai                       the pilot plan of the built-in national scenario
    balai pilot [options]       plan a pilot: sites, allocation, timetable, forecast, shared
                                space, report
    balai provinces             the 38 provinces, totals per island group
    balai scenario [options]    generate a national scenario, summarise it, optionally save it
    balai summary --data DIR    a summary of a CSV dataset directory
    balai xapi --plan DIR --journal FILE --base-iri IRI --home-page URL [--since N]
                                a journal's events as xAPI statements for an LRS
    balai credentials issue|revoke|write --registry FILE --registry-key FILE ...
                                certificates of completion: issue them for a journal,
                                revoke one, write them as Open Badges with a status list

Each subcommand is a function taking the parsed arguments and returning an exit code;
adding one is a parser and a function. Bad input is one line on stderr and exit code 1
(2 for a command line argparse rejects), never a traceback; Ctrl-C is the one line
``balai: interrupted`` and exit code 130.

``balai pilot`` replaces its output folder as a whole (``balai.pilot.write_outputs``):
after a kill or Ctrl-C the folder holds the previous run's complete set of files or this
run's, never a mix, and the next run finishes or undoes a swap a kill interrupted. It
refuses, before planning, an output folder holding files it does not write.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from balai import (
    Dataset,
    Error,
    FacilityKind,
    NikKey,
    ValidationError,
    __version__,
    io,
    pilot,
    scenario,
    space,
    summary,
    write_xapi_statements,
)
from balai._cli_common import UsageError, add_journal_arguments, journal_ledger
from balai._cli_credentials import add_credentials_command

Command = Callable[[argparse.Namespace], int]


def _provinces(_: argparse.Namespace) -> int:
    table = summary.provinces_frame()[["code", "name", "capital", "time_zone", "population_2024"]]
    groups = summary.island_groups()
    number = "{:,}".format
    print("The 38 provinces of Indonesia (population: Dukcapil, second half of 2024)\n")
    print(table.to_string(index=False, formatters={"population_2024": number}))
    print("\nTotals per island group\n")
    print(
        groups.to_string(
            formatters={
                "provinces": number,
                "population_2024": number,
                "area_km2": "{:,.0f}".format,
            }
        )
    )
    return 0


def _scenario(arguments: argparse.Namespace) -> int:
    dataset = _national(arguments)
    placed = arguments.regencies or "the 514 regencies and cities"
    print(
        f"National scenario (seed {arguments.seed}, {arguments.trainees:,} trainees, "
        f"placed at the seats of {placed})\n"
    )
    print(summary.dataset_text(dataset), end="")
    if arguments.out is not None:
        io.write_csv(dataset, arguments.out)
        print(f"\nWrote the scenario's tables to {arguments.out}")
    return 0


def _pilot(arguments: argparse.Namespace) -> int:
    options = _pilot_options(arguments)  # before the dataset: a bad option fails at once
    dataset = _pilot_dataset(arguments)
    requests = space.SpaceScenarioOptions(seed=arguments.seed, requests=arguments.space_requests)
    pilot.check_output_folder(arguments.out)  # before the work: it could not be written
    plan = pilot.plan(dataset, options, progress=not arguments.quiet)
    lines = pilot.summary_lines(plan, dataset)
    shared = None
    if requests.requests > 0:
        shared = space.plan(dataset, plan.timetable, requests, progress=not arguments.quiet)
        lines += space.summary_lines(shared)
    width = max(len(label) for label, _ in lines)
    print(f"Pilot plan ({len(dataset.trainees):,} trainees)\n")
    for label, value in lines:
        print(f"  {label + ':':<{width + 1}} {value}")
    written = pilot.write_outputs(
        plan,
        dataset,
        arguments.out,
        report=not arguments.no_report,
        excel=not arguments.no_excel,
        shared=shared,
    )
    print(f"\nWrote {', '.join(path.name for path in written)} to {arguments.out}/")
    return 0


# The option that sets each field the options' checks may name, so that a refused value is
# reported as the command line gave it; the checks themselves stay balai's.
_OPTION_OF_FIELD = {
    "sites": "--sites",
    "radius_km": "--radius-km",
    "max_distance_km": "--max-distance",
    "min_sites_per_province": "--per-province",
    "class_min": "--class-min",
    "class_max": "--class-max",
    "replications": "--replications",
    "seed": "--forecast-seed",
}


def _pilot_options(arguments: argparse.Namespace) -> pilot.PilotOptions:
    """The pilot's options from the command line; a value the options refuse is a usage
    error naming the option and the value."""
    try:
        return _options_of(arguments)
    except ValidationError as error:
        problem = error.problems[0]
        field = problem.field.split("[", 1)[0]
        option = "--site-kinds" if field == "kinds" else _OPTION_OF_FIELD.get(field)
        if option is None:
            raise
        raise UsageError(f"{option} {problem.value}: {problem.message}") from None


def _options_of(arguments: argparse.Namespace) -> pilot.PilotOptions:
    defaults = pilot.PilotOptions()
    sites = {
        name: getattr(arguments, name)
        for name in ("objective", "sites", "radius_km")
        if getattr(arguments, name) is not None
    }
    if arguments.site_kinds is not None:
        sites["kinds"] = arguments.site_kinds
    allocation = defaults.allocation
    if arguments.max_distance_km is not None:
        # Checked first, so that a bad distance is named as --max-distance. Sites chosen for
        # trainees the allocation may not send there would be sites in name only: the
        # selection's reach follows the allocation's unless --radius-km says otherwise.
        allocation = allocation.replace(max_distance_km=arguments.max_distance_km)
        reach = allocation.max_distance_km
        sites = {"radius_km": reach, "max_distance_km": reach, **sites}
    return pilot.PilotOptions(
        sites=defaults.sites.replace(**sites),
        min_sites_per_province=arguments.per_province,
        allocation=allocation,
        timetable=defaults.timetable.replace(
            start=arguments.start,
            class_min=arguments.class_min,
            class_max=arguments.class_max,
            holidays=_holidays(arguments.holidays),
        ),
        forecast=defaults.forecast.replace(
            replications=arguments.replications, seed=arguments.forecast_seed
        ),
    )


def _kinds(text: str) -> list[str]:
    """The facility kinds in a comma-separated list; balai checks the names."""
    return [kind.strip() for kind in text.split(",")]


def _pilot_dataset(arguments: argparse.Namespace) -> Dataset:
    if arguments.data is not None:
        if not arguments.data.is_dir():
            raise UsageError(f"no such directory: {arguments.data}")
        return io.read_csv(arguments.data)
    return _national(arguments)


def _national(arguments: argparse.Namespace) -> Dataset:
    """The built-in national scenario: at the embedded regencies' seats, or at those of
    --regencies FILE."""
    if arguments.regencies is not None and not arguments.regencies.is_file():
        raise UsageError(f"no such file: {arguments.regencies}")
    return scenario.indonesia(
        seed=arguments.seed, trainees=arguments.trainees, regencies=arguments.regencies
    )


def _holidays(path: Path | None) -> list[dt.date] | None:
    """The dates in `path`, one ISO date per line (# comments and blank lines allowed)."""
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    days = []
    for number, line in enumerate(text.splitlines(), start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            days.append(dt.date.fromisoformat(text))
        except ValueError:
            raise UsageError(f"{path}:{number}: not a date (YYYY-MM-DD): {text!r}") from None
    return days


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _add_pilot_arguments(parser: argparse.ArgumentParser) -> None:
    data = parser.add_argument_group(
        "input", "a CSV dataset directory, or the built-in national scenario (the default)"
    )
    data.add_argument("--data", type=Path, metavar="DIR", help="read the dataset's CSV tables")
    _add_scenario_arguments(data, with_out=False)
    defaults = pilot.PilotOptions()
    sites = parser.add_argument_group(
        "site selection", "by default the central and regional BLK and the PLUT"
    )
    sites.add_argument(
        "--objective",
        choices=[o.name for o in pilot.SiteObjective],
        help=f"max_coverage (trainees within --radius-km) or p_median (total distance) "
        f"({defaults.sites.objective.name})",
    )
    sites.add_argument(
        "--site-kinds",
        type=_kinds,
        metavar="KIND,...",
        help=f"the kinds of facility that may be chosen, of "
        f"{', '.join(kind.name for kind in FacilityKind)} "
        f"({','.join(kind.name for kind in defaults.sites.kinds)})",
    )
    sites.add_argument(
        "--sites", type=int, metavar="N", help=f"facilities to open ({defaults.sites.sites:,})"
    )
    sites.add_argument(
        "--radius-km",
        type=float,
        metavar="KM",
        help=f"coverage radius in km (--max-distance when given, else "
        f"{defaults.sites.radius_km:g})",
    )
    sites.add_argument(
        "--per-province",
        type=int,
        default=defaults.min_sites_per_province,
        metavar="N",
        help=f"at least N sites in every province ({defaults.min_sites_per_province}; 0: none)",
    )
    placement = parser.add_argument_group("allocation and timetable")
    placement.add_argument(
        "--max-distance",
        "--max-distance-km",
        dest="max_distance_km",
        type=float,
        metavar="KM",
        help=f"longest trip to a site in km, for the allocation and the site selection's reach "
        f"({defaults.allocation.max_distance_km:g})",
    )
    placement.add_argument(
        "--start", type=_date, metavar="DATE", help="first day (default: the pilot phase's)"
    )
    timetable = defaults.timetable
    placement.add_argument(
        "--class-min",
        type=int,
        metavar="N",
        default=timetable.class_min,
        help=f"smallest class ({timetable.class_min})",
    )
    placement.add_argument(
        "--class-max",
        type=int,
        default=timetable.class_max,
        help=f"largest class ({timetable.class_max})",
    )
    placement.add_argument(
        "--holidays",
        type=Path,
        metavar="FILE",
        help="public holidays, one YYYY-MM-DD per line (default: the embedded national list)",
    )
    simulation = parser.add_argument_group("forecast")
    forecast = defaults.forecast
    simulation.add_argument(
        "--replications",
        type=int,
        default=forecast.replications,
        help=f"simulated runs ({forecast.replications:,})",
    )
    simulation.add_argument(
        "--forecast-seed",
        type=int,
        default=forecast.seed,
        help=f"the simulation's seed ({forecast.seed})",
    )
    shared = parser.add_argument_group("shared space")
    shared.add_argument(
        "--space-requests",
        type=int,
        default=space.SpaceScenarioOptions().requests,
        metavar="N",
        help="UMKM requests for the facilities' free capacity, drawn with --seed "
        f"({space.SpaceScenarioOptions().requests:,}; 0: no shared space)",
    )
    output = parser.add_argument_group("output")
    output.add_argument(
        "--out",
        type=Path,
        default=Path("balai-pilot"),
        metavar="DIR",
        help="the output folder (balai-pilot), replaced as a whole; it may hold only "
        "files balai pilot writes",
    )
    output.add_argument("--no-report", action="store_true", help="skip report.html")
    output.add_argument(
        "--no-excel", action="store_true", help="skip pilot.xlsx (slow for a million trainees)"
    )
    output.add_argument("--quiet", action="store_true", help="no progress bars")


def _add_scenario_arguments(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup, *, with_out: bool = True
) -> None:
    parser.add_argument("--seed", type=int, default=2027, help="the generator's seed (2027)")
    parser.add_argument(
        "--trainees", type=int, default=10_000, help="trainees to generate (10,000)"
    )
    parser.add_argument(
        "--regencies",
        type=Path,
        metavar="FILE",
        help=(
            "a regencies.csv whose seats replace the built-in 514 regencies and cities "
            "as the places of facilities and trainees"
        ),
    )
    if with_out:
        parser.add_argument("--out", type=Path, metavar="DIR", help="write the tables as CSV here")


def _summary(arguments: argparse.Namespace) -> int:
    directory: Path = arguments.data
    if not directory.is_dir():
        raise UsageError(f"no such directory: {directory}")
    nik_key = None
    if arguments.nik_key_file is not None:
        nik_key = NikKey(Path(arguments.nik_key_file).read_bytes())
    dataset = io.read_csv(directory, nik_key)
    print(f"Dataset in {directory}\n")
    print(summary.dataset_text(dataset), end="")
    return 0


def _xapi(arguments: argparse.Namespace) -> int:
    """Exports a journal's events as xAPI statements; says the position to pass as
    --since next time."""
    ledger = journal_ledger(arguments.plan, arguments.journal)
    options = {
        "base_iri": arguments.base_iri,
        "home_page": arguments.home_page,
        "language": arguments.language,
        "since": arguments.since,
        "batch": arguments.batch,
    }
    if str(arguments.out) == "-":
        position = write_xapi_statements(ledger, sys.stdout, **options)
        sys.stdout.write("\n")
    else:
        position = write_xapi_statements(ledger, arguments.out, **options)
    print(
        f"balai: xAPI statements of events {arguments.since:,} to {position:,} written; "
        f"next time pass --since {position}",
        file=sys.stderr,
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="balai",
        description=(
            "Plan and track Indonesia's national entrepreneurship-training program. "
            "Without a command, plans the pilot of the built-in national scenario "
            "(balai pilot with its defaults)."
        ),
    )
    parser.add_argument("--version", action="version", version=f"balai {__version__}")
    _add_pilot_arguments(parser)
    parser.set_defaults(run=_pilot)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    pilot_parser = commands.add_parser(
        "pilot",
        help="plan a pilot: sites, allocation, timetable, forecast and report",
        description=(
            "Chooses the pilot's sites, allocates the trainees among them, timetables the "
            "classes in the pilot window and forecasts completions against the program's "
            "target with a Monte Carlo simulation; prints a summary and writes CSVs, the "
            "plan snapshot (plan.json), the input (dataset.snapshot) and a self-contained "
            "report.html to --out. The folder is replaced as a whole: after a kill or "
            "Ctrl-C it holds the previous run's files or this run's, never a mix, and a "
            "folder holding other files is refused."
        ),
    )
    _add_pilot_arguments(pilot_parser)
    pilot_parser.set_defaults(run=_pilot)

    provinces = commands.add_parser(
        "provinces",
        help="the 38 provinces with totals per island group",
        description="Prints the 38-province table and totals per island group.",
    )
    provinces.set_defaults(run=_provinces)

    scenario_parser = commands.add_parser(
        "scenario",
        help="generate a national scenario and summarise it",
        description=(
            "Generates the built-in national scenario (facilities, module catalog, trainees, "
            "program) for a seed and prints counts by facility kind and province, seats, "
            "trainees by track and UMKM class; --out also writes its CSV tables."
        ),
    )
    _add_scenario_arguments(scenario_parser)
    scenario_parser.set_defaults(run=_scenario)

    summary_parser = commands.add_parser(
        "summary",
        help="summarise a CSV dataset directory",
        description=(
            "Reads a dataset directory (regencies.csv, facilities.csv, modules.csv, "
            "trainees.csv, program.csv, phases.csv; missing files but trainees.csv are "
            "empty tables) and "
            "prints counts by facility kind and province, seats, modules, trainees by "
            "track and UMKM class, and the program's target and phases."
        ),
    )
    summary_parser.add_argument(
        "--data", type=Path, required=True, metavar="DIR", help="the dataset directory"
    )
    summary_parser.add_argument(
        "--nik-key-file",
        metavar="FILE",
        help="the program's NIK key (at least 16 bytes), needed if trainees.csv has clear NIKs",
    )
    summary_parser.set_defaults(run=_summary)
    _add_xapi_command(commands)
    add_credentials_command(commands)
    return parser


def _add_xapi_command(commands: Any) -> None:
    xapi = commands.add_parser(
        "xapi",
        help="export a journal's events as xAPI statements for an LRS",
        description=(
            "Reads the events a journal recorded for a planned pilot (--plan: the folder "
            "balai pilot wrote, for its roster) and writes them as one JSON array of xAPI "
            "1.0.3 statements, in bounded memory (docs/exports.md). With --since, only what "
            "changed after an earlier export, voids of completions that no longer hold "
            "included; the command ends by printing the --since to pass next time."
        ),
    )
    add_journal_arguments(xapi)
    xapi.add_argument("--base-iri", required=True, metavar="IRI", help="one per program run")
    xapi.add_argument(
        "--home-page", required=True, metavar="URL", help="the registration system's address"
    )
    xapi.add_argument("--language", default="id-ID", help="of activity names (default id-ID)")
    xapi.add_argument(
        "--since", type=int, default=0, metavar="N", help="the position an earlier export printed"
    )
    xapi.add_argument(
        "--batch", type=int, default=10_000, metavar="N", help="statements in memory at once"
    )
    xapi.add_argument(
        "--out", type=Path, default=Path("-"), metavar="FILE", help="the file (default: stdout)"
    )
    xapi.set_defaults(run=_xapi)


def _one_line(error: Exception) -> str:
    if isinstance(error, ValidationError) and len(error.problems) > 1:
        more = len(error.problems) - 1
        return f"{error.problems[0]} (and {more} more problem{'s' if more > 1 else ''})"
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line `argv` (sys.argv[1:] by default); returns the exit code."""
    arguments = _parser().parse_args(argv)
    run: Command = arguments.run
    try:
        return run(arguments)
    except (Error, OSError, UsageError) as error:
        print(f"balai: error: {_one_line(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("balai: interrupted", file=sys.stderr)
        return 130
