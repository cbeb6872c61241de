"""Hostile and broken input: each file ends its own job with a clear message, the others
carry on, and nothing already stored is touched."""

from __future__ import annotations

import io
import zipfile

import pytest

from app.bootstrap import build_kernel
from app.demo import seed
from casefiles.models import Case, CaseDocument, DocumentPage
from ingestion import docx_text
from ingestion.batch import add_files
from ingestion.tasks import process_document
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.jobs import Job
from mizan.kernel import set_process_kernel
from tests.conftest import make_settings
from tests.ingestion.test_extract import bomb_png, make_pdf


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("statement.txt", b"\x00" * (64 * 1024 * 1024))
    return buf.getvalue()


def _docx(replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """A real DOCX from python-docx, with parts replaced or added."""
    import docx

    document = docx.Document()
    document.add_paragraph("Statement of the complainant.")
    plain = io.BytesIO()
    document.save(plain)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(plain) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf,
    ):
        for name in src.namelist():
            zf.writestr(name, (replace or {}).get(name, src.read(name)))
        for name, data in (add or {}).items():
            zf.writestr(name, data)
    return out.getvalue()


def _damaged_docx() -> bytes:
    """The compressed document part overwritten near its start (the ZIP directory intact)."""
    data = bytearray(_docx())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 8 : start + 16] = b"\xff" * 8  # zlib: "invalid code lengths set"
    return bytes(data)


_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "lol">'
    + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
    )
    + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>"
)
#: What tests unpack at most from a DOCX (lowered from 256 MB so a bomb is quick to make).
DOCX_LIMIT = 8 * 1024 * 1024

HOSTILE = {
    "corrupt PDF": ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntruncated", "damaged"),
    "encrypted PDF": (
        "locked.pdf",
        make_pdf([{"lines": ["Secret"]}], user_password="secret"),
        "password-protected",
    ),
    "ZIP bomb": ("bundle.zip", _zip_bomb(), "ZIP bomb"),
    "decompression-bomb image": ("scan.png", bomb_png(16_000, 16_000), "too large to process"),
    "DOCX ZIP bomb": (
        "bomb.docx",
        _docx(add={"word/media/image1.png": bytes(DOCX_LIMIT + 1)}),
        "too large to read",
    ),
    "DOCX entity bomb (billion laughs)": (
        "laughs.docx",
        _docx(add={}, replace={"word/document.xml": _LAUGHS}),
        "damaged",
    ),
    "damaged DOCX": ("torn.docx", _damaged_docx(), "damaged"),
    "password-protected DOCX": (
        "locked.docx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        "password-protected",
    ),
    "PDF and ZIP polyglot named DOCX": (
        "fir.docx",
        make_pdf([{"lines": ["Polyglot"]}]) + _docx(),
        "its content is a PDF",
    ),
    "program named PDF": ("scan.pdf", b"MZ\x90\x00" + b"\x00" * 100, "a Windows program"),
    "extension mismatch": ("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG"),
    "empty file": ("empty.txt", b"", "empty"),
    "unsupported type": (
        "sheet.xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        "(.xls)",
    ),
    "oversized upload": (
        "huge.txt",
        b"a" * (1024 * 1024 + 1),
        "larger than the upload limit of 1 MB",
    ),
}


@pytest.fixture
def small_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_text, "MAX_DOCX_UNCOMPRESSED", DOCX_LIMIT)
    kernel = build_kernel(make_settings(tmp_path / "data", MIZAN_MAX_UPLOAD_MB="1"))
    set_process_kernel(kernel)
    seed(kernel)
    yield kernel
    set_process_kernel(None)
    kernel.close()


def _snapshot(kernel, doc_id: str):
    doc = kernel.store.get(CaseDocument, doc_id)
    pages = kernel.store.find(DocumentPage, {"document_id": doc_id})
    blob = kernel.blobs.path(doc.sha256).read_bytes()
    return doc.to_mongo().to_dict(), [p.to_mongo().to_dict() for p in pages], blob


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_input_fails_alone_and_touches_nothing(small_limit, kind: str) -> None:
    kernel = small_limit
    clerk = actor_for(kernel.store.find_one(User, {"username": "clerk.south"}))
    case = kernel.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    (earlier,) = add_files(
        kernel, clerk, case.id, [("earlier.txt", io.BytesIO(b"A statement stored earlier."))]
    ).added
    assert process_document(kernel, earlier.job_id) == "succeeded"
    before = _snapshot(kernel, earlier.id)

    name, data, message = HOSTILE[kind]
    result = add_files(
        kernel,
        clerk,
        case.id,
        [
            (name, io.BytesIO(data)),
            ("after.txt", io.BytesIO(b"A statement sent in the same batch.")),
        ],
    )
    _hostile, good = result.outcomes
    assert good.status == "added"
    jobs = [
        kernel.store.get(Job, d.job_id) for d in result.added if d.filename == name
    ] or kernel.store.find(Job, {"kind": "ingest.refused", "title": name})
    for doc in result.added:
        process_document(kernel, doc.job_id)
    (job,) = [kernel.store.get(Job, j.id) for j in jobs]
    assert job.state == "failed", kind
    assert message in job.error, (kind, job.error)
    assert kernel.store.get(Job, good.document.job_id).state == "succeeded"
    assert _snapshot(kernel, earlier.id) == before


@pytest.mark.slow
def test_a_real_worker_carries_on_after_hostile_files(demo, celery_worker, tmp_path) -> None:
    import time

    clerk = actor_for(demo.store.find_one(User, {"username": "clerk.south"}))
    case = demo.store.find_one(Case, {"fir.police_station": "Artillery Maidan"})
    batch = [(name, io.BytesIO(data)) for name, data, _ in HOSTILE.values()]
    batch.append(("fine.txt", io.BytesIO(b"A fine statement after the hostile ones.")))
    result = add_files(demo, clerk, case.id, batch)
    jobs = [d.job_id for d in result.added]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        states = {demo.store.get(Job, j).title: demo.store.get(Job, j).state for j in jobs}
        if all(s in ("succeeded", "failed") for s in states.values()):
            break
        time.sleep(0.2)
    assert states["fine.txt"] == "succeeded"
    assert states["broken.pdf"] == states["locked.pdf"] == states["scan.png"] == "failed"
    refused = {j.title for j in demo.store.find(Job, {"kind": "ingest.refused"})}
    assert {"bundle.zip", "scan.pdf", "empty.txt", "sheet.xls"} <= refused
