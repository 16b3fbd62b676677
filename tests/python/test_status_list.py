"""Revocation that verifiers can see (W3C Bitstring Status List 1.0): the status list
credential decoded here without balai (base64url and gzip from the standard library, bit
0 the left-most bit of the first byte), its bits against the registry's revocations, its
signature verified with the ``cryptography`` package, and each credential's
credentialStatus read the way a verifier reads it."""

from __future__ import annotations

import base64
import datetime
import gzip
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from test_jsonld import Badge, dropped

import balai
from balai import CertificateRegistry, Event, EventKind, Ledger, SigningKey

KEY = b"balai-test-certificate-key-0123456789abcdef"
LIST = "https://umkm.example.go.id/credentials/status/1"
ISSUER = "https://umkm.example.go.id/issuer"
BADGE: Badge = {
    "issuer_name": "Kementerian UMKM",
    "achievement_id": "https://umkm.example.go.id/achievements/pkn-2027",
}
ENT, FIN, DIG = 0, 1, 2
HOUR = 3600
MIN_BITS = 131_072  # the spec's minimum length: 16 KiB


def at(day: datetime.date, hour: int = 3) -> int:
    moment = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.timezone.utc)
    return int(moment.timestamp())


NOW = at(datetime.date(2027, 2, 1))


def completed_ledger(roster: balai.Roster) -> Ledger:
    """Registration 0 completes the program by 2027-01-26."""
    days = [datetime.date(2027, 1, 4) + datetime.timedelta(days=7 * i) for i in range(4)]
    events: list[Event] = []

    def add(kind: EventKind, time: int, **fields: Any) -> None:
        events.append(
            Event(500 + len(events), kind=kind, registration=0, time=time, actor="op", **fields)
        )

    add(EventKind.enrolled, at(datetime.date(2027, 1, 1)))
    for session, day in enumerate(days, start=1):
        add(EventKind.attended, at(day), module=ENT, session=session)
        add(EventKind.attended, at(day), module=FIN, session=session)
    add(EventKind.attended, at(days[0]), module=DIG, session=1)
    add(EventKind.assessed, at(datetime.date(2027, 1, 25)), module=FIN, score=82.5)
    add(EventKind.assessed, at(datetime.date(2027, 1, 26)), module=DIG, score=75.0)
    result = Ledger(roster)
    result.append(events)
    return result


def reissued_registry(ledger: Ledger) -> CertificateRegistry:
    """Ten certificates of registration 0, issued an hour apart: each but the last revoked
    half an hour after its issue, so that the next could be issued."""
    registry = CertificateRegistry(KEY)
    for i in range(10):
        certificate = registry.issue(ledger, 0, now=NOW + i * HOUR)
        if i < 9:
            registry.revoke(certificate.serial, reason="issued again", time=NOW + i * HOUR + 1800)
    return registry


@pytest.fixture
def ledger(roster: balai.Roster) -> Ledger:
    return completed_ledger(roster)


@pytest.fixture
def registry(ledger: Ledger) -> CertificateRegistry:
    return reissued_registry(ledger)


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def decoded_bits(list_credential: dict[str, Any]) -> bytes:
    """The bitstring of a status list credential, as a verifier decodes it."""
    subject = list_credential["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    encoded: str = subject["encodedList"]
    assert encoded.startswith("u")  # multibase base64url, no padding
    assert "=" not in encoded
    compressed = b64url_decode(encoded[1:])
    assert compressed[:2] == b"\x1f\x8b"  # GZIP, not zlib or raw deflate
    return gzip.decompress(compressed)


def bit(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] >> (7 - index % 8) & 1)


def revoked(credential: dict[str, Any], list_credential: dict[str, Any]) -> bool:
    """What a verifier concludes from a credential's status entry and the list."""
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListCredential"] == list_credential["id"]
    index = status["statusListIndex"]
    assert isinstance(index, str)
    assert index.isdigit()
    assert status["id"] == f"{status['statusListCredential']}#{index}"
    return bit(decoded_bits(list_credential), int(index))


