"""Certificates and the standard exports from Python.

xAPI statements are validated by an independent implementation, the ``tincan`` package
(the reference Python client of the xAPI spec), and then by checks of the spec's rules
that tincan does not enforce. Open Badges credentials are checked against the required
properties of the Open Badges 3.0 data model."""

from __future__ import annotations

import datetime
import importlib
import json
import pickle
import re
from typing import Any

import pytest

import balai
from balai import (
    Certificate,
    CertificateRecord,
    CertificateRegistry,
    Event,
    EventKind,
    Ledger,
    Revocation,
    Verification,
)

# tincan ships no type information; imported this way, mypy takes it as Any.
tincan: Any = importlib.import_module("tincan")

BASE_IRI = "https://pelatihan.example.go.id/xapi/2027"
HOME_PAGE = "https://registrasi.example.go.id"
KEY = b"balai-test-certificate-key-0123456789abcdef"

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
INVERSE_FUNCTIONAL = {"mbox", "mbox_sha1sum", "openid", "account"}
VOIDED = "http://adlnet.gov/expapi/verbs/voided"

ENT, FIN, DIG = 0, 1, 2  # module indices, in the dataset's order


def at(day: datetime.date, hour: int = 3) -> int:
    """Unix seconds at `hour` UTC on `day`."""
    moment = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.timezone.utc)
    return int(moment.timestamp())


SESSIONS = [datetime.date(2027, 1, 4) + datetime.timedelta(days=7 * i) for i in range(4)]
COMPLETED_AT = at(datetime.date(2027, 1, 26))  # registration 0's last event
NOW = at(datetime.date(2027, 2, 1))


@pytest.fixture
def ledger(roster: balai.Roster) -> Ledger:
    """Registration 0 completes everything, last by passing DIG-201 on COMPLETED_AT;
    registration 1 attends once (voided), is waived from ENT-101 and fails FIN-101;
    registration 2 enrols and withdraws."""
    events: list[Event] = []

    def add(kind: EventKind, registration: int, time: int, **fields: Any) -> int:
        event_id = 500 + len(events)
        events.append(
            Event(event_id, kind=kind, registration=registration, time=time, actor="op-3", **fields)
        )
        return event_id

    for registration in range(3):
        add(EventKind.enrolled, registration, at(datetime.date(2027, 1, 1)))
    for session, day in enumerate(SESSIONS, start=1):
        add(EventKind.attended, 0, at(day), module=ENT, session=session)
        add(EventKind.attended, 0, at(day), module=FIN, session=session)
    add(EventKind.attended, 0, at(SESSIONS[0]), module=DIG, session=1)  # too few to complete
    add(EventKind.assessed, 0, at(datetime.date(2027, 1, 25)), module=FIN, score=82.5)
    add(EventKind.assessed, 0, COMPLETED_AT, module=DIG, score=75.0)

    mistake = add(EventKind.attended, 1, at(SESSIONS[0]), module=ENT, session=1)
    add(EventKind.voided, 1, at(SESSIONS[1]), target=mistake)
    add(EventKind.waived, 1, at(SESSIONS[1]), module=ENT, reason="sertifikat BNSP")
    add(EventKind.assessed, 1, at(SESSIONS[3]), module=FIN, score=33.3)
    add(EventKind.withdrew, 2, at(SESSIONS[0]), reason="pindah ke Surabaya")

    result = Ledger(roster)
    result.append(events)
    return result


def statements(ledger: Ledger, **options: Any) -> list[dict[str, Any]]:
    text = balai.xapi_statements(ledger, base_iri=BASE_IRI, home_page=HOME_PAGE, **options)
    parsed: list[dict[str, Any]] = json.loads(text)
    return parsed


# ---- xAPI ------------------------------------------------------------------------------


def test_every_statement_is_valid_for_tincan(ledger: Ledger) -> None:
    exported = statements(ledger)
    assert len(exported) > 10
    for statement in exported:
        parsed = tincan.Statement.from_json(json.dumps(statement))
        again = json.loads(parsed.to_json())
        assert again["id"] == statement["id"]
        assert again["verb"]["id"] == statement["verb"]["id"]
        assert again["actor"]["account"] == statement["actor"]["account"]
        assert again["object"]["id"] == statement["object"]["id"]


