"""The examples in docs/python.md, docs/space.md and the README run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest


def test_python_examples_run(repository: Path) -> None:
    guide = (repository / "docs" / "python.md").read_text(encoding="utf-8")
    examples = re.findall(r"^```python\n(.*?)^```", guide, re.M | re.S)
    assert examples
    for example in examples:
        exec(compile(example, "docs/python.md", "exec"), {})


def test_readme_python_quickstart_runs(
    repository: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (repository / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"^```python\n(.*?)^```", readme, re.M | re.S)
    monkeypatch.chdir(tmp_path)
    exec(compile(example, "README.md", "exec"), {})
    assert (tmp_path / "out" / "scenario" / "trainees.csv").is_file()


def test_readme_cpp_quickstart_is_the_example_program(repository: Path) -> None:
    # examples/cpp/quickstart.cpp is built and run by ctest; the README shows it verbatim.
    readme = (repository / "README.md").read_text(encoding="utf-8")
    (snippet,) = re.findall(r"^```cpp\n(.*?)^```", readme, re.M | re.S)
    program = (repository / "examples" / "cpp" / "quickstart.cpp").read_text(encoding="utf-8")
    assert snippet.strip() in program


def test_space_guide_example_runs(repository: Path) -> None:
    guide = (repository / "docs" / "space.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"^```python\n(.*?)^```", guide, re.M | re.S)
    exec(compile(example, "docs/space.md", "exec"), {})
