"""Browser adapter pieces without a browser: driver resolution, exception translation,
profile locks, attach address policy, URL matching, backoff-free CLI parsing."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
from pathlib import Path

import pytest
import urllib3.exceptions
from selenium.common import exceptions as se

from watchdog.adapters.browser import same_notebook
from watchdog.adapters.browser.attach import parse_attach_address
from watchdog.adapters.browser.driver import resolve_chromedriver
from watchdog.adapters.browser.profile import clean_stale_locks, ensure_profile_dir
from watchdog.adapters.browser.translate import translate, translating
from watchdog.errors import (
    BrowserLost,
    BrowserUnavailable,
    ConfigError,
    PageScriptError,
    PageUnreachable,
    TabLost,
)


def exe(path: Path) -> str:
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return str(path)


def never(*_: object) -> None:
    raise AssertionError("must not be called")


# -- driver resolution ---------------------------------------------------------------------


def test_explicit_driver_wins_and_must_be_executable(tmp_path: Path) -> None:
    explicit = exe(tmp_path / "mydriver")
    env = {"SE_CHROMEDRIVER": exe(tmp_path / "envdriver"), "PATH": str(tmp_path)}
    found = resolve_chromedriver(explicit, env, selenium_manager=never)
    assert (found.path, found.source) == (explicit, "WATCHDOG_CHROMEDRIVER")
    with pytest.raises(ConfigError, match="WATCHDOG_CHROMEDRIVER='/nope'"):
        resolve_chromedriver("/nope", env)


def test_se_chromedriver_wins_over_path_and_says_so(tmp_path: Path) -> None:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    exe(bindir / "chromedriver")
    env = {"SE_CHROMEDRIVER": exe(tmp_path / "envdriver"), "PATH": str(bindir)}
    found = resolve_chromedriver(None, env, selenium_manager=never)
    assert found.path == env["SE_CHROMEDRIVER"] and "SE_CHROMEDRIVER" in found.source


def test_path_then_selenium_manager_then_download_only_when_allowed(tmp_path: Path) -> None:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    on_path = exe(bindir / "chromedriver")
    assert resolve_chromedriver(None, {"PATH": str(bindir)}, selenium_manager=never).path == on_path
    empty = {"PATH": str(tmp_path / "empty")}
    cached = exe(tmp_path / "cached")
    found = resolve_chromedriver(None, empty, selenium_manager=lambda _b: cached)
    assert found.path == cached and "offline" in found.source
    downloads: list[int] = []

    def download() -> str:
        downloads.append(1)
        return cached

    with pytest.raises(BrowserUnavailable) as info:
        resolve_chromedriver(
            None, empty, selenium_manager=lambda _b: None, webdriver_manager=download
        )
    assert downloads == []  # never downloads unless allowed
    assert "apt-get install chromium chromium-driver" in str(info.value)
    assert "WATCHDOG_REMOTE_URL" in str(info.value)
    found = resolve_chromedriver(
        None,
        empty,
        allow_download=True,
        selenium_manager=lambda _b: None,
        webdriver_manager=download,
    )
    assert downloads == [1] and found.source == "webdriver-manager download"


# -- exception translation ----------------------------------------------------------------


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


# -- profile and locks ---------------------------------------------------------------------


def test_profile_dir_is_created_private(tmp_path: Path) -> None:
    profile = ensure_profile_dir(tmp_path / "a" / "profile")
    assert stat.S_IMODE(profile.stat().st_mode) == 0o700


def _lock(profile: Path, host: str, pid: int) -> None:
    profile.mkdir(exist_ok=True)
    (profile / "SingletonLock").symlink_to(f"{host}-{pid}")
    (profile / "SingletonSocket").symlink_to("/tmp/nonexistent-socket")
    (profile / "SingletonCookie").symlink_to("12345")


def test_stale_lock_of_a_dead_browser_is_removed(tmp_path: Path) -> None:
    profile = tmp_path / "p"
    dead = subprocess.Popen(["true"])
    dead.wait()
    _lock(profile, socket.gethostname(), dead.pid)
    assert clean_stale_locks(profile) is True
    assert not any(profile.iterdir())
    assert clean_stale_locks(profile) is False


def test_lock_of_a_live_browser_fails_loudly(tmp_path: Path) -> None:
    fake_chromium = tmp_path / "chromium"
    fake_chromium.write_bytes(Path("/bin/sleep").read_bytes())
    fake_chromium.chmod(0o755)
    proc = subprocess.Popen([str(fake_chromium), "30"])
    try:
        profile = tmp_path / "p"
        _lock(profile, socket.gethostname(), proc.pid)
        with pytest.raises(BrowserUnavailable, match=f"pid {proc.pid}"):
            clean_stale_locks(profile)
        assert (profile / "SingletonLock").is_symlink()
    finally:
        proc.kill()
        proc.wait()


def test_lock_owned_by_a_live_non_browser_pid_is_stale(tmp_path: Path) -> None:
    profile = tmp_path / "p"
    _lock(profile, socket.gethostname(), os.getpid())  # pytest is not a browser: pid reused
    assert clean_stale_locks(profile) is True


# -- attach address, URL matching ------------------------------------------------------------


def test_attach_address_policy() -> None:
    assert parse_attach_address("127.0.0.1:9222", allow_remote=False) == ("127.0.0.1", 9222)
    assert parse_attach_address("localhost:9222", allow_remote=False)[1] == 9222
    assert parse_attach_address("[::1]:9222", allow_remote=False) == ("::1", 9222)
    with pytest.raises(ConfigError, match="not a loopback"):
        parse_attach_address("192.168.1.5:9222", allow_remote=False)
    assert parse_attach_address("192.168.1.5:9222", allow_remote=True)[0] == "192.168.1.5"
    with pytest.raises(ConfigError, match="invalid"):
        parse_attach_address("9222", allow_remote=False)


def test_same_notebook() -> None:
    nb = "https://colab.research.google.com/drive/1abc"
    assert same_notebook(nb + "#scrollTo=x", nb)
    assert same_notebook(nb + "?authuser=1", nb)
    assert not same_notebook("https://colab.research.google.com/drive/2def", nb)
    assert not same_notebook("https://accounts.google.com/ServiceLogin", nb)
    sim = "http://127.0.0.1:8000/notebook/a?era=2019&idle=5"
    assert same_notebook(sim, sim)
    assert not same_notebook("http://127.0.0.1:8000/notebook/a?era=2025&idle=5", sim)