def test_statements_follow_the_rules_tincan_does_not_check(ledger: Ledger) -> None:
    exported = statements(ledger)
    by_id = {statement["id"]: statement for statement in exported}
    assert len(by_id) == len(exported), "statement ids are unique"
    for statement in exported:
        assert UUID.match(statement["id"])
        assert statement["version"] == "1.0.3"
        assert TIMESTAMP.match(statement["timestamp"])
        assert IRI.match(statement["verb"]["id"])
        assert all(LANGUAGE_TAG.match(tag) for tag in statement["verb"]["display"])

        actor = statement["actor"]
        assert actor["objectType"] == "Agent"
        assert len(INVERSE_FUNCTIONAL & actor.keys()) == 1, "exactly one identifier"
        assert actor["account"]["homePage"] == HOME_PAGE
        assert UUID.match(actor["account"]["name"])

        assert statement["context"]["registration"] == actor["account"]["name"]
        target = statement["object"]
        if target.get("objectType", "Activity") != "Activity":
            # xAPI 1.0.3 Data 2.4.6: "revision" and "platform" only with an Activity object;
            # a strict LRS refuses the statement, and with it the whole batch.
            assert not {"revision", "platform"} & statement["context"].keys()
        if statement["verb"]["id"] == VOIDED:
            assert target["objectType"] == "StatementRef"
            assert target["id"] in by_id, "a void refers to an exported statement"
            assert by_id[target["id"]]["verb"]["id"] != VOIDED, "a void cannot be voided"
        else:
            assert target["objectType"] == "Activity"
            assert IRI.match(target["id"])
            assert target["id"].startswith(BASE_IRI + "/")
            assert IRI.match(target["definition"]["type"])
            names = target["definition"].get("name", {})
            assert all(LANGUAGE_TAG.match(tag) for tag in names)
            for activities in statement["context"].get("contextActivities", {}).values():
                assert all(IRI.match(activity["id"]) for activity in activities)

        score = statement.get("result", {}).get("score")
        if score is not None:
            assert 0 <= score["scaled"] <= 1
            assert score["min"] <= score["raw"] <= score["max"]
            assert score["scaled"] == pytest.approx(score["raw"] / 100)


def test_statements_carry_no_personal_data(ledger: Ledger) -> None:
    text = balai.xapi_statements(ledger, base_iri=BASE_IRI, home_page=HOME_PAGE)
    for private in ["REG-0001", "REG-0002", "op-3", "BNSP", "Surabaya", "3273015203880001"]:
        assert private not in text


def test_the_verbs_and_the_completions(ledger: Ledger) -> None:
    def verbs(exported: list[dict[str, Any]]) -> list[str]:
        return [statement["verb"]["id"].rsplit("/", 1)[1] for statement in exported]

    events = statements(ledger, completions=False)
    assert verbs(events) == [
        *["registered"] * 3,
        *["attended"] * 9,
        "scored",
        "scored",
        "attended",
        "voided",
        "waived",
        "scored",
        "exited",
    ]
    completions = statements(ledger, events=False)
    done = {
        (s["actor"]["account"]["name"], s["verb"]["id"], s["object"]["id"]) for s in completions
    }
    first, second = (registration.id for registration in ledger.roster.registrations[:2])
    adl = "http://adlnet.gov/expapi/verbs/"
    assert (first, adl + "completed", BASE_IRI + "/modules/ENT-101") in done
    assert (first, adl + "passed", BASE_IRI + "/modules/FIN-101") in done
    assert (first, "https://w3id.org/xapi/adl/verbs/satisfied", BASE_IRI + "/program") in done
    assert (second, adl + "failed", BASE_IRI + "/modules/FIN-101") in done
    # The score recorded as 33.3 is exported as 33.3, not as the float the ledger keeps.
    scored = [s for s in events if s["verb"]["id"] == adl + "scored"]
    assert [s["result"]["score"]["raw"] for s in scored] == [82.5, 75.0, 33.3]
    assert scored[2]["result"]["score"]["scaled"] == 0.333


