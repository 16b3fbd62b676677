"""One error style for every bound function, method and constructor of balai._core,
checked mechanically: each is called with its documented signature, every other argument
a plausible value of its type, and one argument replaced by a bad value.

- an integer past any C++ integer's range (2**70, -2**70) is a ValidationError naming the
  argument and its exact value;
- NaN, infinities and huge floats are a balai.Error or accepted, never another exception;
- a value of the wrong Python type is a TypeError (values, functions) or a balai.Error
  (options checked field by field), as docs/errors.md states; never anything else.

The signatures come from pybind11's docstrings, so a newly bound function is walked
without anyone listing it here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import inspect
import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import balai
from balai import _core, pilot, scenario, space

INT = "typing.SupportsIndex"
FLOAT = "typing.SupportsFloat | typing.SupportsIndex"
HUGE_INTS = [2**70, -(2**70)]
BAD_FLOATS = [math.nan, math.inf, -math.inf, 1e308 * 10]
WRONG_TYPE = object()


@dataclasses.dataclass(frozen=True)
class Parameter:
    name: str
    annotation: str
    has_default: bool


@dataclasses.dataclass(frozen=True)
class Overload:
    """One signature of one bound callable: `owner` is the class for methods and
    constructors (None for module functions)."""

    label: str
    function: Callable[..., Any]
    owner: type | None
    parameters: tuple[Parameter, ...]


def _split_top_level(text: str) -> list[str]:
    """`text` split at the commas outside brackets."""
    parts, depth, current = [], 0, ""
    for char in text:
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current.strip())
    return parts


_SIGNATURE = re.compile(r"^(?:\d+\. )?(\w+)\((.*)\) -> .*$")


def _annotation(annotation: str, default: str) -> str:
    """The type of a parameter: its annotation, or for one taken as any `object` (options
    that check their fields one by one) the type of its default value."""
    if annotation != "object":
        return annotation
    if re.fullmatch(r"-?\d+", default):
        return INT
    if re.fullmatch(r"-?\d+\.\d*(e[-+]?\d+)?", default):
        return FLOAT
    return annotation


def _parameters(inside: str) -> tuple[Parameter, ...] | None:
    """The parameters of a signature's parentheses; None for *args/**kwargs signatures,
    which say nothing of their arguments' types."""
    parameters = []
    for part in _split_top_level(inside):
        if part == "*":
            continue
        if part.startswith("*"):
            return None
        name, _, rest = part.partition(":")
        annotation, equals, default = rest.partition(" = ")
        parameters.append(
            Parameter(name.strip(), _annotation(annotation.strip(), default), bool(equals))
        )
    return tuple(parameters)


def _overloads_of(
    function: Callable[..., Any], label: str, owner: type | None
) -> Iterator[Overload]:
    for line in (function.__doc__ or "").splitlines():
        match = _SIGNATURE.match(line.strip())
        if match is None:
            continue
        parameters = _parameters(match.group(2))
        if parameters is not None:
            yield Overload(label, function, owner, parameters)


def _is_bound(value: Any) -> bool:
    return type(value).__name__ in {"builtin_function_or_method", "instancemethod"} or (
        callable(value) and "pybind11" in type(value).__name__
    )


def overloads() -> list[Overload]:
    """Every signature of every function, method and constructor _core binds."""
    found: list[Overload] = []
    for name, value in vars(_core).items():
        if isinstance(value, type) and value.__module__.startswith("balai"):
            for member_name, member in vars(value).items():
                if member_name.startswith("__") and member_name != "__init__":
                    continue
                function = getattr(value, member_name)
                if callable(function) and not isinstance(member, property):
                    label = f"{name}()" if member_name == "__init__" else f"{name}.{member_name}()"
                    found += _overloads_of(function, label, value)
        elif callable(value) and not isinstance(value, type):
            found += _overloads_of(value, f"{name}()", None)
    return found


