"""Notebook URL validation, the Colab host check and GitHub -> Colab links."""

from __future__ import annotations

import pytest

from watchdog.core.urls import (
    github_to_colab,
    is_colab_host,
    is_loopback_host,
    parse_attach_address,
    split_credentials,
    split_userinfo,
    validate_notebook_url,
)


@pytest.mark.parametrize(
    "url",
    [
        "https://colab.research.google.com/drive/1AbC",
        "http://127.0.0.1:8765/colab?era=2025",
        "https://example.org/notebook#cell",
        "HTTPS://COLAB.RESEARCH.GOOGLE.COM/drive/x",
        "http://[::1]:8000/x",
    ],
)
def test_validate_accepts_http_urls(url: str) -> None:
    assert validate_notebook_url(f"  {url} ") == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://host/nb", "scheme 'ftp'"),
        ("file:///etc/passwd", "scheme 'file'"),
        ("javascript:alert(1)", "scheme 'javascript'"),
        ("colab.research.google.com/drive/x", "no scheme"),
        ("https://", "no host"),
        ("http:///path", "no host"),
        ("http://host:99999/x", "bad port"),
        ("http://host:abc/x", "bad port"),
        ("https://colab.research.google.com/drive/a b", "contains spaces"),
        ("", "empty"),
    ],
)
def test_validate_rejects_with_a_reason(url: str, reason: str) -> None:
    with pytest.raises(ValueError) as info:
        validate_notebook_url(url)
    assert reason in str(info.value)
    assert "http(s)" in str(info.value)


@pytest.mark.parametrize(
    ("url", "colab"),
    [
        ("https://colab.research.google.com/drive/x", True),
        ("https://Colab.Research.Google.com:443/x", True),
        ("http://127.0.0.1:8000/colab", False),
        ("https://colab.research.google.com.evil.example/x", False),
        ("https://evil.example/colab.research.google.com", False),
        ("not a url", False),
    ],
)
def test_is_colab_host(url: str, colab: bool) -> None:
    assert is_colab_host(url) is colab


@pytest.mark.parametrize(
    ("github", "colab"),
    [
        (
            "https://github.com/OWNER/REPO/blob/BRANCH/path.ipynb",
            "https://colab.research.google.com/github/OWNER/REPO/blob/BRANCH/path.ipynb",
        ),
        (
            "https://github.com/o-w.n/re_po/blob/main/deep/dir/nb.ipynb?plain=1#L3",
            "https://colab.research.google.com/github/o-w.n/re_po/blob/main/deep/dir/nb.ipynb",
        ),
        (
            "http://www.github.com/a/b/blob/feature/x/nb.IPYNB",
            "https://colab.research.google.com/github/a/b/blob/feature/x/nb.IPYNB",
        ),
        (
            "https://raw.githubusercontent.com/a/b/main/nb.ipynb",
            "https://colab.research.google.com/github/a/b/blob/main/nb.ipynb",
        ),
        (
            "https://colab.research.google.com/github/a/b/blob/main/nb.ipynb",
            "https://colab.research.google.com/github/a/b/blob/main/nb.ipynb",
        ),
    ],
)
def test_github_to_colab(github: str, colab: str) -> None:
    assert github_to_colab(github) == colab


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://github.com/a/b", "not a GitHub notebook link"),
        ("https://github.com/a/b/tree/main/nb.ipynb", "not a GitHub notebook link"),
        ("https://github.com/a/b/blob/main/README.md", "does not point at a .ipynb"),
        ("https://gitlab.com/a/b/blob/main/nb.ipynb", "not a GitHub notebook link"),
        ("github.com/a/b/blob/main/nb.ipynb", "no scheme"),
        ("https://github.com/a%20b/c/blob/main/nb.ipynb", "bad owner"),
    ],
)
def test_github_to_colab_rejects(url: str, reason: str) -> None:
    with pytest.raises(ValueError) as info:
        github_to_colab(url)
    assert reason in str(info.value)
    assert "github.com/OWNER/REPO/blob/BRANCH/path.ipynb" in str(info.value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://grid:4444", ("http://grid:4444", None, None)),
        ("http://u:pw@grid:4444/wd/hub", ("http://grid:4444/wd/hub", "u", "pw")),
        ("http://u:p%40s%2Fs@grid:4444", ("http://grid:4444", "u", "p@s/s")),
        ("http://u:p@s@grid:4444", ("http://grid:4444", "u", "p@s")),  # last @ ends it
        ("https://token@grid", ("https://grid", "token", "")),
        ("not a url @ all", ("not a url @ all", None, None)),
    ],
)
def test_split_credentials(url: str, expected: tuple[str, str | None, str | None]) -> None:
    assert split_credentials(url) == expected


