"""docs/pilot.ipynb runs from top to bottom with the installed balai, so it never goes
stale: nbclient executes it in a fresh kernel of this interpreter."""

from __future__ import annotations

import os
from pathlib import Path

import nbclient
import nbformat
import pytest

_NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "pilot.ipynb"


@pytest.mark.slow
def test_the_pilot_notebook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Jupyter's own deprecation notice about its data directories is not ours to fix.
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(_NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()
    outputs = [output for cell in notebook.cells for output in cell.get("outputs", [])]
    assert not [output for output in outputs if output.get("output_type") == "error"]
    printed = "".join(output.get("text", "") for output in outputs)
    assert "Forecast" in printed
    assert "median completions" in printed
    assert "Shared space:" in printed
    assert "cancelled UMKM-REQ-" in printed
    assert os.listdir(tmp_path) == []  # the notebook writes only to its own temporary folder
