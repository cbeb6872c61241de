"""English and Urdu from the first page: locale choice, right-to-left layout, a complete
Urdu catalogue whose placeholders match, and domain messages that follow the reader."""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "web" / "translations"
UR_PO = TRANSLATIONS / "ur" / "LC_MESSAGES" / "messages.po"
POT = TRANSLATIONS / "messages.pot"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

PASSWORD = "correct-horse-42"
UR_SIGN_IN = "لاگ ان کریں"
UR_HEADING = "میزان میں لاگ ان کریں"
UR_USERNAME = "صارف نام"
UR_BAD_LOGIN = "صارف نام یا پاس ورڈ درست نہیں ہے۔"
EN_BAD_LOGIN = "The username or password is not correct."

# %(name)s, %d, %% ... as Python's %-formatting (and Jinja's newstyle gettext) reads them.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")


# --- the app ------------------------------------------------------------------


@pytest.fixture
def app(tmp_path: Path) -> Iterator:
    from app.web import create_web_app
    from mizan.kernel import set_process_kernel
    from mizan.settings import load_settings

    settings = load_settings(
        {
            "MIZAN_DATA_DIR": str(tmp_path),
            "MIZAN_BROKER": f"sqla+sqlite:///{tmp_path}/broker.sqlite3",
        },
        env_file=None,
    )
    app = create_web_app(settings)
    app.config["TESTING"] = True
    yield app
    set_process_kernel(None)
    app.extensions["mizan"].close()


@pytest.fixture
def user(app) -> str:
    """One clerk in one district; returns the username."""
    from mizan.accounts.service import create_district, create_user
    from mizan.actor import SYSTEM

    kernel = app.extensions["mizan"]
    create_district(kernel, SYSTEM, "KHI-S", "Karachi South", "کراچی جنوبی")
    create_user(
        kernel,
        SYSTEM,
        username="clerk.south",
        full_name="Ghulam Mustafa",
        password=PASSWORD,
        roles=["clerk"],
        district="KHI-S",
    )
    return "clerk.south"


def page(response) -> str:
    return response.get_data(as_text=True)


def html_tag(text: str) -> str:
    match = re.search(r"<html[^>]*>", text)
    assert match, "no <html> tag"
    return match.group(0)


def csrf_token(text: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text)
    assert match, "no CSRF token in the page"
    return match.group(1)


def assert_urdu_login(text: str) -> None:
    assert html_tag(text) == '<html lang="ur" dir="rtl">'
    assert f"<h1>{UR_HEADING}</h1>" in text
    assert f'<button type="submit" class="primary">{UR_SIGN_IN}</button>' in text
    assert UR_USERNAME in text  # a form label, marked with mizan.i18n.lazy_gettext
    assert "Sign in" not in text
    assert "Username" not in text


def assert_english_login(text: str) -> None:
    assert html_tag(text) == '<html lang="en" dir="ltr">'
    assert "<h1>Sign in to Mizan</h1>" in text
    assert '<button type="submit" class="primary">Sign in</button>' in text
    assert UR_HEADING not in text


# --- choosing the language ----------------------------------------------------


def test_lang_ur_renders_urdu_right_to_left(app) -> None:
    response = app.test_client().get("/login?lang=ur")
    assert response.status_code == 200
    assert_urdu_login(page(response))


def test_default_is_english_left_to_right(app) -> None:
    client = app.test_client()
    assert_english_login(page(client.get("/login")))
    assert_english_login(page(client.get("/login", headers={"Accept-Language": "en-GB,en"})))


def test_choice_sticks_in_the_session_until_changed(app) -> None:
    client = app.test_client()
    client.get("/login?lang=ur")
    with client.session_transaction() as session:
        assert session["lang"] == "ur"
    text = page(client.get("/login"))
    assert_urdu_login(text)
    assert 'href="?lang=en"' in text  # the way back to English is offered
    assert_english_login(page(client.get("/login?lang=en")))
    assert_english_login(page(client.get("/login")))


def test_unknown_lang_is_ignored(app) -> None:
    assert_english_login(page(app.test_client().get("/login?lang=xx")))


@pytest.mark.parametrize("header", ["ur", "ur-PK,ur;q=0.9,en;q=0.5", "ur;q=0.9,fr;q=0.8"])
def test_accept_language_urdu(app, header: str) -> None:
    assert_urdu_login(page(app.test_client().get("/login", headers={"Accept-Language": header})))


def test_session_choice_beats_accept_language(app) -> None:
    client = app.test_client()
    client.get("/login?lang=en")
    assert_english_login(page(client.get("/login", headers={"Accept-Language": "ur"})))


# --- domain messages follow the reader ----------------------------------------


def test_failed_login_message_from_the_domain_is_urdu(app, user: str) -> None:
    client = app.test_client()
    token = csrf_token(page(client.get("/login?lang=ur")))
    response = client.post(
        "/login?lang=ur",
        data={"username": user, "password": "wrong-password-1", "csrf_token": token},
    )
    assert response.status_code == 401
    text = page(response)
    assert UR_BAD_LOGIN in text
    assert EN_BAD_LOGIN not in text
    assert html_tag(text) == '<html lang="ur" dir="rtl">'


def test_failed_login_message_is_english_for_english_readers(app, user: str) -> None:
    client = app.test_client()
    token = csrf_token(page(client.get("/login")))
    response = client.post(
        "/login", data={"username": user, "password": "wrong-password-1", "csrf_token": token}
    )
    assert response.status_code == 401
    assert EN_BAD_LOGIN in page(response)


def test_domain_gettext_outside_a_request_is_english(app) -> None:
    from mizan import i18n
    from mizan.accounts.roles import ROLE_LABELS, Role

    assert i18n.gettext(EN_BAD_LOGIN) == EN_BAD_LOGIN
    assert str(ROLE_LABELS[Role.CLERK]) == "Clerk"
    with app.test_request_context("/login?lang=ur"):
        assert i18n.gettext(EN_BAD_LOGIN) == UR_BAD_LOGIN
        assert str(ROLE_LABELS[Role.PROSECUTOR_GENERAL]) == "پراسیکیوٹر جنرل"
        assert i18n.gettext("Unknown role: %(role)s.", role="x") == "نامعلوم عہدہ: x۔"


# --- the catalogue ------------------------------------------------------------


def _read(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def _messages(catalog: Catalog) -> list:
    return [m for m in catalog if m.id]


def _placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text))


def _ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def test_every_msgid_has_an_urdu_translation() -> None:
    catalog = _read(UR_PO)
    messages = _messages(catalog)
    assert len(messages) > 100
    untranslated = [m.id for m in messages if not all(s.strip() for s in _strings(m))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not untranslated, f"untranslated in {UR_PO.name}: {untranslated}"
    assert not fuzzy, f"marked fuzzy (translate and remove the flag): {fuzzy}"
    same = [m.id for m in messages if _strings(m)[0] == _ids(m)[0] and re.search("[A-Za-z]", m.id)]
    assert not same, f"left in English: {same}"


def test_catalogue_covers_the_template() -> None:
    pot_ids = {m.id for m in _messages(_read(POT))}
    po_ids = {m.id for m in _messages(_read(UR_PO))}
    assert pot_ids <= po_ids, f"run scripts/update-translations.sh: {sorted(pot_ids - po_ids)}"


def test_every_marked_string_in_the_code_is_in_the_catalogue() -> None:
    """New _() strings fail here until scripts/update-translations.sh is run and they are
    translated."""
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    extracted = {
        message if isinstance(message, str) else message[0]
        for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS
        )
    }
    assert len(extracted) > 100
    po_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in _messages(_read(UR_PO))}
    missing = sorted(extracted - po_ids)
    assert not missing, f"not in the Urdu catalogue (run scripts/update-translations.sh): {missing}"


def test_placeholders_agree() -> None:
    wrong = []
    for message in _messages(_read(UR_PO)):
        expected = _placeholders(_ids(message)[0])
        for translated in _strings(message):
            if _placeholders(translated) != expected:
                wrong.append((message.id, translated))
                continue
            # Templates format every string (Jinja newstyle gettext), so a lone "%" breaks it.
            leftover = PLACEHOLDER.sub("", translated)
            if "%" in leftover:
                wrong.append((message.id, translated))
    assert not wrong, f"placeholders differ: {wrong}"


def test_translations_format_like_the_originals() -> None:
    for message in _messages(_read(UR_PO)):
        original = _ids(message)[0]
        values = dict.fromkeys(re.findall(r"%\((\w+)\)", original), 7)
        if values or "%" in original:
            for translated in _strings(message):
                assert "7" in translated % values or not values, (message.id, translated)


def test_catalogue_compiles_and_translates() -> None:
    from babel.support import Translations

    catalog = _read(UR_PO)
    errors = [(m.id, e) for m, e in catalog.check()]
    assert not errors, errors
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    translations = Translations(fp=buffer)
    assert translations.gettext("Sign in") == UR_SIGN_IN
    assert translations.gettext("Welcome, %(name)s") % {"name": "Sana"} == "خوش آمدید، Sana"


def test_glossary() -> None:
    """The agreed terms for the department's vocabulary."""
    catalog = _read(UR_PO)
    expected = {
        "Prosecutor General": "پراسیکیوٹر جنرل",
        "District Public Prosecutor": "ڈسٹرکٹ پبلک پراسیکیوٹر",
        "Clerk": "کلرک",
        "Search": "تلاش",
        "Sign in": "لاگ ان کریں",
        "Police station": "تھانہ",
        "District": "ضلع",
        "Document": "دستاویز",
        "Upload": "اپ لوڈ کریں",
        "Audit trail": "آڈٹ ریکارڈ",
        "Cases": "مقدمات",
        "FIR number": "ایف آئی آر نمبر",
    }
    actual = {key: catalog[key].string for key in expected}
    assert actual == expected
