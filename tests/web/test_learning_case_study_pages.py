"""Case study pages: a trainer drafts, reviews and publishes; learners never see a draft,
and the published page names nobody and links nowhere near the case."""

from __future__ import annotations

import re

from learning.case_study_models import CaseStudy, StudyStatus
from tests.conftest import Browser
from tests.learning.case_study_steps import decided_case

BASE = "/learning/case-studies/"


def _signed_in(app, username: str) -> Browser:
    b = Browser(app)
    b.login(username)
    return b


def _draft(app, demo) -> tuple[Browser, str, object]:
    case = decided_case(demo)
    trainer = _signed_in(app, "trainer")
    response = trainer.post(BASE + "new", {"case_id": case.id}, form_url=BASE + "new")
    assert response.status_code == 302
    study_id = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    return trainer, study_id, case


def _version(b: Browser, study_id: str) -> str:
    html = b.get(BASE + study_id).get_data(as_text=True)
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def _post(b: Browser, study_id: str, path: str, data: dict):
    data = {"version": _version(b, study_id), **data}
    return b.post(BASE + study_id + path, data, form_url=BASE + study_id)


def _accept_everything(b: Browser, study_id: str) -> None:
    while True:
        html = b.get(BASE + study_id).get_data(as_text=True)
        labels = re.findall(r'name="label" value="([^"]+)"', html)
        if not labels:
            return
        _post(b, study_id, "/redactions/accept-label", {"label": labels[0].replace("&#34;", '"')})


def test_menu_offers_case_studies_to_learners_and_authors(app) -> None:
    """In the learning pages' own menu (the main menu has one "Learning" entry)."""
    for username in ("trainer", "pp.rahim", "dpp.south"):
        html = _signed_in(app, username).get("/learning/").get_data(as_text=True)
        assert f'href="{BASE}"' in html, username
    assert f'href="{BASE}"' not in _signed_in(app, "admin").get("/").get_data(as_text=True)
    assert _signed_in(app, "admin").get(BASE).status_code == 403


def test_trainer_picks_a_decided_case_and_sees_the_draft_highlighted(app, demo) -> None:
    case = decided_case(demo)
    trainer = _signed_in(app, "trainer")
    page = trainer.get(BASE + "new").get_data(as_text=True)
    assert case.reference in page and f'value="{case.id}"' in page
    assert trainer.get(BASE + "new?fir=Aslam").status_code == 400
    response = trainer.post(BASE + "new", {"case_id": case.id}, form_url=BASE + "new")
    html = trainer.get(response.headers["Location"]).get_data(as_text=True)
    assert 'class="redaction redaction-pending"' in html
    assert "Muhammad Aslam" in html and "[Accused 1]" in html  # the author sees what goes
    assert "Rafiq" not in html  # a protected witness is hidden even from the author
    assert "waiting for your review" in html


def test_learner_cannot_see_a_draft(app, demo) -> None:
    _trainer, study_id, _case = _draft(app, demo)
    learner = _signed_in(app, "pp.rahim")
    assert learner.get(BASE + study_id).status_code == 404
    assert study_id not in learner.get(BASE).get_data(as_text=True)
    assert learner.get(BASE + "new").status_code == 403
    response = _post(_signed_in(app, "trainer"), study_id, "/publish", {})
    assert response.status_code == 302
    # Refused: nothing reviewed yet.
    assert demo.store.get(CaseStudy, study_id).status == StudyStatus.DRAFT


def test_review_undo_add_and_publish(app, demo) -> None:
    trainer, study_id, case = _draft(app, demo)
    html = trainer.get(BASE + study_id).get_data(as_text=True)
    place_key = re.search(r'<tr id="(r\d+)">\s*<td dir="ltr"><bdi>Near Empress', html).group(1)
    response = _post(trainer, study_id, f"/redactions/{place_key}", {"decision": "undo"})
    assert response.status_code == 302
    _post(trainer, study_id, "/redactions", {"phrase": "Civil Hospital", "label": "Hospital"})
    bad = _post(trainer, study_id, "/redactions", {"phrase": "Nowhere Town"})
    assert "does not occur" in trainer.get(bad.headers["Location"]).get_data(as_text=True)
    refused = _post(trainer, study_id, "/publish", {})
    assert "not reviewed" in trainer.get(refused.headers["Location"]).get_data(as_text=True)
    _accept_everything(trainer, study_id)
    _post(trainer, study_id, "/publish", {})
    assert demo.store.get(CaseStudy, study_id).status == StudyStatus.PUBLISHED

    learner = _signed_in(app, "pp.rahim")
    assert study_id in learner.get(BASE).get_data(as_text=True)
    html = learner.get(BASE + study_id).get_data(as_text=True)
    main = html.split('<main id="main">', 1)[1]
    assert "[Accused 1]" in main and "[Hospital]" in main
    assert "Near Empress Market, Saddar" in main  # the undone redaction
    for word in ("Aslam", "Iqbal", "Ghaffar", "Rafiq", "189", "Artillery", case.reference):
        assert word not in main, word
    assert case.id not in html and "/cases/" not in main


