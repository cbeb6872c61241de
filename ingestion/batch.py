"""Many files at once: several uploads, a ZIP with an optional manifest, a folder.

Every file ends in its own outcome (added, already there, or refused with the
reason), and a refused file never stops the others. A ZIP is read member by
member straight into the blob store, never unpacked to disk by its own names,
and is refused before anything is read when it looks like a ZIP bomb.

The manifest is a CSV file named ``manifest.csv`` at the top of the ZIP, with
a header row and the columns ``file`` (required: the path inside the ZIP),
``case`` (a case reference such as ``FIR 189/2024 PS Makli``; default: the
case the ZIP was added to), ``doc_type``, ``title`` and ``lang`` (optional).
Each row is checked on its own; a bad row (unknown case, unknown document
type, a file missing from the ZIP) is reported and its file is not added.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from casefiles.models import Case, CaseDocument
from casefiles.service import CaseNotFound, get_case
from ingestion.service import (
    AlreadyUploaded,
    UploadError,
    document_types,
    record_refusal,
    upload_document,
)
from mizan.accounts.service import PermissionDenied
from mizan.actor import Actor
from mizan.i18n import gettext as _
from mizan.kernel import Kernel

#: ZIP limits: more members, more unpacked bytes, or a higher compression ratio
#: than any scanner's output is treated as a ZIP bomb and refused unread.
MAX_MEMBERS = 1000
MAX_TOTAL_UNCOMPRESSED = 4 * 1024**3
MAX_RATIO = 200
BOMB_MIN_BYTES = 1024 * 1024
MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("file", "case", "doc_type", "title", "lang")


@dataclass
class Outcome:
    """What happened to one file (or one manifest row)."""

    name: str
    #: "added" | "already" | "refused"; "failed" once an added file could not be read (it
    #: is in the case, but holds no text), so a summary never counts it as added.
    status: str
    message: str = ""
    document: CaseDocument | None = None


@dataclass
class BatchResult:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def added(self) -> list[CaseDocument]:
        return [o.document for o in self.outcomes if o.status == "added" and o.document]


class BatchError(ValueError):
    """The whole batch is refused (e.g. a ZIP bomb); the message says why."""


# -- cases by reference ----------------------------------------------------------------------

_REF = re.compile(
    r"^\s*(?:FIR|Crime)\s*(?:No\.?)?\s*(\d{1,5})\s*(?:/|of)\s*(\d{4})"
    r"\s*(?:P\.?\s*S\.?|police station)?\s*(.*?)\s*$",
    re.IGNORECASE,
)


def resolve_case(kernel: Kernel, actor: Actor, reference: str) -> Case:
    """The case a person means by ``FIR 189/2024 PS Makli`` (any spacing or case) or its id.

    Raises :class:`UploadError` naming the problem: no such case, several
    matches, or a case the person may not see.
    """
    ref = " ".join((reference or "").split())
    if not ref:
        raise UploadError(_("No case reference given."))
    candidates = kernel.store.find(Case, {"reference": ref}, limit=5)
    if not candidates:
        match = _REF.match(ref)
        if match:
            number, year, station = int(match[1]), int(match[2]), match[3].strip().casefold()
            candidates = [
                c
                for c in kernel.store.find(Case, {"fir.number": number, "fir.year": year})
                if not station or c.fir.police_station.casefold() == station
            ]
    if not candidates and re.fullmatch(r"[0-9a-f]{24}", ref):
        candidates = kernel.store.find(Case, {"_id": ref}, limit=1)
    visible = []
    for case in candidates:
        try:
            visible.append(get_case(kernel, actor, case.id))
        except CaseNotFound:
            continue
    if not visible:
        raise UploadError(_("No case “%(ref)s” that you may see.", ref=ref))
    if len(visible) > 1:
        raise UploadError(
            _(
                "“%(ref)s” matches several cases (%(refs)s); give the full reference.",
                ref=ref,
                refs="; ".join(c.reference for c in visible),
            )
        )
    return visible[0]


# -- single files ----------------------------------------------------------------------------


def add_one(
    kernel: Kernel,
    actor: Actor,
    case_id: str,
    name: str,
    stream: BinaryIO,
    *,
    lang: str = "eng",
    doc_type: str = "other",
    title: str = "",
) -> Outcome:
    """Add one file; a refusal becomes a failed job the clerk sees on the jobs page."""
    try:
        doc = upload_document(
            kernel,
            actor,
            case_id,
            filename=name,
            stream=stream,
            lang=lang,
            doc_type=doc_type,
            title=title,
        )
    except AlreadyUploaded as exc:
        return Outcome(name, "already", str(exc), exc.existing)
    except UploadError as exc:
        record_refusal(kernel, actor, name, str(exc), case_id)
        return Outcome(name, "refused", str(exc))
    return Outcome(name, "added", document=doc)


def add_files(
    kernel: Kernel,
    actor: Actor,
    case_id: str,
    files: Iterable[tuple[str, BinaryIO]],
    *,
    lang: str = "eng",
    doc_type: str = "other",
) -> BatchResult:
    """Add several files to one case; ZIP files are opened (see :func:`add_zip`).

    PermissionDenied and CaseNotFound for the case itself are raised (nothing
    could be added); everything about a single file is an outcome.
    """
    get_case(kernel, actor, case_id)
    result = BatchResult()
    for name, stream in files:
        if name.lower().endswith(".zip"):
            try:
                result.outcomes += add_zip(kernel, actor, stream, case_id, lang=lang).outcomes
            except BatchError as exc:
                record_refusal(kernel, actor, name, str(exc), case_id)
                result.outcomes.append(Outcome(name, "refused", str(exc)))
            continue
        result.outcomes.append(
            add_one(kernel, actor, case_id, name, stream, lang=lang, doc_type=doc_type)
        )
    return result


# -- ZIP archives ----------------------------------------------------------------------------


def _unsafe_name(name: str) -> str | None:
    """Why a member name is refused (absolute, climbing out, drive letters), or None."""
    if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return _("its path is absolute or uses backslashes")
    if ".." in PurePosixPath(name).parts:
        return _("its path points outside the archive")
    return None


def check_zip(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The members worth reading, after refusing ZIP bombs as a whole (:class:`BatchError`)."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise BatchError(
            _(
                "This ZIP holds %(n)d files; at most %(max)d can be added at once.",
                n=len(infos),
                max=MAX_MEMBERS,
            )
        )
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise BatchError(
            _(
                "This ZIP would unpack to %(gb).1f GB; the limit is %(max)d GB.",
                gb=total / 1024**3,
                max=MAX_TOTAL_UNCOMPRESSED // 1024**3,
            )
        )
    for info in infos:
        # Small members may compress well without harm; a bomb is big and tiny at once.
        big = info.file_size > BOMB_MIN_BYTES
        if big and info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            raise BatchError(
                _(
                    "“%(name)s” in this ZIP is compressed %(ratio)d times, which only a ZIP "
                    "bomb does; the ZIP was not opened.",
                    name=info.filename,
                    ratio=info.file_size // info.compress_size,
                )
            )
    return [
        i
        for i in infos
        if not i.is_dir()
        and not i.filename.startswith("__MACOSX/")
        and not PurePosixPath(i.filename).name.startswith(".")
    ]


@dataclass
class ManifestRow:
    line: int
    file: str
    case: str = ""
    doc_type: str = ""
    title: str = ""
    lang: str = ""


def read_manifest(data: bytes) -> tuple[list[ManifestRow], list[Outcome]]:
    """Rows of a manifest CSV, and the problems with it (each naming its line)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [Outcome(MANIFEST_NAME, "refused", _("The manifest is not saved as UTF-8."))]
    reader = csv.DictReader(io.StringIO(text))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    if "file" not in header:
        message = _(
            "The manifest needs a header row with a “file” column (and optionally "
            "case, doc_type, title, lang)."
        )
        return [], [Outcome(MANIFEST_NAME, "refused", message)]
    unknown = [h for h in header if h and h not in MANIFEST_COLUMNS]
    problems = []
    if unknown:
        problems.append(
            Outcome(
                MANIFEST_NAME,
                "refused",
                _("The manifest has unknown columns: %(cols)s.", cols=", ".join(unknown)),
            )
        )
    rows = []
    for raw in reader:
        values = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if not any(values.values()):
            continue
        rows.append(
            ManifestRow(reader.line_num, **{k: values.get(k, "") for k in MANIFEST_COLUMNS})
        )
    return rows, problems


