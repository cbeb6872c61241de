"""Learning pages: the course catalogue, the course page, the lesson reader, and the
trainer's authoring pages (course form, modules, lesson editor, publish, preview).

Views parse the form, call one ``learning`` service and render. A stale lesson
edit comes back with the trainer's text still in the boxes and the saved text
beside it, as notes do. Other learning features add their part to the course
page through ``learning/_course_<feature>.html`` partials.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from learning import attachments, courses, lesson_import, lessons, reading
from learning.errors import CourseNotFound, LearningError
from learning.indexing import entry_of
from learning.markdown import render_markdown
from learning.models import MAX_BODY, MAX_SUMMARY, MAX_TITLE, Course, CourseRelease, Lesson
from mizan.storage import StaleWriteError
from web.support import Pagination, actor, kernel, page_arg

bp = Blueprint("learning", __name__, url_prefix="/learning")

PER_PAGE = 20


def _version(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return -1


class CourseForm(FlaskForm):
    title_en = StringField(
        _l("Title (English)"), validators=[InputRequired(), Length(max=MAX_TITLE)]
    )
    title_ur = StringField(_l("Title (Urdu)"), validators=[Length(max=MAX_TITLE)])
    summary_en = TextAreaField(
        _l("Summary (English)"), validators=[Length(max=MAX_SUMMARY)], render_kw={"rows": 4}
    )
    summary_ur = TextAreaField(
        _l("Summary (Urdu)"), validators=[Length(max=MAX_SUMMARY)], render_kw={"rows": 4}
    )
    roles = SelectMultipleField(_l("For these roles (none chosen: everyone)"), choices=[])
    districts = SelectMultipleField(_l("For these districts (none chosen: all)"), choices=[])
    atc_only = BooleanField(_l("Only prosecutors posted to an Anti-Terrorism Court"))
    prerequisites = SelectMultipleField(_l("Courses to finish first"), choices=[])
    estimated_minutes = IntegerField(
        _l("Estimated time (minutes)"), validators=[Optional(), NumberRange(min=0, max=6000)]
    )
    self_enrol = BooleanField(_l("Learners may enrol themselves"), default=True)
    version = HiddenField()

    def fill_choices(self, choices: courses.FormChoices) -> None:
        self.roles.choices = choices.roles
        self.districts.choices = choices.districts
        self.prerequisites.choices = choices.courses

    def fields(self) -> courses.CourseFields:
        return courses.CourseFields(
            title_en=self.title_en.data or "",
            title_ur=self.title_ur.data or "",
            summary_en=self.summary_en.data or "",
            summary_ur=self.summary_ur.data or "",
            roles=self.roles.data or [],
            districts=self.districts.data or [],
            atc_only=bool(self.atc_only.data),
            prerequisites=self.prerequisites.data or [],
            estimated_minutes=self.estimated_minutes.data or 0,
            self_enrol=bool(self.self_enrol.data),
        )


class ModuleForm(FlaskForm):
    title_en = StringField(_l("Module title (English)"), validators=[InputRequired()])
    title_ur = StringField(_l("Module title (Urdu)"))


class LessonForm(FlaskForm):
    title_en = StringField(
        _l("Title (English)"), validators=[InputRequired(), Length(max=MAX_TITLE)]
    )
    title_ur = StringField(_l("Title (Urdu)"), validators=[Length(max=MAX_TITLE)])
    body_en = TextAreaField(
        _l("Text (English, Markdown)"), validators=[Length(max=MAX_BODY)], render_kw={"rows": 18}
    )
    body_ur = TextAreaField(
        _l("Text (Urdu, Markdown)"), validators=[Length(max=MAX_BODY)], render_kw={"rows": 18}
    )
    estimated_minutes = IntegerField(
        _l("Estimated time (minutes)"), validators=[Optional(), NumberRange(min=0, max=6000)]
    )
    version = HiddenField()

    def fields(self) -> lessons.LessonFields:
        return lessons.LessonFields(
            title_en=self.title_en.data or "",
            title_ur=self.title_ur.data or "",
            body_en=self.body_en.data or "",
            body_ur=self.body_ur.data or "",
            estimated_minutes=self.estimated_minutes.data or 0,
        )


class ImportForm(FlaskForm):
    file = FileField(_l("Word (.docx) or PDF file"), validators=[FileRequired()])
    language = RadioField(
        _l("Put the text in"),
        choices=[("en", _l("English text")), ("ur", _l("Urdu text"))],
        default="en",
    )
    version = HiddenField()


# --------------------------------------------------------------------------
# Reading


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    page = page_arg()
    entries, total = courses.catalogue(kernel(), actor(), page=page, per_page=PER_PAGE)
    return render_template(
        "learning/index.html",
        entries=entries,
        total=total,
        pagination=Pagination(page, PER_PAGE, total),
    )


@bp.route("/courses/<course_id>")
@login_required
def course(course_id: str) -> ResponseReturnValue:
    try:
        view = courses.view_course(kernel(), actor(), course_id)
    except CourseNotFound:
        abort(404)
    if view.authoring:
        return render_template(
            "learning/author_course.html",
            course=view.course,
            release=view.release,
            modules=courses.draft_lessons(kernel(), view.course),
            module_form=ModuleForm(),
            prerequisites=view.prerequisites,
        )
    return _reader_course(
        view.course, view.release, preview=False, prerequisites=view.prerequisites
    )


def _reader_course(
    course_obj: Course,
    release: CourseRelease | None,
    *,
    preview: bool,
    prerequisites: list[Course] | None = None,
) -> str:
    if release is None:
        abort(404)
    progress = {} if preview else reading.progress_of(kernel(), actor(), course_obj.id)
    return render_template(
        "learning/course.html",
        course=course_obj,
        release=release,
        lessons_by_id={x.lesson_id: x for x in release.lessons},
        progress=progress,
        preview=preview,
        prerequisites=prerequisites or [],
    )


@bp.route("/courses/<course_id>/preview")
@login_required
def preview(course_id: str) -> ResponseReturnValue:
    try:
        draft, release = reading.preview_course(kernel(), actor(), course_id)
    except CourseNotFound:
        abort(404)
    return _reader_course(draft, release, preview=True)


@bp.route("/courses/<course_id>/lessons/<lesson_id>")
@login_required
def lesson(course_id: str, lesson_id: str) -> ResponseReturnValue:
    return _lesson_page(course_id, lesson_id, preview=False)


@bp.route("/courses/<course_id>/preview/<lesson_id>")
@login_required
def preview_lesson(course_id: str, lesson_id: str) -> ResponseReturnValue:
    return _lesson_page(course_id, lesson_id, preview=True)


def _lesson_page(course_id: str, lesson_id: str, *, preview: bool) -> ResponseReturnValue:
    try:
        page = reading.read_lesson(kernel(), actor(), course_id, lesson_id, preview=preview)
    except CourseNotFound:
        abort(404)
    return render_template(
        "learning/lesson.html",
        page=page,
        course=page.course,
        release=page.release,
        body_en=render_markdown(page.lesson.body_en or ""),
        body_ur=render_markdown(page.lesson.body_ur or ""),
    )


@bp.route("/courses/<course_id>/lessons/<lesson_id>/read", methods=["POST"])
@login_required
def mark_read(course_id: str, lesson_id: str) -> ResponseReturnValue:
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        reading.mark_read(kernel(), actor(), course_id, lesson_id)
    except CourseNotFound:
        abort(404)
    flash(_("Marked as read."), "success")
    return redirect(url_for("learning.lesson", course_id=course_id, lesson_id=lesson_id))


@bp.route("/courses/<course_id>/lessons/<lesson_id>/time", methods=["POST"])
@login_required
def heartbeat(course_id: str, lesson_id: str) -> ResponseReturnValue:
    """The reader's time heartbeat (seconds since the last one); answers 204."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        seconds = int(request.form.get("seconds", "0"))
    except ValueError:
        abort(400)
    try:
        reading.heartbeat(kernel(), actor(), course_id, lesson_id, seconds)
    except CourseNotFound:
        abort(404)
    except StaleWriteError:
        pass  # another tab's beat won the race: this minute is lost, nothing else
    return "", 204