def test_statement_ids_are_reproducible(ledger: Ledger) -> None:
    text = balai.xapi_statements(ledger, base_iri=BASE_IRI, home_page=HOME_PAGE)
    assert balai.xapi_statements(ledger, base_iri=BASE_IRI, home_page=HOME_PAGE) == text
    first = json.loads(text)[0]
    assert first["id"] == balai.xapi_statement_id(500, base_iri=BASE_IRI, home_page=HOME_PAGE)
    other_run = balai.xapi_statement_id(500, base_iri=BASE_IRI + "/rollout", home_page=HOME_PAGE)
    assert other_run != first["id"]


def test_as_of_cuts_the_export(ledger: Ledger) -> None:
    early = statements(ledger, as_of=at(SESSIONS[0]))
    assert all(s["timestamp"] <= "2027-01-04T03:00:00Z" for s in early)
    assert not any(s["verb"]["id"].endswith("/satisfied") for s in early)


def test_bad_xapi_options_are_refused(ledger: Ledger) -> None:
    with pytest.raises(balai.ValidationError, match="base_iri") as caught:
        balai.xapi_statements(ledger, base_iri="pelatihan/xapi", home_page=HOME_PAGE)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(balai.ValidationError, match="home_page"):
        balai.xapi_statements(ledger, base_iri=BASE_IRI, home_page="ftp://x")
    with pytest.raises(balai.ValidationError, match="language"):
        balai.xapi_statements(ledger, base_iri=BASE_IRI, home_page=HOME_PAGE, language="")


# ---- certificates ----------------------------------------------------------------------


@pytest.fixture
def registry() -> CertificateRegistry:
    return CertificateRegistry(KEY)


def test_issue_verify_and_revoke(ledger: Ledger, registry: CertificateRegistry) -> None:
    uuid = ledger.roster.registrations[0].id
    certificate = registry.issue(ledger, uuid, now=NOW)
    assert certificate.registration == uuid
    assert certificate.trainee == "REG-0001"
    assert certificate.program == "Pelatihan Kewirausahaan Nasional"
    assert certificate.completed_on == datetime.date(2027, 1, 26)
    assert certificate.issued_at == certificate.valid_from == NOW
    assert certificate.valid_until == NOW + 1826 * 86400
    assert UUID.match(certificate.serial)
    assert registry.issue(ledger, 0, now=NOW + 99) == certificate  # by index, idempotent
    assert len(registry) == 1
    assert registry.verify(certificate, at=NOW) == Verification.valid
    assert registry.verify(certificate, at=NOW - 1) == Verification.not_yet_valid
    assert registry.verify(certificate, at=certificate.valid_until) == Verification.expired

    registry.revoke(certificate.serial, reason="dicetak ulang", time=NOW + 10)
    assert registry.verify(certificate, at=NOW + 10) == Verification.revoked
    record = registry.find(certificate.serial)
    assert record is not None
    assert re.fullmatch("[0-9a-f]{64}", record.seal)
    assert record == CertificateRecord(
        certificate, revocation=Revocation("dicetak ulang", time=NOW + 10), seal=record.seal
    )
    with pytest.raises(balai.ConflictError):
        registry.revoke(certificate.serial, reason="lain", time=NOW + 10)
    again = registry.issue(ledger, 0, now=NOW + 20)
    assert again.issue == 2
    assert again.serial != certificate.serial


def test_issue_all(ledger: Ledger, registry: CertificateRegistry) -> None:
    assert registry.issue_all(ledger, now=NOW) == 1  # only registration 0 has completed
    assert registry.issue_all(ledger, now=NOW + 1) == 0
    assert registry.records()[0].certificate == registry.issue(ledger, 0, now=NOW + 2)


def test_no_certificate_before_completion(ledger: Ledger, registry: CertificateRegistry) -> None:
    second = ledger.roster.registrations[1].id
    with pytest.raises(balai.ValidationError, match=f"registration {second}.*status") as caught:
        registry.issue(ledger, 1, now=NOW)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(balai.ValidationError, match="in_progress"):
        registry.issue(ledger, 0, now=COMPLETED_AT - 1)
    with pytest.raises(balai.UnknownReferenceError):
        registry.issue(ledger, "00000000-0000-0000-0000-000000000000", now=NOW)
    for index in (3, -1):
        with pytest.raises(balai.UnknownReferenceError):
            registry.issue(ledger, index, now=NOW)
    assert registry.find("00000000-0000-0000-0000-000000000000") is None