def status_list(registry: CertificateRegistry, at: int) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(
        balai.status_list_credential(registry, id=LIST, issuer_id=ISSUER, at=at)
    )
    return parsed


def test_the_list_credential_and_its_bits(registry: CertificateRegistry) -> None:
    later = NOW + 100 * HOUR
    credential = status_list(registry, later)
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        {"jti": {"@id": "https://www.iana.org/assignments/jwt#jti", "@type": "@id"}},
    ]
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["id"] == LIST
    assert credential["issuer"] == ISSUER
    assert credential["validFrom"] == "2027-02-05T07:00:00Z"
    assert credential["credentialSubject"]["id"] == f"{LIST}#list"
    bits = decoded_bits(credential)
    assert len(bits) * 8 == MIN_BITS
    records = registry.records()
    expected = [record.revocation is not None for record in records]
    assert expected == [True] * 9 + [False]
    assert [bit(bits, i) for i in range(len(records))] == expected
    assert bits[:2] == b"\xff\x80"  # bit 0 is the left-most bit of the first byte
    assert not any(bits[2:])
    # As of an earlier time, only the revocations made by then.
    early = decoded_bits(status_list(registry, NOW + 2 * HOUR))
    assert early[:2] == b"\xc0\x00"


def test_revoking_then_rebuilding_the_list_sets_the_bit(
    ledger: Ledger, registry: CertificateRegistry
) -> None:
    last = registry.records()[-1].certificate
    badge = json.loads(
        balai.open_badge_credential(
            last, issuer_id=ISSUER, **BADGE, registry=registry, status_list=LIST
        )
    )
    assert badge["credentialStatus"]["statusListIndex"] == "9"
    before = status_list(registry, NOW + 20 * HOUR)
    assert not revoked(badge, before)
    registry.revoke(last.serial, reason="fraud", time=NOW + 20 * HOUR)
    after = status_list(registry, NOW + 20 * HOUR)
    assert revoked(badge, after)
    assert decoded_bits(after)[1] == 0xC0
    assert registry.verify(last, at=NOW + 20 * HOUR) == balai.Verification.revoked


def test_every_credential_reports_its_own_standing(registry: CertificateRegistry) -> None:
    list_credential = status_list(registry, NOW + 100 * HOUR)
    for index, record in enumerate(registry.records()):
        credential = json.loads(
            balai.open_badge_credential(
                record.certificate, issuer_id=ISSUER, **BADGE, registry=registry, status_list=LIST
            )
        )
        assert credential["credentialStatus"]["statusListIndex"] == str(index)
        assert revoked(credential, list_credential) == (record.revocation is not None)
        assert dropped(credential) == []  # the entry's terms are defined too
    assert dropped(list_credential) == []


def independent_verify(jws: str, public_key: ed25519.Ed25519PublicKey) -> dict[str, Any]:
    header_part, payload_part, signature_part = jws.split(".")
    header = json.loads(b64url_decode(header_part))
    assert header["alg"] == "EdDSA"
    assert header["typ"] == "vc+jwt"
    public_key.verify(b64url_decode(signature_part), f"{header_part}.{payload_part}".encode())
    payload: dict[str, Any] = json.loads(b64url_decode(payload_part))
    return payload