@bp.route("/entry/<path:doc_id>")
@login_required
def entry(doc_id: str) -> ResponseReturnValue:
    """Where a learning search hit opens (the page it opens checks access)."""
    kind, _, study_id = doc_id.partition(":")
    if kind == "case_study" and study_id:
        return redirect(url_for("learning_case_studies.show", study_id=study_id))
    found = entry_of(doc_id)
    if found is None:
        abort(404)
    course_id, lesson_id = found
    if lesson_id:
        return redirect(url_for("learning.lesson", course_id=course_id, lesson_id=lesson_id))
    return redirect(url_for("learning.course", course_id=course_id))


# --------------------------------------------------------------------------
# Authoring


def _course_form_page(course_id: str | None) -> ResponseReturnValue:
    draft = courses.get_draft(kernel(), actor(), course_id) if course_id else None
    choices = courses.form_choices(kernel(), actor(), course_id)
    if draft is not None and request.method == "GET":
        form = CourseForm(
            obj=draft,
            roles=list(draft.audience.roles),
            districts=list(draft.audience.districts),
            atc_only=draft.audience.atc_only,
            version=draft.version,
        )
    else:
        form = CourseForm()
    form.fill_choices(choices)
    status = 200
    conflict = None
    if form.is_submitted():
        if not form.validate():
            status = 400
        else:
            try:
                if draft is None:
                    saved = courses.create_course(kernel(), actor(), form.fields())
                else:
                    saved = courses.update_course(
                        kernel(),
                        actor(),
                        draft.id,
                        version=_version(form.version.data),
                        fields=form.fields(),
                    )
            except LearningError as exc:
                form.form_errors.append(str(exc))
                status = 400
            except StaleWriteError:
                conflict = _(
                    "Someone saved this course after you opened it. Your changes were not "
                    "saved: reload the page to see the saved course, then make them again."
                )
                status = 409
            else:
                flash(_("Course saved."), "success")
                return redirect(url_for("learning.course", course_id=saved.id))
    return render_template(
        "learning/course_form.html", form=form, draft=draft, conflict=conflict
    ), status