def test_an_edited_or_foreign_certificate(ledger: Ledger, registry: CertificateRegistry) -> None:
    certificate = registry.issue(ledger, 0, now=NOW)
    fields = {
        name: getattr(certificate, name)
        for name in [
            "serial",
            "registration",
            "trainee",
            "program",
            "completed_on",
            "issue",
            "issued_at",
            "valid_from",
            "valid_until",
            "verification_code",
        ]
    }
    edited = Certificate(**{**fields, "trainee": "REG-0003"})
    assert registry.verify(edited, at=NOW) == Verification.altered
    assert CertificateRegistry(KEY[::-1]).verify(certificate, at=NOW) == Verification.altered
    assert CertificateRegistry(KEY).verify(certificate, at=NOW) == Verification.unknown
    with pytest.raises(balai.ValidationError, match="registration"):
        Certificate(**{**fields, "registration": "not-a-uuid"})


def test_certificate_values(
    ledger: Ledger, registry: CertificateRegistry, namespace: dict[str, Any]
) -> None:
    certificate = registry.issue(ledger, 0, now=NOW)
    assert eval(repr(certificate), namespace) == certificate
    assert pickle.loads(pickle.dumps(certificate)) == certificate
    registry.revoke(certificate.serial, reason="salah nama", time=NOW + 1)
    records = registry.records()
    assert pickle.loads(pickle.dumps(records)) == records
    assert eval(repr(records[0]), namespace) == records[0]
    with pytest.raises(AttributeError):
        certificate.trainee = "REG-0003"  # type: ignore[misc]
    state: Any = certificate.__getstate__()
    blank: Any = Certificate.__new__(Certificate)
    with pytest.raises(balai.FormatError, match="version 99"):
        blank.__setstate__((99, *state[1:]))


def test_the_key_stays_secret(ledger: Ledger, registry: CertificateRegistry) -> None:
    assert "balai-test" not in repr(registry)
    with pytest.raises(TypeError):
        pickle.dumps(registry)
    with pytest.raises(balai.ValidationError, match="31 bytes"):
        CertificateRegistry(b"k" * 31)


def test_a_registry_restores_from_its_records(
    ledger: Ledger, registry: CertificateRegistry
) -> None:
    certificate = registry.issue(ledger, 0, now=NOW)
    records = pickle.loads(pickle.dumps(registry.records()))
    restored = CertificateRegistry(KEY, records=records)
    assert restored.records() == registry.records()
    assert restored.verify(certificate, at=NOW) == Verification.valid
    with pytest.raises(balai.ValidationError, match="does not verify"):
        CertificateRegistry(KEY[::-1], records=records)


def test_tampered_records_are_refused_naming_the_record(
    ledger: Ledger, registry: CertificateRegistry
) -> None:
    certificate = registry.issue(ledger, 0, now=NOW)
    registry.revoke(certificate.serial, reason="fraud", time=NOW + 10)
    (record,) = registry.records()
    assert record.revocation is not None
    for revocation in (None, Revocation("fraud", time=NOW + 86400)):
        tampered = CertificateRecord(certificate, revocation=revocation, seal=record.seal)
        with pytest.raises(balai.ValidationError, match=r"\(record 0\): seal") as caught:
            CertificateRegistry(KEY, records=[tampered])
        assert certificate.serial in str(caught.value)
    # Cut to nothing, the records form a sound chain: the seal kept apart shows the cut.
    assert len(CertificateRegistry(KEY, records=[])) == 0
    with pytest.raises(balai.ValidationError, match="0 records end with another seal"):
        CertificateRegistry(KEY, records=[], seal=registry.seal)
    restored = CertificateRegistry(KEY, records=[record], seal=registry.seal)
    assert restored.verify(certificate, at=NOW + 11) == Verification.revoked


