"""trec_eval measures against hand-computed examples, and the eval-retrieval command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main
from search.evaluation import (
    MEASURES,
    EvalInputError,
    average_precision,
    bpref,
    evaluate,
    precision_at,
    read_qrels,
    read_queries,
    reciprocal_rank,
    trec_order,
)
from search.plain_bm25 import plain_bm25_run

# R = 3 relevant (r1 r2 r3), N = 2 judged non-relevant (n1 n2); u1 is unjudged.
JUDGED = {"r1": 1, "r2": 2, "r3": 1, "n1": 0, "n2": 0}


def test_relevant_first_then_one_nonrelevant_above_the_second() -> None:
    ranked = ["r1", "n1", "u1", "r2", "x"]
    # AP = (1/1 + 2/4) / 3, the unretrieved r3 counts in the denominator
    assert average_precision(ranked, JUDGED) == pytest.approx(0.5)
    assert precision_at(ranked, JUDGED, 10) == pytest.approx(0.2)  # /10 even if 5 returned
    assert reciprocal_rank(ranked, JUDGED) == 1.0
    # bpref: r1 -> 1; r2 has 1 judged non-relevant above: 1 - min(1,3)/min(2,3) = 0.5
    # the unjudged u1 is skipped; sum 1.5 over R = 3
    assert bpref(ranked, JUDGED) == pytest.approx(0.5)


def test_nonrelevant_documents_first() -> None:
    judged = {"r1": 1, "r2": 1, "r3": 1, "n1": 0, "n2": 0, "n3": 0}
    ranked = ["n1", "n2", "r1", "u1", "r2"]
    assert average_precision(ranked, judged) == pytest.approx((1 / 3 + 2 / 5) / 3)
    assert reciprocal_rank(ranked, judged) == pytest.approx(1 / 3)
    # each relevant has 2 non-relevant above: 1 - 2/3, twice, over R = 3
    assert bpref(ranked, judged) == pytest.approx((2 / 3) / 3)
    assert precision_at(ranked, judged, 2) == 0.0


def test_bpref_caps_the_nonrelevant_count_at_r() -> None:
    judged = {"r1": 1, "n1": 0, "n2": 0, "n3": 0}
    # R = 1: any judged non-relevant above r1 costs it everything
    assert bpref(["n1", "r1"], judged) == 0.0
    assert bpref(["u", "r1", "n1"], judged) == 1.0


def test_nothing_relevant_retrieved_scores_zero() -> None:
    assert average_precision(["n1", "u1"], JUDGED) == 0.0
    assert reciprocal_rank([], JUDGED) == 0.0
    assert bpref([], JUDGED) == 0.0


def test_trec_order_sorts_by_score_then_docid_descending() -> None:
    assert trec_order([("a", 1.0), ("c", 2.0), ("b", 1.0)]) == ["c", "b", "a"]


def test_mean_is_over_queries_with_relevant_documents() -> None:
    qrels = {"q1": {"d1": 1, "d2": 0}, "q2": {"d3": 1}, "q3": {"d4": 0}}
    run = {"q1": [("d1", 2.0), ("d2", 1.0)]}  # q2 returned nothing: counts as 0
    means, per_query = evaluate(run, qrels, ["q1", "q2", "q3"])
    assert set(per_query) == {"q1", "q2"}  # q3 has no relevant document
    assert means["map"] == pytest.approx(0.5)
    assert means["recip_rank"] == pytest.approx(0.5)
    assert means["P_10"] == pytest.approx(0.05)


def test_readers_reject_malformed_lines(tmp_path: Path) -> None:
    q = tmp_path / "q.txt"
    q.write_text("Q1||murder with a pistol\nQ2 no separator\n")
    with pytest.raises(EvalInputError, match=r"q\.txt:2"):
        read_queries(q)
    r = tmp_path / "r.txt"
    r.write_text("Q1 Q0 D1 1\nQ1 Q0 D2 yes\n")
    with pytest.raises(EvalInputError, match="not a number"):
        read_qrels(r)


@pytest.fixture
def collection(tmp_path: Path) -> dict[str, Path]:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    texts = {
        "C1": "State v Akbar\nThe accused stabbed the deceased with a knife; murder under 302.",
        "C2": "Bank v Rahim\nA cheque was dishonoured and the bank sued for recovery of money.",
        "C3": "State v Ali\nTheft of a motorcycle from the market; the accused was acquitted.",
    }
    for doc_id, text in texts.items():
        (corpus / f"{doc_id}.txt").write_text(text)
    queries = tmp_path / "queries.txt"
    queries.write_text("Q1||a man killed with a knife\nQ2||dishonoured cheque recovery\n")
    qrels = tmp_path / "qrels.txt"
    qrels.write_text("Q1 Q0 C1 1\nQ1 Q0 C2 0\nQ2 Q0 C2 1\nQ2 Q0 C3 0\n")
    return {"corpus": corpus, "queries": queries, "qrels": qrels}


def test_eval_retrieval_command_keyword(collection: dict[str, Path], tmp_path: Path) -> None:
    run = tmp_path / "out.run"
    args = ["eval-retrieval", "--corpus", str(collection["corpus"]), "--queries",
            str(collection["queries"]), "--qrels", str(collection["qrels"]),
            "--mode", "keyword", "--run", str(run), "--json"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["mode"] == "keyword" and report["queries"] == 2
    assert report["map"] == 1.0 and report["recip_rank"] == 1.0
    lines = [ln.split() for ln in run.read_text().splitlines()]
    assert lines[0][:4] == ["Q1", "Q0", "C1", "1"] and lines[0][5] == "mizan-keyword"
    assert all(len(ln) == 6 for ln in lines)


def test_eval_retrieval_command_text_output_and_errors(
    collection: dict[str, Path], tmp_path: Path
) -> None:
    args = ["eval-retrieval", "--corpus", str(collection["corpus"]), "--queries",
            str(collection["queries"]), "--qrels", str(collection["qrels"]),
            "--mode", "keyword"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "map         all\t1.0000" in result.output
    bad = tmp_path / "bad.txt"
    bad.write_text("no separator here\n")
    args[4] = str(bad)
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0 and "ID||query text" in result.output


def test_eval_retrieval_skips_empty_files_and_reports_missing_judged(
    collection: dict[str, Path],
) -> None:
    """A public collection with a few empty files is scored, not refused (issue 17)."""
    (collection["corpus"] / "EMPTY1.txt").write_text("")
    (collection["corpus"] / "BLANK2.txt").write_text("   \n\n")
    with collection["qrels"].open("a") as qrels:
        qrels.write("Q1 Q0 GONE9 1\nQ2 Q0 EMPTY1 1\n")
    args = ["eval-retrieval", "--corpus", str(collection["corpus"]), "--queries",
            str(collection["queries"]), "--qrels", str(collection["qrels"]),
            "--mode", "keyword"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Skipped 2 documents (not indexed):" in result.output
    assert "EMPTY1.txt: This file is empty." in result.output
    assert "BLANK2.txt" in result.output
    assert "2 documents judged relevant are not in the collection" in result.output
    assert "EMPTY1, GONE9" in result.output
    report = json.loads(CliRunner().invoke(main, [*args, "--json"]).output)
    assert report["documents"] == 3 and len(report["skipped"]) == 2
    assert report["missing_judged"] == ["EMPTY1", "GONE9"]
    # Q1 has C1 first and GONE9 never: AP = 1/2; Q2 has C2 first and EMPTY1 never: 1/2.
    assert report["map"] == 0.5


@pytest.mark.slow
def test_eval_retrieval_command_semantic_and_hybrid(
    collection: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for mode in ("semantic", "hybrid"):
        args = ["eval-retrieval", "--corpus", str(collection["corpus"]), "--queries",
                str(collection["queries"]), "--qrels", str(collection["qrels"]),
                "--mode", mode, "--json"]  # fmt: skip
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)  # stderr may show the model's loading bar
        assert report["map"] == 1.0, report  # "killed with a knife" ~ "stabbed ... knife"
    assert (tmp_path / "cache" / "mizan" / "embeddings.sqlite3").exists()


@pytest.fixture
def with_statutes(tmp_path: Path) -> dict[str, Path]:
    corpus, statutes = tmp_path / "judgments", tmp_path / "statutes"
    corpus.mkdir()
    statutes.mkdir()
    (corpus / "C1.txt").write_text(
        "State v Rauf\nThe appellant, a public servant, was convicted of criminal breach of "
        "trust; property entrusted to him was dishonestly misappropriated."
    )
    (corpus / "C2.txt").write_text("Bank v Rahim\nA cheque was dishonoured; the bank sued.")
    (statutes / "S1.txt").write_text(
        "Title: Criminal breach of trust by public servant\nDesc: Whoever, being a clerk "
        "entrusted with money paid to his office, dishonestly misappropriates it."
    )
    queries = tmp_path / "queries.txt"
    queries.write_text("Q1||clerk kept rent money paid at his office counter\n")
    qrels = tmp_path / "qrels.txt"
    qrels.write_text("Q1 Q0 C1 1\nQ1 Q0 C2 0\n")
    return {"corpus": corpus, "statutes": statutes, "queries": queries, "qrels": qrels}


def test_eval_retrieval_ranks_judgments_through_the_statutes(
    with_statutes: dict[str, Path], tmp_path: Path
) -> None:
    run = tmp_path / "out.run"
    args = ["eval-retrieval", "--corpus", str(with_statutes["corpus"]), "--queries",
            str(with_statutes["queries"]), "--qrels", str(with_statutes["qrels"]),
            "--mode", "keyword", "--json"]  # fmt: skip
    plain = CliRunner().invoke(main, args)
    assert plain.exit_code == 0, plain.output
    assert json.loads(plain.output)["map"] == 0.0  # C1 shares no word with the query
    bridged = CliRunner().invoke(
        main, [*args, "--statutes", str(with_statutes["statutes"]), "--run", str(run)]
    )
    assert bridged.exit_code == 0, bridged.output
    report = json.loads(bridged.output)
    assert report["map"] == 1.0 and report["documents"] == 3
    ranked = [ln.split()[2] for ln in run.read_text().splitlines()]
    assert ranked == ["C1"]  # reached through S1; statutes themselves are not in the run


def test_eval_retrieval_refuses_statutes_that_reuse_judgment_ids(
    with_statutes: dict[str, Path],
) -> None:
    (with_statutes["statutes"] / "C2.txt").write_text("Title: Cheques\nDesc: Dishonour.")
    args = ["eval-retrieval", "--corpus", str(with_statutes["corpus"]), "--queries",
            str(with_statutes["queries"]), "--qrels", str(with_statutes["qrels"]),
            "--mode", "keyword", "--statutes", str(with_statutes["statutes"])]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0 and "document ids also used" in result.output


def test_eval_retrieval_prints_plain_bm25_beside_mizan(collection: dict[str, Path]) -> None:
    """The baseline a user could run by hand, same documents and queries, same run."""
    args = ["eval-retrieval", "--corpus", str(collection["corpus"]), "--queries",
            str(collection["queries"]), "--qrels", str(collection["qrels"]),
            "--mode", "keyword"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "plain BM25" in result.output
    # Q1 "a man killed with a knife": plain BM25 finds C1 by "knife"; Q2 finds C2
    assert "map         all\t1.0000    1.0000" in result.output
    report = json.loads(CliRunner().invoke(main, [*args, "--json"]).output)
    assert report["baseline"]["map"] == 1.0 and set(report["baseline"]) == set(MEASURES)


def test_plain_bm25_ranks_whole_documents_without_stop_words() -> None:
    docs = {"a": "the the the the knife", "b": "knife " + "word " * 50, "c": "the bank"}
    run = plain_bm25_run(docs, [("q", "the knife"), ("r", "the of and")], depth=10)
    assert [d for d, _ in run["q"]] == ["a", "b"]  # "the" is a stop word: c never matches
    assert run["r"] == []


def test_exclude_own_leaves_a_querys_own_document_out(tmp_path: Path) -> None:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "J1.txt").write_text("State v A\nLast seen evidence near the canal at night.")
    (corpus / "J2.txt").write_text("State v B\nLast seen evidence is weak on its own.")
    queries = tmp_path / "queries.txt"
    queries.write_text("J1||last seen evidence near the canal\n")
    qrels = tmp_path / "qrels.txt"
    qrels.write_text("J1 0 J2 1\n")
    args = ["eval-retrieval", "--corpus", str(corpus), "--queries", str(queries),
            "--qrels", str(qrels), "--mode", "keyword", "--json"]  # fmt: skip
    with_own = json.loads(CliRunner().invoke(main, args).output)
    assert with_own["map"] == 0.5 and with_own["baseline"]["map"] == 0.5  # J1 ranks first
    without = json.loads(CliRunner().invoke(main, [*args, "--exclude-own"]).output)
    assert without["map"] == 1.0 and without["baseline"]["map"] == 1.0


def test_eval_retrieval_all_modes_from_one_index(
    collection: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    args = ["eval-retrieval", "--corpus", str(collection["corpus"]), "--queries",
            str(collection["queries"]), "--qrels", str(collection["qrels"]),
            "--mode", "all"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "keyword   semantic  hybrid    plain BM25" in result.output
    reports = json.loads(CliRunner().invoke(main, [*args, "--json"]).stdout)
    assert [r["mode"] for r in reports] == ["keyword", "semantic", "hybrid"]
    assert all(r["baseline"]["map"] == 1.0 for r in reports)
    refused = CliRunner().invoke(main, [*args, "--run", str(tmp_path / "x.run")])
    assert refused.exit_code != 0 and "one --mode" in refused.output
