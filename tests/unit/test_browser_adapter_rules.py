"""Browser adapter rules that need no browser, process or socket: driver resolution order,
exception translation, the private profile folder, notebook URL matching. The parts with
real processes, sockets and locks: tests/daemon/test_adapter_unit.py."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
import urllib3.exceptions
from selenium.common import exceptions as se

from watchdog.adapters.browser import same_notebook
from watchdog.adapters.browser.driver import resolve_chromedriver
from watchdog.adapters.browser.profile import ensure_profile_dir
from watchdog.adapters.browser.translate import translate, translating
from watchdog.core.host import Host
from watchdog.errors import (
    BrowserLost,
    BrowserUnavailable,
    ConfigError,
    PageScriptError,
    PageUnreachable,
    TabLost,
)

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="the driver stand-ins are sh scripts found on PATH"
)


def exe(path: Path, code: int = 0) -> str:
    path.write_text(f"#!/bin/sh\nexit {code}\n")
    path.chmod(0o755)
    return str(path)


def never(*_: object) -> None:
    raise AssertionError("must not be called")


def linux(env: dict[str, str]) -> Host:
    return Host("linux", env, "/home/ana")


def test_explicit_driver_wins_and_must_be_executable(tmp_path: Path) -> None:
    explicit = exe(tmp_path / "mydriver")
    env = {"SE_CHROMEDRIVER": exe(tmp_path / "envdriver"), "PATH": str(tmp_path)}
    found = resolve_chromedriver(explicit, linux(env), selenium_manager=never)
    assert (found.path, found.source) == (explicit, "WATCHDOG_CHROMEDRIVER")
    with pytest.raises(ConfigError, match="WATCHDOG_CHROMEDRIVER='/nope'"):
        resolve_chromedriver("/nope", linux(env))


def test_se_chromedriver_wins_over_path_and_says_so(tmp_path: Path) -> None:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    exe(bindir / "chromedriver")
    env = {"SE_CHROMEDRIVER": exe(tmp_path / "envdriver"), "PATH": str(bindir)}
    found = resolve_chromedriver(None, linux(env), selenium_manager=never)
    assert found.path == env["SE_CHROMEDRIVER"] and "SE_CHROMEDRIVER" in found.source


def test_path_then_selenium_manager_then_download_unless_forbidden(tmp_path: Path) -> None:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    on_path = exe(bindir / "chromedriver")
    found = resolve_chromedriver(None, linux({"PATH": str(bindir)}), selenium_manager=never)
    assert found.path == on_path
    empty = linux({"PATH": str(tmp_path / "empty")})
    cached = exe(tmp_path / "cached")
    found = resolve_chromedriver(
        None, empty, selenium_manager=lambda _b, offline: cached if offline else None
    )
    assert found.path == cached and "offline" in found.source
    downloads: list[int] = []

    def download() -> str:
        downloads.append(1)
        return cached

    with pytest.raises(BrowserUnavailable) as info:
        resolve_chromedriver(
            None,
            empty,
            allow_download=False,
            selenium_manager=lambda _b, offline: None if offline else never(),
            webdriver_manager=download,
        )
    assert downloads == []  # WATCHDOG_ALLOW_DRIVER_DOWNLOAD=false: never downloads
    assert "apt-get install chromium chromium-driver" in str(info.value)
    assert "WATCHDOG_REMOTE_URL" in str(info.value)
    found = resolve_chromedriver(
        None, empty, selenium_manager=lambda _b, _o: None, webdriver_manager=download
    )
    assert downloads == [1] and found.source == "webdriver-manager download"


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (se.InvalidSessionIdException("invalid session id"), BrowserLost),
        (urllib3.exceptions.MaxRetryError(None, "/session", "refused"), BrowserLost),
        (urllib3.exceptions.ReadTimeoutError(None, "/session", "read timed out"), BrowserLost),
        (ConnectionRefusedError(111, "refused"), BrowserLost),
        (se.WebDriverException("chrome not reachable"), BrowserLost),
        (se.NoSuchWindowException("no such window"), TabLost),
        (
            se.WebDriverException("unknown error: net::ERR_CONNECTION_REFUSED\n  (Session info)"),
            PageUnreachable,
        ),
        (se.WebDriverException("unknown error: net::ERR_NAME_NOT_RESOLVED"), PageUnreachable),
        (se.JavascriptException("ReferenceError: x"), PageScriptError),
        (se.TimeoutException("script timeout"), PageScriptError),
        (se.SessionNotCreatedException("user data dir in use"), BrowserUnavailable),
        (se.NoSuchDriverException("no driver"), BrowserUnavailable),
    ],
)
def test_translation_table(exc: Exception, expected: type[Exception]) -> None:
    translated = translate(exc, "ticking X")
    assert type(translated) is expected
    assert "ticking X" in str(translated)
    with pytest.raises(expected) as info, translating("ticking X"):
        raise exc
    assert info.value.__cause__ is exc


def test_translating_lets_non_browser_errors_through() -> None:
    with pytest.raises(KeyError), translating("x"):
        raise KeyError("bug")


def test_profile_dir_is_created_private(tmp_path: Path) -> None:
    profile = ensure_profile_dir(tmp_path / "a" / "profile")
    assert stat.S_IMODE(profile.stat().st_mode) == 0o700


def test_same_notebook() -> None:
    nb = "https://colab.research.google.com/drive/1abc"
    assert same_notebook(nb + "#scrollTo=x", nb)
    assert same_notebook(nb + "?authuser=1", nb)
    assert not same_notebook("https://colab.research.google.com/drive/2def", nb)
    assert not same_notebook("https://accounts.google.com/ServiceLogin", nb)
    sim = "http://127.0.0.1:8000/notebook/a?era=2019&idle=5"
    assert same_notebook(sim, sim)
    assert not same_notebook("http://127.0.0.1:8000/notebook/a?era=2025&idle=5", sim)
