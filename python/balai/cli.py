"""The ``balai`` command.

    balai                       the built-in data: the provinces and a national scenario
    balai provinces             the 38 provinces, totals per island group
    balai scenario [options]    generate a national scenario, summarise it, optionally save it
    balai summary --data DIR    a summary of a CSV dataset directory

Each subcommand is a function taking the parsed arguments and returning an exit code;
adding one is a parser and a function. Bad input is one line on stderr and exit code 1
(2 for a command line argparse rejects), never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from balai import Error, NikKey, ValidationError, __version__, io, scenario, summary

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
    if arguments.regencies is not None and not arguments.regencies.is_file():
        raise _UsageError(f"no such file: {arguments.regencies}")
    dataset = scenario.indonesia(
        seed=arguments.seed, trainees=arguments.trainees, regencies=arguments.regencies
    )
    placed = f"at the seats of {arguments.regencies}" if arguments.regencies else "around capitals"
    print(
        f"National scenario (seed {arguments.seed}, {arguments.trainees:,} trainees, "
        f"placed {placed})\n"
    )
    print(summary.dataset_text(dataset), end="")
    if arguments.out is not None:
        io.write_csv(dataset, arguments.out)
        print(f"\nWrote the scenario's tables to {arguments.out}")
    return 0


def _built_in(arguments: argparse.Namespace) -> int:
    _provinces(arguments)
    print()
    return _scenario(arguments)


def _add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=2027, help="the generator's seed (2027)")
    parser.add_argument(
        "--trainees", type=int, default=10_000, help="trainees to generate (10,000)"
    )
    parser.add_argument(
        "--regencies",
        type=Path,
        metavar="FILE",
        help="a regencies.csv to place facilities and trainees at regency seats",
    )
    parser.add_argument("--out", type=Path, metavar="DIR", help="write the tables as CSV here")


def _summary(arguments: argparse.Namespace) -> int:
    directory: Path = arguments.data
    if not directory.is_dir():
        raise _UsageError(f"no such directory: {directory}")
    nik_key = None
    if arguments.nik_key_file is not None:
        nik_key = NikKey(Path(arguments.nik_key_file).read_bytes())
    dataset = io.read_csv(directory, nik_key)
    print(f"Dataset in {directory}\n")
    print(summary.dataset_text(dataset), end="")
    return 0


class _UsageError(Exception):
    """Input the command refuses before handing it to balai."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="balai",
        description=(
            "Plan and track Indonesia's national entrepreneurship-training program. "
            "Without a command, prints the built-in province table and a summary of a "
            "generated national scenario."
        ),
    )
    parser.add_argument("--version", action="version", version=f"balai {__version__}")
    _add_scenario_arguments(parser)
    parser.set_defaults(run=_built_in)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

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
            "trainees.csv, program.csv, phases.csv; missing files are empty tables) and "
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
    return parser


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
    except (Error, OSError, _UsageError) as error:
        print(f"balai: error: {_one_line(error)}", file=sys.stderr)
        return 1
