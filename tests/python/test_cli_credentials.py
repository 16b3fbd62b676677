"""``balai credentials``, run as a program officer runs it: a pilot planned by ``balai
pilot``, a journal of twenty trainees who complete it, certificates issued, one revoked,
and the credentials written, signed, with the status list, then checked by openbadgeslib
as a bank would check them."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier
from test_cli import _assert_one_line_error as one_line_error
from test_cli import _run as run
from test_openbadgeslib import set_verifier_clock

import balai
from balai import _files
from balai.registry_file import read_registry

COMPLETING = 20
STATUS_LIST = "https://umkm.example.go.id/credentials/status/1"
BADGE = [
    "--issuer-name", "Kementerian UMKM",
    "--achievement-id", "https://umkm.example.go.id/achievements/pkn-2027",
]  # fmt: skip


def at(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, 3, tzinfo=dt.timezone.utc).timestamp())


class Program:
    """A planned pilot whose journal shows the first COMPLETING registrations attending
    every session of their classes and passing every assessment."""

    def __init__(self, folder: Path):
        planned = run(
            "pilot", "--trainees", "300", "--replications", "20", "--no-excel", "--no-report",
            "--quiet", "--out", str(folder / "plan"),
        )  # fmt: skip
        assert planned.returncode == 0, planned.stderr
        self.plan = folder / "plan"
        dataset = balai.io.load_snapshot(self.plan / "dataset.snapshot")
        roster = balai.pilot.load_roster(self.plan / "plan.json", dataset)
        cohorts = {cohort.code: cohort for cohort in roster.cohorts}
        events: list[balai.Event] = []

        def add(kind: balai.EventKind, registration: int, time: int, **fields: object) -> None:
            event = balai.Event(
                len(events) + 1, kind=kind, registration=registration, time=time, actor="op",
                **fields,  # type: ignore[arg-type]
            )  # fmt: skip
            events.append(event)

        self.done = 0
        for r, registration in enumerate(roster.registrations[:COMPLETING]):
            classes = [cohorts[code] for code in registration.cohorts]
            add(balai.EventKind.enrolled, r, at(min(c.sessions[0] for c in classes)) - 86_400)
            for cohort in classes:
                module = roster.module_codes.index(cohort.module)
                for session, day in enumerate(cohort.sessions, start=1):
                    add(balai.EventKind.attended, r, at(day), module=module, session=session)
                    self.done = max(self.done, at(day) + 3600)
                add(balai.EventKind.assessed, r, at(cohort.sessions[-1]) + 60, module=module,
                    score=90.0)  # fmt: skip
        self.journal = folder / "events.journal"
        with balai.Journal(self.journal, roster) as journal:
            journal.append(events)
        self.registry = folder / "certificates.csv"
        self.registry_key = folder / "registry.key"
        self.registry_key.write_bytes(b"the ministry's registry key, 32 bytes or more")
        private = ed25519.Ed25519PrivateKey.generate()
        self.signing_key = folder / "issuer.pem"
        self.signing_key.write_bytes(
            private.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )

    def keys(self) -> list[str]:
        return ["--registry", str(self.registry), "--registry-key", str(self.registry_key)]

    def issue(self, *extra: str) -> subprocess.CompletedProcess[str]:
        return run(
            "credentials", "issue", "--plan", str(self.plan), "--journal", str(self.journal),
            "--now", moment(self.done), *self.keys(), *extra,
        )  # fmt: skip


def moment(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).isoformat()


def seal_of(result: subprocess.CompletedProcess[str]) -> str:
    (line,) = [line for line in result.stdout.splitlines() if "seal is now" in line]
    return line.split("seal is now ")[1].split()[0]


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Program:
    return Program(tmp_path_factory.mktemp("credentials"))


def test_issue_revoke_and_write_as_an_officer_does(
    program: Program, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_line_error(program.issue(), "--create")  # no registry file yet
    issued = program.issue("--create")
    assert issued.returncode == 0, issued.stderr
    assert f"{COMPLETING} certificates issued" in issued.stdout
    first_seal = seal_of(issued)
    registry = read_registry(program.registry, program.registry_key.read_bytes(), seal=first_seal)
    assert len(registry) == COMPLETING
    before = program.registry.read_bytes()
    again = program.issue()
    assert "0 certificates issued" in again.stdout
    assert program.registry.read_bytes() == before

    serial = registry.records()[3].certificate.serial
    revoke = ["credentials", "revoke", *program.keys(), "--time", moment(program.done + 86_400)]
    one_line_error(run(*revoke, "--serial", serial, "--reason", "x", "--seal", "0" * 64), "seal")
    one_line_error(
        run(*revoke, "--serial", "00000000-0000-4000-8000-000000000000", "--reason", "x"),
        "00000000-0000-4000-8000-000000000000",
    )
    assert program.registry.read_bytes() == before  # neither failed command changed it
    revoked = run(*revoke, "--serial", serial, "--reason", "data entry fraud", "--seal", first_seal)
    assert revoked.returncode == 0, revoked.stderr
    new_seal = seal_of(revoked)
    assert new_seal != first_seal
    # The file as it was before the revocation, kept by someone, is refused by the seal.
    current = program.registry.read_bytes()
    program.registry.write_bytes(before)
    write = ["credentials", "write", *program.keys(), *BADGE, "--out", str(tmp_path / "out")]
    write += ["--signing-key", str(program.signing_key), "--status-list", STATUS_LIST]
    write += ["--at", moment(program.done + 2 * 86_400)]
    one_line_error(run(*write, "--seal", new_seal), "seal")
    program.registry.write_bytes(current)

    written = run(*write, "--seal", new_seal)
    assert written.returncode == 0, written.stderr
    assert f"{COMPLETING} signed credentials and the status list written" in written.stdout
    out = tmp_path / "out"
    status_list = (out / "status-list.jwt").read_bytes()
    key = balai.SigningKey.from_pem_file(str(program.signing_key))
    verifier = OB3Verifier.for_issuer_did(key.verification_key.did_key)
    set_verifier_clock(
        monkeypatch, dt.datetime.fromtimestamp(program.done + 3 * 86_400, dt.timezone.utc)
    )
    for record in read_registry(program.registry, program.registry_key.read_bytes()).records():
        token = (out / f"{record.certificate.serial}.jwt").read_text(encoding="utf-8")
        assert verifier.verify(token).recipient_id == f"urn:uuid:{record.certificate.registration}"
        if record.certificate.serial == serial:
            with pytest.raises(OB3VerificationError, match="revocation"):
                verifier.verify(token, check_status=True, download=lambda _: status_list)
        else:
            verifier.verify(token, check_status=True, download=lambda _: status_list)


def test_bad_input_is_one_line_and_changes_nothing(program: Program, tmp_path: Path) -> None:
    if not program.registry.exists():
        assert program.issue("--create").returncode == 0
    before = program.registry.read_bytes()
    keys = program.keys()
    one_line_error(
        run("credentials", "revoke", "--registry", str(program.registry), "--registry-key",
            str(tmp_path / "none.key"), "--serial", "x", "--reason", "y"),
        "none.key",
    )  # fmt: skip
    short_key = tmp_path / "short.key"
    short_key.write_bytes(b"short")
    one_line_error(
        run("credentials", "write", "--registry", str(program.registry), "--registry-key",
            str(short_key), *BADGE, "--out", str(tmp_path / "o"), "--issuer-id",
            "https://umkm.example.go.id/issuer"),
        "32",
    )  # fmt: skip
    one_line_error(
        run("credentials", "write", *keys, *BADGE, "--out", str(tmp_path / "o"),
            "--status-list", "https://x.example/list#1", "--issuer-id", "https://x.example/i"),
        "id",
    )  # fmt: skip
    assert not (tmp_path / "o").exists()
    with _files.locked(program.registry):
        one_line_error(program.issue(), "another process")
    result = run("credentials", "issue", "--plan", str(program.plan), "--journal",
                 str(program.journal), *keys, "--now", "2027-03-01 09:00")  # fmt: skip
    assert result.returncode == 2
    assert "--now" in result.stderr
    assert program.registry.read_bytes() == before
