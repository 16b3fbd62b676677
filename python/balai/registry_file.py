"""A certificate registry kept in a CSV file between runs, as ``balai credentials`` keeps it
(docs/exports.md, "The registry file"): one line per record in the order of issue, with the
certificate's fields, its revocation and its seal. Nothing in it is secret; the key that
makes the codes and seals stays with the caller.

Reading checks each line's form (an error names the file, the line and the column) and
then the whole chain of seals under the key, as the restoring CertificateRegistry does;
with the registry's last seal, kept apart from the file, it also proves that no newest
record was dropped. Writing replaces the file whole (a temporary file synced and renamed).
:func:`open_registry` holds the file's lock while a registry read from it changes, and
writes it back only if the change finished.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

from balai import _core
from balai._core import Certificate, CertificateRecord, CertificateRegistry, Revocation
from balai._files import file_errors, locked, write_atomically

PathLike = str | os.PathLike[str]

COLUMNS = (
    "serial", "registration", "trainee", "program", "completed_on", "issue", "issued_at",
    "valid_from", "valid_until", "verification_code", "revoked_at", "revocation_reason", "seal",
)  # fmt: skip
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # RFC 3339 in UTC, to the second: the instants exactly


def _time_text(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime(_TIME_FORMAT)


def _row(record: CertificateRecord) -> list[str]:
    certificate, revocation = record.certificate, record.revocation
    return [
        certificate.serial,
        certificate.registration,
        certificate.trainee,
        certificate.program,
        certificate.completed_on.isoformat(),
        str(certificate.issue),
        _time_text(certificate.issued_at),
        _time_text(certificate.valid_from),
        _time_text(certificate.valid_until),
        certificate.verification_code,
        _time_text(revocation.time) if revocation else "",
        revocation.reason if revocation else "",
        record.seal,
    ]


@file_errors
def write_registry(registry: CertificateRegistry, path: PathLike) -> None:
    """Writes the registry's records to `path`, replacing the file whole."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_row(record) for record in registry.records())
    write_atomically(Path(path), text.getvalue().encode("utf-8"))


class _Line:
    """One line of the file being read, turning its fields into values or into a
    ValidationError naming the file, the line and the column."""

    def __init__(self, path: Path, number: int, fields: dict[str, str]):
        self.where = f"{path}:{number}"
        self.fields = fields

    @classmethod
    def of_row(cls, path: Path, number: int, row: list[str]) -> _Line:
        if len(row) != len(COLUMNS):
            cls(path, number, {"columns": str(len(row))}).refuse(
                "columns", f"expected {len(COLUMNS)} fields"
            )
        return cls(path, number, dict(zip(COLUMNS, row, strict=True)))

    def refuse(self, column: str, message: str) -> NoReturn:
        value = self.fields.get(column, "")
        problem = _core.Problem(where=self.where, field=column, value=value, message=message)
        raise _core._validation_error([problem])

    def text(self, column: str) -> str:
        return self.fields[column]

    def integer(self, column: str) -> int:
        text = self.fields[column]
        if not (text.isascii() and text.isdigit() and len(text) <= 9):
            self.refuse(column, "expected a whole number below 10^9")
        return int(text)

    # Times and dates are read only in the one form write_registry gives them, so that a
    # file read and written again is the same file.
    def time(self, column: str) -> int:
        text = self.fields[column]
        try:
            moment = dt.datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            moment = None
        if moment is None or _time_text(int(moment.timestamp())) != text:
            self.refuse(column, "expected a UTC time as YYYY-MM-DDThh:mm:ssZ")
        return int(moment.timestamp())

    def date(self, column: str) -> dt.date:
        text = self.fields[column]
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            day = None
        if day is None or day.isoformat() != text:
            self.refuse(column, "expected a date as YYYY-MM-DD")
        return day

    def record(self) -> CertificateRecord:
        """The line's record; a ValidationError of Certificate or Revocation (their own
        checks of form) names this line too."""
        try:
            return self._record()
        except _core.ValidationError as error:
            problems = [
                _core.Problem(where=self.where, field=p.field, value=p.value, message=p.message)
                for p in error.problems
            ]
            raise _core._validation_error(problems) from None

    def _record(self) -> CertificateRecord:
        certificate = Certificate(
            serial=self.text("serial"),
            registration=self.text("registration"),
            trainee=self.text("trainee"),
            program=self.text("program"),
            completed_on=self.date("completed_on"),
            issue=self.integer("issue"),
            issued_at=self.time("issued_at"),
            valid_from=self.time("valid_from"),
            valid_until=self.time("valid_until"),
            verification_code=self.text("verification_code"),
        )
        revocation = None
        if self.fields["revoked_at"] or self.fields["revocation_reason"]:
            revocation = Revocation(self.text("revocation_reason"), time=self.time("revoked_at"))
        return CertificateRecord(certificate, revocation=revocation, seal=self.text("seal"))


@file_errors
def read_registry(
    path: PathLike, key: bytes, *, seal: str | None = None, validity_days: int = 1826
) -> CertificateRegistry:
    """The registry whose records `path` holds, under `key`. ValidationError naming the
    line and column for a malformed line (a certificate's own checks name the line too),
    and, from CertificateRegistry, for records that do not verify under the key or do not
    form one chain (record k is on line k + 1), or, with `seal`, do not end with it."""
    file = Path(path)
    data = file.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = _Line(file, data.count(b"\n", 0, error.start) + 1, {"encoding": "not UTF-8"})
        line.refuse("encoding", "the file must be UTF-8")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records = []
    try:
        header = next(reader, [])
        if tuple(header) != COLUMNS:
            where = _Line(file, 1, {"header": ",".join(header)})
            where.refuse("header", "expected the columns " + ",".join(COLUMNS))
        for row in reader:
            records.append(_Line.of_row(file, reader.line_num, row).record())
    except csv.Error as error:
        _Line(file, reader.line_num, {"csv": str(error)}).refuse("csv", "not CSV (RFC 4180)")
    return CertificateRegistry(key, validity_days=validity_days, records=records, seal=seal)


@contextlib.contextmanager
def open_registry(
    path: PathLike,
    key: bytes,
    *,
    seal: str | None = None,
    validity_days: int = 1826,
    create: bool = False,
) -> Iterator[CertificateRegistry]:
    """The registry kept at `path` (an empty one if `create` and there is no file), held
    under the file's lock for the block and written back when the block ends without an
    exception and changed it. Error at once if another process holds the lock."""
    file = Path(path)
    with locked(file):
        if create and not file.exists():
            registry = CertificateRegistry(key, validity_days=validity_days)
        else:
            registry = read_registry(file, key, seal=seal, validity_days=validity_days)
        before = (len(registry), registry.seal)
        yield registry
        if (create and not file.exists()) or (len(registry), registry.seal) != before:
            write_registry(registry, file)
