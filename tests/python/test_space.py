"""Shared space from Python: the values (construction, bad input, equality, repr, pickling),
the allocator and the SpaceBook on a hand-made inventory with hand-computed results, the
frames, the utilisation accounts, the chain from a timetable and the plots."""

from __future__ import annotations

import datetime as dt
import pickle
from typing import Any, cast

import matplotlib
import numpy as np
import pandas as pd
import pytest

import balai
from balai import pilot, scenario, space
from balai.space import (
    Booking,
    RequestOutcome,
    RequestStatus,
    Resource,
    ResourceKind,
    SpaceAllocation,
    SpaceBook,
    SpaceInventory,
    SpaceOptions,
    SpaceRequest,
    SpaceScenarioOptions,
    SpaceSite,
)

matplotlib.use("Agg")

START = dt.date(2027, 1, 4)  # a Monday
BANDUNG = balai.GeoPoint(-6.9175, 107.6191)
SURABAYA = balai.GeoPoint(-7.2891, 112.7342)
NEAR_BANDUNG = balai.GeoPoint(-6.9034, 107.6181)
NEAR_SURABAYA = balai.GeoPoint(-7.2504, 112.7688)


@pytest.fixture
def inventory() -> SpaceInventory:
    """Three weeks; in Bandung a sewing workshop (10 h a week, training takes 4, 0, 10)
    and storage (50 m2); in Surabaya a PLUT's mentors (20 h, training takes 5)."""
    return SpaceInventory(
        start=START,
        weeks=3,
        sites=[
            SpaceSite(facility="UPTD-3273-001", kind="uptd", location=BANDUNG, province=32),
            SpaceSite(facility="PLUT-35", kind="plut", location=SURABAYA, province=35),
        ],
        resources=[
            Resource(
                site=0, kind="workshop", label="sewing", capacity=[10] * 3, training=[4, 0, 10]
            ),
            Resource(site=0, kind="storage", capacity=[50] * 3),
            Resource(site=1, kind="mentoring", capacity=[20] * 3, training=[5] * 3),
        ],
    )


def request(id: str, **fields: Any) -> SpaceRequest:
    values: dict[str, Any] = {
        "business": f"UMKM-{id}",
        "kind": "workshop",
        "label": "sewing",
        "amount": 1,
        "location": NEAR_BANDUNG,
        "province": 32,
    }
    return SpaceRequest(id=id, **{**values, **fields})


@pytest.fixture
def requests() -> list[SpaceRequest]:
    """A: a graduate's whole request, 6 h in weeks 0-1 (served first, in full). B: 5 h in
    week 0, whole (after A nothing is left that week). F: 8 h in week 1, splittable (4 left
    after A). C: 10 mentoring hours each week in Surabaya, splittable (15 free). D: storage
    near Surabaya (the only storage is in Bandung). E: a production slot no site offers."""
    return [
        request("A", graduate=True, amount=6, weeks=2),
        request("B", amount=5),
        request("F", amount=8, first_week=1, splittable=True),
        request(
            "C",
            kind="mentoring",
            label="",
            amount=10,
            weeks=3,
            location=NEAR_SURABAYA,
            province=35,
            splittable=True,
        ),
        request("D", kind="storage", label="", amount=5, location=NEAR_SURABAYA, province=35),
        request("E", kind="production", label="10", amount=2),
    ]


def fields_of(error: pytest.ExceptionInfo[balai.ValidationError]) -> list[str]:
    return [problem.field for problem in error.value.problems]


# ---- values ------------------------------------------------------------------------------


def values(inventory: SpaceInventory, requests: list[SpaceRequest]) -> list[Any]:
    allocation = space.allocate_space(inventory, requests, progress=False)
    return [
        inventory,
        *inventory.sites,
        *inventory.resources,
        *requests,
        *allocation.bookings,
        *allocation.outcomes,
        allocation,
        SpaceOptions(graduates_first=False, k=3, same_island_group=False, threads=1),
        SpaceScenarioOptions(seed=3, requests=10, holidays=[dt.date(2027, 1, 6)]),
    ]


