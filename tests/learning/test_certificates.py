"""Certificates: issued once per completion, codes that catch typos, verification, revocation,
the PDF and who may download it."""

from __future__ import annotations

import datetime as dt

import pypdfium2 as pdfium
import pytest

from learning.certificates import (
    ALPHABET,
    VERIFY_BUDGET,
    Certificate,
    CertificateNotFound,
    CodeMalformed,
    CodeTypo,
    certificate_for_course,
    certificate_pdf,
    check_character,
    issue_for_enrolment,
    list_certificates,
    my_certificates,
    new_code,
    parse_code,
    revoke_certificate,
    verify_code,
)
from learning.errors import LearningError
from learning.models import Course
from mizan.accounts.service import PermissionDenied
from mizan.audit import AuditEntry
from mizan.storage import StaleWriteError
from tests.learning.cert_steps import (
    TRAINER,
    actor_of,
    complete,
    completed_event,
    enrol,
    publish_course,
    user,
)

URL = "https://mizan.example/verify"


@pytest.fixture
def issued(demo, frozen_clock):
    """Sana Memon (prosecutor, Karachi South) completed a course; her certificate."""
    course = publish_course(demo, title_ur="انسداد دہشت گردی ایکٹ")
    enrolment = enrol(demo, course, "pp.sana")
    complete(demo, enrolment)
    certificate = demo.store.find_one(Certificate, {"enrolment_id": enrolment.id})
    assert certificate is not None
    return certificate


def _pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


# -- issuing -------------------------------------------------------------------------------


def test_issued_once_even_if_the_completion_is_handled_twice(demo, frozen_clock) -> None:
    course = publish_course(demo)
    enrolment = enrol(demo, course, "pp.sana")
    complete(demo, enrolment)
    demo.emit(completed_event(demo, enrolment))  # a replay of the same event
    issue_for_enrolment(demo, TRAINER, enrolment.id)  # and a direct retry
    certificates = demo.store.find(Certificate, {"enrolment_id": enrolment.id})
    assert len(certificates) == 1
    assert demo.store.count(AuditEntry, {"action": "learning.certificate.issued"}) == 1
    from mizan.notifications import Notification

    bell = {"user_id": enrolment.user_id, "link": f"/learning/certificates/{certificates[0].id}"}
    assert demo.store.count(Notification, bell) == 1


def test_certificate_keeps_name_course_and_day_as_they_were(demo, issued) -> None:
    assert issued.holder_name == "Sana Memon"
    assert issued.course_title_en == "The Anti-Terrorism Act for ATC prosecutors"
    assert issued.course_title_ur == "انسداد دہشت گردی ایکٹ"
    assert issued.release == 1
    assert issued.district == "KHI-S"
    assert issued.completed_on == dt.date(2025, 3, 3)  # the Pakistan day of completion
    assert parse_code(issued.code) == issued.code
    sana = user(demo, "pp.sana")
    sana.full_name = "Sana Memon Shaikh"
    demo.store.replace(sana)
    assert demo.store.get(Certificate, issued.id).holder_name == "Sana Memon"


def test_each_enrolment_gets_its_own_code(demo, frozen_clock) -> None:
    course = publish_course(demo)
    codes = set()
    for username in ("pp.sana", "pp.rahim", "pp.hyd"):
        complete(demo, enrol(demo, course, username))
    for certificate in demo.store.find(Certificate, {"course_id": course.id}):
        codes.add(certificate.code)
    assert len(codes) == 3


def test_a_code_already_taken_is_drawn_again(demo, issued, monkeypatch) -> None:
    from learning import certificates

    fresh = new_code()
    draws = iter([issued.code, fresh])
    monkeypatch.setattr(certificates, "new_code", lambda: next(draws))
    course = demo.store.get(Course, issued.course_id)
    second = issue_for_enrolment(demo, TRAINER, enrol(demo, course, "pp.rahim").id)
    assert second is not None and second.code == fresh


def test_completion_of_a_vanished_enrolment_issues_nothing(demo, frozen_clock) -> None:
    assert issue_for_enrolment(demo, TRAINER, "no-such-enrolment") is None
    assert demo.store.count(Certificate) == 0


# -- the code ------------------------------------------------------------------------------


def test_code_shape_and_alphabet() -> None:
    code = new_code()
    assert len(code) == len("MZN-7K3Q-9XPD-2M4T")
    prefix, *groups = code.split("-")
    assert prefix == "MZN" and [len(g) for g in groups] == [4, 4, 4]
    assert not set("".join(groups)) & set("0O1I")
    assert parse_code(code) == code