def _row_problem(
    kernel: Kernel, actor: Actor, row: ManifestRow, names: set[str], default_case: str | None
) -> tuple[str | None, str | None]:
    """(case id, None) for a good row, (None, reason) for a bad one."""
    if not row.file:
        return None, _("no file named")
    if row.file not in names:
        return None, _("“%(file)s” is not in the ZIP", file=row.file)
    if row.doc_type and row.doc_type.lower() not in document_types():
        return None, _(
            "unknown document type “%(type)s” (use one of: %(types)s)",
            type=row.doc_type,
            types=", ".join(document_types()),
        )
    if row.case:
        try:
            return resolve_case(kernel, actor, row.case).id, None
        except UploadError as exc:
            return None, str(exc)
    if default_case is None:
        return None, _("no case given")
    return default_case, None


def add_zip(
    kernel: Kernel,
    actor: Actor,
    source: BinaryIO | Path,
    default_case: str | None,
    *,
    lang: str = "eng",
) -> BatchResult:
    """Add the files of a ZIP: to the cases its manifest names, the rest to ``default_case``.

    Raises :class:`BatchError` when the ZIP cannot be opened or looks like a
    bomb (nothing is added then); every other problem is one outcome.
    """
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BatchError(_("This ZIP file is damaged and cannot be opened.")) from exc
    result = BatchResult()
    with zf:
        members = check_zip(zf)
        by_name = {m.filename: m for m in members}
        manifest_info = next((m for m in members if m.filename.lower() == MANIFEST_NAME), None)
        plan: list[tuple[zipfile.ZipInfo, ManifestRow | None, str | None]] = []
        if manifest_info is not None:
            del by_name[manifest_info.filename]
            if manifest_info.file_size > 10 * 1024 * 1024:
                raise BatchError(_("The manifest is larger than 10 MB."))
            rows, problems = read_manifest(zf.read(manifest_info))
            result.outcomes += problems
            listed: set[str] = set()
            for row in rows:
                case_id: str | None
                reason: str | None
                if row.file in listed:
                    reason = _("“%(file)s” is listed twice", file=row.file)
                    case_id = None
                else:
                    case_id, reason = _row_problem(kernel, actor, row, set(by_name), default_case)
                listed.add(row.file)
                if reason:
                    message = _("Manifest line %(line)d: %(reason)s.", line=row.line, reason=reason)
                    record_refusal(kernel, actor, row.file or MANIFEST_NAME, message, default_case)
                    result.outcomes.append(Outcome(row.file or MANIFEST_NAME, "refused", message))
                    continue
                plan.append((by_name[row.file], row, case_id))
            unlisted = [m for name, m in by_name.items() if name not in listed]
        else:
            unlisted = list(by_name.values())
        plan += [(m, None, default_case) for m in unlisted]
        for info, planned, case_id in plan:
            result.outcomes.append(_add_member(kernel, actor, zf, info, planned, case_id, lang))
    return result


