"""Who is acting, and from where: passed explicitly to every service call."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: str
    username: str
    roles: frozenset[str] = frozenset()
    district: str | None = None
    address: str | None = None
    #: "web", "api", "cli", "worker"
    channel: str = "web"

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


SYSTEM = Actor(user_id="system", username="system", roles=frozenset({"system"}), channel="cli")
