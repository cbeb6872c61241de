"""One settings object, read from the environment and an optional ``.env`` file.

Every value has an embedded default so a single machine runs with no servers;
pointing a variable at MongoDB, Elasticsearch or Redis scales out with the same
code. A wrong value stops start-up with a message naming the variable.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from dotenv import dotenv_values

from mizan.accounts.roles import Role

ENV_PREFIX = "MIZAN_"


class SettingsError(ValueError):
    """A configuration value is missing or wrong; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    secret_key: str
    store_url: str
    search_url: str
    broker_url: str
    bind: str = "127.0.0.1:8000"
    secure_cookies: bool = False
    max_upload_mb: int = 200
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    #: Failed sign-ins from one address (over any accounts) within the window below before
    #: that address is refused for the length of the window: password spraying.
    login_address_max_failures: int = 30
    login_address_window_minutes: int = 15
    default_ocr_lang: str = "eng"
    #: Reverse proxies in front of Mizan whose X-Forwarded-* headers are trusted (0 = none).
    trusted_proxies: int = 0
    #: Seconds one page may take to read (OCR); a slower page fails alone, the file goes on.
    page_time_limit: int = 300
    #: Seconds between a worker's looks for jobs whose worker died (they are queued again).
    sweep_seconds: int = 60
    #: A folder a scanner saves into; ``mizan watch-drop`` adds what appears there.
    drop_dir: Path | None = None
    #: The account files from the drop folder are added as (its rights and audit trail).
    drop_user: str = ""
    #: Let the worker fetch cause lists from loopback and private addresses (tests, or a
    #: court server inside the network); off, only public web sites are fetched.
    fetch_private_addresses: bool = False
    #: Elasticsearch index names start with this (``<prefix>-passages``, ``<prefix>-vectors``).
    search_prefix: str = "mizan"
    #: Embedded vectors: from this many passages visible to a user, semantic search walks an
    #: HNSW graph (approximate, ~ms at a million) instead of comparing with every passage.
    vector_ann_min: int = 100_000
    #: Load the embedding model in the background when a web or worker process starts,
    #: so the first meaning search does not wait for it (``MIZAN_WARM_MODEL=false``: don't).
    warm_model: bool = True
    #: Roles whose members must use an authenticator app (TOTP) to sign in; "all" for every
    #: role (``MIZAN_TWO_FACTOR_ROLES``, comma-separated; "none" for nobody).
    two_factor_roles: frozenset[str] = frozenset(
        {"admin", "district_public_prosecutor", "prosecutor_general"}
    )
    #: Keys (Fernet, newest first) sealing values at rest; empty: derived from the secret key.
    encryption_keys: tuple[str, ...] = ()

    @property
    def store_kind(self) -> str:
        return (
            "mongodb" if self.store_url.startswith(("mongodb://", "mongodb+srv://")) else "sqlite"
        )

    @property
    def sqlite_path(self) -> Path:
        """Database file for the embedded store (``sqlite:`` or ``sqlite:///path``)."""
        rest = self.store_url.removeprefix("sqlite:").removeprefix("///")
        return Path(rest) if rest else self.data_dir / "mizan.sqlite3"

    @property
    def search_kind(self) -> str:
        return "embedded" if self.search_url == "embedded" else "elasticsearch"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def broker_kind(self) -> str:
        return "redis" if self.broker_url.startswith(("redis://", "rediss://")) else "sqlite"


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}.")


def _int(name: str, raw: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}.") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {value}.")
    return value


def _check_store(url: str) -> str:
    if url.startswith("sqlite:"):
        return url
    if url.startswith(("mongodb://", "mongodb+srv://")):
        if not urlparse(url).path.strip("/"):
            raise SettingsError(
                "MIZAN_STORE must name a database, e.g. mongodb://host:27017/mizan."
            )
        return url
    raise SettingsError(
        f"MIZAN_STORE must be 'sqlite:' (the default), 'sqlite:///path/to/file' or a "
        f"mongodb:// URI, not {url!r}."
    )


def _check_search(url: str) -> str:
    if url == "embedded":
        return url
    parsed = urlparse(url)
    if parsed.scheme in {"http", "https"} and parsed.netloc:
        return url.rstrip("/")
    raise SettingsError(
        f"MIZAN_SEARCH must be 'embedded' (the default) or an Elasticsearch URL such as "
        f"http://localhost:9200, not {url!r}."
    )


def _check_search_prefix(prefix: str) -> str:
    """Elasticsearch index names: lowercase, no spaces or \\/*?"<>|,# and not starting with -_+."""
    if re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,199}", prefix):
        return prefix
    raise SettingsError(
        f"MIZAN_SEARCH_PREFIX must be lowercase letters, digits, '.', '_' or '-' (starting "
        f"with a letter or digit), such as 'mizan' or 'mizan-hyd', not {prefix!r}."
    )


def _check_broker(url: str) -> str:
    if url.startswith(("sqla+sqlite:///", "redis://", "rediss://")):
        return url
    raise SettingsError(
        f"MIZAN_BROKER must be a sqla+sqlite:/// path (the default) or a redis:// URL, not {url!r}."
    )


