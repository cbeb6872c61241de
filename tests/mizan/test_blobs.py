"""The content-addressed blob store keeps each original once and never changes it."""

from __future__ import annotations

import hashlib
import io

import pytest

from mizan.storage.blobs import BlobStore, BlobTooLarge


def test_put_is_keyed_by_sha256_and_deduplicated(tmp_path) -> None:
    store = BlobStore(tmp_path)
    data = b"scanned FIR page"
    sha = store.put_bytes(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.put_bytes(data) == sha
    assert list(store.iter_digests()) == [sha]
    assert store.path(sha).read_bytes() == data
    assert store.path(sha).stat().st_mode & 0o222 == 0  # read-only on disk


def test_too_large_upload_keeps_nothing(tmp_path) -> None:
    store = BlobStore(tmp_path)
    with pytest.raises(BlobTooLarge, match="upload limit of 1 MB"):
        store.put_stream(io.BytesIO(b"x" * (1024 * 1024 + 1)), max_bytes=1024 * 1024)
    assert list(store.iter_digests()) == []
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == []


def test_bad_digest_is_refused(tmp_path) -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        BlobStore(tmp_path).path("../../etc/passwd")


def test_copy_to_mirrors_layout(tmp_path) -> None:
    store = BlobStore(tmp_path / "a")
    shas = {store.put_bytes(bytes([n]) * 10) for n in range(3)}
    assert store.copy_to(tmp_path / "b") == 3
    assert set(BlobStore(tmp_path / "b").iter_digests()) == shas