def test_every_one_character_typo_is_caught() -> None:
    for _ in range(20):
        chars = new_code().replace("-", "")[3:]
        for position in range(len(chars)):
            for wrong in ALPHABET:
                if wrong == chars[position]:
                    continue
                typo = chars[:position] + wrong + chars[position + 1 :]
                with pytest.raises(CodeTypo):
                    parse_code(typo)


def test_swapped_neighbours_are_caught() -> None:
    chars = "7K3Q9XPD2M4"
    code = chars + check_character(chars)
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            with pytest.raises(CodeTypo):
                parse_code(swapped)


def test_codes_are_read_forgivingly() -> None:
    code = new_code()
    assert parse_code(code.lower()) == code
    assert parse_code(" " + code.replace("-", " ") + " ") == code
    assert parse_code(code.removeprefix("MZN-")) == code


@pytest.mark.parametrize(
    "text", ["", "MZN", "MZN-0000-0000-0000", "hello", "MZN-ABCD-EFGH", "x" * 500]
)
def test_malformed_codes_are_refused(text: str) -> None:
    with pytest.raises(CodeMalformed):
        parse_code(text)


# -- verification ------------------------------------------------------------------------------


def test_valid_code_shows_name_course_and_day(demo, issued) -> None:
    result = verify_code(demo, issued.code.lower(), address="10.0.0.1")
    assert result.status == "valid"
    assert result.holder_name == "Sana Memon"
    assert result.course_title_en == issued.course_title_en
    assert result.completed_on == dt.date(2025, 3, 3)


def test_revoked_code_says_when_and_why(demo, issued, frozen_clock) -> None:
    frozen_clock.advance(dt.timedelta(days=2))
    revoke_certificate(
        demo, TRAINER, issued.id, reason="Completed by someone else", version=issued.version
    )
    result = verify_code(demo, issued.code, address="10.0.0.1")
    assert result.status == "revoked"
    assert result.revoked_on == dt.date(2025, 3, 5)
    assert (
        result.message == "This certificate was revoked on 5 March 2025: Completed by someone else"
    )


def test_unknown_and_malformed_codes_get_the_same_answer(demo, issued) -> None:
    body = "7K3Q9XPD2M4"
    unknown = "MZN-" + body[:4] + "-" + body[4:8] + "-" + body[8:] + check_character(body)
    assert unknown != issued.code
    a = verify_code(demo, unknown, address="10.0.0.1")
    b = verify_code(demo, "not a code", address="10.0.0.1")
    assert a.status == b.status == "unknown"
    assert a.message == b.message == "No certificate has this code."
    assert a.holder_name == b.holder_name == ""


def test_a_typo_is_named_as_such(demo, issued) -> None:
    chars = issued.code.replace("-", "")
    wrong = ALPHABET[(ALPHABET.index(chars[5]) + 1) % len(ALPHABET)]
    typo = chars[:5] + wrong + chars[6:]
    result = verify_code(demo, typo, address="10.0.0.1")
    assert result.status == "typo"
    assert "typing mistake" in result.message
    assert result.holder_name == ""


def test_one_address_has_a_budget_of_lookups(demo, issued, frozen_clock) -> None:
    for _ in range(VERIFY_BUDGET):
        assert verify_code(demo, "MZN-AAAA-AAAA-AAAA", address="10.0.0.9").status != "throttled"
    assert verify_code(demo, issued.code, address="10.0.0.9").status == "throttled"
    assert verify_code(demo, issued.code, address="10.0.0.8").status == "valid"
    frozen_clock.advance(dt.timedelta(minutes=11))
    assert verify_code(demo, issued.code, address="10.0.0.9").status == "valid"


def test_an_empty_code_costs_nothing(demo) -> None:
    assert verify_code(demo, "  ", address="10.0.0.1").status == "empty"


# -- revoking ------------------------------------------------------------------------------


def test_revoking_needs_a_reason_and_a_trainer(demo, issued) -> None:
    with pytest.raises(LearningError, match="Write why"):
        revoke_certificate(demo, TRAINER, issued.id, reason="   ", version=issued.version)
    with pytest.raises(LearningError, match="too long"):
        revoke_certificate(demo, TRAINER, issued.id, reason="x" * 501, version=issued.version)
    dpp = actor_of(demo, "dpp.south")
    with pytest.raises(PermissionDenied):
        revoke_certificate(demo, dpp, issued.id, reason="Because", version=issued.version)
    sana = actor_of(demo, "pp.sana")
    with pytest.raises(PermissionDenied):
        revoke_certificate(demo, sana, issued.id, reason="Because", version=issued.version)
    assert demo.store.get(Certificate, issued.id).revoked_at is None