@bp.route("/courses/new", methods=["GET", "POST"])
@login_required
def new_course() -> ResponseReturnValue:
    return _course_form_page(None)


@bp.route("/courses/<course_id>/edit", methods=["GET", "POST"])
@login_required
def edit_course(course_id: str) -> ResponseReturnValue:
    try:
        return _course_form_page(course_id)
    except CourseNotFound:
        abort(404)


def _course_action(
    course_id: str, action: Callable[[], object], success: str, anchor: str = ""
) -> ResponseReturnValue:
    """Run an authoring change from a small form; the service's refusal becomes a message."""
    if not FlaskForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return redirect(url_for("learning.course", course_id=course_id))
    try:
        action()
    except CourseNotFound:
        abort(404)
    except (LearningError, StaleWriteError) as exc:
        flash(str(exc) or _("Someone changed this course meanwhile; try again."), "error")
    else:
        flash(success, "success")
    return redirect(url_for("learning.course", course_id=course_id) + anchor)


@bp.route("/courses/<course_id>/modules", methods=["POST"])
@login_required
def add_module(course_id: str) -> ResponseReturnValue:
    form = ModuleForm()
    return _course_action(
        course_id,
        lambda: courses.add_module(
            kernel(),
            actor(),
            course_id,
            title_en=form.title_en.data or "",
            title_ur=form.title_ur.data or "",
        ),
        _("Module added."),
        "#modules",
    )


@bp.route("/courses/<course_id>/modules/<key>/rename", methods=["POST"])
@login_required
def rename_module(course_id: str, key: str) -> ResponseReturnValue:
    form = ModuleForm()
    return _course_action(
        course_id,
        lambda: courses.rename_module(
            kernel(),
            actor(),
            course_id,
            key,
            title_en=form.title_en.data or "",
            title_ur=form.title_ur.data or "",
        ),
        _("Module renamed."),
        "#modules",
    )


@bp.route("/courses/<course_id>/modules/<key>/move", methods=["POST"])
@login_required
def move_module(course_id: str, key: str) -> ResponseReturnValue:
    delta = 1 if request.form.get("direction") == "down" else -1
    return _course_action(
        course_id,
        lambda: courses.move_module(kernel(), actor(), course_id, key, delta),
        _("Module moved."),
        "#modules",
    )


