"""Keep alert URLs (apprise) out of logs, status output and error messages. Pure.

Apprise URLs carry their secrets in every part: `tgram://BOT_TOKEN/CHAT_ID` (host = token),
`discord://WEBHOOK_ID/WEBHOOK_TOKEN`, `mailto://user:PASSWORD@gmail.com`, `json://host/path?token=X`.
So besides the full URL, every userinfo part, a host that does not look like a real host name,
every path segment and every query value counts as a secret fragment.

A fragment is masked only as a whole token: not where it sits inside a longer word, with
`[A-Za-z0-9_-]` as word characters (a `/fail` path segment must not turn "delivery failed"
into "delivery ***ed"). A percent escape (`%2F`) before a fragment counts as a boundary, so a
URL-encoded URL still loses its token.

    secret_fragments("tgram://123:ABC/456")  -> ["tgram://123:ABC/456", "123:ABC", ...]
    redact("sent via tgram://123:ABC/456", fragments) -> "sent via ***"
    redacted_url("json://127.0.0.1:8000/hook?token=X") -> "json://127.0.0.1:8000/***?***"
    without_credentials("http://user:pw@grid:4444/wd/hub") -> "http://***@grid:4444/wd/hub"
    redact_headers("{'Authorization': 'Basic dXNlcjpw'}") -> "{'Authorization': 'Basic ***'}"

apprise prints a secret in its own log lines as its first and last character (`p...d`) or
its last four (`...abcd`): those forms of every fragment are fragments too, masked whole.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote

from watchdog.core.urls import split_userinfo

MASK = "***"

# Fragments shorter than this are not redacted on their own (a chat id `42` or a path `api`
# would blank out ordinary log text); the full URL always is.
MIN_PATH_FRAGMENT = 4
MIN_PASSWORD_FRAGMENT = 3

_WORD = "A-Za-z0-9_-"
_BEFORE = rf"(?:(?<![{_WORD}])|(?<=%[0-9A-Fa-f]{{2}}))"  # a word start, or just after `%2F`
_AFTER = rf"(?![{_WORD}])"

_AUTH_HEADER = re.compile(
    r"(?i)(\bauthorization['\"]?\s*[:=]\s*['\"]?(?:basic|bearer|digest|token)\s+)[^\s'\",;}]+"
)
_HOSTNAME = re.compile(r"(?=.*[A-Za-z])[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def _looks_like_host(host: str) -> bool:
    """A DNS name with a dot, localhost, or an IP address: shown; anything else is a token."""
    if host.lower() == "localhost" or _HOSTNAME.fullmatch(host):
        return True
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _split(url: str) -> tuple[str, str, str, str, str, str]:
    """(scheme, userinfo, host_port, host, path, query) without urlsplit's port validation."""
    scheme, userinfo, after = split_userinfo(url, to_last_at=False)
    match = re.match(r"([^/?#]*)([^?#]*)(?:\?([^#]*))?", after)
    if not scheme or match is None:
        return "", "", "", "", "", ""
    host_port, path, query = match.group(1), match.group(2), match.group(3)
    host = re.sub(r":\d*$", "", host_port) if not host_port.startswith("[") else host_port
    return scheme, userinfo or "", host_port, host, path, query or ""


