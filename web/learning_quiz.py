"""Quiz pages: the author's question bank and settings, taking a quiz, the result, and the
trainer's grading queue. Every rule (who may, what is valid, what counts) is in
``learning.quizzes``; these views parse the form, call one service and render.

The take page is built from a ``Sheet``, which has no correct answers in it, and the
answer form sends only question ids and option keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from learning.errors import CourseNotFound, LearningError
from learning.quiz_export import results_workbook
from learning.quiz_models import (
    KIND_LABELS,
    MAX_OPTIONS,
    MAX_POINTS,
    STATUS_LABELS,
    Question,
    QuestionKind,
)
from learning.quizzes import (
    AttemptNotFound,
    Grade,
    OptionInput,
    QuestionInput,
    QuestionNotFound,
    QuizSummary,
    SettingsInput,
    Sheet,
    add_question,
    attempt_for_grading,
    delete_question,
    edit_question,
    get_question,
    grade_attempt,
    grading_queue,
    open_attempt,
    quiz_bank,
    quiz_summary,
    save_settings,
    start_attempt,
    submit_attempt,
)
from mizan.accounts.service import PermissionDenied
from mizan.i18n import lazy_gettext as _l
from mizan.storage import StaleWriteError
from web.support import actor, flash_form_errors, kernel

bp = Blueprint("learning_quiz", __name__, url_prefix="/learning")

T = TypeVar("T")
#: Blank option rows the question form offers beyond the ones already written.
SPARE_OPTIONS = 2
ANSWER_PREFIX = "q-"


class SettingsForm(FlaskForm):
    draw_count = IntegerField(
        _l("Questions per attempt"),
        validators=[Optional(), NumberRange(min=1, message=lazy_gettext("Draw at least one."))],
    )
    pass_percent = IntegerField(
        _l("Passing score (percent)"),
        validators=[InputRequired(lazy_gettext("Enter the passing score as a number."))],
    )
    attempt_limit = IntegerField(_l("Attempts allowed"), validators=[Optional()])
    time_limit_minutes = IntegerField(_l("Time limit (minutes)"), validators=[Optional()])
    version = HiddenField()


class QuestionForm(FlaskForm):
    text_en = TextAreaField(_l("Question (English)"))
    text_ur = TextAreaField(_l("Question (Urdu)"))
    points = IntegerField(
        _l("Points"),
        default=1,
        validators=[
            InputRequired(lazy_gettext("Enter the points as a whole number.")),
            NumberRange(
                1, MAX_POINTS, lazy_gettext("Points must be a whole number from 1 to 100.")
            ),
        ],
    )
    true_answer = RadioField(
        _l("The statement is"),
        choices=[("true", _l("True")), ("false", _l("False"))],
        validators=[Optional()],
    )
    rubric_en = TextAreaField(_l("Rubric the trainer grades against (English)"))
    rubric_ur = TextAreaField(_l("Rubric (Urdu)"))
    feedback_en = TextAreaField(_l("Feedback after grading (English)"))
    feedback_ur = TextAreaField(_l("Feedback after grading (Urdu)"))
    version = HiddenField()


class VersionForm(FlaskForm):
    version = HiddenField()


class GradeForm(FlaskForm):
    version = HiddenField()


def _version(raw: str | None) -> int:
    try:
        return int(raw or 0)
    except ValueError:
        return -1


def _found(call: Callable[[], T]) -> T:
    """The service's answer; 404 for a course, question or attempt one may not see."""
    try:
        return call()
    except (CourseNotFound, QuestionNotFound, AttemptNotFound):
        abort(404)


# -- the course page's partial -------------------------------------------------------


@bp.app_template_global()
def learning_quiz_summary(course_id: str) -> QuizSummary | None:
    """The quiz box of the course page (``learning/_course_quiz.html``); None = no box."""
    if not getattr(current_user, "is_authenticated", False):
        return None
    try:
        return quiz_summary(kernel(), actor(), course_id)
    except (CourseNotFound, PermissionDenied):
        return None


# -- the bank (authors) --------------------------------------------------------------