# ---- plausible values of each type --------------------------------------------------


class Samples:
    """A plausible value for each annotation of the signatures: Python's own types, and
    one instance of each balai type the fixtures make."""

    def __init__(self, objects: list[Any], folder: Path) -> None:
        self.by_type = {type(o).__name__: o for o in objects}
        self.folder = folder

    def value(self, annotation: str) -> Any:
        """A value of `annotation`, or KeyError when there is none at hand."""
        if annotation.endswith(" | None"):
            return None
        base = annotation.split("[", 1)[0]
        simple: dict[str, Any] = {
            INT: 1,
            "int": 1,
            FLOAT: 1.0,
            "float": 1.0,
            "bool": True,
            "str": "x",
            "bytes": b"k" * 32,
            "datetime.date": dt.date(2027, 1, 4),
            "os.PathLike": str(self.folder / "file"),
            "object": None,
            "typing.Any": None,
            "collections.abc.Sequence": [],
            "collections.abc.Iterable": [],
            "list": [],
            "tuple": (),
            "dict": {},
            "collections.abc.Mapping": {},
        }
        if annotation.startswith("typing.Annotated[numpy.typing.ArrayLike, numpy."):
            return np.zeros(0, dtype=annotation.rsplit(".", 1)[-1].rstrip("]"))
        if annotation in simple:
            return simple[annotation]
        if base in simple:
            return simple[base]
        if annotation.startswith(("str | os.PathLike", "os.PathLike")):
            return str(self.folder / "file")
        name = annotation.rsplit(".", 1)[-1]
        kind = getattr(_core, name, None)
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return next(iter(kind))
        return self.by_type[name]


def _arguments(
    overload: Overload, samples: Samples, replaced: str, bad: Any
) -> tuple[list[Any], dict[str, Any]] | None:
    """The call's arguments with `replaced` set to `bad`; None when some required
    argument has no plausible value."""
    positional: list[Any] = []
    keywords: dict[str, Any] = {}
    for parameter in overload.parameters:
        if parameter.name == "self":
            if overload.function.__name__ == "__init__":
                continue
            try:
                positional.append(samples.by_type[overload.owner.__name__])  # type: ignore[union-attr]
            except KeyError:
                return None
            continue
        if parameter.name == replaced:
            value = bad
        elif parameter.has_default:
            continue
        else:
            try:
                value = samples.value(parameter.annotation)
            except KeyError:
                return None
        # By name, so that leaving out an argument with a default shifts none of the others;
        # pybind11 names an argument bound without a name argN, and takes it by position.
        if re.fullmatch(r"arg\d+", parameter.name):
            positional.append(value)
        else:
            keywords[parameter.name] = value
    return positional, keywords


def _call(overload: Overload, arguments: tuple[list[Any], dict[str, Any]]) -> Any:
    positional, keywords = arguments
    if overload.function.__name__ == "__init__":
        assert overload.owner is not None
        return overload.owner(*positional, **keywords)
    return overload.function(*positional, **keywords)