def secret_fragments(url: str) -> list[str]:
    """Every substring of `url` that must not appear in output, longest first.

    Includes the whole URL, the username and password, the host when it is not a real host
    name (tokens live there in many apprise schemas), each path segment and each query value,
    both as written and percent-decoded.
    """
    url = url.strip()
    if not url:
        return []
    found = {url}
    scheme, userinfo, _, host, path, query = _split(url)
    if not scheme:
        return [url]
    if userinfo:
        user, _, password = userinfo.partition(":")
        found.update(p for p in (userinfo, password) if len(p) >= MIN_PASSWORD_FRAGMENT)
        if len(user) >= MIN_PATH_FRAGMENT:
            found.add(user)
    if host and not _looks_like_host(host):
        found.add(host)  # a token in the host position, like Telegram's `123456:ABC...`
        found.update(p for p in re.split(r"[:@]", host) if len(p) >= MIN_PATH_FRAGMENT)
    found.update(s for s in path.split("/") if len(s) >= MIN_PATH_FRAGMENT)
    if query:
        found.add(query)
        values = [v for _, v in parse_qsl(query, keep_blank_values=False)]
        found.update(v for v in values if len(v) >= MIN_PASSWORD_FRAGMENT)
    decoded = {unquote(f) for f in found}
    whole = found | decoded
    # apprise's privacy forms of a secret in its own log lines: "p...d" (first and last
    # character) and "...abcd" (the last four)
    bare = [f for f in whole if "://" not in f and len(f) >= 3]
    partial = {f"{f[0]}...{f[-1]}" for f in bare} | {f"...{f[-4:]}" for f in bare if len(f) >= 8}
    return sorted(whole | partial, key=lambda f: (-len(f), f))


def fragments_of(urls: Iterable[str]) -> list[str]:
    """The union of `secret_fragments` over several URLs, longest first."""
    found: set[str] = set()
    for url in urls:
        found.update(secret_fragments(url))
    return sorted(found, key=lambda f: (-len(f), f))


def redact(text: str, fragments: Iterable[str]) -> str:
    """`text` with every fragment that stands as a whole token replaced by `***`.

    Longest fragments first. A fragment inside a longer word (`fail` in `failed`) is kept.
    """
    for fragment in sorted(set(fragments), key=len, reverse=True):
        if fragment and fragment in text:
            text = _token_pattern(fragment).sub(MASK, text)
    return redact_headers(text)


def redact_headers(text: str) -> str:
    """`text` with the credentials of any `Authorization: Basic|Bearer ...` header `***`."""
    return _AUTH_HEADER.sub(rf"\g<1>{MASK}", text) if "uthoriz" in text.lower() else text


@functools.lru_cache(maxsize=256)
def _token_pattern(fragment: str) -> re.Pattern[str]:
    """`fragment` as a whole token: word boundaries only where its own edge is a word char."""
    before = _BEFORE if re.match(rf"[{_WORD}]", fragment[0]) else ""
    after = _AFTER if re.match(rf"[{_WORD}]", fragment[-1]) else ""
    return re.compile(before + re.escape(fragment) + after)


def redacted_url(url: str) -> str:
    """A printable form of an alert URL: scheme and real host kept, every secret part `***`.

    `tgram://TOKEN/CHAT` -> `tgram://***/***`; `mailto://me:pw@gmail.com` ->
    `mailto://***@gmail.com`; `json://127.0.0.1:8000/hook?k=v` -> `json://127.0.0.1:8000/***?***`.
    Text that is not a URL at all becomes `***`.
    """
    scheme, userinfo, host_port, host, path, query = _split(url.strip())
    if not scheme:
        return MASK
    shown = f"{scheme}://"
    if userinfo:
        shown += f"{MASK}@"
    if host:
        shown += host_port if _looks_like_host(host) else MASK
    if path.strip("/"):
        shown += f"/{MASK}"
    if query:
        shown += f"?{MASK}"
    return shown


def without_credentials(url: str) -> str:
    """A printable form of a service URL such as a WebDriver Grid's: host, port and path kept,
    the `user:password@` part and any query `***`.

    `http://user:pw@grid:4444/wd/hub` -> `http://***@grid:4444/wd/hub`. Everything up to the
    last `@` counts as credentials (a password may hold `/`, `?` or `@`), so an `@` later in
    the URL hides more, never less. Text that is not a URL at all becomes `***`.
    """
    scheme, userinfo, after = split_userinfo(url)
    if not scheme:
        return MASK
    address, question, _ = after.partition("?")
    address = address.partition("#")[0]
    at = MASK + "@" if userinfo is not None else ""
    return f"{scheme}://{at}{address}{'?' + MASK if question else ''}"
