"""Actors of the demo province for learning tests."""

from __future__ import annotations

import pytest

from mizan.accounts.models import User
from mizan.accounts.service import actor_for


@pytest.fixture
def people(demo):
    """username -> Actor for every demo account."""
    return {u.username: actor_for(u) for u in demo.store.find(User)}
