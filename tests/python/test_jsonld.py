"""Open Badges 3.0 credentials read by a JSON-LD processor (pyld): every member of the
compact form survives expansion, so a processor, and a Data Integrity proof over its
output, keeps all that the credential says. The context documents are served from
tests/data/jsonld (no network); any other URL is refused."""

from __future__ import annotations

import base64
import copy
import datetime
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypedDict

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from pyld import jsonld

import balai
from balai import Certificate, SigningKey

CONTEXTS = Path(__file__).resolve().parents[1] / "data" / "jsonld"
CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DOCUMENTS = {
    CREDENTIALS_V2: CONTEXTS / "credentials-v2.jsonld",
    OB_V3P0: CONTEXTS / "ob-v3p0-context-3.0.3.json",
}
TERMS = "https://balai.example/ns#"
SCHEMA_NAME = "https://schema.org/name"
SCHEMA_DESCRIPTION = "https://schema.org/description"
OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"


class Badge(TypedDict):
    issuer_name: str
    achievement_id: str


class IssuedBadge(Badge):
    issuer_id: str


SIGNED_BADGE: Badge = {
    "issuer_name": "Kementerian UMKM",
    "achievement_id": "https://umkm.example.go.id/achievements/pkn-2027",
}
BADGE: IssuedBadge = {**SIGNED_BADGE, "issuer_id": "https://umkm.example.go.id/issuer"}

Place = tuple[str | int, ...]  # a member's place: object keys and array indices


def load_document(url: str, options: Any = None) -> dict[str, Any]:
    if url not in DOCUMENTS:
        raise jsonld.JsonLdError(
            f"no network in the tests: {url}",
            "jsonld.LoadDocumentError",
            code="loading document failed",
        )
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(DOCUMENTS[url].read_text()),
    }


def expand(document: dict[str, Any]) -> list[Any]:
    expanded: list[Any] = jsonld.expand(copy.deepcopy(document), {"documentLoader": load_document})
    return expanded