@pytest.fixture
def samples(
    dataset: balai.Dataset,
    roster: balai.Roster,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Samples:
    monkeypatch.chdir(tmp_path)  # whatever a call writes lands here
    core = dataset._data
    ledger = balai.Ledger(roster)
    event = balai.Event(
        1, kind=balai.EventKind.enrolled, registration=0, time=1799020800, actor="kiosk"
    )
    objects = [
        core,
        roster,
        ledger,
        event,
        ledger.statuses(1799020800),
        dataset.facilities[0],
        dataset.modules[0],
        dataset.trainees[0],
        dataset.regencies[0],
        dataset.program,
        balai.GeoPoint(-6.9, 107.6),
        balai.DateRange(dt.date(2027, 1, 4), dt.date(2027, 2, 4)),
        balai.NikKey(b"k" * 32),
        balai.AllocationOptions(),
        pilot.SiteSelectionOptions(),
        pilot.TimetableOptions(),
        pilot.ForecastOptions(),
        pilot.PilotOptions(),
        scenario.ScenarioOptions(),
    ]
    plan = pilot.plan(dataset, progress=False)
    inventory = space.SpaceInventory(
        start=dt.date(2027, 1, 4),
        weeks=3,
        sites=[
            space.SpaceSite(
                facility="UPTD-3273-001",
                kind="uptd",
                location=balai.GeoPoint(-6.9, 107.6),
                province=32,
            )
        ],
        resources=[space.Resource(site=0, kind="storage", capacity=[50] * 3)],
    )
    objects += [
        plan.sites,
        plan.allocation,
        plan.timetable,
        plan.forecast,
        dataset.trainees[0].sector,
        inventory,
        space.SpaceBook(inventory),
    ]
    return Samples(objects, tmp_path)


@dataclasses.dataclass
class Walk:
    checked: list[str] = dataclasses.field(default_factory=list)
    wrong: list[str] = dataclasses.field(default_factory=list)


def _walk(
    samples: Samples,
    annotations: set[str],
    bad_values: list[Any],
    judge: Callable[[BaseException | None, Overload, Parameter, Any], str | None],
) -> Walk:
    """Calls every overload with each of `bad_values` in each parameter of `annotations`;
    `judge` says what is wrong with the outcome (None: nothing)."""
    walk = Walk()
    for overload in overloads():
        for parameter in overload.parameters:
            optional = parameter.annotation.removesuffix(" | None")
            if optional not in annotations or parameter.name == "self":
                continue
            for bad in bad_values:
                arguments = _arguments(overload, samples, parameter.name, bad)
                if arguments is None:
                    continue
                walk.checked.append(f"{overload.label} {parameter.name}")
                try:
                    _call(overload, arguments)
                    outcome: BaseException | None = None
                except Exception as error:
                    outcome = error
                fault = judge(outcome, overload, parameter, bad)
                if fault is not None:
                    walk.wrong.append(f"{overload.label} {parameter.name}={bad!r}: {fault}")
    return walk


def test_the_walk_finds_the_bound_functions() -> None:
    labels = {overload.label for overload in overloads()}
    for expected in ["Event()", "Ledger.statuses()", "Facility()", "read_csv()", "Journal()"]:
        assert expected in labels
    assert len(labels) > 150


def test_every_integer_argument_past_its_range_is_a_validation_error_naming_it(
    samples: Samples,
) -> None:
    def judge(
        outcome: BaseException | None, overload: Overload, parameter: Parameter, bad: Any
    ) -> str | None:
        if not isinstance(outcome, balai.ValidationError):
            return f"{type(outcome).__name__}: {outcome}"
        fields = [problem.field for problem in outcome.problems]
        if not any(field.split("[")[0] == parameter.name for field in fields):
            return f"names {fields}, not {parameter.name}"
        if str(bad) not in str(outcome):
            return f"does not print the value exactly: {outcome}"
        return None

    walk = _walk(samples, {INT, "int"}, HUGE_INTS, judge)
    for covered in [
        "Event() id",
        "Ledger.statuses() as_of",
        "CertificateRegistry() validity_days",
        "Facility() seats",
        "ScenarioOptions() trainees",
        "PilotOptions() min_sites_per_province",
        "SpaceBook.change() amount",
    ]:
        assert covered in walk.checked, covered
    assert len(walk.checked) > 100
    assert walk.wrong == []


def test_nan_and_infinite_floats_are_refused_or_accepted_never_anything_else(
    samples: Samples,
) -> None:
    def judge(
        outcome: BaseException | None, overload: Overload, parameter: Parameter, bad: Any
    ) -> str | None:
        if outcome is None or isinstance(outcome, balai.Error):
            return None
        return f"{type(outcome).__name__}: {outcome}"

    walk = _walk(samples, {FLOAT, "float"}, BAD_FLOATS, judge)
    assert "Event() score" in walk.checked
    assert len(walk.checked) > 30
    assert walk.wrong == []


@pytest.mark.parametrize("annotation", [INT, FLOAT, "str", "datetime.date"])
def test_a_wrong_python_type_is_a_type_error_or_a_balai_error(
    samples: Samples, annotation: str
) -> None:
    def judge(
        outcome: BaseException | None, overload: Overload, parameter: Parameter, bad: Any
    ) -> str | None:
        if overload.label.endswith("Options()"):
            # Options check field by field: the field's name, not pybind11's signature.
            if isinstance(outcome, balai.ValidationError) and parameter.name in str(outcome):
                return None
        elif isinstance(outcome, (TypeError, balai.Error)):
            return None
        return f"{type(outcome).__name__}: {outcome}"

    walk = _walk(samples, {annotation}, [WRONG_TYPE, "7" if annotation != "str" else 7], judge)
    assert walk.checked
    if annotation == INT:
        assert "ScenarioOptions() trainees" in walk.checked
        assert "PilotOptions() max_rounds" in walk.checked
    assert walk.wrong == []


# ---- the public Python modules -----------------------------------------------------------

PUBLIC_MODULES = (balai, pilot, space, scenario, balai.io, balai.tracking, balai.allocation)


def python_functions() -> list[tuple[str, Callable[..., Any]]]:
    """Every public function the Python modules define, once each."""
    found: dict[Callable[..., Any], str] = {}
    for module in PUBLIC_MODULES:
        for name in getattr(module, "__all__", [n for n in dir(module) if not n.startswith("_")]):
            function = getattr(module, name, None)
            if inspect.isfunction(function) and function.__module__.startswith("balai"):
                found.setdefault(function, f"{function.__module__}.{name}()")
    return [(label, function) for function, label in found.items()]


def test_python_functions_refuse_integers_past_range_naming_the_argument(
    samples: Samples, dataset: balai.Dataset
) -> None:
    """The Python layer hands its integers to C++, so the same rule holds there: the walk
    calls each public function with an int parameter, its other required parameters
    plausible values of their types."""
    samples.by_type.update(Dataset=dataset, date=dt.date(2027, 1, 4))
    checked, accepted, wrong = [], [], []
    for label, function in python_functions():
        # The annotations as written (the modules use `from __future__ import annotations`):
        # resolving them would need the names imported only for type checkers.
        hints = {name: str(hint) for name, hint in function.__annotations__.items()}
        parameters = inspect.signature(function).parameters.values()
        for parameter in parameters:
            if hints.get(parameter.name) not in ("int", "int | None"):
                continue
            arguments: dict[str, Any] = {}
            for other in parameters:
                required = other.default is inspect.Parameter.empty and other.kind not in (
                    inspect.Parameter.VAR_POSITIONAL,
                    inspect.Parameter.VAR_KEYWORD,
                )
                if other is not parameter and required:
                    arguments[other.name] = samples.by_type.get(
                        hints.get(other.name, "").rsplit(".", 1)[-1]
                    )
            for bad in HUGE_INTS:
                checked.append(f"{label} {parameter.name}")
                try:
                    # Accepted only where no C++ field takes it (a plot's sampling cap).
                    function(**{**arguments, parameter.name: bad})
                    accepted.append(f"{label} {parameter.name}")
                except balai.ValidationError as error:
                    if parameter.name not in str(error) or str(bad) not in str(error):
                        wrong.append(f"{label} {parameter.name}={bad}: {error}")
                except Exception as error:
                    wrong.append(f"{label} {parameter.name}={bad}: {type(error).__name__}: {error}")
    assert "balai.allocation.allocate() k" in checked
    assert "balai.scenario.tiny_scenario() seed" in checked
    assert "balai.allocation.allocate() k" not in accepted
    assert "balai.scenario.tiny_scenario() seed" not in accepted
    assert wrong == []
