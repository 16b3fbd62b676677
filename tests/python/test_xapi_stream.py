"""xAPI exports streamed and incremental (balai.xapi): batches and files give the one-string
export's statements, and an LRS fed incremental exports of a growing ledger, cut at random,
ends holding the completions the ledger shows. The LRS here is a strict one written for
the test: it refuses a statement id it holds with other content, a voided id sent again,
and a void of an unknown statement or of a void."""

from __future__ import annotations

import datetime
import importlib
import io
import json
import random
import threading
from typing import Any

import pydantic
import pytest

import balai
from balai import Event, EventKind, Ledger, Status

BASE_IRI = "https://pelatihan.example.go.id/xapi/2027"
HOME_PAGE = "https://registrasi.example.go.id"
OPTIONS: dict[str, Any] = {"base_iri": BASE_IRI, "home_page": HOME_PAGE}
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
# ralph ships no type information; imported this way, mypy takes it as Any.
BaseXapiStatement: Any = importlib.import_module(
    "ralph.models.xapi.base.statements"
).BaseXapiStatement
COMPLETION_VERBS = {
    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/passed",
    "http://adlnet.gov/expapi/verbs/failed",
    "https://w3id.org/xapi/adl/verbs/satisfied",
}
MODULES = {0: [0, 1, 2], 1: [0, 1], 2: [0, 1, 2]}  # per registration (conftest's roster)
SESSIONS = {0: 4, 1: 4, 2: 2}  # per module


def unix(day: datetime.date) -> int:
    moment = datetime.datetime(day.year, day.month, day.day, 3, tzinfo=datetime.timezone.utc)
    return int(moment.timestamp())


class StrictLrs:
    """Statements by id, and the ids voided, as an LRS keeps them."""

    def __init__(self) -> None:
        self.statements: dict[str, dict[str, Any]] = {}
        self.voided: set[str] = set()

    def post(self, batch: list[dict[str, Any]]) -> None:
        for statement in batch:
            held = self.statements.get(statement["id"])
            assert held is None or held == statement, f"409: {statement['id']} differs"
            assert statement["id"] not in self.voided, f"{statement['id']} was voided"
            if statement["verb"]["id"] == VOIDED:
                target = statement["object"]["id"]
                assert target in self.statements, f"void of unknown {target}"
                assert self.statements[target]["verb"]["id"] != VOIDED, "void of a void"
                self.voided.add(target)
            self.statements[statement["id"]] = statement

    def completions(self) -> set[str]:
        return {
            id
            for id, statement in self.statements.items()
            if statement["verb"]["id"] in COMPLETION_VERBS and id not in self.voided
        }


def completion_ids(ledger: Ledger) -> set[str]:
    everything = json.loads(balai.xapi_statements(ledger, **OPTIONS, events=False))
    return {statement["id"] for statement in everything}


def random_event(rng: random.Random, event_id: int, earlier: list[int]) -> Event:
    registration = rng.randrange(3)
    module = rng.choice(MODULES[registration])
    day = datetime.date(2027, 1, 4) + datetime.timedelta(days=rng.randrange(120))
    common: dict[str, Any] = {"registration": registration, "time": unix(day), "actor": "op-1"}
    kind = rng.choices(
        ["attended", "absent", "excused", "assessed", "waived", "overridden", "withdrew", "voided"],
        weights=[30, 5, 3, 15, 3, 3, 2, 12],
    )[0]
    session = rng.randint(1, SESSIONS[module])
    match kind:
        case "attended" | "absent" | "excused":
            return Event(event_id, kind=EventKind[kind], module=module, session=session, **common)
        case "assessed":
            score = rng.choice([35.0, 60.0, 75.5, 90.0])
            return Event(event_id, kind=EventKind.assessed, module=module, score=score, **common)
        case "waived":
            return Event(event_id, kind=EventKind.waived, module=module, reason="RPL", **common)
        case "overridden":
            result = rng.choice([Status.completed, Status.failed])
            return Event(
                event_id,
                kind=EventKind.overridden,
                module=module,
                reason="keputusan panitia",
                result=result,
                **common,
            )
        case "withdrew":
            return Event(event_id, kind=EventKind.withdrew, **common)
        case _:
            target = rng.choice(earlier)
            return Event(event_id, kind=EventKind.voided, target=target, **common)


def test_batches_and_files_are_the_one_string_export(ledger: Ledger, tmp_path: Any) -> None:
    whole = json.loads(balai.xapi_statements(ledger, **OPTIONS))
    for size in (1, 3, 1000):
        batches = [json.loads(text) for text in balai.xapi_batches(ledger, **OPTIONS, batch=size)]
        assert all(1 <= len(batch) <= size for batch in batches)
        assert [s for batch in batches for s in batch] == whole
    path = tmp_path / "statements.json"
    assert balai.write_xapi_statements(ledger, path, **OPTIONS, batch=4) == len(ledger)
    assert json.loads(path.read_text(encoding="utf-8")) == whole
    assert not (tmp_path / "statements.json.partial").exists()
    out = io.StringIO()
    balai.write_xapi_statements(ledger, out, **OPTIONS, batch=2)
    assert json.loads(out.getvalue()) == whole
    with pytest.raises(balai.ValidationError, match="count"):
        balai.XapiExport(ledger, balai.XapiOptions(**OPTIONS)).next_batch(0)


def test_a_failed_file_export_leaves_no_file(ledger: Ledger, tmp_path: Any) -> None:
    path = tmp_path / "statements.json"
    with pytest.raises(balai.ValidationError, match="since"):
        balai.write_xapi_statements(ledger, path, **OPTIONS, since=len(ledger) + 1)
    assert list(tmp_path.iterdir()) == []


def test_an_incremental_export_sends_only_what_changed(ledger: Ledger) -> None:
    first = balai.XapiExport(ledger, balai.XapiOptions(**OPTIONS))
    assert first.position == len(ledger)
    assert balai.xapi_statements(ledger, **OPTIONS, since=len(ledger)) == "[]"
    with pytest.raises(balai.ValidationError, match="as_of"):
        balai.xapi_statements(ledger, **OPTIONS, since=1, as_of=0)


def test_statement_ids_differ_with_what_the_statement_says(ledger: Ledger) -> None:
    # The same event in another language or under another home page is another statement.
    ids = {s["id"] for s in json.loads(balai.xapi_statements(ledger, **OPTIONS))}
    english = json.loads(balai.xapi_statements(ledger, **OPTIONS | {"language": "en-US"}))
    elsewhere = json.loads(
        balai.xapi_statements(ledger, **OPTIONS | {"home_page": "https://sso.example.go.id"})
    )
    assert ids.isdisjoint(s["id"] for s in english)
    assert ids.isdisjoint(s["id"] for s in elsewhere)
    first = ledger.event(0).id  # an enrolment: its statement comes first
    assert english[0]["id"] == balai.xapi_statement_id(first, **OPTIONS, language="en-US")


def grow(ledger: Ledger, rng: random.Random, events: int, next_id: int) -> int:
    """Appends up to `events` random events (those the ledger refuses, such as a void of a
    void or a second void of one event, are left out); returns the next free id."""
    earlier = [ledger.event(p).id for p in range(len(ledger))]
    for _ in range(events):
        event = random_event(rng, next_id, earlier)
        next_id += 1
        try:
            ledger.append([event])
        except balai.Error:
            continue
        if event.kind != EventKind.voided:
            earlier.append(event.id)
    return next_id


def enrolled(roster: balai.Roster) -> Ledger:
    ledger = Ledger(roster)
    at = unix(datetime.date(2027, 1, 1))
    ledger.append(
        [
            Event(1 + r, kind=EventKind.enrolled, registration=r, time=at, actor="op-1")
            for r in range(3)
        ]
    )
    return ledger


@pytest.fixture
def ledger(roster: balai.Roster) -> Ledger:
    ledger = enrolled(roster)
    grow(ledger, random.Random(99), 60, 10)
    return ledger


