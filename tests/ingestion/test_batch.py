"""Many files at once: several uploads, ZIPs with a manifest, case references, the drop folder."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from casefiles.models import Case, CaseDocument
from ingestion.batch import (
    MAX_MEMBERS,
    BatchError,
    add_files,
    add_zip,
    resolve_case,
)
from ingestion.service import UploadError
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.jobs import Job
from tests.conftest import make_settings


@pytest.fixture
def clerk(demo):
    return actor_for(demo.store.find_one(User, {"username": "clerk.south"}))


def case_at(kernel, station: str) -> Case:
    return kernel.store.find_one(Case, {"fir.police_station": station})


def make_zip(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def refusals(kernel) -> dict[str, str]:
    return {j.title: j.error for j in kernel.store.find(Job, {"kind": "ingest.refused"})}


def test_case_references_resolve_in_the_ways_people_write_them(demo, clerk) -> None:
    case = case_at(demo, "Artillery Maidan")
    for ref in (
        case.reference,
        case.reference.lower(),
        f"  FIR   No. {case.fir.number} / {case.fir.year}  PS Artillery Maidan ",
        f"Crime No. {case.fir.number} of {case.fir.year} P.S. artillery maidan",
        case.id,
    ):
        assert resolve_case(demo, clerk, ref).id == case.id, ref
    with pytest.raises(UploadError, match="No case “FIR 1/1999 PS Nowhere” that you may see"):
        resolve_case(demo, clerk, "FIR 1/1999 PS Nowhere")
    hyd = demo.store.find_one(Case, {"district": "HYD"})
    with pytest.raises(UploadError, match="that you may see"):
        resolve_case(demo, clerk, hyd.reference)  # exists, but not in the clerk's district


def test_several_files_each_get_their_own_outcome(demo, clerk) -> None:
    case = case_at(demo, "Artillery Maidan")
    files = [
        ("one.txt", io.BytesIO(b"Statement of the first witness.")),
        ("two.txt", io.BytesIO(b"Statement of the second witness.")),
        ("photo.gif", io.BytesIO(b"GIF89a" + b"\x00" * 50)),
        ("one-again.txt", io.BytesIO(b"Statement of the first witness.")),
    ]
    result = add_files(demo, clerk, case.id, files)
    assert [o.status for o in result.outcomes] == ["added", "added", "refused", "already"]
    assert "cannot be added" in result.outcomes[2].message
    assert demo.store.count(CaseDocument, {"case_id": case.id}) == 2
    assert "cannot be added" in refusals(demo)["photo.gif"]


def test_a_zip_with_a_manifest_files_each_row_or_says_what_is_wrong(demo, clerk) -> None:
    here, there = case_at(demo, "Artillery Maidan"), case_at(demo, "Boat Basin")
    manifest = (
        "file,case,doc_type,title\n"
        f"docs/fir.txt,{there.reference},other,FIR copy\n"
        "docs/statement.txt,,,Statement\n"
        "docs/missing.txt,,,\n"
        "docs/typo.txt,,banana,\n"
        "docs/nocase.txt,FIR 999/2001 PS Nowhere,,\n"
        "docs/fir.txt,,,\n"
    )
    data = make_zip(
        {
            "manifest.csv": manifest.encode(),
            "docs/fir.txt": b"First information report, copy.",
            "docs/statement.txt": b"Statement of the complainant.",
            "docs/typo.txt": b"A document with a wrong type.",
            "docs/nocase.txt": b"A document for a case that does not exist.",
            "docs/unlisted.txt": b"Not in the manifest: goes to the case the ZIP was added to.",
            "docs/": b"",
        }
    )
    result = add_files(demo, clerk, here.id, [("bundle.zip", io.BytesIO(data))])
    by_status: dict[str, list[str]] = {}
    for o in result.outcomes:
        by_status.setdefault(o.status, []).append(o.message or o.name)
    assert sorted(o.name for o in result.outcomes if o.status == "added") == [
        "fir.txt",
        "statement.txt",
        "unlisted.txt",
    ]
    refused = " | ".join(by_status["refused"])
    assert "Manifest line 4: “docs/missing.txt” is not in the ZIP." in refused
    assert "Manifest line 5: unknown document type “banana”" in refused
    assert "Manifest line 6: No case “FIR 999/2001 PS Nowhere”" in refused
    assert "Manifest line 7: “docs/fir.txt” is listed twice." in refused
    fir = demo.store.find_one(CaseDocument, {"filename": "fir.txt"})
    assert (fir.case_id, fir.title) == (there.id, "FIR copy")
    assert demo.store.find_one(CaseDocument, {"filename": "unlisted.txt"}).case_id == here.id
    assert demo.store.find_one(CaseDocument, {"filename": "typo.txt"}) is None
    assert len(refusals(demo)) == 4


def test_manifest_without_a_file_column_is_reported(demo, clerk) -> None:
    case = case_at(demo, "Artillery Maidan")
    data = make_zip({"manifest.csv": b"name,case\na.txt,x\n", "a.txt": b"text"})
    result = add_zip(demo, clerk, io.BytesIO(data), case.id)
    assert result.outcomes[0].status == "refused"
    assert "“file” column" in result.outcomes[0].message


def test_zip_bombs_are_refused_unread(demo, clerk) -> None:
    case = case_at(demo, "Artillery Maidan")
    # 50 MB of zeros compresses about a thousand times.
    bomb = make_zip({"report.txt": b"0" * (50 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(BatchError, match=r"compressed .* times, which only a ZIP bomb does"):
        add_zip(demo, clerk, io.BytesIO(bomb), case.id)
    many = make_zip({f"f{n}.txt": b"x" for n in range(MAX_MEMBERS + 1)}, compression=0)
    with pytest.raises(BatchError, match=f"holds {MAX_MEMBERS + 1} files"):
        add_zip(demo, clerk, io.BytesIO(many), case.id)
    with pytest.raises(BatchError, match="damaged"):
        add_zip(demo, clerk, io.BytesIO(b"PK\x03\x04 not really a zip"), case.id)
    assert demo.store.count(CaseDocument, {"case_id": case.id}) == 0


def test_zip_total_size_limit(demo, clerk, monkeypatch) -> None:
    from ingestion import batch

    monkeypatch.setattr(batch, "MAX_TOTAL_UNCOMPRESSED", 1024**3 // 1024)  # 1 MB for the test
    case = case_at(demo, "Artillery Maidan")
    data = make_zip({f"p{n}.txt": os.urandom(300_000) for n in range(4)}, compression=0)
    with pytest.raises(BatchError, match="would unpack to"):
        add_zip(demo, clerk, io.BytesIO(data), case.id)


def test_nested_zips_and_escaping_paths_are_refused_one_by_one(demo, clerk) -> None:
    case = case_at(demo, "Artillery Maidan")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("ok.txt", b"A fine statement.")
        zf.writestr("inner.zip", make_zip({"x.txt": b"hidden"}))
        zf.writestr("../../etc/cron.d/evil.txt", b"escape")
        zf.writestr("/abs/evil2.txt", b"absolute")
    result = add_zip(demo, clerk, io.BytesIO(buf.getvalue()), case.id)
    status = {o.name: (o.status, o.message) for o in result.outcomes}
    assert status["ok.txt"][0] == "added"
    assert "ZIP files inside a ZIP are not opened" in status["inner.zip"][1]
    assert "outside the archive" in status["../../etc/cron.d/evil.txt"][1]
    assert status["/abs/evil2.txt"][0] == "refused"
    assert demo.store.count(CaseDocument, {"case_id": case.id}) == 1


def test_a_damaged_member_is_refused_alone(demo, clerk) -> None:
    case = case_at(demo, "Artillery Maidan")
    data = bytearray(
        make_zip({"torn.txt": b"A statement. " * 500, "fine.txt": b"Another statement."})
    )
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("torn.txt")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 2 : start + 10] = b"\xff" * 8  # its deflate stream no longer decodes
    result = add_zip(demo, clerk, io.BytesIO(bytes(data)), case.id)
    status = {o.name: (o.status, o.message) for o in result.outcomes}
    assert status["fine.txt"][0] == "added"
    assert status["torn.txt"][0] == "refused"
    assert "could not be read from the ZIP" in status["torn.txt"][1]


# -- the drop folder --------------------------------------------------------------------------


@pytest.fixture
def drop(tmp_path):
    from app.bootstrap import build_kernel
    from app.demo import seed
    from mizan.kernel import set_process_kernel

    settings = make_settings(
        tmp_path / "data", MIZAN_DROP_DIR=str(tmp_path / "drop"), MIZAN_DROP_USER="clerk.south"
    )
    kernel = build_kernel(settings)
    set_process_kernel(kernel)
    seed(kernel)
    yield kernel
    set_process_kernel(None)
    kernel.close()


def test_drop_folder_files_go_to_the_case_their_folder_or_name_gives(drop) -> None:
    from ingestion.dropfolder import case_key, scan_once

    assert case_key(Path("12-2025-Artillery_Maidan/scan1.pdf")) == "FIR 12/2025 PS Artillery Maidan"
    assert case_key(Path("189-2024-Makli__statement.pdf")) == "FIR 189/2024 PS Makli"
    assert case_key(Path("scan0001.pdf")) is None
    case = case_at(drop, "Artillery Maidan")
    key = f"{case.fir.number}-{case.fir.year}-Artillery_Maidan"
    folder = drop.settings.drop_dir
    (folder / key).mkdir(parents=True)
    (folder / key / "scan1.txt").write_bytes(b"Recovery memo, typed copy.")
    (folder / f"{key}__Medical report.txt").write_bytes(b"Medical report of the injured.")
    (folder / "stray.txt").write_bytes(b"No case in this name.")
    (folder / "9-2001-Nowhere.txt").write_bytes(b"A case that does not exist.")
    (folder / "half-written.txt.part").write_bytes(b"still scanning")

    results = scan_once(drop, settle=0)
    assert sorted((r.path.parent.name, r.path.name, r.ok) for r in results) == [
        ("failed", "9-2001-Nowhere.txt", False),
        ("failed", "stray.txt", False),
        ("processed", f"{key}__Medical report.txt", True),
        ("processed", f"{key}__scan1.txt", True),
    ]
    docs = drop.store.find(CaseDocument, {"case_id": case.id})
    assert sorted(d.title for d in docs) == ["Medical report", "scan1.txt"]
    clerk = drop.store.find_one(User, {"username": "clerk.south"})
    assert {d.uploaded_by for d in docs} == {clerk.id}
    note = (folder / "failed" / "stray.txt.txt").read_text()
    assert "names no case" in note
    assert (
        "No case “FIR 9/2001 PS Nowhere”"
        in (folder / "failed" / "9-2001-Nowhere.txt.txt").read_text()
    )
    assert (folder / "half-written.txt.part").exists()  # not finished: left where it is
    assert not (folder / key).exists()
    # Nothing left to take; a second look changes nothing.
    assert scan_once(drop, settle=0) == []


def test_drop_folder_file_left_by_a_crashed_watcher_is_taken_again(drop) -> None:
    from ingestion.dropfolder import drop_dir, scan_once

    case = case_at(drop, "Artillery Maidan")
    folder = drop_dir(drop)
    name = f"{case.fir.number}-{case.fir.year}-Artillery_Maidan__note.txt"
    (folder / "processing" / name).write_bytes(b"A note the watcher was adding when it died.")
    (result,) = scan_once(drop, settle=0)
    assert result.ok and result.path.parent.name == "processed"
    assert drop.store.count(CaseDocument, {"case_id": case.id}) == 1