@bp.route("/courses/<course_id>/modules/<key>/delete", methods=["POST"])
@login_required
def delete_module(course_id: str, key: str) -> ResponseReturnValue:
    return _course_action(
        course_id,
        lambda: courses.delete_module(kernel(), actor(), course_id, key),
        _("Module deleted."),
        "#modules",
    )


@bp.route("/courses/<course_id>/publish", methods=["POST"])
@login_required
def publish(course_id: str) -> ResponseReturnValue:
    return _course_action(
        course_id,
        lambda: courses.publish_course(kernel(), actor(), course_id),
        _("Published. Learners now read this version."),
    )


@bp.route("/courses/<course_id>/archive", methods=["POST"])
@login_required
def archive(course_id: str) -> ResponseReturnValue:
    return _course_action(
        course_id,
        lambda: courses.archive_course(kernel(), actor(), course_id),
        _("Archived: no new enrolments."),
    )


@bp.route("/courses/<course_id>/copy", methods=["POST"])
@login_required
def copy(course_id: str) -> ResponseReturnValue:
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        new = courses.copy_course(kernel(), actor(), course_id)
    except CourseNotFound:
        abort(404)
    flash(_("Copied. This is the new draft."), "success")
    return redirect(url_for("learning.course", course_id=new.id))


@bp.route("/courses/<course_id>/modules/<key>/lessons/new", methods=["GET", "POST"])
@login_required
def new_lesson(course_id: str, key: str) -> ResponseReturnValue:
    try:
        draft = courses.get_draft(kernel(), actor(), course_id)
    except CourseNotFound:
        abort(404)
    form = LessonForm()
    status = 200
    if form.is_submitted():
        if not form.validate():
            status = 400
        else:
            try:
                saved = lessons.create_lesson(kernel(), actor(), course_id, key, form.fields())
            except (LearningError, StaleWriteError) as exc:
                form.form_errors.append(str(exc) or _("Someone changed this course meanwhile."))
                status = 400
            else:
                flash(_("Lesson saved."), "success")
                return redirect(url_for("learning.edit_lesson", lesson_id=saved.id))
    return render_template(
        "learning/lesson_form.html",
        form=form,
        course=draft,
        lesson=None,
        saved=None,
        conflict=None,
        import_form=None,
        attach_form=None,
        files=[],
        action=url_for("learning.new_lesson", course_id=course_id, key=key),
    ), status


def _load_lesson(lesson_id: str) -> tuple[Lesson, Course]:
    try:
        return lessons.get_lesson(kernel(), actor(), lesson_id)
    except CourseNotFound:
        abort(404)


@bp.route("/lessons/<lesson_id>/edit", methods=["GET", "POST"])
@login_required
def edit_lesson(lesson_id: str) -> ResponseReturnValue:
    current, draft = _load_lesson(lesson_id)
    form = LessonForm(obj=current, version=current.version)
    conflict = None
    saved: Lesson | None = None
    status = 200
    if form.is_submitted():
        if not form.validate():
            status = 400
        else:
            try:
                lessons.edit_lesson(
                    kernel(),
                    actor(),
                    lesson_id,
                    version=_version(form.version.data),
                    fields=form.fields(),
                )
            except StaleWriteError:
                # Keep what the trainer typed; show the saved lesson and take its version.
                current, draft = _load_lesson(lesson_id)
                saved = current
                conflict = _(
                    "Someone saved this lesson after you opened it. Your text was not saved: "
                    "it is still in the boxes below. Compare it with the saved lesson, then "
                    "save again."
                )
                form.version.data = str(current.version)
                status = 409
            except LearningError as exc:
                form.form_errors.append(str(exc))
                status = 400
            else:
                flash(_("Lesson saved."), "success")
                return redirect(url_for("learning.edit_lesson", lesson_id=lesson_id))
    return render_template(
        "learning/lesson_form.html",
        form=form,
        course=draft,
        lesson=current,
        saved=saved,
        saved_en=render_markdown(saved.body_en or "") if saved else "",
        saved_ur=render_markdown(saved.body_ur or "") if saved else "",
        conflict=conflict,
        import_form=ImportForm(version=current.version),
        attach_form=AttachForm(),
        files=attachments.files_of(kernel(), actor(), lesson_id),
        action=url_for("learning.edit_lesson", lesson_id=lesson_id),
    ), status


