"""Notebook URLs: validation, the Colab host check, and GitHub -> Colab links. Pure.

validate_notebook_url(" https://colab.research.google.com/drive/1abc ")
    -> "https://colab.research.google.com/drive/1abc"
is_colab_host("https://colab.research.google.com/drive/1abc")  -> True
github_to_colab("https://github.com/OWNER/REPO/blob/main/nb.ipynb")
    -> "https://colab.research.google.com/github/OWNER/REPO/blob/main/nb.ipynb"
github_to_colab("https://gist.github.com/USER/ID")
    -> "https://colab.research.google.com/gist/USER/ID"
split_credentials("http://user:p%40ss@grid:4444/wd/hub")
    -> ("http://grid:4444/wd/hub", "user", "p@ss")
parse_attach_address("127.0.0.1:9222", allow_remote=False)  -> ("127.0.0.1", 9222)
is_sign_in_url("https://accounts.google.com/v3/signin/identifier?continue=...")  -> True
place("https://accounts.google.com/ServiceLogin?continue=...")
    -> "https://accounts.google.com/ServiceLogin"
normalize("HTTP://ÜBUNG.example:80/a/./b/ü?x=1#top")
    -> "http://xn--bung-zra.example/a/b/%C3%BC?x=1"
same_notebook("http://127.0.0.1:8/n/%C3%BC#scrollTo=x", "http://2130706433:8/n/ü?usp=sharing")
    -> True
"""

from __future__ import annotations

import ipaddress
import posixpath
import re
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

COLAB_HOST = "colab.research.google.com"

NOTEBOOK_URL_ACCEPTED = (
    "an http(s) URL with a host, such as https://colab.research.google.com/drive/ID "
    "(or the simulated Colab's http://127.0.0.1:PORT/...)"
)
GITHUB_URL_ACCEPTED = (
    "a GitHub notebook link such as https://github.com/OWNER/REPO/blob/BRANCH/path.ipynb "
    "(or its raw.githubusercontent.com form), or a gist https://gist.github.com/USER/ID"
)

# Where Google sends a signed-out browser. The simulated Colab's sign-in page is recognised by
# its structure instead (see js/engine.js cwSignInPage), as the real page is too.
SIGN_IN_HOSTS = frozenset({"accounts.google.com"})
PLACE_LIMIT = 200
MAX_URL_LENGTH = 8192  # one bad value must not write megabytes of errors
# Query parameters Colab adds or drops by itself: never a sign that the tab navigated away.
COLAB_OWN_PARAMS = frozenset({"usp", "authuser", "pli", "hl", "ouid"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters a browser leaves as they are in a path (RFC 3986 pchar and "/"); the rest it
# percent-encodes as UTF-8.
_PATH_SAFE = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/%"
)
_PERCENT = re.compile(r"%([0-9a-fA-F]{2})")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
_ATTACH = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})")
ATTACH_ADDRESS_ACCEPTED = "HOST:PORT of a Chrome debugging port, such as 127.0.0.1:9222"

_GITHUB_HOSTS = {"github.com", "www.github.com"}
_RAW_HOST = "raw.githubusercontent.com"
_GIST_HOST = "gist.github.com"
_NAME = re.compile(r"[A-Za-z0-9._-]+")


def _split_http(text: str, accepted: str) -> tuple[str, SplitResult]:
    url = text.strip() if isinstance(text, str) else ""
    if not url:
        raise ValueError(f"empty URL: use {accepted}")
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"{too_long(url)}: use {accepted}")
    if any(ch.isspace() for ch in url):
        raise ValueError(f"{url!r} contains spaces: use {accepted}")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        shown = f"scheme {parts.scheme!r}" if parts.scheme else "no scheme"
        raise ValueError(f"{url!r} has {shown}: use {accepted}")
    try:
        host = parts.hostname
        _ = parts.port  # raises ValueError for a port out of range or not a number
    except ValueError:
        raise ValueError(f"{url!r} has a bad port: use {accepted}") from None
    if not host:
        raise ValueError(f"{url!r} has no host: use {accepted}")
    return url, parts


def validate_notebook_url(text: str) -> str:
    """Return the notebook URL, trimmed, when it is an http(s) URL with a host.

    Any host is accepted (the simulated Colab runs on 127.0.0.1); use `is_colab_host` to warn
    about others. Raises ValueError naming the bad text and what is accepted.
    """
    url, _ = _split_http(text, NOTEBOOK_URL_ACCEPTED)
    return url


def is_colab_host(url: str) -> bool:
    """True when `url` points at Colab itself (colab.research.google.com), any scheme or port."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return False
    return host is not None and host.lower() == COLAB_HOST


def short_id(url: str, width: int = 8) -> str:
    """A short name for a notebook URL, to tell notebooks with the same title apart: its
    last path segment (a Drive id, a file name without `.ipynb`) cut to `width`
    characters, or the host when there is no path."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url[:width]
    segments = [s for s in parts.path.split("/") if s]
    name = segments[-1] if segments else parts.hostname or url
    name = name.removesuffix(".ipynb")
    return name[:width]