def test_the_signed_list_verifies_independently(registry: CertificateRegistry) -> None:
    private = ed25519.Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key = SigningKey.from_pem(pem.decode("ascii"))
    jws = balai.signed_status_list_credential(registry, key, id=LIST, at=NOW + 100 * HOUR)
    payload = independent_verify(jws, private.public_key())
    assert payload["issuer"] == key.verification_key.did_key
    claims = {
        "iss": payload["issuer"],
        "jti": LIST,
        "sub": f"{LIST}#list",
        "nbf": NOW + 100 * HOUR,
    }
    assert payload == {
        **status_list(registry, NOW + 100 * HOUR),
        "issuer": payload["issuer"],
        **claims,
    }
    assert json.loads(balai.verify_credential(jws, key.verification_key)) == payload
    assert dropped(payload) == []  # the JWT claims are JSON-LD terms too

    # A signed credential names its bit; the list, signed by the same key, answers.
    last = registry.records()[-1].certificate
    badge_jws = balai.signed_open_badge_credential(
        last, key, **BADGE, registry=registry, status_list=LIST
    )
    badge = independent_verify(badge_jws, private.public_key())
    assert not revoked(badge, payload)
    # A one-character change to the list is refused.
    header, body, signature = jws.split(".")
    changed = body[:-3] + ("A" if body[-3] != "A" else "B") + body[-2:]
    with pytest.raises(balai.ValidationError):
        balai.verify_credential(f"{header}.{changed}.{signature}", key.verification_key)


def test_what_is_refused(ledger: Ledger, registry: CertificateRegistry) -> None:
    certificate = registry.records()[0].certificate
    with pytest.raises(balai.ValidationError, match="status_list"):
        balai.open_badge_credential(certificate, issuer_id=ISSUER, **BADGE, status_list=LIST)
    other = CertificateRegistry(KEY)
    with pytest.raises(balai.UnknownReferenceError):
        balai.open_badge_credential(
            certificate, issuer_id=ISSUER, **BADGE, registry=other, status_list=LIST
        )
    with pytest.raises(balai.ValidationError, match="differs"):
        balai.open_badge_credential(
            balai.Certificate(**{**fields_of(certificate), "program": "Lain"}),
            issuer_id=ISSUER,
            **BADGE,
            registry=registry,
            status_list=LIST,
        )
    with pytest.raises(balai.ValidationError, match="id"):
        balai.status_list_credential(registry, id=f"{LIST}#x", issuer_id=ISSUER, at=NOW)
    with pytest.raises(balai.ValidationError, match="issuer_id"):
        balai.status_list_credential(registry, id=LIST, issuer_id="", at=NOW)


def fields_of(certificate: balai.Certificate) -> dict[str, Any]:
    names = [
        "serial", "registration", "trainee", "program", "completed_on", "issue",
        "issued_at", "valid_from", "valid_until", "verification_code",
    ]  # fmt: skip
    return {name: getattr(certificate, name) for name in names}


def test_write_credentials_writes_each_certificate_and_the_list(
    registry: CertificateRegistry, tmp_path: Any
) -> None:
    pem = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key = SigningKey.from_pem(pem.decode("ascii"))
    folder = tmp_path / "credentials"
    count = balai.write_credentials(
        registry, folder, key=key, status_list=LIST, at=NOW + 20 * HOUR, **BADGE
    )
    records = registry.records()
    assert count == len(records) == 10
    names = sorted(path.name for path in folder.iterdir())
    assert names == sorted([f"{r.certificate.serial}.jwt" for r in records] + ["status-list.jwt"])
    verification = key.verification_key
    for record in records:
        token = (folder / f"{record.certificate.serial}.jwt").read_text(encoding="utf-8")
        credential = json.loads(balai.verify_credential(token, verification))
        assert credential["id"] == f"urn:uuid:{record.certificate.serial}"
        assert credential["credentialStatus"]["statusListCredential"] == LIST
    listed = json.loads(
        balai.verify_credential((folder / "status-list.jwt").read_text(), verification)
    )
    assert listed["id"] == LIST
    # Unsigned, and a bad option refused before the directory is made.
    plain = tmp_path / "plain"
    balai.write_credentials(registry, plain, issuer_id=ISSUER, **BADGE)
    assert len(list(plain.glob("*.json"))) == 10
    nowhere = tmp_path / "nowhere"
    with pytest.raises(balai.ValidationError, match="issuer_id"):
        balai.write_credentials(registry, nowhere, issuer_id="not an iri", **BADGE)
    with pytest.raises(balai.ValidationError, match="at"):
        balai.write_credentials(registry, nowhere, issuer_id=ISSUER, status_list=LIST, **BADGE)
    assert not nowhere.exists()