@bp.route("/courses/<course_id>/quiz/questions")
@login_required
def bank(course_id: str) -> ResponseReturnValue:
    found = _found(lambda: quiz_bank(kernel(), actor(), course_id))
    quiz = found.quiz
    form = SettingsForm(
        data={
            "draw_count": quiz.draw_count if quiz else None,
            "pass_percent": quiz.pass_percent if quiz else 70,
            "attempt_limit": quiz.attempt_limit if quiz else None,
            "time_limit_minutes": quiz.time_limit_minutes if quiz else None,
            "version": quiz.version if quiz else 0,
        },
    )
    return render_template(
        "learning/quiz/bank.html",
        bank=found,
        form=form,
        delete_form=VersionForm(),
        kinds=KIND_LABELS,
    )


@bp.route("/courses/<course_id>/quiz/settings", methods=["POST"])
@login_required
def settings(course_id: str) -> ResponseReturnValue:
    form = SettingsForm()
    back = redirect(url_for(".bank", course_id=course_id) + "#settings")
    if not form.validate_on_submit():
        flash_form_errors(form)
        return back
    data = SettingsInput(
        draw_count=form.draw_count.data,
        pass_percent=form.pass_percent.data if form.pass_percent.data is not None else -1,
        attempt_limit=form.attempt_limit.data,
        time_limit_minutes=form.time_limit_minutes.data,
    )
    try:
        _found(
            lambda: save_settings(
                kernel(), actor(), course_id, version=_version(form.version.data), data=data
            )
        )
    except (LearningError, StaleWriteError) as exc:
        flash(str(exc), "error")
    else:
        flash(_("Quiz settings saved."), "success")
    return back


def _option_rows(question: Question | None) -> list[dict[str, object]]:
    """The option rows the form shows: posted ones after an error, else the saved ones."""
    if request.method == "POST":
        rows = [_posted_option(i) for i in range(MAX_OPTIONS)]
        return [r for r in rows if r["text_en"] or r["text_ur"]] or rows[:2]
    saved: list[dict[str, object]] = [
        {
            "key": o.key,
            "text_en": o.text_en,
            "text_ur": o.text_ur or "",
            "correct": o.correct,
            "feedback_en": o.feedback_en or "",
            "feedback_ur": o.feedback_ur or "",
        }
        for o in (question.options if question else [])
    ]
    blank = {
        "key": "",
        "text_en": "",
        "text_ur": "",
        "correct": False,
        "feedback_en": "",
        "feedback_ur": "",
    }
    spare = max(SPARE_OPTIONS, 4 - len(saved))
    return (saved + [dict(blank) for _i in range(spare)])[:MAX_OPTIONS]


def _posted_option(i: int) -> dict[str, object]:
    field = f"option-{i}-"
    return {
        "key": request.form.get(field + "key", ""),
        "text_en": request.form.get(field + "text_en", ""),
        "text_ur": request.form.get(field + "text_ur", ""),
        "correct": request.form.get(field + "correct") == "1",
        "feedback_en": request.form.get(field + "feedback_en", ""),
        "feedback_ur": request.form.get(field + "feedback_ur", ""),
    }


def _question_input(kind: str, form: QuestionForm) -> QuestionInput:
    options = [
        OptionInput(
            text_en=str(row["text_en"]),
            text_ur=str(row["text_ur"]),
            correct=bool(row["correct"]),
            feedback_en=str(row["feedback_en"]),
            feedback_ur=str(row["feedback_ur"]),
            key=str(row["key"]),
        )
        for row in (_posted_option(i) for i in range(MAX_OPTIONS))
    ]
    true_answer = {"true": True, "false": False}.get(form.true_answer.data or "")
    return QuestionInput(
        kind=kind,
        text_en=form.text_en.data or "",
        text_ur=form.text_ur.data or "",
        options=options,
        rubric_en=form.rubric_en.data or "",
        rubric_ur=form.rubric_ur.data or "",
        feedback_en=form.feedback_en.data or "",
        feedback_ur=form.feedback_ur.data or "",
        points=form.points.data or 0,
        true_answer=true_answer,
    )


