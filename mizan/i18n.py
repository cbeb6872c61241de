"""Translation markers usable by domain code, which never imports Flask.

Domain messages and labels are marked with :func:`gettext` / :func:`lazy_gettext`
(so ``pybabel extract`` finds them). By default they return English; the web
layer installs a translator that follows the reader's language (English or Urdu).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from markupsafe import escape


def _english(text: str) -> str:
    return text


_translator: Callable[[str], str] = _english


def install_translator(translator: Callable[[str], str]) -> None:
    global _translator
    _translator = translator


#: Switches the installed translator to another language for a block (installed by the web
#: layer, which knows the catalogues); None: no switching, messages stay as they are.
_language_switch: Callable[[str], AbstractContextManager[object]] | None = None


def install_language_switch(switch: Callable[[str], AbstractContextManager[object]]) -> None:
    global _language_switch
    _language_switch = switch


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Labels and messages in ``language`` inside the block, whatever the reader's language:
    an Urdu letter written from an English page says "In custody" in Urdu."""
    if _language_switch is None:
        yield
        return
    with _language_switch(language):
        yield


def gettext(text: str, **variables: Any) -> str:
    translated = _translator(text)
    return translated % variables if variables else translated


class LazyString:
    """Translated when rendered, so module-level labels follow the reader's language."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return gettext(self.text)

    def __html__(self) -> str:
        return str(escape(str(self)))

    def __repr__(self) -> str:
        return f"LazyString({self.text!r})"


def lazy_gettext(text: str) -> LazyString:
    return LazyString(text)
