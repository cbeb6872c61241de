"""Settings: embedded defaults, server URLs by configuration, clear errors naming the variable."""

from __future__ import annotations

import pytest

from mizan.settings import SettingsError, load_settings
from search.backends import search_index, vector_index


def _load(tmp_path, **env: str):
    return load_settings({"MIZAN_DATA_DIR": str(tmp_path), **env}, env_file=None)


def test_embedded_defaults(tmp_path) -> None:
    s = _load(tmp_path)
    assert s.store_kind == "sqlite" and s.sqlite_path == tmp_path / "mizan.sqlite3"
    assert s.search_kind == "embedded" and s.index_dir == tmp_path / "index"
    assert s.broker_kind == "sqlite"
    assert s.broker_url == f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    assert s.bind == "127.0.0.1:8000"


def test_servers_by_configuration(tmp_path) -> None:
    s = _load(
        tmp_path,
        MIZAN_STORE="mongodb://db.example:27017/mizan",
        MIZAN_SEARCH="http://es.example:9200/",
        MIZAN_BROKER="redis://cache:6379/0",
    )
    assert s.store_kind == "mongodb"
    assert s.search_kind == "elasticsearch" and s.search_url == "http://es.example:9200"
    assert s.broker_kind == "redis"


def test_secret_key_is_generated_once_and_kept(tmp_path) -> None:
    first = _load(tmp_path).secret_key
    assert len(first) >= 32
    assert _load(tmp_path).secret_key == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert _load(tmp_path, MIZAN_SECRET_KEY="x" * 20).secret_key == "x" * 20


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MIZAN_STORE", "postgres://nope"),
        ("MIZAN_STORE", "mongodb://host:27017"),
        ("MIZAN_SEARCH", "solr"),
        ("MIZAN_BROKER", "amqp://guest@localhost//"),
        ("MIZAN_BIND", "8000"),
        ("MIZAN_SECURE_COOKIES", "maybe"),
        ("MIZAN_MAX_UPLOAD_MB", "lots"),
        ("MIZAN_MAX_UPLOAD_MB", "0"),
        ("MIZAN_SECRET_KEY", "short"),
        ("MIZAN_VECTOR_ANN_MIN", "many"),
        ("MIZAN_VECTOR_ANN_MIN", "0"),
        ("MIZAN_LOGIN_ADDRESS_MAX_FAILURES", "0"),
        ("MIZAN_LOGIN_ADDRESS_WINDOW_MINUTES", "soon"),
        ("MIZAN_SWEEP_SECONDS", "0"),
    ],
)
def test_wrong_values_stop_start_up_naming_the_variable(tmp_path, variable, value) -> None:
    with pytest.raises(SettingsError, match=variable):
        _load(tmp_path, **{variable: value})


def test_dotenv_file_is_read_and_environment_wins(tmp_path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("MIZAN_BIND=0.0.0.0:9000\nMIZAN_MAX_UPLOAD_MB=50\n")
    s = load_settings(
        {"MIZAN_DATA_DIR": str(tmp_path), "MIZAN_MAX_UPLOAD_MB": "70"}, env_file=env_file
    )
    assert s.bind == "0.0.0.0:9000" and s.max_upload_mb == 70


def test_elasticsearch_url_opens_the_elasticsearch_adapters(tmp_path) -> None:
    from app.bootstrap import build_kernel
    from search.elastic_index import ElasticIndex, ElasticVectorIndex

    settings = _load(tmp_path, MIZAN_SEARCH="http://localhost:9200", MIZAN_SEARCH_PREFIX="hyd")
    kernel = build_kernel(settings)  # the server is not contacted at start-up
    try:
        assert isinstance(search_index(kernel), ElasticIndex)
        assert isinstance(vector_index(kernel), ElasticVectorIndex)
        assert search_index(kernel)._ix.name == "hyd-passages"
    finally:
        kernel.close()


def test_search_prefix_is_checked(tmp_path) -> None:
    assert _load(tmp_path).search_prefix == "mizan"
    for bad in ("Mizan", "-x", "a b", "a/b"):
        with pytest.raises(SettingsError, match="MIZAN_SEARCH_PREFIX"):
            _load(tmp_path, MIZAN_SEARCH_PREFIX=bad)


def test_ocr_language_is_checked(tmp_path) -> None:
    assert _load(tmp_path, MIZAN_OCR_LANG="eng+urd").default_ocr_lang == "eng+urd"
    with pytest.raises(SettingsError, match="MIZAN_OCR_LANG"):
        _load(tmp_path, MIZAN_OCR_LANG="french")


def test_vector_ann_threshold_reaches_the_embedded_vector_index(tmp_path) -> None:
    from search.backends import open_vector_index

    assert _load(tmp_path).vector_ann_min == 100_000
    settings = _load(tmp_path, MIZAN_VECTOR_ANN_MIN="5000")
    assert open_vector_index(settings).ann_min == 5000


def test_sign_in_throttle_per_address_is_configured(tmp_path) -> None:
    defaults = _load(tmp_path)
    assert (defaults.login_address_max_failures, defaults.login_address_window_minutes) == (30, 15)
    s = _load(
        tmp_path, MIZAN_LOGIN_ADDRESS_MAX_FAILURES="12", MIZAN_LOGIN_ADDRESS_WINDOW_MINUTES="60"
    )
    assert (s.login_address_max_failures, s.login_address_window_minutes) == (12, 60)
