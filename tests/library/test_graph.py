"""The citation graph: citations resolve to library entries (now or when the cited work
arrives later), unresolved ones stay visible, "cited by" counts and order."""

from __future__ import annotations

from library.act_import import import_act_text
from library.models import CitationEdge, Judgment, Section
from library.seed import SAMPLE_DIR
from library.service import NewJudgment, add_judgments, citations_of, cited_by, graph_size
from mizan.actor import SYSTEM


def judgment(key: str, citation: str, body: str, year: int, date: str = "") -> NewJudgment:
    decided = f", decided on {date}" if date else ""
    text = (
        f"{citation}\n[Balochistan]\nBefore Naeem Akhtar Afghan, J\nX---Appellant\nVersus\n"
        f"The STATE---Respondent\nCriminal Appeal No.1 of {year}{decided}.\nJUDGMENT\n1. {body}\n"
    )
    return NewJudgment(key=key, title=f"{key} v. State", text=text, court="BHC", year=year)


def ppc(kernel) -> None:
    text = (SAMPLE_DIR / "ppc_sample.md").read_text()
    import_act_text(kernel, SYSTEM, text, code="ppc", title="Pakistan Penal Code")


def edge(kernel, source: Judgment, canonical: str) -> CitationEdge:
    found = kernel.store.find_one(CitationEdge, {"source_id": source.id, "canonical": canonical})
    assert found is not None, f"no edge {canonical}"
    return found


def get(kernel, key: str) -> Judgment:
    return kernel.store.find_one(Judgment, {"key": key})


def test_citations_resolve_to_judgments_and_sections_in_the_library(kernel) -> None:
    ppc(kernel)
    add_judgments(kernel, SYSTEM, [judgment("old", "2011 P Cr. L J 10", "Theft case.", 2011)])
    result = add_judgments(
        kernel,
        SYSTEM,
        [
            judgment(
                "new",
                "2015 M L D 20",
                "Convicted under section 302(b), P.P.C. Reliance on 2011 PCr.LJ 10 and "
                "2010 SCMR 55; see also ss. 302/34 PPC and section 161, Cr.P.C.",
                2015,
            )
        ],
    )
    new, old = get(kernel, "new"), get(kernel, "old")
    assert edge(kernel, new, "2011 PCrLJ 10").target_id == old.id  # resolved to a judgment
    assert edge(kernel, new, "2010 SCMR 55").target_id == ""  # not in the library
    assert edge(kernel, new, "ppc:302").target_id == "ppc:302"  # a section of the PPC
    assert edge(kernel, new, "ppc:34").target_id == "ppc:34"
    assert edge(kernel, new, "crpc:161").target_id == ""  # the CrPC is not in the library
    # "302(b) PPC" and "302/34 PPC" name the same section: one edge, one "cited by".
    assert kernel.store.count(CitationEdge, {"source_id": new.id, "canonical": "ppc:302"}) == 1
    assert result.edges == 5 and result.resolved == 3
    assert new.statute_refs == ["crpc:161", "ppc:302", "ppc:34"]
    assert old.cited_by_count == 1
    assert kernel.store.get(Section, "ppc:302").cited_by_count == 1
    size = graph_size(kernel.store)
    assert (size.edges, size.resolved) == (5, 3)


def test_unresolved_citations_resolve_when_the_cited_work_arrives(kernel) -> None:
    add_judgments(
        kernel,
        SYSTEM,
        [judgment("citing", "2016 YLR 5", "Held in PLD 2013 Quetta 75, s. 324 PPC.", 2016)],
    )
    citing = get(kernel, "citing")
    assert edge(kernel, citing, "PLD 2013 Quetta 75").target_id == ""
    assert edge(kernel, citing, "ppc:324").target_id == ""
    # The cited report is printed as "Balochistan" (the renamed Quetta volume): same judgment.
    add_judgments(kernel, SYSTEM, [judgment("cited", "P L D 2013 Balochistan 75", "x", 2013)])
    cited = get(kernel, "cited")
    assert cited.citations == ["PLD 2013 Bal 75"]
    assert edge(kernel, citing, "PLD 2013 Quetta 75").target_id == cited.id
    assert cited.cited_by_count == 1
    ppc(kernel)  # the act arrives: statute citations resolve too
    assert edge(kernel, citing, "ppc:324").target_id == "ppc:324"
    assert kernel.store.get(Section, "ppc:324").cited_by_count == 1


def test_cited_by_lists_newest_first_with_counts(kernel) -> None:
    ppc(kernel)
    batch = [
        judgment("a", "2012 MLD 1", "Under section 392 PPC.", 2012, "3rd May, 2012"),
        judgment("b", "2019 MLD 2", "Under section 392 PPC.", 2019, "1st June, 2019"),
        judgment("c", "2015 MLD 3", "Under section 392 PPC.", 2015),  # no exact date
    ]
    add_judgments(kernel, SYSTEM, batch)
    total, rows = cited_by(kernel.store, "section", "ppc:392")
    assert total == 3
    assert [j.key for j in rows] == ["b", "c", "a"]
    total, rows = cited_by(kernel.store, "section", "ppc:392", skip=2, limit=2)
    assert (total, [j.key for j in rows]) == (3, ["a"])


def test_a_judgment_never_cites_itself_and_reimport_replaces_its_edges(kernel) -> None:
    first = judgment("self", "2014 YLR 9", "As held in 2014 YLR 9 and 2001 SCMR 1.", 2014)
    add_judgments(kernel, SYSTEM, [first])
    j = get(kernel, "self")
    assert [e.canonical for e in citations_of(kernel.store, j.id)] == ["2001 SCMR 1"]
    changed = judgment("self", "2014 YLR 9", "Now relying on 2003 SCMR 2 only.", 2014)
    add_judgments(kernel, SYSTEM, [changed])
    assert [e.canonical for e in citations_of(kernel.store, j.id)] == ["2003 SCMR 2"]


def test_sample_judgments_cite_each_other(kernel) -> None:
    from library.importers import import_judgments_jsonl

    report = import_judgments_jsonl(kernel, SYSTEM, SAMPLE_DIR / "judgments_sample.jsonl")
    assert report.added == 4
    cited = get(kernel, "pcrlj-2012-281")
    assert cited.cited_by_count >= 1
    _total, rows = cited_by(kernel.store, "judgment", cited.id)
    assert "pcrlj-2012-288" in [j.key for j in rows]
