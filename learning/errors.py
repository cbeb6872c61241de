"""Errors of the learning platform; each message is safe to show to the person who acted."""

from __future__ import annotations


class LearningError(ValueError):
    """Bad input or a rule the request breaks ("The passing score is above the total")."""


class CourseNotFound(LookupError):
    """No such course, or one the person may not see (indistinguishable on purpose)."""