def test_records_pickled_before_seals_are_adopted_on_purpose(
    ledger: Ledger, registry: CertificateRegistry
) -> None:
    registry.issue(ledger, 0, now=NOW)
    (record,) = registry.records()
    state: Any = record.__getstate__()
    assert state[0] == 2
    assert state[3] == record.seal
    old: Any = CertificateRecord.__new__(CertificateRecord)
    old.__setstate__((1, state[1], state[2]))  # the format before seals
    assert old.seal == ""
    with pytest.raises(balai.ValidationError, match="seal = '': missing"):
        CertificateRegistry(KEY, records=[old])
    adopted = CertificateRegistry.adopt_unsealed(KEY, [old])
    assert adopted.records() == [record]
    assert adopted.seal == registry.seal


# ---- Open Badges 3.0 -------------------------------------------------------------------

# The Open Badges 3.0 AchievementType vocabulary (spec section B.2.5, "Enumerations").
ACHIEVEMENT_TYPES = {
    "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment",
    "AssociateDegree", "Award", "Badge", "BachelorDegree", "Certificate",
    "CertificateOfCompletion", "Certification", "CommunityService", "Competency",
    "Course", "CoCurricular", "Degree", "Diploma", "DoctoralDegree", "Fieldwork",
    "GeneralEducationDevelopment", "JourneymanCertificate", "LearningProgram", "License",
    "Membership", "ProfessionalDoctorate", "QualityAssuranceCredential", "MasterCertificate",
    "MasterDegree", "MicroCredential", "ResearchDoctorate", "SecondarySchoolDiploma",
}  # fmt: skip


def test_open_badge_credential_has_what_the_spec_requires(
    ledger: Ledger, registry: CertificateRegistry
) -> None:
    certificate = registry.issue(ledger, 0, now=NOW)
    text = balai.open_badge_credential(
        certificate,
        issuer_id="https://umkm.example.go.id/issuer",
        issuer_name="Kementerian UMKM",
        achievement_id="https://umkm.example.go.id/achievements/pkn-2027",
    )
    credential = json.loads(text)
    # VerifiableCredential (VCDM 2.0) and AchievementCredential: the required properties.
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" in credential["@context"]
    assert {"VerifiableCredential", "OpenBadgeCredential"} <= set(credential["type"])
    assert credential["id"] == f"urn:uuid:{certificate.serial}"
    issuer = credential["issuer"]
    assert IRI.match(issuer["id"])
    assert "Profile" in issuer["type"]
    assert issuer["name"] == "Kementerian UMKM"
    for moment in ("validFrom", "validUntil"):
        assert TIMESTAMP.match(credential[moment])
    assert credential["validFrom"] < credential["validUntil"]
    # Plain strings where the OB 3.0 JSON Schema asks for them (Indonesian), both languages
    # in the language maps beside them.
    assert credential["name"] == credential["nameByLanguage"]["id"]
    assert set(credential["nameByLanguage"]) == {"id", "en"}
    # AchievementSubject and Achievement.
    subject = credential["credentialSubject"]
    assert "AchievementSubject" in subject["type"]
    assert subject["id"] == f"urn:uuid:{certificate.registration}"
    achievement = subject["achievement"]
    assert IRI.match(achievement["id"])
    assert "Achievement" in achievement["type"]
    assert achievement["achievementType"] in ACHIEVEMENT_TYPES
    assert achievement["inLanguage"] == "id"
    for owner, text in ((achievement, "name"), (achievement, "description"),
                        (achievement["criteria"], "narrative")):  # fmt: skip
        assert isinstance(owner[text], str)
        assert owner[text]
        assert owner[text + "ByLanguage"]["id"] == owner[text]
        assert owner[text + "ByLanguage"]["en"]
    assert achievement["nameByLanguage"] == {"id": certificate.program, "en": certificate.program}
    # balai's own terms, and what is not there.
    assert credential["verificationCode"] == certificate.verification_code
    assert "proof" not in credential
    assert "REG-0001" not in text
    with pytest.raises(balai.ValidationError, match="issuer_id"):
        balai.open_badge_credential(
            certificate, issuer_id="", issuer_name="x", achievement_id="https://x.id/a"
        )
