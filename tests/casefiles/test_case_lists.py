"""The case list's filters, counts, sort and search, always inside the viewer's permissions.

A  KHI-S  p1 lead   302 PPC, ATA, court "ATC-I Karachi"   hearing on 10 July (no outcome)
B  KHI-S  p2 lead   380 PPC                                hearing on 5 July (held already)
C  KHI-S  no lead   302 PPC, accused "Muhammad Aslam"
D  HYD    p3 lead   302 PPC, ATA                           hearing on 10 July (no outcome)
"""

from __future__ import annotations

import datetime as dt

import pytest

from casefiles.case_lists import CaseQuery, CaseQueryError, case_list, parse_query
from casefiles.hearings import Hearing, court_key
from casefiles.models import Case, CourtCaseRef, FirRef, Offence, Party, StageChange
from casefiles.saved_filters import (
    SavedFilterError,
    delete_filter,
    save_filter,
    saved_filters,
)
from legaltext.person_names import name_key
from mizan.accounts.models import User
from mizan.accounts.service import actor_for, create_district
from mizan.actor import SYSTEM, Actor
from mizan.kernel import Kernel

NOW = dt.datetime(2025, 7, 1, 6, 0)


class World:
    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.users: dict[str, Actor] = {}
        self.cases: dict[str, Case] = {}

    def user(self, key: str, role: str, district: str | None) -> None:
        user = User(
            username=f"user.{key}",
            full_name=f"Name {key}",
            password_hash="-",
            roles=[role],
            district=district,
        )
        self.users[key] = actor_for(self.kernel.store.insert(user))

    def case(self, key: str, district: str, lead: str | None, section: str, **extra) -> Case:
        n = len(self.cases) + 1
        case = self.kernel.store.insert(
            Case(
                title=f"State vs {key}",
                district=district,
                fir=FirRef(
                    police_station="Saddar" if district == "KHI-S" else "Latifabad",
                    number=n,
                    year=2025,
                    registered_on=dt.datetime(2025, 6, n),
                ),
                reference=f"FIR {n}/2025 PS Saddar",
                offences=[Offence(act="PPC", section=section)],
                lead_prosecutor=self.users[lead].user_id if lead else None,
                created_at=dt.datetime(2025, 6, n),
                **extra,
            )
        )
        self.cases[key] = case
        return case

    def hearing(self, key: str, day: int, outcome: str | None = None) -> None:
        case = self.cases[key]
        self.kernel.store.insert(
            Hearing(
                case_id=case.id,
                district=case.district,
                court="ATC-I Karachi",
                court_key=court_key("ATC-I Karachi"),
                starts_at=dt.datetime(2025, 7, day, 5, 0),
                purpose="evidence",
                outcome=outcome,
            )
        )


@pytest.fixture
def world(kernel: Kernel) -> World:
    create_district(kernel, SYSTEM, "KHI-S", "Karachi South")
    create_district(kernel, SYSTEM, "HYD", "Hyderabad")
    w = World(kernel)
    for key, role, district in [
        ("p1", "prosecutor", "KHI-S"),
        ("p2", "prosecutor", "KHI-S"),
        ("p3", "prosecutor", "HYD"),
        ("dpp", "district_public_prosecutor", "KHI-S"),
        ("pg", "prosecutor_general", None),
    ]:
        w.user(key, role, district)
    w.case(
        "A",
        "KHI-S",
        "p1",
        "302",
        labels=["ATA"],
        court_cases=[CourtCaseRef(court="ATC-I  Karachi", number="Special Case 12/2025")],
        history=[
            StageChange(
                from_state="FIR_REGISTERED",
                to_state="UNDER_INVESTIGATION",
                at=dt.datetime(2025, 6, 20),
                by="x",
            )
        ],
        state="UNDER_INVESTIGATION",
    )
    w.case("B", "KHI-S", "p2", "380")
    w.case(
        "C",
        "KHI-S",
        None,
        "302",
        parties=[
            Party(role="accused", name="Muhammad Aslam", name_keys=[name_key("Muhammad Aslam")])
        ],
    )
    w.case("D", "HYD", "p3", "302", labels=["ATA"])
    w.hearing("A", 10)
    w.hearing("B", 5, outcome="held")
    w.hearing("D", 10)
    return w


def _run(world: World, who: str, **asked) -> tuple[list[str], object]:
    result = case_list(world.kernel, world.users[who], CaseQuery(**asked), now=NOW)
    by_id = {c.id: k for k, c in world.cases.items()}
    return sorted(by_id[c.id] for c in result.cases), result


def _counts(result, facet: str) -> dict[str, int]:
    return {f.value: f.count for f in result.facets[facet]}


def test_each_filter_narrows_the_list(world: World) -> None:
    assert _run(world, "pg")[0] == ["A", "B", "C", "D"]
    assert _run(world, "pg", offence="302 PPC")[0] == ["A", "C", "D"]
    assert _run(world, "pg", ata=True, district="KHI-S")[0] == ["A"]
    assert _run(world, "pg", unassigned=True)[0] == ["C"]
    assert _run(world, "pg", stage="UNDER_INVESTIGATION")[0] == ["A"]
    assert _run(world, "pg", court="atc-i karachi")[0] == ["A"]
    assert _run(world, "pg", police_station="Latifabad")[0] == ["D"]
    assert _run(world, "pg", prosecutor=world.users["p2"].user_id)[0] == ["B"]
    # A hearing already held is not a "next" hearing.
    july = {"hearing_from": dt.date(2025, 7, 1), "hearing_to": dt.date(2025, 7, 31)}
    assert _run(world, "pg", **july)[0] == ["A", "D"]
    assert _run(world, "dpp", **july)[0] == ["A"]