# -- the user:password part: one rule, two readings ---------------------------------------


@pytest.mark.parametrize(
    ("url", "greedy", "by_syntax"),
    [
        ("http://grid:4444/wd/hub", ("http", None, "grid:4444/wd/hub"), None),
        ("http://u:pw@grid:4444", ("http", "u:pw", "grid:4444"), None),
        ("  http://u:pw@grid  ", ("http", "u:pw", "grid"), None),
        ("http://@grid", ("http", "", "grid"), None),
        # a password with unencoded / ? @: up to the last @ when people typed it ...
        ("http://u:pa/ss?x@grid:4444", ("http", "u:pa/ss?x", "grid:4444"), ("http", None, "")),
        # ... and by URL syntax for apprise URLs, whose query may hold e-mail addresses
        (
            "mailto://me:pw@gmail.com?to=b@c.d",
            ("mailto", "me:pw@gmail.com?to=b", "c.d"),
            ("mailto", "me:pw", "gmail.com?to=b@c.d"),
        ),
        ("not a url @ all", ("", None, "not a url @ all"), None),
        ("user:pw@grid:4444", ("", None, "user:pw@grid:4444"), None),
        ("1http://u:p@h", ("", None, "1http://u:p@h"), None),
    ],
)
def test_split_userinfo(
    url: str,
    greedy: tuple[str, str | None, str],
    by_syntax: tuple[str, str | None, str] | None,
) -> None:
    assert split_userinfo(url) == greedy
    if by_syntax is None:
        assert split_userinfo(url, to_last_at=False) == greedy
    elif by_syntax != ("http", None, ""):
        assert split_userinfo(url, to_last_at=False) == by_syntax


def test_split_userinfo_by_syntax_stops_at_the_path() -> None:
    assert split_userinfo("http://u:pa/ss?x@grid:4444", to_last_at=False) == (
        "http",
        None,
        "u:pa/ss?x@grid:4444",
    )


# -- attach addresses: one rule, one wording ------------------------------------------------


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("127.0.0.1:9222", ("127.0.0.1", 9222)),
        (" localhost:9222 ", ("localhost", 9222)),
        ("[::1]:9222", ("::1", 9222)),
        ("127.1.2.3:1", ("127.1.2.3", 1)),
    ],
)
def test_parse_attach_address_accepts_loopback(address: str, expected: tuple[str, int]) -> None:
    assert parse_attach_address(address, allow_remote=False) == expected


@pytest.mark.parametrize(
    "address", ["9222", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", "a b:9222", "::1:9222", ""]
)
def test_parse_attach_address_rejects_what_is_not_host_port(address: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_attach_address(address, allow_remote=True, name="--attach")
    assert (
        str(info.value)
        == f"--attach={address!r}: use HOST:PORT of a Chrome debugging port, such as 127.0.0.1:9222"
    )


@pytest.mark.parametrize("address", ["10.0.0.1:9222", "example.com:9222", "[2001:db8::1]:9222"])
def test_parse_attach_address_refuses_remote_hosts_unless_allowed(address: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_attach_address(address, allow_remote=False)
    message = str(info.value)
    assert message.startswith(f"--attach/WATCHDOG_ATTACH_ADDRESS={address!r} is not a loopback")
    assert "--allow-remote-attach (WATCHDOG_ALLOW_REMOTE_ATTACH=true)" in message
    assert parse_attach_address(address, allow_remote=True)[1] == 9222


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("LOCALHOST", True),
        ("[::1]", True),
        ("::1", True),
        ("10.0.0.1", False),
        ("example.com", False),
    ],
)
def test_is_loopback_host(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback
