"""A ledger's xAPI 1.0.3 statements for a Learning Record Store, streamed: in batches to
post one at a time, or into a file, with memory bounded by the batch rather than the
ledger (docs/exports.md). ``balai.xapi_statements`` gives the whole export as one string.

Incremental export: every export covers the events recorded when it starts and says how
many (``XapiExport.position``, also what ``write_xapi_statements`` returns); the next
export with ``since=`` that number sends only what changed, voids included."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import IO

from balai import _core
from balai._core import Ledger, Problem, XapiExport, XapiOptions

PathLike = str | os.PathLike[str]

#: Statements per batch unless told: about 10 MB of JSON, and under an LRS's usual limits.
DEFAULT_BATCH = 10_000


def xapi_batches(
    ledger: Ledger,
    *,
    base_iri: str,
    home_page: str,
    language: str = "id-ID",
    as_of: int | None = None,
    events: bool = True,
    completions: bool = True,
    since: int = 0,
    batch: int = DEFAULT_BATCH,
) -> Iterator[str]:
    """The statements as JSON arrays of at most `batch` statements each, ready to POST to
    an LRS's statements resource. ValidationError for bad options, before the first."""
    export = _export(
        "xapi_batches", ledger, batch, base_iri, home_page, language, as_of, events, completions,
        since,
    )  # fmt: skip
    return _batches(export, batch)


def _batches(export: XapiExport, batch: int) -> Iterator[str]:
    while (text := export.next_batch(batch)) is not None:
        yield text


def write_xapi_statements(
    ledger: Ledger,
    target: PathLike | IO[str],
    *,
    base_iri: str,
    home_page: str,
    language: str = "id-ID",
    as_of: int | None = None,
    events: bool = True,
    completions: bool = True,
    since: int = 0,
    batch: int = DEFAULT_BATCH,
) -> int:
    """Writes the statements as one JSON array into `target`, a path (written whole or
    not at all: into a temporary file renamed at the end) or an open text file, holding
    at most `batch` statements in memory at once. Returns the export's position: the
    `since` of the next incremental export."""
    export = _export(
        "write_xapi_statements", ledger, batch, base_iri, home_page, language, as_of, events,
        completions, since,
    )  # fmt: skip
    if not isinstance(target, str | os.PathLike):
        _write_array(export, batch, target)
        return export.position
    path = os.fspath(target)
    partial = f"{path}.partial"
    try:
        with open(partial, "w", encoding="utf-8") as out:
            _write_array(export, batch, out)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return export.position


def _export(
    where: str,
    ledger: Ledger,
    batch: int,
    base_iri: str,
    home_page: str,
    language: str,
    as_of: int | None,
    events: bool,
    completions: bool,
    since: int,
) -> XapiExport:
    """The export both functions stream, its batch and options checked first."""
    _check_batch(batch, where)
    options = XapiOptions(
        base_iri=base_iri,
        home_page=home_page,
        language=language,
        as_of=as_of,
        events=events,
        completions=completions,
        since=since,
    )
    return XapiExport(ledger, options)


def _check_batch(batch: int, where: str) -> None:
    # Checked here, before any statement is made: a batch is a count of statements.
    if not 1 <= batch <= 2**31:
        problem = Problem(
            where=where, field="batch", value=str(batch), message="must be from 1 to 2**31"
        )
        raise _core._validation_error([problem])


def _write_array(export: XapiExport, batch: int, out: IO[str]) -> None:
    out.write("[")
    for n, text in enumerate(_batches(export, batch)):
        if n > 0:
            out.write(",")
        out.write(text[1:-1])
    out.write("]")