def test_values_pickle_and_repr_round_trip(
    inventory: SpaceInventory, requests: list[SpaceRequest], namespace: dict[str, Any]
) -> None:
    for value in values(inventory, requests):
        assert pickle.loads(pickle.dumps(value)) == value
        assert eval(repr(value), namespace) == value  # the repr is the constructor call


def test_values_compare_by_content(inventory: SpaceInventory) -> None:
    again = SpaceInventory(
        start=inventory.start,
        weeks=inventory.weeks,
        sites=inventory.sites,
        resources=inventory.resources,
    )
    assert again == inventory
    changed = inventory.resources[1].replace(capacity=[50, 50, 49])
    assert changed != inventory.resources[1]
    assert inventory.replace(resources=[*inventory.resources[:1], changed]) != inventory
    assert request("A").replace(kind=ResourceKind.storage, label="").kind is ResourceKind.storage


def test_inventory_reads(inventory: SpaceInventory) -> None:
    assert [inventory.free(0, w) for w in range(3)] == [6, 10, 0]
    assert inventory.free(1, 0) == 50
    assert inventory.week_of(START + dt.timedelta(days=13)) == 1
    assert inventory.week_of(START + dt.timedelta(days=21)) is None
    assert [space.unit_of(kind) for kind in ResourceKind] == ["hours", "hours", "slots", "m2", "m2"]


def test_long_lists_are_elided_in_the_repr(inventory: SpaceInventory) -> None:
    resources = [
        Resource(site=0, kind="workshop", label=f"tag_{i}", capacity=[1] * 3) for i in range(13)
    ]
    text = repr(inventory.replace(resources=resources))
    assert "resources=<13 resources>" in text
    assert "sites=[SpaceSite(" in text


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: request("A", amount=-1), "amount"),
        (lambda: request("A", amount="two"), "amount"),
        (lambda: request("A", label="Bad Label"), "label"),
        (lambda: request("A", kind="production", label="1"), "label"),
        (lambda: request("A", kind="storage"), "label"),  # storage takes no label
        (lambda: request("A", kind="parking"), "kind"),
        (lambda: request("A", weeks=0), "weeks"),
        (lambda: request("A", first_week=-1), "first_week"),
        (lambda: request("A", max_distance_km=0.0), "max_distance_km"),
        (lambda: request("A", province=99), "province"),
        (lambda: request(""), "id"),
        (lambda: SpaceOptions(k=0), "k"),
        (lambda: SpaceScenarioOptions(graduate_share=1.5), "graduate_share"),
    ],
)
def test_bad_values_name_the_field(make: Any, field: str) -> None:
    with pytest.raises(balai.ValidationError) as caught:
        make()
    assert field in fields_of(caught)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": START + dt.timedelta(days=1)}, "start"),
        ({"weeks": 0}, "weeks"),
    ],
)
def test_bad_inventory_names_the_field(
    inventory: SpaceInventory, change: dict[str, Any], field: str
) -> None:
    with pytest.raises(balai.ValidationError) as caught:
        inventory.replace(**change)
    assert field in fields_of(caught)


@pytest.mark.parametrize(
    ("resource", "field"),
    [
        (Resource(site=0, kind="workshop", label="Sewing!", capacity=[1] * 3), "label"),
        (Resource(site=5, kind="storage", capacity=[1] * 3), "site"),
        (Resource(site=0, kind="display", capacity=[1] * 2), "capacity"),
        (Resource(site=0, kind="display", capacity=[-1] * 3), "capacity"),
        (Resource(site=0, kind="display", capacity=[1] * 3, training=[2] * 3), "training"),
        (Resource(site=0, kind="storage", capacity=[1] * 3), "label"),  # a second storage
    ],
)
def test_bad_resource_names_itself_and_the_field(
    inventory: SpaceInventory, resource: Resource, field: str
) -> None:
    with pytest.raises(balai.ValidationError) as caught:
        inventory.replace(resources=[*inventory.resources, resource])
    problem = next(p for p in caught.value.problems if p.field == field)
    assert problem.where.startswith("resource 3")


def test_unknown_option_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="kay"):
        SpaceOptions(kay=3)  # type: ignore[call-arg]


