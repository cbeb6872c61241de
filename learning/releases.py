"""Which release of a course learners read now: the highest number (one lookup for all)."""

from __future__ import annotations

from collections.abc import Iterable

from learning.models import CourseRelease
from mizan.kernel import Kernel


def newest_release(kernel: Kernel, course_id: str) -> CourseRelease | None:
    """The release learners read now (None for a course never published)."""
    found = kernel.store.find(
        CourseRelease, {"course_id": course_id}, sort=[("number", -1)], limit=1
    )
    return found[0] if found else None


def newest_releases(kernel: Kernel, course_ids: Iterable[str]) -> dict[str, CourseRelease]:
    """The newest release of each of ``course_ids`` that has one, in one query."""
    wanted = sorted(set(course_ids))
    newest: dict[str, CourseRelease] = {}
    if not wanted:
        return newest
    for release in kernel.store.find(CourseRelease, {"course_id": {"$in": wanted}}):
        held = newest.get(release.course_id)
        if held is None or release.number > held.number:
            newest[release.course_id] = release
    return newest
