"""Case studies: drafting from a decided case, reviewing redactions, publishing, who sees what."""

from __future__ import annotations

import pytest

from casefiles.models import Case
from learning import case_studies as cs
from learning.case_study_models import CaseStudy, ReviewState, StudyStatus
from learning.errors import LearningError
from mizan.accounts.service import PermissionDenied
from mizan.audit import AuditEntry
from mizan.storage import StaleWriteError
from tests.casefiles.case_steps import decide, demo_case
from tests.learning.case_study_steps import actor, decided_case, drafted

NAMES = (
    "Aslam",
    "Akram",
    "Iqbal",
    "Ghulam Rasool",
    "Ghaffar",
    "Sattar",
    "Rafiq",
    "Artillery",
    "189/2024",
    "338 of 2024",
    "0300",
    "4210198765432",
    "Lyari",
    "Empress Market",
    "PW-3",
    "Arif",  # the victim: not a party, named as "his brother Muhammad Arif"
)


def _accept_all(kernel, study: CaseStudy, who: str = "trainer") -> CaseStudy:
    for label in cs.pending_labels(study):
        study = cs.accept_label(
            kernel, actor(kernel, who), study.id, version=study.version, label=label
        )
    return study


def _publish(kernel, study: CaseStudy, who: str = "trainer") -> CaseStudy:
    study = _accept_all(kernel, study, who)
    return cs.publish_case_study(kernel, actor(kernel, who), study.id, version=study.version)


def test_draft_holds_the_case_with_every_personal_detail_marked(demo) -> None:
    study, case = drafted(demo)
    text = study.source_text
    # Drafted from the case: offences with act names, stages from day 0, outcome, reasoning.
    assert "s. 302 PPC (Pakistan Penal Code)" in text
    assert "- Day 0: FIR registered" in text
    assert "Decided — Convicted (Acquitted under s.265-K)" in text
    assert "I find that the prosecution has proved the charge" in text
    assert "Announced in open court" not in text  # no reasoning in it
    assert study.source_case_id == case.id and study.source_district == "KHI-S"
    redacted = cs.apply_redactions(text, cs._spans(study))
    for word in NAMES:
        assert word not in redacted, word
    assert "[Accused 1]" in redacted and "[Complainant]" in redacted
    assert "[Protected witness 1]" in redacted
    assert all(r.state == ReviewState.PENDING for r in study.redactions if not r.locked)


def test_protected_witness_name_is_never_in_the_draft_and_cannot_be_undone(demo) -> None:
    study, _case = drafted(demo)
    assert "Rafiq" not in study.source_text
    locked = [r for r in study.redactions if r.locked]
    assert locked and all(r.state == ReviewState.ACCEPTED for r in locked)
    with pytest.raises(LearningError, match="protected witness"):
        cs.review_redaction(
            demo,
            actor(demo, "trainer"),
            study.id,
            version=study.version,
            key=locked[0].key,
            accept=False,
        )
    assert demo.store.get(CaseStudy, study.id).version == study.version


def test_the_case_stays_untouched(demo) -> None:
    case = decided_case(demo)
    before = demo.store.get(Case, case.id).to_mongo().to_dict()
    study = cs.draft_case_study(demo, actor(demo, "trainer"), case.id)
    _publish(demo, study)
    assert demo.store.get(Case, case.id).to_mongo().to_dict() == before


def test_only_decided_cases(demo) -> None:
    pending = demo_case(demo, "Boat Basin")
    with pytest.raises(LearningError, match="not decided"):
        cs.draft_case_study(demo, actor(demo, "trainer"), pending.id)
    with pytest.raises(LearningError, match="no such case"):
        cs.draft_case_study(demo, actor(demo, "trainer"), "nope")
    assert demo.store.count(CaseStudy) == 0


