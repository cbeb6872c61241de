"""A file fetched from a web address by the worker (a court's published cause list).

The address is typed by a person, so the fetch is fenced: http and https only; the host
must resolve to public addresses (never this machine or the office network, so a typed
address cannot make the worker read an internal service), checked again on every redirect;
at most ``max_bytes`` and ``seconds`` in all; and the server must say it sends a PDF or an
image. ``allow_private`` (``MIZAN_FETCH_PRIVATE_ADDRESSES=true``) lifts the address rule,
for tests with a server on loopback and for a court server inside the network.
Each refusal is a ``FetchError`` with a sentence for the clerk.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import IO, Any

from mizan.i18n import gettext as _

#: Media types a server may announce for a cause list; the bytes are sniffed afterwards.
ACCEPTED = ("application/pdf", "application/x-pdf", "application/octet-stream", "image/")
CHUNK = 64 * 1024


class FetchError(ValueError):
    """The address cannot be fetched; the message says why in plain words."""


@dataclass(frozen=True)
class Fetched:
    data: bytes
    filename: str
    media_type: str


def check_url(url: str, *, allow_private: bool = False) -> str:
    """The address, trimmed, if it may be fetched; raises ``FetchError`` otherwise."""
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(_("Give a web address starting with http:// or https://."))
    if parts.username or parts.password:
        raise FetchError(_("A web address with a user name or password is not fetched."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(_("The web address has an invalid port.")) from None
    if not allow_private:
        _check_public(parts.hostname, port)
    return url


def _check_public(host: str, port: int) -> None:
    try:
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise FetchError(_("The server %(host)s is not known.") % {"host": host}) from None
    for *_rest, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if not address.is_global:
            raise FetchError(
                _(
                    "The address %(host)s points inside this network or to this machine; "
                    "Mizan only fetches lists from public web sites."
                )
                % {"host": host}
            )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Each redirect is checked like the address typed (a public site may point inwards)."""

    max_redirections = 5

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        check_url(newurl, allow_private=self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _filename(url: str, headers: Message) -> str:
    disposition = headers.get("Content-Disposition", "")
    named = re.search(r'filename="?([^";]+)"?', disposition)
    name = named.group(1) if named else urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    name = name.rsplit("/", 1)[-1].strip()
    return name[:200] or "cause-list.pdf"


def fetch(url: str, *, max_bytes: int, seconds: float = 30, allow_private: bool = False) -> Fetched:
    """The file at ``url``, within the limits (see the module's docstring)."""
    url = check_url(url, allow_private=allow_private)
    opener = urllib.request.build_opener(_CheckedRedirects(allow_private))
    request = urllib.request.Request(url, headers={"User-Agent": "Mizan-CauseLists/1"})  # noqa: S310 (scheme checked)
    deadline = time.monotonic() + seconds
    try:
        with opener.open(request, timeout=min(seconds, 15)) as response:
            media_type = response.headers.get_content_type()
            if not media_type.startswith(ACCEPTED):
                raise FetchError(
                    _(
                        "The address gave %(type)s, not a PDF or a scanned page; give the "
                        "address of the list's file itself."
                    )
                    % {"type": media_type}
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(max_bytes)
            data = _read_within(response, max_bytes, deadline, seconds)
            return Fetched(data, _filename(response.geturl(), response.headers), media_type)
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        raise FetchError(
            _("The court's server answered %(code)d (%(reason)s); check the address.")
            % {"code": exc.code, "reason": exc.reason}
        ) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, FetchError):
            raise exc.reason from None
        raise FetchError(
            _("The court's server could not be reached (%(reason)s).") % {"reason": exc.reason}
        ) from None
    except TimeoutError:
        raise _too_slow(seconds) from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise FetchError(
            _("The file could not be fetched (%(reason)s).") % {"reason": exc}
        ) from None


def _read_within(response: Any, max_bytes: int, deadline: float, seconds: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(max_bytes)
        if time.monotonic() > deadline:
            raise _too_slow(seconds)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(max_bytes: int) -> FetchError:
    return FetchError(
        _("The file is larger than the limit of %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)}
    )


def _too_slow(seconds: float) -> FetchError:
    return FetchError(
        _("The court's server did not send the file within %(s)d seconds; try again later.")
        % {"s": seconds}
    )