def notebook_labels(entries: list[tuple[str, str | None]], width: int = 24) -> list[str]:
    """One readable label per (url, title): the title without Colab's " - Colab" suffix,
    with `[short id]` when titles repeat or there is none; cut to `width` characters."""
    titles = [(t or "").removesuffix(" - Colab").removesuffix(".ipynb").strip() for _, t in entries]
    labels = []
    for (url, _), title in zip(entries, titles, strict=True):
        repeated = titles.count(title) > 1 or not title
        label = f"{title} [{short_id(url)}]".strip() if repeated else title
        labels.append(label if len(label) <= width else label[: width - 3] + "...")
    return labels


def is_github_host(url: str) -> bool:
    """True when `url` points at GitHub (github.com, gist.github.com, raw files)."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return False
    return host in _GITHUB_HOSTS or host in (_RAW_HOST, _GIST_HOST)


def github_to_colab(text: str) -> str:
    """Return the Colab link that opens the GitHub notebook `text`.

    Accepts `https://github.com/OWNER/REPO/blob/BRANCH/path.ipynb` (BRANCH may contain
    slashes; query and fragment are dropped), the `raw.githubusercontent.com/OWNER/REPO/BRANCH/
    path.ipynb` form, a gist `https://gist.github.com/USER/ID` (-> `.../gist/USER/ID`), and an
    existing Colab GitHub or gist link (returned unchanged).
    Raises ValueError naming the bad text and what is accepted.
    """
    url, parts = _split_http(text, GITHUB_URL_ACCEPTED)
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host == COLAB_HOST and segments[:1] in (["github"], ["gist"]):
        return url
    if host == _GIST_HOST:
        if len(segments) < 2 or not all(_NAME.fullmatch(s) for s in segments[:2]):
            raise ValueError(f"{url!r} is not a gist link: use {GITHUB_URL_ACCEPTED}")
        return f"https://{COLAB_HOST}/gist/{segments[0]}/{segments[1]}"
    if host in _GITHUB_HOSTS and len(segments) >= 5 and segments[2] == "blob":
        owner, repo, rest = segments[0], segments[1], segments[3:]
    elif host == _RAW_HOST and len(segments) >= 4:
        owner, repo, rest = segments[0], segments[1], segments[2:]
    else:
        raise ValueError(f"{url!r} is not a GitHub notebook link: use {GITHUB_URL_ACCEPTED}")
    if not (_NAME.fullmatch(owner) and _NAME.fullmatch(repo)):
        raise ValueError(f"{url!r} has a bad owner or repository name: use {GITHUB_URL_ACCEPTED}")
    if not rest[-1].lower().endswith(".ipynb"):
        raise ValueError(f"{url!r} does not point at a .ipynb file: use {GITHUB_URL_ACCEPTED}")
    return f"https://{COLAB_HOST}/github/{owner}/{repo}/blob/{'/'.join(rest)}"


def split_userinfo(url: str, *, to_last_at: bool = True) -> tuple[str, str | None, str]:
    """`scheme://userinfo@rest` -> (scheme, userinfo as written, rest), with surrounding spaces
    dropped; userinfo None when there is no `@`. ("", None, url) when `url` is not
    `scheme://...`. The one place that finds the `user:password` part of a URL.

    to_last_at=True, for service URLs people type (a WebDriver Grid's): everything up to the
    last `@` is the userinfo, since a password may hold `/`, `?` or `@` unencoded; a stray `@`
    later in the URL hides more, never less. to_last_at=False, as URL syntax reads it (apprise
    URLs, whose query may hold an e-mail address): the userinfo ends at the last `@` before
    the first `/`, `?` or `#`.
    """
    text = url.strip()
    match = _SCHEME.match(text)
    if match is None:
        return "", None, url
    rest = text[match.end() :]
    if not to_last_at:
        end = next((i for i, ch in enumerate(rest) if ch in "/?#"), len(rest))
        userinfo, at, host = rest[:end].rpartition("@")
        return match.group(1), (userinfo if at else None), host + rest[end:]
    userinfo, at, after = rest.rpartition("@")
    return match.group(1), (userinfo if at else None), after


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """(url without `user:password@`, user, password), both percent-decoded; (url, None, None)
    when it has none. Everything up to the last `@` is the user part (see split_userinfo)."""
    scheme, userinfo, address = split_userinfo(url)
    if userinfo is None:
        return url, None, None
    user, _, password = userinfo.partition(":")
    return f"{scheme}://{address}", unquote(user), unquote(password)


def parse_attach_address(
    text: str, *, allow_remote: bool, name: str = "--attach/WATCHDOG_ATTACH_ADDRESS"
) -> tuple[str, int]:
    """(host, port) of a Chrome debugging address `HOST:PORT` (IPv6 in brackets), host
    without brackets. Refuses a host that is not loopback unless `allow_remote`.

    Raises ValueError naming `name` and the value: not HOST:PORT (what is accepted), or not a
    loopback address (why it is refused and the two ways out).
    """
    address = text.strip() if isinstance(text, str) else ""
    match = _ATTACH.fullmatch(address)
    if match is None or not 0 < int(match.group(2)) < 65536:
        raise ValueError(f"{name}={text!r}: use {ATTACH_ADDRESS_ACCEPTED}")
    host = match.group(1).strip("[]")
    if not allow_remote and not is_loopback_host(host):
        raise ValueError(
            f"{name}={address!r} is not a loopback address: the debugging port gives full "
            "control of the browser profile; use 127.0.0.1:PORT (an SSH tunnel for a remote "
            "machine), or pass --allow-remote-attach (WATCHDOG_ALLOW_REMOTE_ATTACH=true)"
        )
    return host, int(match.group(2))


def is_loopback_host(host: str) -> bool:
    """True for `localhost` and loopback IPs (127.0.0.0/8, ::1; brackets allowed)."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def too_long(url: str) -> str:
    """The one-line reason for a URL over MAX_URL_LENGTH (never the URL itself)."""
    return f"a URL of {len(url)} characters is longer than the {MAX_URL_LENGTH // 1024} KB limit"


def is_sign_in_url(url: str) -> bool:
    """True when `url` is on Google's sign-in host (accounts.google.com)."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return False
    return host is not None and host.lower() in SIGN_IN_HOSTS


def place(url: str) -> str:
    """Where a tab went, for people: the address without query, fragment or credentials
    (a sign-in page's `continue=` parameter is long and says nothing new), capped."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port is not None else ""
    except ValueError:
        return url[:PLACE_LIMIT]
    if not parts.scheme or not host:
        return url[:PLACE_LIMIT]
    return f"{parts.scheme}://{host}{port}{parts.path}"[:PLACE_LIMIT]


def normalize(url: str) -> str:
    """`url` as a browser shows it after loading, for comparing addresses (never for display).

    Lower-case scheme and host; an IDN host in its punycode (xn--) form; a numeric IPv4 host
    (2130706433, 0x7f.1, 127.1) dotted; the scheme's default port dropped; `.` and `..`
    path segments resolved; non-ASCII and other unsafe path characters percent-encoded as
    UTF-8 and every %xx upper-cased; the fragment dropped. The query is kept as it is.
    """
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = _ipv4(host) or _idna(host)
    if ":" in host:
        host = f"[{host}]"  # IPv6
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    path = _normal_path(parts.path)
    return f"{scheme}://{netloc}{path}" + (f"?{parts.query}" if parts.query else "")


def same_notebook(current: str, wanted: str) -> bool:
    """True when a tab at `current` still shows the notebook `wanted`.

    Both are normalised (see `normalize`); scheme and fragment never count, nor a trailing
    "/"; every query parameter of `wanted` must be present in `current`, except Colab's own
    (COLAB_OWN_PARAMS, e.g. usp=sharing), which Colab may add or drop.
    """
    c, w = urlsplit(normalize(current)), urlsplit(normalize(wanted))
    if (c.netloc, c.path.rstrip("/")) != (w.netloc, w.path.rstrip("/")):
        return False
    have = set(parse_qsl(c.query, keep_blank_values=True))
    need = {
        kv for kv in parse_qsl(w.query, keep_blank_values=True) if kv[0] not in COLAB_OWN_PARAMS
    }
    return need <= have


def _normal_path(path: str) -> str:
    if not path:
        return "/"
    resolved = posixpath.normpath(path) if "/." in path else path
    if resolved.startswith("//"):  # normpath keeps a leading "//"
        resolved = "/" + resolved.lstrip("/")
    if path.endswith("/") and not resolved.endswith("/"):
        resolved += "/"
    encoded = "".join(
        ch if ch in _PATH_SAFE else "".join(f"%{b:02X}" for b in ch.encode("utf-8"))
        for ch in resolved
    )
    return _PERCENT.sub(lambda m: "%" + m.group(1).upper(), encoded)


def _idna(host: str) -> str:
    """The host's ASCII (punycode) form, lower-case; unchanged when it cannot be encoded."""
    host = host.lower().rstrip(".")
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _ipv4(host: str) -> str | None:
    """A numeric IPv4 host in the forms browsers accept (decimal, 0x hex, 0 octal, 1 to 4
    parts, the last filling the remaining bytes) as a dotted quad; None if it is not one."""
    parts = host.rstrip(".").split(".")
    if not host or len(parts) > 4:
        return None
    numbers: list[int] = []
    for part in parts:
        try:
            if part[:2].lower() == "0x":
                numbers.append(int(part[2:] or "0", 16))
            elif len(part) > 1 and part.startswith("0"):
                numbers.append(int(part, 8))
            else:
                numbers.append(int(part, 10))
        except ValueError:
            return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        return None
    value = sum(n << (8 * (3 - i)) for i, n in enumerate(head)) + last
    return ".".join(str((value >> shift) & 255) for shift in (24, 16, 8, 0))