def test_who_may_draft_from_which_case(demo) -> None:
    case = decided_case(demo, judgment=False)
    hyd = decide(demo, demo_case(demo, "Market"))
    dpp = actor(demo, "dpp.south")
    assert cs.draft_case_study(demo, dpp, case.id).created_by == dpp.user_id
    with pytest.raises(PermissionDenied):
        cs.draft_case_study(demo, dpp, hyd.id)
    for username in ("pp.rahim", "clerk.south", "supervisor", "admin"):
        with pytest.raises(PermissionDenied):
            cs.draft_case_study(demo, actor(demo, username), case.id)
    # The picker lists only what the actor may use.
    assert {c.id for c in cs.decided_cases(demo, dpp)} == {case.id}
    assert {c.id for c in cs.decided_cases(demo, actor(demo, "trainer"))} == {case.id, hyd.id}
    assert [c.id for c in cs.decided_cases(demo, actor(demo, "trainer"), fir="301/2024")] == [
        hyd.id
    ]
    with pytest.raises(LearningError, match="FIR number"):
        cs.decided_cases(demo, dpp, fir="Aslam")


def test_publishing_is_refused_while_a_redaction_is_unreviewed(demo) -> None:
    study, _case = drafted(demo)
    trainer = actor(demo, "trainer")
    with pytest.raises(LearningError, match="not reviewed"):
        cs.publish_case_study(demo, trainer, study.id, version=study.version)
    stored = demo.store.get(CaseStudy, study.id)
    assert stored.status == StudyStatus.DRAFT and stored.source_case_id