def standings(ledger: Ledger) -> set[tuple[str, str, str]]:
    """(registration, module code or "program", verb) of each standing the ledger shows that
    a completion statement states, read from its status frames."""
    adl, w3id = "http://adlnet.gov/expapi/verbs/", "https://w3id.org/xapi/adl/verbs/"
    verbs = {"completed": adl + "completed", "passed": adl + "passed", "failed": adl + "failed"}
    modules = balai.tracking.module_frame(ledger)
    held = {
        (str(row.registration_id), str(row.module), verbs[str(row.status)])
        for row in modules.itertuples()
        if str(row.status) in verbs
    }
    program_verbs = verbs | {"completed": w3id + "satisfied"}
    for row in balai.tracking.status_frame(ledger).itertuples():
        if str(row.status) in program_verbs:
            held.add((str(row.registration_id), "program", program_verbs[str(row.status)]))
    return held


@pytest.mark.parametrize("seed", range(20))
def test_an_lrs_fed_incremental_exports_holds_the_ledgers_completions(
    roster: balai.Roster, seed: int
) -> None:
    rng = random.Random(seed)
    ledger = enrolled(roster)
    lrs, position, next_id = StrictLrs(), 0, 10
    while next_id < 160:
        next_id = grow(ledger, rng, rng.randint(1, 12), next_id)
        export = balai.XapiExport(ledger, balai.XapiOptions(**OPTIONS, since=position))
        while (text := export.next_batch(rng.randint(1, 20))) is not None:
            lrs.post(json.loads(text))
        position = export.position
        assert lrs.completions() == completion_ids(ledger)
        held = {
            (s["actor"]["account"]["name"], s["object"]["id"].rsplit("/", 1)[-1], s["verb"]["id"])
            for id, s in lrs.statements.items()
            if id in lrs.completions()
        }
        assert held == standings(ledger)


def test_every_statement_is_valid_for_ralph(roster: balai.Roster) -> None:
    # ralph-malph's xAPI models (pydantic, strict: no unknown members, one actor
    # identifier, context.platform only with an Activity) on full and incremental exports
    # of a random ledger, the voids of completions included.
    ledger = enrolled(roster)
    rng = random.Random(5)
    position, kinds, refused = 0, set(), []
    while len(ledger) < 150:
        grow(ledger, rng, 15, 10 + 2 * len(ledger))
        for since in (0, position):
            export = balai.XapiExport(ledger, balai.XapiOptions(**OPTIONS, since=since))
            while (text := export.next_batch(50)) is not None:
                for statement in json.loads(text):
                    kinds.add((statement["verb"]["id"], statement["object"]["objectType"]))
                    try:
                        BaseXapiStatement.model_validate(statement)
                    except pydantic.ValidationError as error:
                        refused.append(f"{statement['verb']['id']}: {error}")
            position = export.position
    assert refused == []
    assert (VOIDED, "StatementRef") in kinds
    assert len({verb for verb, _ in kinds}) >= 8
    # The models are strict enough to mean something: the rule balai once broke.
    void = next(
        s for s in json.loads(balai.xapi_statements(ledger, **OPTIONS)) if s["verb"]["id"] == VOIDED
    )
    void["context"]["platform"] = "balai"
    with pytest.raises(pydantic.ValidationError):
        BaseXapiStatement.model_validate(void)


def test_threads_sharing_one_export_take_turns(ledger: Ledger) -> None:
    # Each batch moves the export on: two threads draining one export get every statement
    # once between them, whatever the interleaving, and the ledger may be read meanwhile.
    whole = json.loads(balai.xapi_statements(ledger, **OPTIONS))
    export = balai.XapiExport(ledger, balai.XapiOptions(**OPTIONS))
    got: list[list[dict[str, Any]]] = [[], []]

    def drain(mine: list[dict[str, Any]]) -> None:
        while (text := export.next_batch(3)) is not None:
            mine.extend(json.loads(text))
            balai.tracking.status_frame(ledger)

    threads = [threading.Thread(target=drain, args=(got[i],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = sorted(s["id"] for s in got[0] + got[1])
    assert ids == sorted(s["id"] for s in whole)
