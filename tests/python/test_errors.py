"""The exception hierarchy: every balai error is a balai.Error and the closest built-in."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import balai
from balai import GeoPoint, Problem


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (balai.ValidationError, ValueError),
        (balai.UnknownReferenceError, KeyError),
        (balai.ParseError, ValueError),
        (balai.FormatError, ValueError),
        (balai.ConflictError, ValueError),
        (balai.InfeasibleError, RuntimeError),
    ],
)
def test_each_error_is_a_balai_error_and_a_builtin(
    error: type[Exception], builtin: type[Exception]
) -> None:
    assert issubclass(error, balai.Error)
    assert issubclass(error, builtin)
    assert error.__module__ == "balai"


def test_base_error_is_an_exception_only() -> None:
    assert issubclass(balai.Error, Exception)
    assert not issubclass(balai.Error, ValueError)


def test_validation_error_caught_both_ways_with_the_cpp_message() -> None:
    with pytest.raises(ValueError, match=r"lat = '91': must be a finite number") as caught:
        GeoPoint(91.0, 0.0)
    assert isinstance(caught.value, balai.Error)
    assert str(caught.value) == ("lat = '91': must be a finite number of degrees in [-90, 90]")


def test_validation_error_lists_every_problem() -> None:
    with pytest.raises(balai.ValidationError) as caught:
        balai.Module("bad code", title="", hours_jp=0)
    fields = [problem.field for problem in caught.value.problems]
    assert fields == ["code", "title", "hours_jp"]
    assert str(caught.value).startswith("3 problems:")
    assert caught.value.problems[2] == Problem(
        where="module bad code",
        field="hours_jp",
        value="0",
        message="must be between 1 and 2000 lessons",
    )


def test_unknown_reference_error_reads_well_and_carries_kind_and_key() -> None:
    with pytest.raises(KeyError) as caught:
        balai.province(99)
    error = caught.value
    assert isinstance(error, balai.UnknownReferenceError)
    assert str(error) == "unknown province '99'"  # not the quoted KeyError form
    assert (error.kind, error.key) == ("province", "99")


def test_parse_error_locates_the_cell(tmp_path: Path) -> None:
    path = tmp_path / "modules.csv"
    path.write_text(
        "code,title,hours_jp,min_attendance,move_on\nENT-1,Dasar,lots,0.8,completed\n",
        encoding="utf-8",
    )
    with pytest.raises(balai.ParseError) as caught:
        balai.read_modules(path)
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.file, error.line, error.column, error.field) == (str(path), 2, 3, "hours_jp")
    assert str(error).startswith(f"{path}:2:3:")


def test_format_error_for_bytes_that_are_no_snapshot() -> None:
    with pytest.raises(balai.FormatError):
        balai.from_snapshot_bytes(b"not a snapshot")


def test_python_code_can_raise_a_validation_error_with_problems() -> None:
    problem = Problem(where="facilities row 2", field="lat", value="x", message="not a number")
    error = balai._core._validation_error([problem])
    assert isinstance(error, balai.ValidationError)
    assert error.problems == (problem,)
    assert str(error) == "facilities row 2: lat = 'x': not a number"
    with pytest.raises(ValueError, match="needs a problem"):
        balai._core._validation_error([])


def test_errors_pickle_with_their_attributes() -> None:
    with pytest.raises(balai.ValidationError) as caught:
        GeoPoint(0.0, 200.0)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is balai.ValidationError
    assert str(copy) == str(caught.value)
    assert copy.problems == caught.value.problems


def test_problem_value_semantics(namespace: dict[str, object]) -> None:
    problem = Problem(where="w", field="f", value="v'", message="m")
    assert str(problem) == "w: f = 'v'': m"
    assert eval(repr(problem), namespace) == problem
    assert pickle.loads(pickle.dumps(problem)) == problem
    assert problem != Problem(where="w", field="f", value="v", message="m")
