"""Every credential balai issues, checked by an independent Open Badges 3.0 verifier:
openbadgeslib (PyPI), which verifies a VC-JWT's signature under the issuer's did:key or
a key the caller trusts, the JWT claims OB 3.0 section 8.2.6.1 requires, the
credential's structure and validity window, and, through the Bitstring Status List
credential balai writes (itself a signed VC-JWT, whose signature and issuer it checks
too), whether the credential is revoked.

openbadgeslib and PyJWT under it read the wall clock, and these credentials are issued in
2027: set_verifier_clock sets their clock to the day a bank checks them."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt.api_jwt
import openbadgeslib.ob3.status
import openbadgeslib.ob3.verifier
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier
from test_signing import b64url, b64url_decode
from test_status_list import BADGE, HOUR, LIST, NOW, completed_ledger, reissued_registry

import balai
from balai import CertificateRegistry, SigningKey

CHECKED = datetime.datetime(2027, 3, 1, 9, tzinfo=datetime.timezone.utc)
BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
HTTPS_ISSUER = "https://umkm.example.go.id/issuer"


@pytest.fixture
def registry(roster: balai.Roster) -> CertificateRegistry:
    return reissued_registry(completed_ledger(roster))


def set_verifier_clock(monkeypatch: pytest.MonkeyPatch, moment: datetime.datetime) -> None:
    """Sets the clock of openbadgeslib and PyJWT to `moment` (aware) until the test ends."""

    class Clock(datetime.datetime):
        @classmethod
        def now(cls, tz: datetime.tzinfo | None = None) -> Any:
            return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)

    for module in (jwt.api_jwt, openbadgeslib.ob3.verifier, openbadgeslib.ob3.status):
        monkeypatch.setattr(module, "datetime", Clock)


@pytest.fixture
def verifier_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    set_verifier_clock(monkeypatch, CHECKED)


PRIVATE_KEYS: dict[str, Callable[[], Any]] = {
    "Ed25519": ed25519.Ed25519PrivateKey.generate,
    "P-256": lambda: ec.generate_private_key(ec.SECP256R1()),
}


def key_pair(algorithm: str) -> tuple[SigningKey, bytes]:
    """A balai signing key and the public key's PEM, made by ``cryptography``."""
    private = PRIVATE_KEYS[algorithm]()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return SigningKey.from_pem(pem.decode("ascii")), public


class Issued:
    """What balai.write_credentials wrote for a registry, and a verifier of its issuer."""

    def __init__(self, registry: CertificateRegistry, folder: Path, algorithm: str, issuer: str):
        self.key, public_pem = key_pair(algorithm)
        options: dict[str, Any] = {"issuer_id": issuer} if issuer else {}
        balai.write_credentials(
            registry, folder, key=self.key, status_list=LIST, at=NOW + 20 * HOUR, **BADGE, **options
        )
        self.folder = folder
        self.issuer = issuer or self.key.verification_key.did_key
        # A did:key issuer is resolved by openbadgeslib itself; an https issuer's key is one
        # the verifier was given (as from the issuer's published JWK set).
        self.verifier = (
            OB3Verifier(pubkey_pem=public_pem)
            if issuer
            else OB3Verifier.for_issuer_did(self.key.verification_key.did_key)
        )
        self.records = registry.records()

    def token(self, serial: str) -> str:
        return (self.folder / f"{serial}.jwt").read_text(encoding="utf-8")

    def status_list(self, url: str) -> bytes:
        assert url == LIST
        return (self.folder / "status-list.jwt").read_bytes()

    def verify(self, token: str) -> Any:
        return self.verifier.verify(token, check_status=True, download=self.status_list)


ISSUERS = [
    pytest.param(("Ed25519", ""), id="Ed25519 did:key"),
    pytest.param(("P-256", ""), id="P-256 did:key"),
    pytest.param(("Ed25519", HTTPS_ISSUER), id="Ed25519 https issuer"),
]