# ---- allocation --------------------------------------------------------------------------


def test_allocate_by_hand(inventory: SpaceInventory, requests: list[SpaceRequest]) -> None:
    allocation = space.allocate_space(inventory, requests, progress=False)
    outcomes = {r.id: o for r, o in zip(requests, allocation.outcomes, strict=True)}
    expected = {
        "A": (12, 12, RequestStatus.served),
        "B": (5, 0, RequestStatus.capacity),
        "F": (8, 4, RequestStatus.partly_served),
        "C": (30, 30, RequestStatus.served),
        "D": (5, 0, RequestStatus.out_of_range),
        "E": (2, 0, RequestStatus.no_resource),
    }
    assert {k: (o.requested, o.served, o.status) for k, o in outcomes.items()} == expected
    assert outcomes["A"].detail == ""
    assert outcomes["B"].detail != ""
    assert (allocation.requested, allocation.served) == (62, 46)

    a = allocation.bookings[0]
    assert (a.id, a.request, a.resource, a.first_week, a.weeks, a.amount) == (
        "A/1",
        "A",
        0,
        0,
        2,
        6,
    )
    assert a.distance_km == pytest.approx(NEAR_BANDUNG.distance_km(BANDUNG))
    served = {r.id: 0 for r in requests}
    for booking in allocation.bookings:
        served[booking.request] += booking.amount * booking.weeks
    assert served == {k: v[1] for k, v in expected.items()}
    assert {b.resource for b in allocation.bookings if b.request == "C"} == {2}
    units_km = sum(b.amount * b.weeks * b.distance_km for b in allocation.bookings)
    assert allocation.unit_km == pytest.approx(units_km)
    assert balai.verify_bookings(inventory, allocation.bookings) == []


def test_graduates_first_can_be_turned_off(
    inventory: SpaceInventory, requests: list[SpaceRequest]
) -> None:
    # Without the graduate's tier, A and B are one tier, and whole requests go largest
    # first: A (12 units) still before B (5), so the result is the same...
    same = space.allocate_space(inventory, requests, graduates_first=False, progress=False)
    assert [o.served for o in same.outcomes] == [12, 0, 4, 30, 0, 0]
    # ...but a priority puts B ahead of A, which then finds week 0 short.
    first = [requests[1].replace(priority=1), *requests[:1], *requests[2:]]
    changed = space.allocate_space(inventory, first, graduates_first=False, progress=False)
    assert [o.served for o in changed.outcomes[:2]] == [5, 0]


def test_existing_bookings_keep_their_capacity(
    inventory: SpaceInventory, requests: list[SpaceRequest]
) -> None:
    held = Booking(id="X/1", request="X", resource=2, first_week=0, weeks=3, amount=15)
    allocation = space.allocate_space(inventory, requests, existing=[held], progress=False)
    outcome = allocation.outcomes[3]  # C: the mentors' free hours are all held
    assert (outcome.served, outcome.status) == (0, RequestStatus.capacity)


@pytest.mark.parametrize(
    ("change", "field", "where"),
    [
        ({"first_week": 2, "weeks": 2}, "weeks", "request 0 (A)"),  # ends after the window
        ({"id": "B"}, "id", "request 1 (B)"),  # the second of two with one id
    ],
)
def test_bad_requests_name_position_and_field(
    inventory: SpaceInventory,
    requests: list[SpaceRequest],
    change: dict[str, Any],
    field: str,
    where: str,
) -> None:
    bad = [requests[0].replace(**change), *requests[1:]]
    with pytest.raises(balai.ValidationError) as caught:
        space.allocate_space(inventory, bad, progress=False)
    assert (where, field) in [(p.where, p.field) for p in caught.value.problems]


def test_progress_callback_sees_the_work(
    inventory: SpaceInventory, requests: list[SpaceRequest]
) -> None:
    calls: list[tuple[str, int, int]] = []
    space.allocate_space(inventory, requests, progress=lambda *call: calls.append(call), threads=1)
    assert calls
    assert calls[-1][1] == calls[-1][2]


# ---- the book ----------------------------------------------------------------------------