def test_search_finds_reference_words_court_numbers_and_accused_spellings(world: World) -> None:
    assert _run(world, "pg", q="State vs B")[0] == ["B"]
    assert _run(world, "pg", q="special 12/2025")[0] == ["A"]
    assert _run(world, "pg", q="Aslam")[0] == ["C"]
    assert _run(world, "pg", q="Mohammad aslam")[0] == ["C"]
    assert _run(world, "pg", q="nobody")[0] == []


def test_counts_never_include_cases_the_viewer_cannot_see(world: World) -> None:
    keys, result = _run(world, "dpp")
    assert keys == ["A", "B", "C"]
    assert _counts(result, "offence") == {"302 PPC": 2, "380 PPC": 1}
    assert _counts(result, "police_station") == {"Saddar": 3}
    assert "district" not in result.facets  # a district officer picks no district
    assert result.toggles == {"unassigned": 1, "ata": 1}
    assert world.users["p3"].user_id not in _counts(result, "prosecutor")
    # A district asked for by someone who sees one district changes nothing.
    assert _run(world, "dpp", district="HYD")[0] == ["A", "B", "C"]
    keys, result = _run(world, "p1")
    assert keys == ["A"]
    assert _counts(result, "offence") == {"302 PPC": 1}
    assert result.toggles == {"unassigned": 0, "ata": 1}


def test_a_facet_counts_what_choosing_each_value_would_give(world: World) -> None:
    _keys, result = _run(world, "pg", offence="302 PPC")
    assert result.total == 3
    assert _counts(result, "offence") == {"302 PPC": 3, "380 PPC": 1}
    assert _counts(result, "district") == {"KHI-S": 2, "HYD": 1}
    assert _counts(result, "court") == {"atc-i karachi": 1}
    assert [f.label for f in result.facets["court"]] == ["ATC-I  Karachi"]


def test_sorting_and_the_next_hearing(world: World) -> None:
    def order(sort: str) -> list[str]:
        result = case_list(world.kernel, world.users["pg"], CaseQuery(sort=sort), now=NOW)
        by_id = {c.id: k for k, c in world.cases.items()}
        return [by_id[c.id] for c in result.cases]

    assert order("opened") == ["D", "C", "B", "A"]
    assert order("-fir_date") == ["A", "B", "C", "D"]
    # A entered its stage on 20 June, the others were opened on 2-4 June.
    assert order("stage_age")[-1] == "A"
    result = case_list(world.kernel, world.users["pg"], CaseQuery(), now=NOW)
    assert {world.cases["A"].id, world.cases["D"].id} == set(result.next_hearings)


def test_pages_and_query_arguments_round_trip(world: World) -> None:
    query = parse_query({"stage": "ARGUMENTS", "ata": "1", "hearing_from": "2025-07-01"})
    assert parse_query(query.args()) == query
    assert query.filtered
    assert not parse_query({"sort": "reference"}).filtered
    page2 = case_list(world.kernel, world.users["pg"], CaseQuery(page=2), per_page=3, now=NOW)
    assert page2.total == 4 and len(page2.cases) == 1


def test_bad_arguments_are_named_and_left_out(world: World) -> None:
    with pytest.raises(CaseQueryError) as caught:
        parse_query(
            {"stage": "NOPE", "hearing_from": "2025-07-10", "hearing_to": "2025-07-01", "ata": "1"}
        )
    assert set(caught.value.errors) == {"stage", "hearing_to"}
    assert caught.value.query.ata and not caught.value.query.stage
    with pytest.raises(CaseQueryError) as caught:
        parse_query({"hearing_from": "10.07.2025", "sort": "fastest"})
    assert set(caught.value.errors) == {"hearing_from", "sort"}


def test_saved_filters_are_personal(world: World) -> None:
    kernel, p1, p2 = world.kernel, world.users["p1"], world.users["p2"]
    saved = save_filter(kernel, p1, "cases", "  My ATA   cases ", "ata=1")
    assert saved.name == "My ATA cases"
    with pytest.raises(SavedFilterError, match="already have"):
        save_filter(kernel, p1, "cases", "My ATA cases", "stage=ARGUMENTS")
    with pytest.raises(SavedFilterError, match="name"):
        save_filter(kernel, p1, "cases", "   ", "ata=1")
    assert [f.name for f in saved_filters(kernel, p1, "cases")] == ["My ATA cases"]
    assert saved_filters(kernel, p2, "cases") == []
    with pytest.raises(SavedFilterError, match="no such"):
        delete_filter(kernel, p2, saved.id, saved.version)
    with pytest.raises(SavedFilterError, match="meanwhile"):
        delete_filter(kernel, p1, saved.id, saved.version + 1)
    delete_filter(kernel, p1, saved.id, saved.version)
    assert saved_filters(kernel, p1, "cases") == []


def test_saved_queries_are_read_as_the_list_reads_them() -> None:
    from casefiles.saved_filters import canonical_query

    assert canonical_query("cases", "ata=on&page=3&sort=opened") == "ata=1"
    with pytest.raises(SavedFilterError, match="stage"):
        canonical_query("cases", "stage=NOPE")
    assert (
        canonical_query("deadlines", "status=overdue&sort=bogus&district=khi-s&page=2")
        == "status=overdue&district=KHI-S"
    )
    with pytest.raises(SavedFilterError):
        canonical_query("nothing", "a=1")