def _texts(value: object) -> list[str]:
    """Every text in a stored record (not its dates: "0300" is in 21:45:20.300000)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _texts(v)]
    return []


def test_published_study_keeps_only_the_redacted_text(demo) -> None:
    study, case = drafted(demo)
    study = _publish(demo, study)
    stored = demo.store.get(CaseStudy, study.id)
    assert stored.status == StudyStatus.PUBLISHED
    assert stored.source_case_id is None and stored.source_district is None
    assert stored.source_text is None and stored.redactions == []
    raw = " ".join(_texts(stored.to_mongo().to_dict()))
    for word in (*NAMES, case.id, case.reference):
        assert word not in raw, word
    assert "[Accused 1]" in stored.body
    entry = demo.store.find_one(AuditEntry, {"action": "learning.case_study.published"})
    assert entry is not None and entry.subject_id == study.id
    with pytest.raises(LearningError, match="published"):
        cs.add_redaction(
            demo, actor(demo, "trainer"), study.id, version=stored.version, phrase="Day"
        )


def test_undo_restores_the_original_words(demo) -> None:
    study, _case = drafted(demo)
    trainer = actor(demo, "trainer")
    place = next(r for r in study.redactions if r.label == "[Place]")
    study = cs.review_redaction(
        demo, trainer, study.id, version=study.version, key=place.key, accept=False
    )
    study = _publish(demo, study)
    assert "Near Empress Market, Saddar" in study.body


def test_add_a_redaction_everywhere_it_occurs(demo) -> None:
    study, _case = drafted(demo)
    trainer = actor(demo, "trainer")
    assert "Civil Hospital" in study.source_text
    study = cs.add_redaction(
        demo, trainer, study.id, version=study.version, phrase="civil  hospital", label="Hospital"
    )
    added = [r for r in study.redactions if r.manual]
    assert added and all(r.label == "[Hospital]" and r.state == "accepted" for r in added)
    study = _publish(demo, study)
    assert "Civil Hospital" not in study.body and "[Hospital]" in study.body


@pytest.mark.parametrize(
    ("phrase", "label", "message"),
    [
        ("", "", "Type the words"),
        ("x", "", "Type the words"),
        ("a" * 201, "", "at most 200"),
        ("Nowhere Town", "", "does not occur"),
        ("Aslam", "", "does not occur"),  # already redacted everywhere
        ("Civil Hospital", "x" * 80, "label is too long"),
    ],
)
def test_bad_additions_change_nothing(demo, phrase: str, label: str, message: str) -> None:
    study, _case = drafted(demo)
    with pytest.raises(LearningError, match=message):
        cs.add_redaction(
            demo,
            actor(demo, "trainer"),
            study.id,
            version=study.version,
            phrase=phrase,
            label=label,
        )
    assert demo.store.get(CaseStudy, study.id).version == study.version


def test_concurrent_edits_are_refused(demo) -> None:
    study, _case = drafted(demo)
    trainer = actor(demo, "trainer")
    first = study.redactions[0]
    cs.review_redaction(demo, trainer, study.id, version=study.version, key=first.key, accept=True)
    with pytest.raises(StaleWriteError):
        cs.edit_case_study(demo, trainer, study.id, version=study.version, title="Mine")
    stored = demo.store.get(CaseStudy, study.id)
    assert stored.title == study.title and stored.version == study.version + 1


def test_edit_checks_title_and_audience(demo) -> None:
    study, _case = drafted(demo)
    trainer = actor(demo, "trainer")
    for kw, message in (
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "too long"),
        ({"title": "Ok", "discussion": "q" * 5001}, "too long"),
        ({"title": "Ok", "districts": ["KHI-S", "MARS"]}, "Unknown district: MARS"),
    ):
        with pytest.raises(LearningError, match=message):
            cs.edit_case_study(demo, trainer, study.id, version=study.version, **kw)
    study = cs.edit_case_study(
        demo,
        trainer,
        study.id,
        version=study.version,
        title="Firing over a debt",
        discussion="Was the s.265-K route open?",
        districts=["khi-s"],
    )
    assert study.title == "Firing over a debt" and study.audience.districts == ["KHI-S"]


def test_drafts_only_to_authors_published_to_its_audience(demo) -> None:
    study, _case = drafted(demo)
    for username in ("pp.rahim", "pp.hyd", "dpp.south", "clerk.south"):
        with pytest.raises(cs.CaseStudyNotFound):
            cs.get_case_study(demo, actor(demo, username), study.id)
        assert cs.list_case_studies(demo, actor(demo, username)).published == []
    assert cs.list_case_studies(demo, actor(demo, "trainer")).drafts[0].id == study.id
    assert cs.list_case_studies(demo, actor(demo, "dpp.south")).drafts == []
    trainer = actor(demo, "trainer")
    study = cs.edit_case_study(
        demo, trainer, study.id, version=study.version, title=study.title, districts=["KHI-S"]
    )
    study = _publish(demo, study)
    assert cs.get_case_study(demo, actor(demo, "pp.rahim"), study.id).body == study.body
    with pytest.raises(cs.CaseStudyNotFound):
        cs.get_case_study(demo, actor(demo, "pp.hyd"), study.id)  # another district
    with pytest.raises(cs.CaseStudyNotFound):
        cs.get_case_study(demo, actor(demo, "admin"), study.id)  # no learning at all
    study = cs.withdraw_case_study(demo, trainer, study.id, version=study.version)
    with pytest.raises(cs.CaseStudyNotFound):
        cs.get_case_study(demo, actor(demo, "pp.rahim"), study.id)
    with pytest.raises(PermissionDenied):
        cs.list_case_studies(demo, actor(demo, "admin"))


def test_a_dpp_reviews_and_publishes_their_own_draft(demo) -> None:
    study, _case = drafted(demo, "dpp.south")
    assert cs.list_case_studies(demo, actor(demo, "dpp.south")).drafts[0].id == study.id
    study = _publish(demo, study, "dpp.south")
    assert study.status == StudyStatus.PUBLISHED


def test_the_demo_province_has_a_published_case_study(demo) -> None:
    from app.demo import seed_demo_case_study, seed_province

    seed_province(demo, cases=120)
    study = demo.store.find_one(CaseStudy, {})
    assert study is not None and study.status == StudyStatus.PUBLISHED
    assert study.source_case_id is None and "[Accused 1]" in study.body
    names = {p.name for c in demo.store.find(Case, {"district": "KHI-S"}) for p in c.parties}
    assert not [n for n in names if n in study.body]
    assert seed_demo_case_study(demo) is None  # one is enough