def members(value: Any, path: Place = ()) -> Iterator[Place]:
    """The place of every member (object key) under `value`, but the contexts and the
    keys of value objects (@value, @language), which are the values themselves."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key.startswith("@"):
                continue
            yield (*path, key)
            yield from members(inner, (*path, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from members(inner, (*path, i))


def leaves(value: Any, path: Place = ()) -> Iterator[Place]:
    """The place of every string, including those in value objects, but the contexts."""
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key != "@context":
                yield from leaves(inner, (*path, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from leaves(inner, (*path, i))


def parent_of(document: Any, path: Place) -> Any:
    node = document
    for step in path[:-1]:
        node = node[step]
    return node


def dropped(document: dict[str, Any]) -> list[str]:
    """The members a JSON-LD processor drops: those whose removal, or a change to one of
    whose strings, leaves the expansion as it was. Empty when every member is kept."""
    original = expand(document)
    lost: list[str] = []
    for path in members(document):
        without = copy.deepcopy(document)
        del parent_of(without, path)[path[-1]]
        if expand(without) == original:
            lost.append("/".join(map(str, path)))
    for path in leaves(document):
        changed = copy.deepcopy(document)
        parent_of(changed, path)[path[-1]] += "x"
        if expand(changed) == original:
            lost.append("/".join(map(str, path)) + " (its value)")
    return lost


def certificate(program: str = "Pelatihan Kewirausahaan Nasional 2027") -> Certificate:
    return Certificate(
        serial="0b6f3d2e-8c1a-5f4e-9a7b-2c3d4e5f6a7b",
        registration="6b1e0b52-3a57-4c1e-9d43-1c0f2f6f1a01",
        trainee="T-1",
        program=program,
        completed_on=datetime.date(2027, 1, 12),
        issue=1,
        issued_at=1_800_000_000,
        valid_from=1_800_000_000,
        valid_until=1_900_000_000,
        verification_code="a" * 64,
    )


def signed_payload(jws: str) -> dict[str, Any]:
    payload = jws.split(".")[1]
    decoded: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return decoded


def signing_key() -> SigningKey:
    pem = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return SigningKey.from_pem(pem.decode("ascii"))


def credentials() -> Iterator[tuple[str, dict[str, Any]]]:
    yield "unsigned", json.loads(balai.open_badge_credential(certificate(), **BADGE))
    yield (
        "quoted program, own terms IRI",
        json.loads(
            balai.open_badge_credential(
                certificate('Program "Nasional"\t\\ Kewirausahaan — 2027'),
                **BADGE,
                terms_iri="https://umkm.example.go.id/terms/",
            )
        ),
    )
    yield (
        "signed, did:key issuer",
        signed_payload(
            balai.signed_open_badge_credential(certificate(), signing_key(), **SIGNED_BADGE)
        ),
    )


@pytest.mark.parametrize(
    "credential", [pytest.param(credential, id=name) for name, credential in credentials()]
)
def test_every_member_survives_expansion(credential: dict[str, Any]) -> None:
    assert dropped(credential) == []


def test_balai_terms_and_languages_expand_to_their_iris() -> None:
    (node,) = expand(json.loads(balai.open_badge_credential(certificate(), **BADGE)))
    assert node[TERMS + "verificationCode"] == [{"@value": "a" * 64}]
    subject = node["https://www.w3.org/2018/credentials#credentialSubject"][0]
    assert subject[TERMS + "completionDate"] == [
        {"@type": "http://www.w3.org/2001/XMLSchema#date", "@value": "2027-01-12"}
    ]
    # The plain string (for the OB 3.0 JSON Schema) and the language map expand to the same
    # property: the Indonesian text plain and tagged, and the English text tagged.
    program = "Pelatihan Kewirausahaan Nasional 2027"

    def values(node_values: list[dict[str, str]]) -> set[tuple[str | None, str]]:
        return {(value.get("@language"), value["@value"]) for value in node_values}

    assert values(node[SCHEMA_NAME]) == {
        (None, f"{program}: sertifikat kelulusan"),
        ("id", f"{program}: sertifikat kelulusan"),
        ("en", f"{program}: certificate of completion"),
    }
    achievement = subject[OB + "achievement"][0]
    assert values(achievement[SCHEMA_NAME]) == {(None, program), ("id", program), ("en", program)}
    assert {language for language, _ in values(achievement[SCHEMA_DESCRIPTION])} == {
        None,
        "id",
        "en",
    }
    narrative = achievement[OB + "Criteria"][0][OB + "narrative"]
    assert {language for language, _ in values(narrative)} == {None, "id", "en"}


def test_the_check_finds_what_a_processor_drops() -> None:
    """The oracle's own test: an undefined term, and the credential as balai wrote it
    before its terms were defined (the credentials v2 context has no @vocab)."""
    credential = json.loads(balai.open_badge_credential(certificate(), **BADGE))
    credential["credentialSubject"]["nickname"] = "Budi"
    assert dropped(credential) == [
        "credentialSubject/nickname",
        "credentialSubject/nickname (its value)",
    ]
    del credential["credentialSubject"]["nickname"]
    credential["@context"] = [CREDENTIALS_V2, OB_V3P0]
    lost = dropped(credential)
    # balai's terms and the language maps are what the inline context defines.
    assert {
        "credentialSubject/completionDate",
        "verificationCode",
        "nameByLanguage",
        "credentialSubject/achievement/descriptionByLanguage/en (its value)",
    } <= set(lost)
    assert all(
        "ByLanguage" in place
        or place.split(" ")[0].endswith(("completionDate", "verificationCode"))
        for place in lost
    )


def test_only_the_kept_contexts_are_loaded() -> None:
    with pytest.raises(jsonld.JsonLdError):
        expand({"@context": "https://example.org/unknown", "name": "x"})