def test_book_allocates_cancels_and_changes(
    inventory: SpaceInventory, requests: list[SpaceRequest]
) -> None:
    book = SpaceBook(inventory)
    allocation = book.allocate(requests)
    assert book.bookings == sorted(allocation.bookings, key=lambda b: b.id)
    assert [book.available(0, w) for w in range(3)] == [0, 0, 0]
    assert [book.booked(0, w) for w in range(3)] == [6, 10, 0]
    f = next(b for b in book.bookings if b.request == "F")

    assert book.cancel("A/1") == allocation.bookings[0]
    assert [book.available(0, w) for w in range(3)] == [6, 6, 0]

    changed = book.change(f.id, amount=10)  # its own 4 hours count as left
    assert (changed.amount, changed.first_week, changed.weeks) == (10, 1, 1)
    assert book.booking(f.id) == changed
    assert book.available(0, 1) == 0
    before = pickle.dumps(book)
    with pytest.raises(balai.ValidationError) as caught:
        book.change(f.id, amount=3, first_week=0, weeks=3)  # week 2 has nothing free
    assert "amount" in fields_of(caught)
    assert "week 2" in caught.value.problems[0].message
    assert pickle.loads(before) == book  # nothing changed
    moved = book.change(f.id, amount=6, first_week=0)  # week 0 has 6 left
    assert (moved.amount, moved.first_week, moved.weeks) == (6, 0, 1)
    assert [book.available(0, w) for w in range(3)] == [0, 10, 0]


def test_book_refuses_bad_bookings_whole(inventory: SpaceInventory) -> None:
    book = SpaceBook(inventory)
    good = Booking(id="G/1", request="G", resource=1, first_week=0, weeks=3, amount=50)
    unknown = Booking(id="U/1", request="U", resource=7, first_week=0, weeks=1, amount=1)
    with pytest.raises(balai.ValidationError) as caught:
        book.add([good, unknown])
    assert "resource" in fields_of(caught)
    assert book.bookings == []
    book.add([good])
    with pytest.raises(balai.ValidationError) as caught:
        book.add([good.replace(id="G/2", amount=1, weeks=1)])  # storage is full
    assert "week" in fields_of(caught)
    with pytest.raises(balai.UnknownReferenceError):
        book.cancel("nope")
    with pytest.raises(KeyError):
        book.booking("nope")
    with pytest.raises(balai.ValidationError):
        book.booked(3, 0)  # no such resource


def test_book_compares_pickles_and_shows_its_size(
    inventory: SpaceInventory, requests: list[SpaceRequest]
) -> None:
    book = SpaceBook(inventory)
    assert book == SpaceBook(inventory)
    book.allocate(requests)
    assert book != SpaceBook(inventory)
    again = pickle.loads(pickle.dumps(book))
    assert again == book
    assert again.inventory == inventory
    assert repr(book) == f"<SpaceBook {len(book.bookings)} bookings on 3 resources>"


@pytest.mark.parametrize(
    ("booking", "field"),
    [
        (Booking(id="X/1", request="X", resource=3, amount=1), "resource"),
        (Booking(id="X/1", request="X", resource=0, first_week=2, weeks=2, amount=1), "weeks"),
        (Booking(id="X/1", request="X", resource=0, first_week=3, amount=1), "first_week"),
        (Booking(id="X/1", request="X", resource=1, amount=-2), "amount"),
        (Booking(id="", request="X", resource=1, amount=2), "id"),
        (Booking(id="X/1", request="X", resource=0, amount=7), "week"),  # 6 free in week 0
    ],
)
def test_verify_names_what_is_wrong(
    inventory: SpaceInventory, booking: Booking, field: str
) -> None:
    assert field in [p.field for p in balai.verify_bookings(inventory, [booking])]


# ---- frames ------------------------------------------------------------------------------


def dtypes(frame: pd.DataFrame) -> dict[str, str]:
    return {str(name): str(dtype) for name, dtype in frame.dtypes.items()}


