"""The administrator's reads and the sign-out record, checked at the service (the web
pages only call these): each refuses anyone who may not manage users or read the trail."""

from __future__ import annotations

import pytest

from mizan import audit
from mizan.accounts.integrations import create_integration, list_integrations
from mizan.accounts.models import User
from mizan.accounts.service import (
    PermissionDenied,
    actor_for,
    districts_for_admin,
    list_districts,
    list_users,
    require_user_admin,
    sign_out,
    user_for_admin,
)
from mizan.audit import AuditEntry
from mizan.storage import NotFoundError


def _actor(kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}))


def test_user_administration_is_refused_to_others(demo) -> None:
    clerk, admin = _actor(demo, "clerk.south"), _actor(demo, "admin")
    some_user = demo.store.find_one(User, {"username": "pp.rahim"})
    for call in (
        lambda: require_user_admin(clerk),
        lambda: list_users(demo, clerk),
        lambda: user_for_admin(demo, clerk, some_user.id),
        lambda: districts_for_admin(demo, clerk),
        lambda: list_integrations(demo, clerk),
    ):
        with pytest.raises(PermissionDenied):
            call()
    require_user_admin(admin)
    assert user_for_admin(demo, admin, some_user.id).username == "pp.rahim"
    with pytest.raises(NotFoundError):
        user_for_admin(demo, admin, "no-such-user")
    assert [d.code for d in districts_for_admin(demo, admin)] == [
        d.code for d in list_districts(demo)
    ]


def test_list_users_filters_by_known_role_and_pages(demo) -> None:
    admin = _actor(demo, "admin")
    everyone, total = list_users(demo, admin, per_page=1000)
    assert total == len(everyone) == demo.store.count(User)
    assert [u.username for u in everyone] == sorted(u.username for u in everyone)
    clerks, n = list_users(demo, admin, role="clerk")
    assert n == len(clerks) > 0 and all("clerk" in u.roles for u in clerks)
    assert list_users(demo, admin, role="emperor")[1] == total  # unknown role: no filter
    first, _ = list_users(demo, admin, page=1, per_page=2)
    second, _ = list_users(demo, admin, page=2, per_page=2)
    assert len(first) == 2 and not {u.id for u in first} & {u.id for u in second}


def test_integrations_are_listed_for_the_administrator(demo) -> None:
    admin = _actor(demo, "admin")
    district = list_districts(demo)[0].code
    create_integration(demo, admin, name="Police", kind="police", districts=[district])
    assert [i.name for i in list_integrations(demo, admin)] == ["Police"]


def test_the_audit_trail_is_read_only_by_those_allowed(demo) -> None:
    with pytest.raises(PermissionDenied):
        audit.search_entries(demo, _actor(demo, "pp.rahim"), {})
    admin = _actor(demo, "admin")
    entries, total = audit.search_entries(demo, admin, {}, per_page=5)
    assert total == demo.store.count(AuditEntry) and len(entries) == min(5, total)
    assert [e.seq for e in entries] == sorted((e.seq for e in entries), reverse=True)
    created, n = audit.search_entries(demo, admin, {"action": "user.created", "nonsense": "x"})
    assert n > 0 and {e.action for e in created} == {"user.created"}


def test_sign_out_is_recorded(demo) -> None:
    who = _actor(demo, "pp.rahim")
    sign_out(demo, who)
    entry = demo.store.find_one(AuditEntry, {"action": "auth.logout", "actor_id": who.user_id})
    assert entry is not None and entry.subject_id == who.user_id


def test_refusals_and_bad_api_tokens_are_recorded(demo) -> None:
    from mizan.accounts.integrations import authenticate_api
    from mizan.accounts.service import record_access_denied

    who = _actor(demo, "pp.rahim")
    record_access_denied(demo, who, "/admin/users", "GET", "not allowed")
    entry = demo.store.find_one(AuditEntry, {"action": "access.denied", "actor_id": who.user_id})
    assert entry is not None and entry.subject_id == "/admin/users"
    assert entry.data == {"method": "GET", "reason": "not allowed"}
    assert authenticate_api(demo, "mzn_wrong", "10.0.0.9", "/api/v1/firs") is None
    failed = demo.store.find_one(AuditEntry, {"action": "api.auth_failed"})
    assert failed is not None and failed.data == {"path": "/api/v1/firs"}
    _created, token = create_integration(
        demo, _actor(demo, "admin"), name="Court", kind="court", districts=["KHI-S"]
    )
    integration = authenticate_api(demo, token, None, "/api/v1/firs")
    assert integration is not None and integration.name == "Court"