def _question_page(
    course_id: str, kind: str, form: QuestionForm, question: Question | None, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "learning/quiz/question.html",
        course_id=course_id,
        kind=kind,
        kind_label=KIND_LABELS.get(QuestionKind(kind), kind),
        form=form,
        question=question,
        options=_option_rows(question),
    ), status


@bp.route("/courses/<course_id>/quiz/questions/new", methods=["GET", "POST"])
@login_required
def new_question(course_id: str) -> ResponseReturnValue:
    kind = request.args.get("kind", QuestionKind.SINGLE)
    if kind not in QuestionKind._value2member_map_:
        abort(404)
    form = QuestionForm()
    if not form.is_submitted():
        _found(lambda: quiz_bank(kernel(), actor(), course_id))  # authors only; the course exists
        return _question_page(course_id, kind, form, None)
    if not form.validate():
        return _question_page(course_id, kind, form, None, 400)
    try:
        _found(lambda: add_question(kernel(), actor(), course_id, _question_input(kind, form)))
    except LearningError as exc:
        form.form_errors.append(str(exc))
        return _question_page(course_id, kind, form, None, 400)
    flash(_("Question added."), "success")
    return redirect(url_for(".bank", course_id=course_id))


@bp.route("/courses/<course_id>/quiz/questions/<question_id>", methods=["GET", "POST"])
@login_required
def question(course_id: str, question_id: str) -> ResponseReturnValue:
    saved = _found(lambda: get_question(kernel(), actor(), course_id, question_id))
    if request.method == "GET":
        form = QuestionForm(
            data={
                "text_en": saved.text_en,
                "text_ur": saved.text_ur,
                "points": saved.points,
                "true_answer": (
                    ("true" if saved.options[0].correct else "false")
                    if saved.kind == QuestionKind.TRUE_FALSE and saved.options
                    else None
                ),
                "rubric_en": saved.rubric_en,
                "rubric_ur": saved.rubric_ur,
                "feedback_en": saved.feedback_en,
                "feedback_ur": saved.feedback_ur,
                "version": saved.version,
            }
        )
        return _question_page(course_id, saved.kind, form, saved)
    form = QuestionForm()
    if not form.validate():
        return _question_page(course_id, saved.kind, form, saved, 400)
    try:
        _found(
            lambda: edit_question(
                kernel(),
                actor(),
                course_id,
                question_id,
                version=_version(form.version.data),
                data=_question_input(saved.kind, form),
            )
        )
    except StaleWriteError:
        form.form_errors.append(
            _(
                "Someone saved this question after you opened it. Your changes were not "
                "saved: they are still in the form. Compare them with the saved question "
                "(open it in a new tab), then save again."
            )
        )
        form.version.data = str(saved.version)
        return _question_page(course_id, saved.kind, form, saved, 409)
    except LearningError as exc:
        form.form_errors.append(str(exc))
        return _question_page(course_id, saved.kind, form, saved, 400)
    flash(_("Question saved."), "success")
    return redirect(url_for(".bank", course_id=course_id))


@bp.route("/courses/<course_id>/quiz/questions/<question_id>/delete", methods=["POST"])
@login_required
def remove_question(course_id: str, question_id: str) -> ResponseReturnValue:
    form = VersionForm()
    if form.validate_on_submit():
        try:
            _found(
                lambda: delete_question(
                    kernel(), actor(), course_id, question_id, version=_version(form.version.data)
                )
            )
        except StaleWriteError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Question deleted."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for(".bank", course_id=course_id))


@bp.route("/courses/<course_id>/quiz/results.xlsx")
@login_required
def results(course_id: str) -> ResponseReturnValue:
    data = _found(lambda: results_workbook(kernel(), actor(), course_id))
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="quiz-results-{course_id}.xlsx"'},
    )


# -- taking (learners) ---------------------------------------------------------------


@bp.route("/courses/<course_id>/quiz")
@login_required
def overview(course_id: str) -> ResponseReturnValue:
    summary = _found(lambda: quiz_summary(kernel(), actor(), course_id))
    return render_template(
        "learning/quiz/overview.html",
        quiz=summary,
        form=VersionForm(),
        status_labels=STATUS_LABELS,
    )


