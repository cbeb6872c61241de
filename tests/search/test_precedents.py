"""The precedent finder: service and web pages, over passages indexed by the product's code."""

from __future__ import annotations

import pytest

from casefiles.models import Case, Offence
from casefiles.service import CaseNotFound
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.kernel import Kernel
from search.indexing import upsert_indexed
from search.port import Passage
from search.precedents import PrecedentError, find_for_case, find_for_facts

pytestmark = pytest.mark.slow  # the real embedding model

NARRATIVE = (
    "The complainant reported that on the night of 3 March the accused Aslam came to his "
    "house with a knife, quarrelled with his brother over money and stabbed him in the "
    "chest. His brother died on the way to the hospital."
)


def entry(doc_id: str, kind: str, text: str, title: str | None = None, **kw: object) -> Passage:
    fields: dict[str, object] = {"acl": ("public",)}
    fields.update(kw)
    return Passage(id=f"{doc_id}:0", doc_id=doc_id, kind=kind, title=title or doc_id,
                   text=text, **fields)  # fmt: skip


@pytest.fixture
def library(demo: Kernel) -> Kernel:
    upsert_indexed(
        demo,
        [
            entry("judgment:stab", "judgment",
                  "The appellant stabbed the deceased with a knife after a quarrel; his "
                  "conviction under section 302(b) P.P.C. is maintained.", "Ali v The State"),
            entry("judgment:cheque", "judgment",
                  "The cheque was dishonoured for want of funds; the accused was charged "
                  "u/s 489-F PPC and granted bail.", "Bank v Rahim"),
            entry("statute:ppc:302", "statute",
                  "PPC s. 302 — Punishment of qatl-i-amd. Whoever commits qatl-i-amd shall be "
                  "punished with death or imprisonment for life.", "PPC s. 302 — Qatl-i-amd"),
            entry("statute:ppc:489-F", "statute",
                  "PPC s. 489-F — Dishonestly issuing a cheque which is dishonoured on "
                  "presentation.", "PPC s. 489-F — Dishonoured cheque"),
            entry("case-doc", "document", "The knife was recovered from the accused; 302 PPC.",
                  case_id="x", acl=("case:x",)),
        ],
    )  # fmt: skip
    return demo


def murder_case(kernel: Kernel, narrative: str = NARRATIVE) -> Case:
    case = kernel.store.find_one(Case, {"fir.number": 189})
    case.fir.narrative = narrative
    case.offences = [Offence(act="PPC", section="302", subsections=["b"])]
    return kernel.store.replace(case)


def who(kernel: Kernel, username: str):
    return actor_for(kernel.store.find_one(User, {"username": username}), None, "test")


def test_precedents_for_a_case(library: Kernel) -> None:
    case = murder_case(library)
    result = find_for_case(library, who(library, "pp.rahim"), case.id)
    assert result.query_sections == ("302(b) PPC",)
    assert next(p.doc_id for p in result.judgments) == "judgment:stab"
    assert next(p.doc_id for p in result.statutes) == "statute:ppc:302"
    top = result.judgments[0]
    assert top.shared_sections == ("302(b) PPC",)  # the judgment cites 302(b) P.P.C.
    assert any("<mark>" in s for s in top.passages)  # the words that matched are marked
    assert result.statutes[0].shared_sections == ("302(b) PPC",)
    cheque = next(p for p in result.judgments if p.doc_id == "judgment:cheque")
    assert cheque.shared_sections == ()
    # only library kinds, never a case document
    assert all(p.kind in ("judgment", "statute") for p in result.judgments + result.statutes)


def test_the_cases_own_sections_lead_its_statutes(library: Kernel) -> None:
    """A 302/34 case whose story reads like other sections still lists 302 and 34 first."""
    upsert_indexed(
        library,
        [
            entry("statute:ppc:34", "statute",
                  "PPC s. 34 — Acts done by several persons in furtherance of common "
                  "intention.", "PPC s. 34 — Common intention", sections=("34 PPC", "34")),
            entry("statute:ppc:458", "statute",
                  "PPC s. 458 — Lurking house-trespass or house-breaking by night with a "
                  "knife, quarrel over money in the house.", "PPC s. 458 — House-breaking",
                  sections=("458 PPC", "458")),
            entry("statute:ppc:302", "statute",
                  "PPC s. 302 — Punishment of qatl-i-amd.", "PPC s. 302 — Qatl-i-amd",
                  sections=("302 PPC", "302")),
        ],
    )  # fmt: skip
    case = murder_case(library)
    case.offences = [
        Offence(act="PPC", section="302", subsections=["b"]),
        Offence(act="PPC", section="34"),
    ]
    library.store.replace(case)
    result = find_for_case(library, who(library, "pp.rahim"), case.id)
    ids = [p.doc_id for p in result.statutes]
    assert ids[:2] == ["statute:ppc:302", "statute:ppc:34"]
    assert "statute:ppc:458" in ids[2:]  # the ranking follows, without repeats
    assert len(ids) == len(set(ids))