@pytest.fixture(params=ISSUERS)
def issued(
    request: pytest.FixtureRequest,
    registry: CertificateRegistry,
    tmp_path: Path,
    verifier_clock: None,
) -> Issued:
    algorithm, issuer = request.param
    return Issued(registry, tmp_path / "credentials", algorithm, issuer)


def test_every_credential_verifies_and_the_revoked_are_reported(issued: Issued) -> None:
    *revoked, standing = issued.records
    assert len(revoked) == 9  # the registry fixture revokes all but the last
    for record in issued.records:
        token = issued.token(record.certificate.serial)
        credential = issued.verifier.verify(token)  # signature, claims, structure, dates
        assert credential.id == f"urn:uuid:{record.certificate.serial}"
        assert credential.issuer.id == issued.issuer
        assert credential.recipient_id == f"urn:uuid:{record.certificate.registration}"
    assert issued.verify(issued.token(standing.certificate.serial)).id.endswith(
        standing.certificate.serial
    )
    for record in revoked:
        with pytest.raises(OB3VerificationError, match="'revocation' is set"):
            issued.verify(issued.token(record.certificate.serial))


def changed_characters(token: str) -> list[str]:
    """The token with each of its characters in turn replaced by another base64url
    character that differs in the top bit of its six, which every position decodes."""
    changed = []
    for at, char in enumerate(token):
        if char != ".":
            other = BASE64URL[BASE64URL.index(char) ^ 32]
            changed.append(token[:at] + other + token[at + 1 :])
    return changed


def test_a_one_character_change_anywhere_is_refused(issued: Issued) -> None:
    token = issued.token(issued.records[-1].certificate.serial)
    issued.verify(token)
    for changed in changed_characters(token):
        with pytest.raises(OB3VerificationError):
            issued.verifier.verify(changed)
    # A character of the credential itself changed, and the token re-encoded around it.
    header, payload, signature = token.split(".")
    text = b64url_decode(payload).decode("utf-8")
    for at, char in enumerate(text):
        edited = text[:at] + ("1" if char != "1" else "2") + text[at + 1 :]
        forged = f"{header}.{b64url(edited.encode('utf-8'))}.{signature}"
        with pytest.raises(OB3VerificationError):
            issued.verifier.verify(forged)


def test_another_key_is_refused(issued: Issued) -> None:
    token = issued.token(issued.records[-1].certificate.serial)
    _, other_pem = key_pair("Ed25519")
    with pytest.raises(OB3VerificationError):
        OB3Verifier(pubkey_pem=other_pem).verify(token)
    # A status list signed by someone else does not speak for the issuer.
    forger, _ = key_pair("Ed25519")
    stranger = balai.signed_status_list_credential(
        CertificateRegistry(b"another registry's key, 32 bytes or more"),
        forger,
        id=LIST,
        at=NOW + 20 * HOUR,
    )
    with pytest.raises(OB3VerificationError, match="status list"):
        issued.verifier.verify(token, check_status=True, download=lambda url: stranger.encode())


def test_revoking_reaches_the_verifier_through_the_new_list(
    registry: CertificateRegistry, tmp_path: Path, verifier_clock: None
) -> None:
    before = Issued(registry, tmp_path / "before", "Ed25519", "")
    last = before.records[-1].certificate
    token = before.token(last.serial)
    before.verify(token)
    registry.revoke(last.serial, reason="found to be fraudulent", time=NOW + 21 * HOUR)
    lists = tmp_path / "after"
    balai.write_credentials(
        registry, lists, key=before.key, status_list=LIST, at=NOW + 22 * HOUR, **BADGE
    )
    after = (lists / "status-list.jwt").read_bytes()
    with pytest.raises(OB3VerificationError, match=r"'revocation' is set at index 9"):
        before.verifier.verify(token, check_status=True, download=lambda url: after)
    # The list from before the revocation still says what it said.
    before.verify(token)
    listed = json.loads(balai.verify_credential(after.decode(), before.key.verification_key))
    assert listed["validFrom"] == "2027-02-02T01:00:00Z"  # NOW + 22 hours