def test_inventory_frame(inventory: SpaceInventory) -> None:
    frame = space.inventory_frame(inventory)
    assert dtypes(frame) == {
        "resource": "int64",
        "facility": "string",
        "facility_kind": "category",
        "province": "int64",
        "kind": "category",
        "label": "string",
        "unit": "category",
        "capacity_total": "int64",
        "training_total": "int64",
        "free_total": "int64",
    }
    assert frame["facility"].tolist() == ["UPTD-3273-001", "UPTD-3273-001", "PLUT-35"]
    assert frame["facility_kind"].tolist() == ["uptd", "uptd", "plut"]
    assert frame["kind"].tolist() == ["workshop", "storage", "mentoring"]
    assert frame["unit"].tolist() == ["hours", "m2", "hours"]
    assert frame["capacity_total"].tolist() == [30, 150, 60]
    assert frame["training_total"].tolist() == [14, 0, 15]
    assert frame["free_total"].tolist() == [16, 150, 45]


def test_bookings_and_outcomes_frames(
    inventory: SpaceInventory, requests: list[SpaceRequest]
) -> None:
    allocation = space.allocate_space(inventory, requests, progress=False)
    bookings = space.bookings_frame(inventory, allocation.bookings)
    assert list(bookings.columns) == [
        "id",
        "request",
        "resource",
        "facility",
        "facility_kind",
        "province",
        "kind",
        "label",
        "first_week",
        "weeks",
        "amount",
        "distance_km",
    ]
    assert bookings["id"].tolist() == [b.id for b in allocation.bookings]
    assert bookings.loc[0, "facility"] == "UPTD-3273-001"
    assert str(bookings["amount"].dtype) == "int64"
    assert bookings[bookings["request"] == "C"]["province"].eq(35).all()

    outcomes = space.outcomes_frame(requests, allocation)
    assert dtypes(outcomes) == {
        "request": "string",
        "business": "string",
        "graduate": "bool",
        "priority": "int64",
        "kind": "category",
        "label": "string",
        "requested": "int64",
        "served": "int64",
        "status": "category",
        "detail": "string",
    }
    assert outcomes["status"].tolist() == [
        "served",
        "capacity",
        "partly_served",
        "served",
        "out_of_range",
        "no_resource",
    ]
    assert outcomes["served"].sum() == allocation.served
    with pytest.raises(balai.ValidationError):
        space.outcomes_frame(requests[:2], allocation)
    with pytest.raises(balai.ValidationError) as caught:
        space.bookings_frame(inventory, [allocation.bookings[0].replace(resource=9)])
    assert fields_of(caught) == ["resource"]


def test_requests_frame_round_trip(requests: list[SpaceRequest]) -> None:
    frame = space.requests_frame(requests)
    assert list(frame.columns) == [
        "id",
        "business",
        "graduate",
        "priority",
        "kind",
        "label",
        "amount",
        "first_week",
        "weeks",
        "lat",
        "lng",
        "province",
        "max_distance_km",
        "splittable",
    ]
    assert str(frame["kind"].dtype) == "category"
    assert space.requests_from_frame(frame) == requests
    # Optional columns may be left out: the defaults of SpaceRequest apply.
    bare = frame[["id", "business", "kind", "label", "amount", "lat", "lng", "province"]]
    assert space.requests_from_frame(bare)[0] == requests[0].replace(graduate=False, weeks=1)


def test_requests_from_frame_names_bad_cells(requests: list[SpaceRequest]) -> None:
    frame = space.requests_frame(requests)
    frame.loc[1, "amount"] = -3
    frame.loc[2, "lat"] = 100.0
    frame.loc[4, "kind"] = "display"
    frame.loc[4, "label"] = "x"
    frame.loc[5, "business"] = pd.NA
    with pytest.raises(balai.ValidationError) as caught:
        space.requests_from_frame(frame)
    found = {(p.where, p.field) for p in caught.value.problems}
    assert found == {
        ("row 1", "amount"),
        ("row 2", "lat, lng"),
        ("row 4", "label"),
        ("row 5", "business"),
    }
    many = space.requests_frame([requests[0].replace(id=f"R{i}") for i in range(30)])
    many["amount"] = many["amount"].astype("float64")  # every row's amount is now a float
    with pytest.raises(balai.ValidationError) as caught:
        space.requests_from_frame(many)
    assert len(caught.value.problems) == 21  # the first 20 rows, and how many more
    assert caught.value.problems[-1].message == "and 10 more bad rows"
    with pytest.raises(balai.ValidationError) as caught:
        space.requests_from_frame(frame.drop(columns=["lng", "amount"]))
    assert fields_of(caught) == ["amount, lng"]