def test_revoking_is_audited_and_happens_once(demo, issued) -> None:
    revoke_certificate(demo, TRAINER, issued.id, reason="Quiz was leaked", version=issued.version)
    stored = demo.store.get(Certificate, issued.id)
    assert stored.revoked_reason == "Quiz was leaked"
    assert stored.revoked_by == TRAINER.user_id
    entry = demo.store.find_one(AuditEntry, {"action": "learning.certificate.revoked"})
    assert entry is not None and entry.subject_id == issued.id
    assert "Quiz was leaked" not in str(entry.data)  # the trail carries ids, not text
    with pytest.raises(LearningError, match="already revoked"):
        revoke_certificate(demo, TRAINER, issued.id, reason="Again", version=stored.version)


def test_a_stale_revocation_is_refused(demo, issued) -> None:
    with pytest.raises(StaleWriteError):
        revoke_certificate(demo, TRAINER, issued.id, reason="Late", version=issued.version + 1)
    assert demo.store.get(Certificate, issued.id).revoked_at is None


# -- the PDF and who may have it -------------------------------------------------------------


def test_pdf_has_the_name_course_code_and_address(demo, issued) -> None:
    sana = actor_of(demo, "pp.sana")
    _certificate, data = certificate_pdf(demo, sana, issued.id, verify_base=URL)
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert "Sana Memon" in text
    assert "The Anti-Terrorism Act for ATC prosecutors" in text
    assert issued.code in text
    assert f"https://mizan.example/verify/{issued.code}" in text
    assert "3 March 2025" in text
    assert demo.store.count(AuditEntry, {"action": "learning.certificate.downloaded"}) == 1


def test_who_may_download(demo, issued) -> None:
    for username in ("pp.rahim", "pp.hyd", "clerk.south"):
        with pytest.raises(CertificateNotFound):
            certificate_pdf(demo, actor_of(demo, username), issued.id, verify_base=URL)
    assert demo.store.count(AuditEntry, {"action": "learning.certificate.access_denied"}) == 3
    for username in ("dpp.south", "supervisor", "pg.sindh", "trainer"):
        certificate_pdf(demo, actor_of(demo, username), issued.id, verify_base=URL)


def test_a_dpp_of_another_district_may_not_download(demo, issued) -> None:
    from mizan.accounts.service import create_user
    from mizan.actor import SYSTEM

    create_user(
        demo,
        SYSTEM,
        username="dpp.hyd",
        full_name="DPP Hyderabad",
        password="a-long-password-1",
        roles=["district_public_prosecutor"],
        district="HYD",
    )
    with pytest.raises(CertificateNotFound):
        certificate_pdf(demo, actor_of(demo, "dpp.hyd"), issued.id, verify_base=URL)
    assert list_certificates(demo, actor_of(demo, "dpp.hyd")) == []
    assert [c.id for c in list_certificates(demo, actor_of(demo, "dpp.south"))] == [issued.id]


def test_a_revoked_certificate_cannot_be_downloaded(demo, issued) -> None:
    revoke_certificate(demo, TRAINER, issued.id, reason="Withdrawn", version=issued.version)
    with pytest.raises(LearningError, match="revoked"):
        certificate_pdf(demo, actor_of(demo, "pp.sana"), issued.id, verify_base=URL)


def test_my_certificates_and_the_course_page_lookup(demo, issued) -> None:
    sana, rahim = actor_of(demo, "pp.sana"), actor_of(demo, "pp.rahim")
    assert [c.id for c in my_certificates(demo, sana)] == [issued.id]
    assert my_certificates(demo, rahim) == []
    assert certificate_for_course(demo, sana, issued.course_id).id == issued.id
    assert certificate_for_course(demo, rahim, issued.course_id) is None
    revoke_certificate(demo, TRAINER, issued.id, reason="Withdrawn", version=issued.version)
    assert certificate_for_course(demo, sana, issued.course_id) is None


def test_listing_others_certificates_needs_a_capability(demo, issued) -> None:
    with pytest.raises(PermissionDenied):
        list_certificates(demo, actor_of(demo, "pp.rahim"))
    assert [c.id for c in list_certificates(demo, TRAINER, code=issued.code.lower())] == [issued.id]
    assert list_certificates(demo, TRAINER, code="garbage") == []
