"""One version number: include/balai/version.hpp, the C++ extension and the package."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import balai


def test_versions_agree(repository: Path) -> None:
    header = (repository / "include" / "balai" / "version.hpp").read_text(encoding="utf-8")
    match = re.search(r'^#define BALAI_VERSION_STRING "([0-9.]+)"$', header, re.M)
    assert match is not None
    assert balai.__version__ == match[1]
    assert balai._core.__version__ == match[1]
    assert importlib.metadata.version("balai") == match[1]
