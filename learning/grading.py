"""Grading arithmetic, pure: no store, no clock, so every rule is easy to test.

A choice question earns its points only when the chosen options are exactly the correct
ones (multiple choice is all-or-nothing: a guess that ticks every box earns nothing). A
short answer earns what the trainer awards, from 0 to its points. The score is the share
of points earned, in percent; an attempt passes when it reaches the passing percent.
"""

from __future__ import annotations

from collections.abc import Iterable

from learning.quiz_models import AttemptQuestion, QuestionKind


def auto_grade(question: AttemptQuestion) -> float | None:
    """Points earned on a choice question; None for a short answer (a person grades it)."""
    if question.kind == QuestionKind.SHORT:
        return None
    correct = {o.key for o in question.options if o.correct}
    return float(question.points) if set(question.chosen) == correct else 0.0


def is_right(question: AttemptQuestion) -> bool:
    """Full points earned (for the result page's tick)."""
    return question.awarded is not None and question.awarded >= question.points


def score_percent(questions: Iterable[AttemptQuestion]) -> float:
    """Percent of the attempt's points earned, rounded to one decimal; every one graded."""
    items = list(questions)
    total = sum(q.points for q in items)
    if not total:
        return 0.0
    earned = sum(q.awarded or 0.0 for q in items)
    return round(earned * 100 / total, 1)


def passes(questions: Iterable[AttemptQuestion], pass_percent: int) -> bool:
    """Reaches the passing percent, compared unrounded (69.96% does not pass at 70%)."""
    items = list(questions)
    total = sum(q.points for q in items)
    earned = sum(q.awarded or 0.0 for q in items)
    return earned * 100 >= pass_percent * total