def _add_member(
    kernel: Kernel,
    actor: Actor,
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    row: ManifestRow | None,
    case_id: str | None,
    lang: str,
) -> Outcome:
    name = info.filename
    reason: str | None = _unsafe_name(name)
    if reason:
        reason = _("“%(name)s” was not added: %(reason)s.", name=name, reason=reason)
    elif case_id is None:
        reason = _(
            "“%(name)s” was not added: no case given (add it to a case or list it in "
            "the manifest).",
            name=name,
        )
    elif name.lower().endswith(".zip"):
        reason = _("“%(name)s” was not added: ZIP files inside a ZIP are not opened.", name=name)
    elif info.flag_bits & 0x1:
        reason = _("“%(name)s” was not added: it is password-protected.", name=name)
    elif info.file_size > kernel.settings.max_upload_mb * 1024 * 1024:
        reason = _(
            "“%(name)s” was not added: it is larger than the upload limit of %(mb)d MB.",
            name=name,
            mb=kernel.settings.max_upload_mb,
        )
    if reason:
        record_refusal(kernel, actor, name, reason, case_id)
        return Outcome(name, "refused", reason)
    assert case_id is not None
    try:
        with zf.open(info) as stream:
            return add_one(
                kernel,
                actor,
                case_id,
                PurePosixPath(name).name,
                stream,  # type: ignore[arg-type]
                lang=(row.lang if row and row.lang else lang),
                doc_type=(row.doc_type.lower() if row and row.doc_type else "other"),
                title=(row.title if row else ""),
            )
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        RuntimeError,
        NotImplementedError,
    ) as exc:
        message = _("“%(name)s” could not be read from the ZIP: %(error)s", name=name, error=exc)
        record_refusal(kernel, actor, name, message, case_id)
        return Outcome(name, "refused", message)
    except (PermissionDenied, CaseNotFound):
        message = _("“%(name)s” was not added: you cannot add files to that case.", name=name)
        record_refusal(kernel, actor, name, message, None)
        return Outcome(name, "refused", message)
