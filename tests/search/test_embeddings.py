"""The shipped embedding model (real, offline) and the content-hash cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from search.embeddings import DIM, Embedder, EmbeddingCache, shared_embedder, text_key


def test_cache_round_trip_survives_reopening(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "e.sqlite3")
    vec = np.arange(DIM, dtype=np.float32)
    cache.put_many([(text_key("bail granted"), vec)])
    again = EmbeddingCache(tmp_path / "e.sqlite3")
    got = again.get_many([text_key("bail granted"), text_key("other")])
    assert list(got) == [text_key("bail granted")]
    assert np.array_equal(got[text_key("bail granted")], vec)
    assert len(again) == 1


@pytest.mark.slow
def test_model_embeds_offline_normalised_and_meaningfully(tmp_path: Path) -> None:
    embedder = Embedder(EmbeddingCache(tmp_path / "e.sqlite3"))
    texts = [
        "The accused stabbed the deceased with a knife.",
        "He killed the man with a sharp blade.",
        "The bank dishonoured the cheque for insufficient funds.",
    ]
    vecs = embedder.embed(texts)
    assert vecs.shape == (3, DIM) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.2  # murder is nearer murder than cheques
    assert embedder.encoded == 3
    # Unchanged passages are never re-embedded; repeats in one batch are embedded once.
    again = embedder.embed([texts[1], texts[0], texts[1]])
    assert embedder.encoded == 3
    assert np.allclose(again[1], vecs[0], atol=1e-6)
    query = embedder.embed_query(texts[0])
    assert np.allclose(query, vecs[0], atol=1e-5)


@pytest.mark.slow
def test_shared_embedder_loads_the_model_once(tmp_path: Path) -> None:
    a = shared_embedder(tmp_path / "a.sqlite3")
    a.embed_query("warm up")
    b = shared_embedder(tmp_path / "b.sqlite3")
    assert b.model is a.model
    assert shared_embedder(tmp_path / "a.sqlite3") is a


@pytest.mark.slow
def test_query_windows_read_the_cache_but_never_fill_it(tmp_path: Path) -> None:
    from search.hybrid import query_vectors
    from search.passages import windows

    cache = EmbeddingCache(tmp_path / "e.sqlite3")
    embedder = Embedder(cache)
    passage = "Criminal breach of trust by a public servant entrusted with property."
    stored = embedder.embed([passage])
    assert embedder.encoded == 1 and len(cache) == 1
    # An indexed passage searched as a query (the statute bridge) costs no model time.
    assert np.allclose(query_vectors(embedder, passage), stored, atol=1e-6)
    assert embedder.encoded == 1
    # Other query text is encoded, all its windows in one call, and not cached.
    facts = " ".join(f"word{i} the accused fled" for i in range(80))  # 320 words: 2 windows
    vecs = query_vectors(embedder, facts)
    assert vecs.shape == (2, DIM) and embedder.encoded == 3 and len(cache) == 1
    one_by_one = [embedder.embed_query(w) for w in windows(facts)]
    assert np.allclose(vecs, np.stack(one_by_one), atol=1e-5)


@pytest.mark.slow
def test_a_repeated_query_skips_the_model_and_gets_the_same_vector() -> None:
    embedder = Embedder()
    first = embedder.embed_query("Bail after arrest u/s 497")
    encoded = embedder.encoded
    # The model is uncased and splits on spaces: case and spacing never change the vector.
    again = embedder.embed_query("  bail AFTER arrest   u/s 497 ")
    assert embedder.encoded == encoded
    assert np.array_equal(again, first)
    fresh = embedder._encode(["bail after arrest u/s 497"])[0]  # the model, for comparison
    assert np.allclose(fresh, first, atol=1e-5)
    embedder.embed_query("another query")
    assert embedder.encoded == encoded + 2  # a new text goes through the model