@bp.route("/lessons/<lesson_id>/import", methods=["POST"])
@login_required
def import_text(lesson_id: str) -> ResponseReturnValue:
    _load_lesson(lesson_id)  # 404 before reading an upload for a lesson one may not edit
    form = ImportForm()
    if not form.validate_on_submit():
        flash(_("Choose a Word (.docx) or PDF file."), "error")
        return redirect(url_for("learning.edit_lesson", lesson_id=lesson_id))
    upload = form.file.data
    try:
        lesson_import.import_lesson_text(
            kernel(),
            actor(),
            lesson_id,
            version=_version(form.version.data),
            data=upload.read(),
            filename=upload.filename or "",
            language=form.language.data or "en",
        )
    except LearningError as exc:
        flash(str(exc), "error")
    except StaleWriteError:
        flash(_("Someone saved this lesson meanwhile; nothing was imported. Try again."), "error")
    else:
        flash(_("The file's text is now the lesson's text. Check it, then save."), "success")
    return redirect(url_for("learning.edit_lesson", lesson_id=lesson_id))


@bp.route("/lessons/<lesson_id>/move", methods=["POST"])
@login_required
def move_lesson(lesson_id: str) -> ResponseReturnValue:
    current, _draft = _load_lesson(lesson_id)
    delta = 1 if request.form.get("direction") == "down" else -1
    return _course_action(
        current.course_id,
        lambda: lessons.move_lesson(kernel(), actor(), lesson_id, delta),
        _("Lesson moved."),
        "#modules",
    )


@bp.route("/lessons/<lesson_id>/delete", methods=["POST"])
@login_required
def delete_lesson(lesson_id: str) -> ResponseReturnValue:
    current, _draft = _load_lesson(lesson_id)
    version = _version(request.form.get("version"))
    return _course_action(
        current.course_id,
        lambda: lessons.delete_lesson(kernel(), actor(), lesson_id, version=version),
        _("Lesson deleted from the draft."),
        "#modules",
    )


# --------------------------------------------------------------------------
# Attachments


class AttachForm(FlaskForm):
    file = FileField(_l("PDF, Word (.docx) or picture"), validators=[FileRequired()])


@bp.route("/lessons/<lesson_id>/attachments", methods=["POST"])
@login_required
def attach(lesson_id: str) -> ResponseReturnValue:
    form = AttachForm()
    if not form.validate_on_submit():
        flash(_("Choose a file to attach."), "error")
        return redirect(url_for("learning.edit_lesson", lesson_id=lesson_id) + "#attachments")
    upload = form.file.data
    try:
        attachments.attach_file(kernel(), actor(), lesson_id, upload.stream, upload.filename or "")
    except CourseNotFound:
        abort(404)
    except (LearningError, StaleWriteError) as exc:
        flash(str(exc) or _("Someone saved this lesson meanwhile; try again."), "error")
    else:
        flash(_("File attached; its text is being read."), "success")
    return redirect(url_for("learning.edit_lesson", lesson_id=lesson_id) + "#attachments")


@bp.route("/lessons/<lesson_id>/attachments/<file_id>/remove", methods=["POST"])
@login_required
def detach(lesson_id: str, file_id: str) -> ResponseReturnValue:
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        attachments.detach_file(kernel(), actor(), lesson_id, file_id)
    except CourseNotFound:
        abort(404)
    except (LearningError, StaleWriteError) as exc:
        flash(str(exc) or _("Someone saved this lesson meanwhile; try again."), "error")
    else:
        flash(_("File removed from the lesson."), "success")
    return redirect(url_for("learning.edit_lesson", lesson_id=lesson_id) + "#attachments")


@bp.route("/courses/<course_id>/lessons/<lesson_id>/files/<file_id>")
@login_required
def attachment(course_id: str, lesson_id: str, file_id: str) -> ResponseReturnValue:
    try:
        file, stream = attachments.open_attachment(
            kernel(),
            actor(),
            course_id,
            lesson_id,
            file_id,
            preview=bool(request.args.get("preview")),
        )
    except CourseNotFound:
        abort(404)
    return send_file(stream, download_name=file.filename, as_attachment=True)