def test_utilisation_accounts_for_every_unit(
    inventory: SpaceInventory, requests: list[SpaceRequest]
) -> None:
    allocation = space.allocate_space(inventory, requests, progress=False)
    frame = space.utilisation_frame(inventory, allocation.bookings)
    assert list(frame.columns) == [
        "resource",
        "facility",
        "facility_kind",
        "province",
        "kind",
        "label",
        "unit",
        "week",
        "week_start",
        "capacity",
        "training",
        "shared",
        "idle",
    ]
    assert len(frame) == 9
    assert (frame["capacity"] == frame["training"] + frame["shared"] + frame["idle"]).all()
    assert frame["week_start"].tolist()[:3] == [START + dt.timedelta(weeks=w) for w in range(3)]
    sewing = frame[frame["resource"] == 0]
    assert sewing["training"].tolist() == [4, 0, 10]
    assert sewing["shared"].tolist() == [6, 10, 0]  # A in weeks 0-1, F's 4 in week 1
    assert frame["shared"].sum() == allocation.served

    columns = balai.space_utilisation(inventory, allocation.bookings)
    assert columns["idle"].dtype == np.int32
    assert columns["idle"].tolist() == frame["idle"].tolist()
    over = Booking(id="X/1", request="X", resource=0, amount=1)
    with pytest.raises(balai.ValidationError):
        space.utilisation_frame(inventory, [*allocation.bookings, over])


def test_utilisation_summary(inventory: SpaceInventory, requests: list[SpaceRequest]) -> None:
    allocation = space.allocate_space(inventory, requests, progress=False)
    frame = space.utilisation_frame(inventory, allocation.bookings)
    by_kind = space.utilisation_summary(frame, "kind").set_index("kind")
    assert list(by_kind.index) == ["workshop", "mentoring", "storage"]
    workshop = by_kind.loc["workshop"]
    assert (workshop["capacity"], workshop["training"], workshop["shared"]) == (30, 14, 16)
    assert workshop["idle_share"] == 0.0
    mentoring = by_kind.loc["mentoring"]
    assert mentoring["shared_share"] == pytest.approx(30 / 60)
    shares = by_kind[["training_share", "shared_share", "idle_share"]].sum(axis=1)
    assert np.allclose(shares, 1.0)
    both = space.utilisation_summary(frame, ["province", "week"])
    assert len(both) == 6
    assert both["capacity"].sum() == frame["capacity"].sum()
    with pytest.raises(balai.ValidationError):
        space.utilisation_summary(frame, "colour")


# ---- the chain and the plots -------------------------------------------------------------


@pytest.fixture(scope="module")
def world() -> balai.Dataset:
    return scenario.indonesia(seed=5, trainees=1_000)


@pytest.fixture(scope="module")
def timetable(world: balai.Dataset) -> balai.Timetable:
    options = balai.PilotOptions(
        sites=balai.PilotOptions().sites.replace(sites=60),
        forecast=balai.ForecastOptions(replications=2),
    )
    return pilot.plan(world, options, progress=False).timetable


