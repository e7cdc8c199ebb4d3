"""Notebook URLs: validation, the Colab host check, and GitHub -> Colab links. Pure.

validate_notebook_url(" https://colab.research.google.com/drive/1abc ")
    -> "https://colab.research.google.com/drive/1abc"
is_colab_host("https://colab.research.google.com/drive/1abc")  -> True
github_to_colab("https://github.com/OWNER/REPO/blob/main/nb.ipynb")
    -> "https://colab.research.google.com/github/OWNER/REPO/blob/main/nb.ipynb"
split_credentials("http://user:p%40ss@grid:4444/wd/hub")
    -> ("http://grid:4444/wd/hub", "user", "p@ss")
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, unquote, urlsplit

COLAB_HOST = "colab.research.google.com"

NOTEBOOK_URL_ACCEPTED = (
    "an http(s) URL with a host, such as https://colab.research.google.com/drive/ID "
    "(or the simulated Colab's http://127.0.0.1:PORT/...)"
)
GITHUB_URL_ACCEPTED = (
    "a GitHub notebook link such as https://github.com/OWNER/REPO/blob/BRANCH/path.ipynb "
    "(or its raw.githubusercontent.com form)"
)

_GITHUB_HOSTS = {"github.com", "www.github.com"}
_RAW_HOST = "raw.githubusercontent.com"
_NAME = re.compile(r"[A-Za-z0-9._-]+")


def _split_http(text: str, accepted: str) -> tuple[str, SplitResult]:
    url = text.strip() if isinstance(text, str) else ""
    if not url:
        raise ValueError(f"empty URL: use {accepted}")
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


def github_to_colab(text: str) -> str:
    """Return the Colab link that opens the GitHub notebook `text`.

    Accepts `https://github.com/OWNER/REPO/blob/BRANCH/path.ipynb` (BRANCH may contain
    slashes; query and fragment are dropped), the `raw.githubusercontent.com/OWNER/REPO/BRANCH/
    path.ipynb` form, and an existing Colab GitHub link (returned unchanged).
    Raises ValueError naming the bad text and what is accepted.
    """
    url, parts = _split_http(text, GITHUB_URL_ACCEPTED)
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host == COLAB_HOST and segments[:1] == ["github"]:
        return url
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


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """(url without `user:password@`, user, password), both percent-decoded; (url, None, None)
    when it has none. As in core.redact.without_credentials, everything up to the last `@`
    is the user part (a password may hold `/`, `?` or `@`)."""
    scheme, sep, rest = url.partition("://")
    userinfo, at, address = rest.rpartition("@")
    if not sep or not at:
        return url, None, None
    user, _, password = userinfo.partition(":")
    return f"{scheme}://{address}", unquote(user), unquote(password)
