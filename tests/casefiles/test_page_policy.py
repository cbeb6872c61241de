"""The rules the case-side pages used to decide inline, checked on the policy and page
services directly (the web tests check the same through HTTP)."""

from __future__ import annotations

import datetime as dt

import pytest

from casefiles.pages import (
    case_hearings,
    case_page,
    case_record,
    filter_districts,
    new_case_districts,
    postings_district,
    prosecutors,
    prosecutors_for,
)
from casefiles.policy import (
    deadline_scope,
    may_act_on_step,
    may_assign_cases,
    may_break_glass,
    may_create_cases,
    may_manage_holidays,
    may_scrutinise,
    own_prosecutor_id,
    sees_province,
)
from mizan.accounts.models import User
from mizan.accounts.service import PermissionDenied, actor_for
from mizan.actor import Actor
from mizan.kernel import Kernel
from tests.casefiles.case_steps import demo_case

TODAY = dt.date(2025, 6, 2)


def who(kernel: Kernel, username: str) -> Actor:
    return actor_for(kernel.store.find_one(User, {"username": username}))


def test_capabilities_by_role(demo: Kernel) -> None:
    assert may_create_cases(who(demo, "clerk.south"))
    assert not may_create_cases(who(demo, "pg.sindh"))
    assert may_assign_cases(who(demo, "dpp.south")) and may_assign_cases(who(demo, "pg.sindh"))
    assert not may_assign_cases(who(demo, "pp.rahim"))
    assert may_manage_holidays(who(demo, "admin"))
    assert not may_manage_holidays(who(demo, "dpp.south"))
    assert may_break_glass(who(demo, "dpp.south")) and may_break_glass(who(demo, "pg.sindh"))
    assert not may_break_glass(who(demo, "pp.rahim"))


def test_province_sees_every_district_others_their_own(demo: Kernel) -> None:
    pg, dpp = who(demo, "pg.sindh"), who(demo, "dpp.south")
    assert sees_province(pg) and not sees_province(dpp)
    assert len(filter_districts(demo, pg)) > 1
    assert filter_districts(demo, dpp) == []
    assert [d.code for d in new_case_districts(demo, dpp)] == ["KHI-S"]
    assert len(new_case_districts(demo, pg)) > 1
    assert postings_district(pg, "HYD") == "HYD"
    assert postings_district(dpp, "HYD") == "KHI-S"


def test_prosecutor_choices_follow_the_district(demo: Kernel) -> None:
    south = {u.username for u in prosecutors(demo, "KHI-S")}
    assert south == {"pp.rahim", "pp.sana"}
    assert {u.username for u in prosecutors_for(demo, who(demo, "dpp.south"))} == south
    assert "pp.hyd" in {u.username for u in prosecutors_for(demo, who(demo, "pg.sindh"))}


def test_deadline_scope_by_role(demo: Kernel) -> None:
    assert deadline_scope(who(demo, "supervisor")) == "district"
    assert deadline_scope(who(demo, "dpp.south")) == "district"
    assert deadline_scope(who(demo, "pp.rahim")) == "mine"
    with pytest.raises(PermissionDenied):
        deadline_scope(who(demo, "clerk.south"))


def test_own_calendar_and_approval_step(demo: Kernel) -> None:
    pp = who(demo, "pp.rahim")
    assert own_prosecutor_id(pp) == pp.user_id
    assert own_prosecutor_id(who(demo, "dpp.south")) is None
    assert may_act_on_step(who(demo, "dpp.south"), "district_public_prosecutor")
    assert not may_act_on_step(pp, "district_public_prosecutor")
    assert not may_act_on_step(pp, None)


def test_case_page_decides_what_the_actor_may_do(demo: Kernel) -> None:
    case = demo_case(demo)
    dpp_page = case_page(demo, who(demo, "dpp.south"), case, TODAY)
    assert dpp_page.can_edit and dpp_page.may_assign and dpp_page.may_break_glass
    clerk_page = case_page(demo, who(demo, "clerk.south"), case, TODAY)
    assert clerk_page.can_edit and not clerk_page.may_assign and not clerk_page.may_break_glass
    assert clerk_page.suggestions == []
    assert not may_scrutinise(who(demo, "clerk.south"), case)
    assert not case_page(demo, who(demo, "supervisor"), case, TODAY).can_edit


def test_case_record_and_hearings_panel_follow_edit_rights(demo: Kernel) -> None:
    case = demo_case(demo)
    assert case_record(demo, who(demo, "dpp.south"), case, TODAY).may_write_privileged
    clerk = case_record(demo, who(demo, "clerk.south"), case, TODAY)
    assert clerk.editable and not clerk.may_write_privileged
    assert not case_hearings(demo, who(demo, "supervisor"), case).can_schedule
    assert case_hearings(demo, who(demo, "supervisor"), case).courts == []