def test_a_stale_form_is_refused_with_a_message(app, demo) -> None:
    trainer, study_id, _case = _draft(app, demo)
    version = _version(trainer, study_id)
    _post(trainer, study_id, "/edit", {"title": "First title"})
    response = trainer.post(
        BASE + study_id + "/edit",
        {"version": version, "title": "Second title"},
        form_url=BASE + study_id,
    )
    html = trainer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Someone changed this case study" in html
    assert demo.store.get(CaseStudy, study_id).title == "First title"
    tampered = trainer.post(
        BASE + study_id + "/edit", {"version": "x", "title": "T"}, form_url=BASE + study_id
    )
    assert "Someone changed" in trainer.get(tampered.headers["Location"]).get_data(as_text=True)


def test_bad_edit_input_gets_a_message(app, demo) -> None:
    trainer, study_id, _case = _draft(app, demo)
    response = _post(trainer, study_id, "/edit", {"title": " ", "districts": "KHI-S"})
    assert "Give the case study a title" in trainer.get(response.headers["Location"]).get_data(
        as_text=True
    )
    response = _post(trainer, study_id, "/edit", {"title": "T", "districts": "ZZZ"})
    assert "Unknown district: ZZZ" in trainer.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_urdu_page_is_right_to_left(app, demo) -> None:
    learner = _signed_in(app, "pp.rahim")
    html = learner.get(BASE + "?lang=ur").get_data(as_text=True)
    assert 'dir="rtl"' in html


def test_a_draft_made_in_urdu_is_written_in_english(app, demo) -> None:
    """The study's text is stored once: stage and outcome names are not the drafter's UI."""
    case = decided_case(demo)
    trainer = _signed_in(app, "trainer")
    trainer.get(BASE + "?lang=ur")
    trainer.post(BASE + "new", {"case_id": case.id}, form_url=BASE + "new")
    study = demo.store.find_one(CaseStudy, {})
    assert "- Day 0: FIR registered" in study.source_text
    assert "Decided — Convicted" in study.source_text
    assert "فیصلہ" not in study.source_text


def test_keep_one_redaction_withdraw_and_no_markup_from_the_case(app, demo) -> None:
    from tests.learning.case_study_steps import add_judgment

    case = decided_case(demo)
    add_judgment(
        demo, case, 'The evidence <script>alert(1)</script> [x](/cases/) was therefore "proved".'
    )
    trainer = _signed_in(app, "trainer")
    response = trainer.post(BASE + "new", {"case_id": case.id}, form_url=BASE + "new")
    study_id = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    first = demo.store.get(CaseStudy, study_id).redactions[0]
    _post(trainer, study_id, f"/redactions/{first.key}", {"decision": "accept"})
    kept = next(r for r in demo.store.get(CaseStudy, study_id).redactions if r.key == first.key)
    assert kept.state == "accepted"
    _accept_everything(trainer, study_id)
    _post(trainer, study_id, "/publish", {})
    learner = _signed_in(app, "pp.rahim")
    html = learner.get(BASE + study_id).get_data(as_text=True)
    main = html.split('<main id="main">', 1)[1]
    assert "&lt;script&gt;" in main and "<script>alert" not in main
    assert 'href="/cases/' not in main  # text that looks like a link stays text
    _post(trainer, study_id, "/withdraw", {})
    assert demo.store.get(CaseStudy, study_id).status == StudyStatus.WITHDRAWN
    assert learner.get(BASE + study_id).status_code == 404
