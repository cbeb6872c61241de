"""Certificate pages: public verification without signing in, downloads only for the holder
(and those who follow their progress), revocation by a trainer, the course page's partial."""

from __future__ import annotations

import pytest
from flask import render_template_string
from flask_login import login_user

from learning.certificates import ALPHABET, Certificate, check_character, format_code
from mizan.accounts.models import User
from tests.conftest import Browser
from tests.learning.cert_steps import complete, enrol, publish_course


@pytest.fixture
def issued(app, demo, frozen_clock) -> Certificate:
    course = publish_course(demo, "Bail under the ATA", title_ur="انسداد دہشت گردی ایکٹ میں ضمانت")
    enrolment = enrol(demo, course, "pp.sana")
    complete(demo, enrolment)
    return demo.store.find_one(Certificate, {"enrolment_id": enrolment.id})


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_verification_needs_no_sign_in(app, issued) -> None:
    client = app.test_client()
    form = client.get("/verify")
    assert form.status_code == 200
    assert 'name="code"' in _text(form)
    page = client.get(f"/verify/{issued.code}")
    assert page.status_code == 200
    html = _text(page)
    assert "This certificate is valid." in html
    assert "Sana Memon" in html and "Bail under the ATA" in html
    assert "03.03.2025" in html
    typed = _text(client.get("/verify", query_string={"code": issued.code.lower()}))
    assert "This certificate is valid." in typed


def test_unknown_typo_and_revoked_codes_are_said_plainly(app, demo, issued) -> None:
    client = app.test_client()
    unknown = format_code("AAAAAAAAAAA" + check_character("AAAAAAAAAAA"))
    assert unknown != issued.code
    assert "No certificate has this code." in _text(client.get(f"/verify/{unknown}"))
    assert "No certificate has this code." in _text(client.get("/verify?code=hello"))
    chars = issued.code.replace("-", "")
    wrong = ALPHABET[(ALPHABET.index(chars[4]) + 1) % len(ALPHABET)]
    typo = _text(client.get(f"/verify/{chars[:4] + wrong + chars[5:]}"))
    assert "typing mistake" in typo and "Sana Memon" not in typo

    trainer = Browser(app)
    trainer.login("trainer")
    url = f"/learning/certificates/{issued.id}"
    response = trainer.post(
        f"{url}/revoke", {"reason": "Answers were copied", "version": issued.version}, url
    )
    assert response.status_code == 302
    html = _text(client.get(f"/verify/{issued.code}"))
    assert "This certificate was revoked on 03.03.2025: Answers were copied" in html
    assert "This certificate is valid." not in html


def test_revocation_needs_a_reason_and_the_current_version(app, demo, issued) -> None:
    trainer = Browser(app)
    trainer.login("trainer")
    url = f"/learning/certificates/{issued.id}"
    empty = trainer.post(f"{url}/revoke", {"reason": "  ", "version": issued.version}, url)
    assert empty.status_code == 400
    assert "Write why the certificate is revoked" in _text(empty)
    stale = trainer.post(f"{url}/revoke", {"reason": "Why", "version": issued.version + 3}, url)
    assert stale.status_code == 409
    assert demo.store.get(Certificate, issued.id).revoked_at is None


def test_a_learner_cannot_revoke(app, demo, issued) -> None:
    sana = Browser(app)
    sana.login("pp.sana")
    url = f"/learning/certificates/{issued.id}"
    assert "Revoke certificate" not in _text(sana.get(url))
    response = sana.post(f"{url}/revoke", {"reason": "Mine", "version": issued.version}, url)
    assert response.status_code == 403
    assert demo.store.get(Certificate, issued.id).revoked_at is None


def test_the_holder_downloads_the_pdf(app, issued) -> None:
    sana = Browser(app)
    sana.login("pp.sana")
    mine = _text(sana.get("/learning/certificates"))
    assert issued.code in mine and "Bail under the ATA" in mine
    response = sana.get(f"/learning/certificates/{issued.id}/certificate.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert issued.code in response.headers["Content-Disposition"]


def test_another_learner_cannot_download_it(app, issued) -> None:
    rahim = Browser(app)
    rahim.login("pp.rahim")
    assert rahim.get(f"/learning/certificates/{issued.id}/certificate.pdf").status_code == 404
    assert rahim.get(f"/learning/certificates/{issued.id}").status_code == 404
    assert rahim.get("/learning/certificates/all").status_code == 403
    assert issued.code not in _text(rahim.get("/learning/certificates"))
    anonymous = app.test_client().get(f"/learning/certificates/{issued.id}/certificate.pdf")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_the_district_prosecutor_may_download_it(app, issued) -> None:
    dpp = Browser(app)
    dpp.login("dpp.south")
    assert issued.code in _text(dpp.get("/learning/certificates/all"))
    assert dpp.get(f"/learning/certificates/{issued.id}/certificate.pdf").status_code == 200


def test_urdu_verification_page_reads_right_to_left(app, issued) -> None:
    html = _text(app.test_client().get(f"/verify/{issued.code}?lang=ur"))
    assert '<html lang="ur" dir="rtl">' in html
    assert "انسداد دہشت گردی ایکٹ میں ضمانت" in html


def _partial(app, demo, username: str, course_id: str) -> str:
    from learning.models import Course
    from web.app import SessionUser

    course = demo.store.get(Course, course_id)
    with app.test_request_context("/"):
        login_user(SessionUser(demo.store.find_one(User, {"username": username})))
        return render_template_string(
            '{% include "learning/_course_certificate.html" %}', course=course, release=None
        )


def test_course_page_partial_offers_the_download(app, demo, issued) -> None:
    html = _partial(app, demo, "pp.sana", issued.course_id)
    assert "Download certificate" in html
    assert f"/learning/certificates/{issued.id}/certificate.pdf" in html
    assert "Download certificate" not in _partial(app, demo, "pp.rahim", issued.course_id)


def test_too_many_lookups_from_one_address_are_refused(app, issued) -> None:
    from learning.certificates import VERIFY_BUDGET

    client = app.test_client()
    for _ in range(VERIFY_BUDGET):
        assert client.get("/verify?code=guess").status_code == 200
    response = client.get(f"/verify/{issued.code}")
    assert response.status_code == 429
    assert "Too many codes were checked" in _text(response)
    assert "Sana Memon" not in _text(response)


def test_a_completed_course_in_a_path_offers_the_certificate(app, demo, issued) -> None:
    from learning.paths import PathFields, create_path
    from tests.learning.cert_steps import TRAINER

    path = create_path(demo, TRAINER, PathFields("ATA", course_ids=(issued.course_id,)))
    sana = Browser(app)
    sana.login("pp.sana")
    html = _text(sana.get(f"/learning/paths/{path.id}"))
    assert f"/learning/certificates/{issued.id}/certificate.pdf" in html