@bp.route("/courses/<course_id>/quiz/attempts", methods=["POST"])
@login_required
def start(course_id: str) -> ResponseReturnValue:
    form = VersionForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for(".overview", course_id=course_id))
    try:
        attempt = _found(lambda: start_attempt(kernel(), actor(), course_id))
    except LearningError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".overview", course_id=course_id))
    return redirect(url_for(".attempt", course_id=course_id, attempt_id=attempt.id))


def _answers() -> dict[str, list[str]]:
    """question id -> the chosen option keys (or the written answer), as the form sent."""
    return {
        name.removeprefix(ANSWER_PREFIX): request.form.getlist(name)
        for name in request.form
        if name.startswith(ANSWER_PREFIX)
    }


@bp.route("/courses/<course_id>/quiz/attempts/<attempt_id>", methods=["GET", "POST"])
@login_required
def attempt(course_id: str, attempt_id: str) -> ResponseReturnValue:
    form = VersionForm()
    status = 200
    if form.is_submitted():
        if not form.validate():
            flash_form_errors(form)
            status = 400
        else:
            try:
                _found(lambda: submit_attempt(kernel(), actor(), course_id, attempt_id, _answers()))
            except LearningError as exc:
                flash(str(exc), "error")
                status = 400
            else:
                flash(_("Your answers were submitted."), "success")
                return redirect(url_for(".attempt", course_id=course_id, attempt_id=attempt_id))
    shown = _found(lambda: open_attempt(kernel(), actor(), course_id, attempt_id))
    if isinstance(shown, Sheet):
        return render_template("learning/quiz/take.html", sheet=shown, form=form), status
    return render_template(
        "learning/quiz/result.html",
        result=shown,
        status_labels=STATUS_LABELS,
        kinds=QuestionKind,
    ), status


# -- grading (trainers) --------------------------------------------------------------


@bp.route("/quiz/grading")
@login_required
def grading() -> ResponseReturnValue:
    course_id = request.args.get("course") or None
    queue = grading_queue(kernel(), actor(), course_id)
    return render_template("learning/quiz/grading.html", queue=queue)


def _grades(item_questions: list) -> tuple[dict[str, Grade], list[str]]:
    """The posted points and comments, and the fields that are not numbers."""
    grades: dict[str, Grade] = {}
    errors: list[str] = []
    for q in item_questions:
        if q.kind != QuestionKind.SHORT:
            continue
        raw = request.form.get(f"points-{q.question_id}", "").strip().replace(",", ".")
        try:
            points = float(raw)
        except ValueError:
            errors.append(_("Enter the points for every written answer as a number."))
            continue
        grades[q.question_id] = Grade(points, request.form.get(f"comment-{q.question_id}", ""))
    return grades, errors


@bp.route("/courses/<course_id>/quiz/attempts/<attempt_id>/grade", methods=["GET", "POST"])
@login_required
def grade(course_id: str, attempt_id: str) -> ResponseReturnValue:
    item = _found(lambda: attempt_for_grading(kernel(), actor(), course_id, attempt_id))
    form = GradeForm(data={"version": item.attempt.version})
    status = 200
    if request.method == "POST":
        form = GradeForm()
        if form.validate():
            grades, errors = _grades(list(item.attempt.questions))
            form.form_errors.extend(errors)
            if not errors:
                try:
                    _found(
                        lambda: grade_attempt(
                            kernel(),
                            actor(),
                            course_id,
                            attempt_id,
                            version=_version(form.version.data),
                            grades=grades,
                        )
                    )
                except StaleWriteError:
                    form.form_errors.append(
                        _("Someone graded this attempt after you opened it; nothing was saved.")
                    )
                except LearningError as exc:
                    form.form_errors.append(str(exc))
                else:
                    flash(_("Attempt graded."), "success")
                    return redirect(url_for(".grading"))
        status = 400
    return render_template("learning/quiz/grade.html", item=item, form=form), status
