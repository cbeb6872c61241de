"""Audiences: every condition given must hold; empty means any."""

from __future__ import annotations

from learning.access import Learner, audience_admits, group_scope
from learning.models import Audience
from mizan.actor import Actor


def _learner(roles: set[str], district: str | None, atc: bool = False) -> Learner:
    return Learner("u1", frozenset(roles), district, atc)


def test_empty_audience_admits_everyone() -> None:
    assert audience_admits(Audience(), _learner({"clerk"}, "HYD"))
    assert audience_admits(None, _learner({"clerk"}, "HYD"))


def test_each_condition_must_hold() -> None:
    audience = Audience(roles=["prosecutor"], districts=["KHI-S"], atc_only=True)
    assert audience_admits(audience, _learner({"prosecutor"}, "KHI-S", atc=True))
    assert not audience_admits(audience, _learner({"prosecutor"}, "KHI-S", atc=False))
    assert not audience_admits(audience, _learner({"prosecutor"}, "HYD", atc=True))
    assert not audience_admits(audience, _learner({"clerk"}, "KHI-S", atc=True))


def test_group_scope_is_the_district_for_district_roles() -> None:
    assert group_scope(Actor("t", "t", frozenset({"trainer"}))) is None
    assert group_scope(Actor("d", "d", frozenset({"district_public_prosecutor"}), "HYD")) == "HYD"
    assert group_scope(Actor("s", "s", frozenset({"supervisor"}), None)) == ""