def test_plan_chains_the_steps(world: balai.Dataset, timetable: balai.Timetable) -> None:
    options = SpaceScenarioOptions(seed=4, requests=400)
    shared = space.plan(world, timetable, options, progress=False)
    assert shared.inventory.start.weekday() == 0
    assert shared.inventory.start <= timetable.window.first
    last = shared.inventory.start + dt.timedelta(weeks=shared.inventory.weeks)
    assert timetable.window.last < last <= timetable.window.last + dt.timedelta(weeks=1)
    assert len(shared.inventory.sites) == len(world.facilities)
    assert len(shared.requests) == 400
    assert len(shared.allocation.outcomes) == 400
    assert balai.verify_bookings(shared.inventory, shared.allocation.bookings) == []
    assert any(sum(r.training) > 0 for r in shared.inventory.resources)

    # The same steps by hand give the same values.
    bare = space.scenario_inventory(world, shared.inventory.start, shared.inventory.weeks, options)
    assert space.with_training(bare, world, timetable) == shared.inventory
    assert space.scenario_requests(world, shared.inventory, options) == shared.requests
    again = space.allocate_space(shared.inventory, shared.requests, progress=False)
    assert again == shared.allocation

    frame = space.utilisation_frame(shared.inventory, shared.allocation.bookings)
    training = np.concatenate(
        [r.training or [0] * shared.inventory.weeks for r in shared.inventory.resources]
    )
    assert frame["training"].tolist() == training.tolist()
    assert (frame["capacity"] == frame["training"] + frame["shared"] + frame["idle"]).all()


def test_space_sites_follow_the_dataset(world: balai.Dataset) -> None:
    inventory = space.space_sites(world, START, 4)
    assert (inventory.weeks, inventory.resources) == (4, [])
    first = world.facilities[0]
    assert inventory.sites[0] == SpaceSite(
        facility=first.id, kind=first.kind, location=first.location, province=first.province
    )


@pytest.mark.parametrize("by", ["kind", "facility_kind", "province", "week"])
def test_plots_return_axes(
    inventory: SpaceInventory, requests: list[SpaceRequest], by: str
) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes
    from matplotlib.patches import Rectangle

    allocation = space.allocate_space(inventory, requests, progress=False)
    frame = space.utilisation_frame(inventory, allocation.bookings)
    try:
        ax = space.plot_utilisation(frame, by=by)
        assert isinstance(ax, Axes)
        bars = [patch for patch in ax.patches if isinstance(patch, Rectangle)]
        groups = space.utilisation_summary(frame, "week_start" if by == "week" else by)
        assert len(bars) == 3 * len(groups)  # training, shared and idle stacked
        tops: dict[float, float] = {}
        for bar in bars:
            tops[bar.get_x()] = max(tops.get(bar.get_x(), 0.0), bar.get_y() + bar.get_height())
        assert np.allclose(list(tops.values()), 1.0)  # every group has capacity here
        _, given = plt.subplots()
        assert space.plot_weekly(frame, ax=given) is given
        assert len(given.lines) == 2 * 3  # solid and dashed per kind
    finally:
        plt.close("all")
    with pytest.raises(balai.ValidationError):
        space.plot_utilisation(frame, by="label")


def test_outcome_value_round_trip() -> None:
    outcome = RequestOutcome(requested=4, served=2, status="partly_served", detail="2 of 4")
    assert outcome.status is RequestStatus.partly_served
    allocation = SpaceAllocation(outcomes=[outcome], requested=4, served=2)
    assert pickle.loads(pickle.dumps(allocation)) == allocation


def test_allocation_pickles_as_checked_columns(
    inventory: SpaceInventory, requests: list[SpaceRequest]
) -> None:
    allocation = space.allocate_space(inventory, requests, progress=False)
    state = cast(tuple[Any, ...], allocation.__reduce_ex__(2))[2]
    version, options, bookings, outcomes, *totals = state
    assert (version, options) == (1, allocation.options)
    assert bookings["id"] == [b.id for b in allocation.bookings]
    assert outcomes["served"].tolist() == [o.served for o in allocation.outcomes]
    short = {**bookings, "id": bookings["id"][:1]}
    unknown_status = {**outcomes, "status": np.full(6, 9, dtype=np.uint8)}
    no_amount = {name: column for name, column in bookings.items() if name != "amount"}
    broken = [
        (version, options, short, outcomes, *totals),
        (version, options, bookings, unknown_status, *totals),
        (version, options, no_amount, outcomes, *totals),
    ]
    for bad in broken:
        fresh = SpaceAllocation.__new__(SpaceAllocation)
        with pytest.raises(balai.FormatError):
            fresh.__setstate__(bad)  # type: ignore[attr-defined]