def test_precedents_for_pasted_facts(library: Kernel) -> None:
    result = find_for_facts(
        library,
        who(library, "pp.hyd"),
        "My cheque for Rs. 500,000 bounced twice; the payee says I must be charged under "
        "489-F PPC.",
    )
    assert result.judgments[0].doc_id == "judgment:cheque"
    assert result.judgments[0].shared_sections == ("489-F PPC",)
    assert result.statutes[0].doc_id == "statute:ppc:489-F"
    with pytest.raises(PrecedentError, match="few sentences"):
        find_for_facts(library, who(library, "pp.hyd"), "murder")
    with pytest.raises(PrecedentError, match="too long"):
        find_for_facts(library, who(library, "pp.hyd"), "word " * 5000)


def test_a_judgment_on_the_same_point_is_found_through_the_statute(library: Kernel) -> None:
    upsert_indexed(
        library,
        [
            entry("statute:ppc:409", "statute",
                  "PPC s. 409 — Criminal breach of trust by public servant: whoever, being a "
                  "clerk entrusted with money paid to his office, dishonestly misappropriates "
                  "it.", "PPC s. 409 — Criminal breach of trust by public servant"),
            entry("judgment:breach", "judgment",
                  "Appellant, a public servant, was convicted of criminal breach of trust: "
                  "property entrusted to him was dishonestly misappropriated.", "Rauf v Crown"),
        ],
    )  # fmt: skip
    facts = "Clerk kept rent money shopkeepers paid at his office counter."
    result = find_for_facts(library, who(library, "pp.rahim"), facts)
    assert result.statutes[0].doc_id == "statute:ppc:409"
    breach = next(p for p in result.judgments if p.doc_id == "judgment:breach")
    # No word of the facts is in it: the statute's words are what matched, and are marked.
    assert any("<mark>breach</mark>" in s for s in breach.passages), breach.passages


def test_case_without_facts_and_cases_one_may_not_see(library: Kernel) -> None:
    case = library.store.find_one(Case, {"fir.number": 189})
    with pytest.raises(PrecedentError, match="no FIR narrative"):
        find_for_case(library, who(library, "pp.rahim"), case.id)
    with pytest.raises(CaseNotFound):
        find_for_case(library, who(library, "pp.hyd"), case.id)  # another district


def test_precedent_pages(library: Kernel, browser) -> None:
    case = murder_case(library)
    b = browser()
    b.login("pp.rahim")
    show = b.get(f"/cases/{case.id}").data.decode()
    assert f'data-poll="/precedents/case/{case.id}/panel"' in show
    panel = b.get(f"/precedents/case/{case.id}/panel").data.decode()
    assert "data-done" in panel and "Ali v The State" in panel and "302(b) PPC" in panel
    page = b.get(f"/precedents/case/{case.id}").data.decode()
    assert "Ali v The State" in page and "Shared sections" in page and "<mark>" in page
    assert "case-doc" not in page
    assert b.get("/precedents/case/nope").status_code == 404
    facts = b.post("/precedents/", {"facts": "A dishonoured cheque, charged under 489-F PPC."})
    assert facts.status_code == 200 and "Bank v Rahim" in facts.data.decode()
    empty = b.post("/precedents/", {"facts": ""})
    assert empty.status_code == 400 and "Paste or type the facts" in empty.data.decode()
    other = browser()
    other.login("pp.hyd")
    assert other.get(f"/precedents/case/{case.id}").status_code == 404


def test_a_case_is_searched_without_its_peoples_names() -> None:
    from casefiles.models import Case, FirRef
    from casefiles.parties import PartyInput, build_party
    from mizan.actor import SYSTEM
    from search.precedents import case_query

    accused = build_party(
        PartyInput("accused", "Muhammad Aslam @ Kaka", parentage="s/o Noor Muhammad"), SYSTEM
    )
    case = Case(
        fir=FirRef(
            police_station="Artillery Maidan",
            number=189,
            year=2024,
            narrative="The accused Mohammad Aslam alias Kaka fired a pistol at the deceased "
            "near Empress Market; Noor was not there.",
        ),
        parties=[accused],
    )
    text, sections = case_query(case)
    words = text.lower().split()
    assert not {"mohammad", "aslam", "kaka", "noor"} & set(words)  # any spelling of the names
    assert {"accused", "fired", "pistol", "deceased", "empress", "market;"} <= set(words)
    assert sections == []
