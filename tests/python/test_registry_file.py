"""The certificate registry's CSV file (balai.registry_file): records read back equal,
the file read and written again the same bytes, every malformed line named by its line
and column, a tampered or truncated file refused, and a failed change leaving the file as
it was."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from test_status_list import KEY, NOW, completed_ledger, reissued_registry

import balai
from balai import CertificateRegistry
from balai.registry_file import COLUMNS, open_registry, read_registry, write_registry


@pytest.fixture
def registry(roster: balai.Roster) -> CertificateRegistry:
    """Ten certificates of one registration, all but the last revoked."""
    return reissued_registry(completed_ledger(roster))


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def write_rows(path: Path, table: list[list[str]]) -> None:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(table)
    path.write_text(text.getvalue(), encoding="utf-8")


def test_records_read_back_equal_and_the_file_is_stable(
    registry: CertificateRegistry, tmp_path: Path
) -> None:
    path = tmp_path / "certificates.csv"
    write_registry(registry, path)
    table = rows(path)
    assert tuple(table[0]) == COLUMNS
    assert len(table) == 1 + len(registry)
    first = dict(zip(COLUMNS, table[1], strict=True))
    assert first["issued_at"] == "2027-02-01T03:00:00Z"  # NOW, readable
    assert first["revoked_at"] == "2027-02-01T03:30:00Z"
    assert first["revocation_reason"] == "issued again"
    assert dict(zip(COLUMNS, table[-1], strict=True))["revoked_at"] == ""

    again = read_registry(path, KEY, seal=registry.seal)
    assert again.records() == registry.records()
    assert again.seal == registry.seal
    copy = tmp_path / "copy.csv"
    write_registry(again, copy)
    assert copy.read_bytes() == path.read_bytes()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("issued_at", "2027-02-01 03:00:00", "YYYY-MM-DDThh:mm:ssZ"),
        ("issued_at", "2027-2-1T3:00:00Z", "YYYY-MM-DDThh:mm:ssZ"),
        ("completed_on", "20270126", "YYYY-MM-DD"),
        ("issue", "-1", "whole number"),
        ("issue", "99999999999999999999", "whole number"),
        ("serial", "not-a-uuid", "serial"),
        ("verification_code", "abc", "verification_code"),
        ("revoked_at", "", "revoked_at"),  # a reason without its time
    ],
)
def test_a_malformed_field_is_named_with_its_line(
    registry: CertificateRegistry, tmp_path: Path, column: str, value: str, message: str
) -> None:
    path = tmp_path / "certificates.csv"
    write_registry(registry, path)
    table = rows(path)
    table[3][COLUMNS.index(column)] = value
    write_rows(path, table)
    with pytest.raises(balai.ValidationError, match=message) as raised:
        read_registry(path, KEY)
    (problem,) = raised.value.problems
    assert problem.where == f"{path}:4"  # table[0] is line 1
    assert problem.field == column or column in problem.field


def test_a_wrong_header_or_row_length_is_refused(
    registry: CertificateRegistry, tmp_path: Path
) -> None:
    path = tmp_path / "certificates.csv"
    write_registry(registry, path)
    table = rows(path)
    write_rows(path, [table[0][:-1], *table[1:]])
    with pytest.raises(balai.ValidationError, match="columns") as raised:
        read_registry(path, KEY)
    assert raised.value.problems[0].where == f"{path}:1"
    write_rows(path, [table[0], table[1], table[2][:-1], *table[3:]])
    with pytest.raises(balai.ValidationError, match="13 fields") as raised:
        read_registry(path, KEY)
    assert raised.value.problems[0].where == f"{path}:3"
    # Not UTF-8 on line 3; a quote left open to the end of the file.
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join([*lines[:2], b"\xff" + lines[2], *lines[3:]]))
    with pytest.raises(balai.ValidationError, match="UTF-8") as raised:
        read_registry(path, KEY)
    assert raised.value.problems[0].where == f"{path}:3"
    path.write_bytes(b"\n".join([*lines[:2], b'"' + lines[2]]))
    with pytest.raises(balai.ValidationError, match="CSV"):
        read_registry(path, KEY)


def test_a_tampered_or_truncated_file_is_refused(
    registry: CertificateRegistry, tmp_path: Path
) -> None:
    path = tmp_path / "certificates.csv"
    write_registry(registry, path)
    table = rows(path)
    # The revocation of the first certificate dropped: its seal no longer matches.
    edited = [row[:] for row in table]
    edited[1][COLUMNS.index("revoked_at")] = ""
    edited[1][COLUMNS.index("revocation_reason")] = ""
    write_rows(path, edited)
    with pytest.raises(balai.ValidationError, match="seal"):
        read_registry(path, KEY)
    # The newest record dropped: a sound chain, which only the kept seal refuses.
    write_rows(path, table[:-1])
    assert len(read_registry(path, KEY)) == len(registry) - 1
    with pytest.raises(balai.ValidationError, match="seal"):
        read_registry(path, KEY, seal=registry.seal)
    # Another registry's key.
    write_rows(path, table)
    with pytest.raises(balai.ValidationError):
        read_registry(path, b"another key of the right length, 32+ bytes")


def test_open_registry_writes_back_only_a_finished_change(
    registry: CertificateRegistry, tmp_path: Path
) -> None:
    path = tmp_path / "certificates.csv"
    write_registry(registry, path)
    before = path.read_bytes()
    last = registry.records()[-1].certificate.serial

    def revoke_two(second: str) -> None:
        with open_registry(path, KEY) as opened:
            opened.revoke(last, reason="fraud", time=NOW + 100 * 3600)
            opened.revoke(second, reason="x", time=NOW)

    with pytest.raises(balai.UnknownReferenceError):
        revoke_two("00000000-0000-4000-8000-000000000000")
    assert path.read_bytes() == before  # the first revocation went with the failed block
    with open_registry(path, KEY) as opened:
        opened.revoke(last, reason="fraud", time=NOW + 100 * 3600)
    revoked = read_registry(path, KEY)
    assert revoked.records()[-1].revocation == balai.Revocation("fraud", time=NOW + 100 * 3600)
    # Unchanged: not written (the file keeps its inode).
    inode = path.stat().st_ino
    with open_registry(path, KEY):
        pass
    assert path.stat().st_ino == inode
    # A new registry file, only with create; while the lock is held, nobody else opens it.
    fresh = tmp_path / "new.csv"
    with pytest.raises(balai.Error, match=r"new\.csv"), open_registry(fresh, KEY):
        pass
    with open_registry(fresh, KEY, create=True) as created:
        with pytest.raises(balai.Error, match="another process"), open_registry(fresh, KEY):
            pass
        assert len(created) == 0
    assert rows(fresh) == [list(COLUMNS)]
