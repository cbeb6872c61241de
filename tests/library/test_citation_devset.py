"""The citation test collection: a judgment's facts searched for the judgments it cites."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from app.cli import main
from library.citation_devset import build_citation_devset, facts_query

CITING = """2015 P Cr. L J 100
[Balochistan]
Before A and B, JJ
STATE--Appellant
versus
ALI--Respondent
Criminal Appeal No. 1 of 2014, decided on 1st March, 2015.
(a) Penal Code (XLV of 1860)---S. 302---Last seen evidence---
Muhammad Ashraf v. The State 2010 SCMR 500 rel.
JUDGMENT
The deceased was last seen with the respondent near the canal at night,
as held in 2010 S C M R 500 and PLD 2001 SC 1.
The trial court acquitted him under section 302 PPC."""


def write_judgments(path: Path) -> None:
    records = [
        {"id": "pcrlj-2015-100", "title": "State v Ali", "citation": "", "text": CITING},
        {"id": "scmr-2010-500", "title": "Muhammad Ashraf v The State",
         "citation": "2010 SCMR 500", "text": "2010 SCMR 500\nLast seen evidence alone..."},
        {"id": "clc-2012-7", "title": "Lease", "citation": "2012 CLC 7",
         "text": "2012 CLC 7\nA lease of land. JUDGMENT\nNothing cited here."},
        {"id": "empty", "title": "Blank", "citation": "", "text": "   "},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")


def test_facts_are_the_judgments_opening_without_its_citations() -> None:
    facts = facts_query(CITING)
    assert facts.startswith("The deceased was last seen with the respondent")
    assert "SCMR" not in facts and "S C M R" not in facts and "PLD" not in facts
    assert "section 302 PPC" in facts  # statutes are facts, not citations
    assert "Ashraf" not in facts  # the headnotes, which name the cited case, are left out
    assert len(facts_query(CITING, words=5).split()) == 5


def test_build_writes_a_trec_collection(tmp_path: Path) -> None:
    source = tmp_path / "judgments.jsonl"
    write_judgments(source)
    stats = build_citation_devset(source, tmp_path / "set")
    assert (stats.documents, stats.queries, stats.relevant) == (3, 1, 1)  # "empty" skipped
    corpus = sorted(p.name for p in (tmp_path / "set" / "corpus").iterdir())
    assert corpus == ["clc-2012-7.txt", "pcrlj-2015-100.txt", "scmr-2010-500.txt"]
    query = (tmp_path / "set" / "queries.txt").read_text().strip()
    assert query.startswith("pcrlj-2015-100||The deceased was last seen")
    # PLD 2001 SC 1 is cited but not in the set: not judged
    assert (tmp_path / "set" / "qrels.txt").read_text() == "pcrlj-2015-100 0 scmr-2010-500 1\n"


def test_the_command_builds_it_and_says_how_to_measure(tmp_path: Path) -> None:
    source = tmp_path / "judgments.jsonl"
    write_judgments(source)
    out = tmp_path / "set"
    result = CliRunner().invoke(
        main, ["build-citation-devset", "--judgments", str(source), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "3 judgments, 1 queries" in result.output and "--exclude-own" in result.output
    source.write_text("{not json\n")
    result = CliRunner().invoke(
        main, ["build-citation-devset", "--judgments", str(source), "--out", str(out)]
    )
    assert result.exit_code != 0 and "judgments.jsonl" in result.output