def _check_ocr_lang(lang: str) -> str:
    parts = lang.split("+")
    if not all(p in {"eng", "urd", "snd", "ara"} for p in parts):
        raise SettingsError(
            f"MIZAN_OCR_LANG must be eng, urd, snd or ara, or several joined by '+' "
            f"(e.g. eng+urd), not {lang!r}."
        )
    return lang


def _check_bind(bind: str) -> str:
    host, sep, port = bind.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise SettingsError(f"MIZAN_BIND must look like 0.0.0.0:8000, not {bind!r}.")
    return bind


_ROLES = frozenset(role.value for role in Role)


def _two_factor_roles(value: str) -> frozenset[str]:
    names = {part.strip() for part in value.split(",") if part.strip()}
    if names in ({"none"}, set()):
        return frozenset()
    if names == {"all"}:
        return _ROLES
    unknown = sorted(names - _ROLES)
    if unknown:
        raise SettingsError(
            f"MIZAN_TWO_FACTOR_ROLES: unknown role {', '.join(unknown)}; use role names "
            f"({', '.join(sorted(_ROLES))}), all or none."
        )
    return frozenset(names)


def _encryption_keys(value: str) -> tuple[str, ...]:
    keys = tuple(part.strip() for part in value.split(",") if part.strip())
    for n, key in enumerate(keys, start=1):
        try:
            raw = base64.urlsafe_b64decode(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raw = b""
        if len(raw) != 32:
            raise SettingsError(
                f"MIZAN_ENCRYPTION_KEYS: key {n} is not a Fernet key (32 bytes, url-safe "
                "base64); make one with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'"
            )
    return keys


def _secret_key(data_dir: Path, configured: str | None) -> str:
    """Use the configured key, or generate one on first run and keep it in the data dir."""
    if configured:
        if len(configured) < 16:
            raise SettingsError("MIZAN_SECRET_KEY must be at least 16 characters long.")
        return configured
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def load_settings(
    environ: dict[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Settings from ``environ`` (default ``os.environ``) over an optional ``.env`` file."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    def get(name: str, default: str = "") -> str:
        return values.get(ENV_PREFIX + name, default).strip()

    data_dir = Path(get("DATA_DIR", "var")).expanduser().resolve()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SettingsError(f"MIZAN_DATA_DIR {str(data_dir)!r} cannot be created: {exc}") from None
    broker_default = f"sqla+sqlite:///{data_dir / 'broker.sqlite3'}"
    return Settings(
        data_dir=data_dir,
        secret_key=_secret_key(data_dir, get("SECRET_KEY") or None),
        store_url=_check_store(get("STORE", "sqlite:")),
        search_url=_check_search(get("SEARCH", "embedded")),
        broker_url=_check_broker(get("BROKER", broker_default)),
        bind=_check_bind(get("BIND", "127.0.0.1:8000")),
        secure_cookies=_bool("MIZAN_SECURE_COOKIES", get("SECURE_COOKIES", "false")),
        max_upload_mb=_int("MIZAN_MAX_UPLOAD_MB", get("MAX_UPLOAD_MB", "200"), 1, 10_000),
        login_max_failures=_int("MIZAN_LOGIN_MAX_FAILURES", get("LOGIN_MAX_FAILURES", "5"), 1, 100),
        login_lockout_minutes=_int(
            "MIZAN_LOGIN_LOCKOUT_MINUTES", get("LOGIN_LOCKOUT_MINUTES", "15"), 1, 24 * 60
        ),
        login_address_max_failures=_int(
            "MIZAN_LOGIN_ADDRESS_MAX_FAILURES", get("LOGIN_ADDRESS_MAX_FAILURES", "30"), 1, 10_000
        ),
        login_address_window_minutes=_int(
            "MIZAN_LOGIN_ADDRESS_WINDOW_MINUTES",
            get("LOGIN_ADDRESS_WINDOW_MINUTES", "15"),
            1,
            24 * 60,
        ),
        default_ocr_lang=_check_ocr_lang(get("OCR_LANG", "eng")),
        trusted_proxies=_int("MIZAN_TRUSTED_PROXIES", get("TRUSTED_PROXIES", "0"), 0, 5),
        page_time_limit=_int(
            "MIZAN_PAGE_TIME_LIMIT", get("PAGE_TIME_LIMIT", "300"), 5, 24 * 60 * 60
        ),
        sweep_seconds=_int("MIZAN_SWEEP_SECONDS", get("SWEEP_SECONDS", "60"), 1, 3600),
        drop_dir=Path(get("DROP_DIR")).expanduser().resolve() if get("DROP_DIR") else None,
        search_prefix=_check_search_prefix(get("SEARCH_PREFIX", "mizan")),
        drop_user=get("DROP_USER"),
        fetch_private_addresses=_bool(
            "MIZAN_FETCH_PRIVATE_ADDRESSES", get("FETCH_PRIVATE_ADDRESSES", "false")
        ),
        vector_ann_min=_int(
            "MIZAN_VECTOR_ANN_MIN", get("VECTOR_ANN_MIN", "100000"), 1, 1_000_000_000
        ),
        warm_model=_bool("MIZAN_WARM_MODEL", get("WARM_MODEL", "true")),
        two_factor_roles=_two_factor_roles(
            get("TWO_FACTOR_ROLES", "admin,district_public_prosecutor,prosecutor_general")
        ),
        encryption_keys=_encryption_keys(get("ENCRYPTION_KEYS")),
    )
