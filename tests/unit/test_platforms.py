"""Linux, macOS and Windows, from any OS: default paths, where browsers are searched, which
chromedriver is used, the stop signals, the Chromium flags and the attach command.

Every function under test takes the platform and environment as a `Host`; the filesystem is
a set of executable paths (`Files`) and Selenium Manager a recording fake, so these run on
Linux CI and still show what a Mac or a Windows laptop gets.
"""

from __future__ import annotations

import re
import signal
import sys
import threading
from pathlib import Path, PurePath

import platformdirs
import pytest

from watchdog.adapters.browser.config import CHROMIUM_FLAGS, COOKIE_KEY_FLAG, chromium_flags
from watchdog.adapters.browser.discovery import browser_candidates, find_browser
from watchdog.adapters.browser.driver import resolve_browser_binary, resolve_chromedriver
from watchdog.cli.commands.attach_command import build
from watchdog.cli.commands.login import browser_command
from watchdog.cli.main import main
from watchdog.cli.signals import from_keyboard, stop_on_signals, stop_signal_names, stop_signals
from watchdog.core.attach_command import posix_quote, powershell_quote
from watchdog.core.host import Host
from watchdog.errors import BrowserUnavailable, ConfigError
from watchdog.paths import APP_NAME, current_host, default_paths, paths_for

MAC = Host("darwin", {"PATH": "/usr/bin:/bin:/opt/homebrew/bin"}, "/Users/ana")
WIN = Host(
    "win32",
    {
        "Path": r"C:\Windows\system32;C:\Windows",
        "ProgramFiles": r"C:\Program Files",
        "ProgramFiles(x86)": r"C:\Program Files (x86)",
        "LOCALAPPDATA": r"C:\Users\Ana Maria\AppData\Local",
    },
    r"C:\Users\Ana Maria",
)
LINUX = Host("linux", {"PATH": "/usr/local/bin:/usr/bin"}, "/home/ana")
HOSTS = {"darwin": MAC, "win32": WIN, "linux": LINUX}

CHROME = {
    "darwin": "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "win32": r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    "linux": "/usr/bin/google-chrome",
}
DRIVER_ON_PATH = {
    "darwin": "/opt/homebrew/bin/chromedriver",
    "win32": r"C:\Windows\chromedriver.exe",
    "linux": "/usr/bin/chromedriver",
}
DOWNLOADED = {
    "darwin": "/Users/ana/.cache/selenium/chromedriver/mac-arm64/131.0/chromedriver",
    "win32": r"C:\Users\Ana Maria\.cache\selenium\chromedriver\win64\131.0\chromedriver.exe",
    "linux": "/home/ana/.cache/selenium/chromedriver/linux64/131.0/chromedriver",
}


class Files:
    """A fake filesystem: the set of executable files, and every path that was looked at."""

    def __init__(self, *executables: str) -> None:
        self.executables = set(executables)
        self.looked: list[str] = []

    def __call__(self, path: str) -> bool:
        self.looked.append(path)
        return path in self.executables


class Manager:
    """A Selenium Manager fake: `cache` is what it has offline, `online` what a download
    gives (None: offline). Records each call as (binary, offline)."""

    def __init__(self, cache: str | None = None, online: str | None = None) -> None:
        self.cache, self.online = cache, online
        self.calls: list[tuple[str | None, bool]] = []

    def __call__(self, binary: str | None, offline: bool) -> str | None:
        self.calls.append((binary, offline))
        return self.cache if offline else self.online


def no_browser_manager(_host: Host) -> None:
    return None


# -- paths -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "profile", "state", "logs"),
    [
        (
            "linux",
            "/home/ana/.local/share/colab-watchdog/profile",
            "/home/ana/.local/state/colab-watchdog/state.json",
            "/home/ana/.local/state/colab-watchdog/log",
        ),
        (
            "darwin",
            "/Users/ana/Library/Application Support/colab-watchdog/profile",
            "/Users/ana/Library/Application Support/colab-watchdog/state.json",
            "/Users/ana/Library/Logs/colab-watchdog",
        ),
        (
            "win32",
            r"C:\Users\Ana Maria\AppData\Local\colab-watchdog\profile",
            r"C:\Users\Ana Maria\AppData\Local\colab-watchdog\state.json",
            r"C:\Users\Ana Maria\AppData\Local\colab-watchdog\Logs",
        ),
    ],
)
def test_default_paths_per_os(platform: str, profile: str, state: str, logs: str) -> None:
    paths = paths_for(HOSTS[platform])
    assert (str(paths.profile_dir), str(paths.state_file), str(paths.log_dir)) == (
        profile,
        state,
        logs,
    )
    assert paths.attach_profile_dir.name == "attach-profile"
    assert paths.attach_profile_dir.parent == paths.profile_dir.parent


def test_linux_keeps_the_xdg_locations_when_set() -> None:
    host = Host("linux", {"XDG_DATA_HOME": "/data", "XDG_STATE_HOME": "/state"}, "/home/ana")
    paths = paths_for(host)
    assert str(paths.profile_dir) == "/data/colab-watchdog/profile"
    assert str(paths.state_file) == "/state/colab-watchdog/state.json"
    assert str(paths.log_dir) == "/state/colab-watchdog/log"


def test_windows_without_localappdata_falls_back_to_the_home_folder() -> None:
    host = Host("win32", {}, r"C:\Users\bo")
    assert str(paths_for(host).state_file) == r"C:\Users\bo\AppData\Local\colab-watchdog\state.json"


def test_the_rules_agree_with_platformdirs_on_this_os() -> None:
    """On each CI runner (Linux, macOS, Windows) the injected rules give what platformdirs
    gives for the real machine: the tests above then show the real paths of each OS."""
    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    computed = paths_for(current_host())
    assert Path(computed.profile_dir) == Path(dirs.user_data_dir) / "profile"
    assert Path(computed.state_file) == Path(dirs.user_state_dir) / "state.json"
    assert Path(computed.log_dir) == Path(dirs.user_log_dir)
    assert default_paths() == computed  # what the program uses (platformdirs off Linux)


# -- where browsers are searched -------------------------------------------------------------


def test_macos_searches_path_then_applications_folders() -> None:
    searched = [c.path for c in browser_candidates(MAC)]
    assert searched.index("/opt/homebrew/bin/google-chrome") < searched.index(CHROME["darwin"])
    for path in (
        CHROME["darwin"],
        "/Users/ana/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
        "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
        "/Applications/Brave Browser.app/Contents/MacOS/Brave Browser",
    ):
        assert path in searched


def test_windows_searches_program_files_and_localappdata() -> None:
    searched = [c.path for c in browser_candidates(WIN)]
    assert r"C:\Windows\chrome.exe" in searched  # PATH, split on ';'
    for path in (
        CHROME["win32"],
        r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
        r"C:\Users\Ana Maria\AppData\Local\Google\Chrome\Application\chrome.exe",
        r"C:\Users\Ana Maria\AppData\Local\Chromium\Application\chrome.exe",
        r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
        r"C:\Program Files\BraveSoftware\Brave-Browser\Application\brave.exe",
    ):
        assert path in searched
    names = [c.name for c in browser_candidates(WIN) if c.where == "standard location"]
    assert names.index("Google Chrome") < names.index("Microsoft Edge") < names.index("Brave")


def test_linux_searches_the_known_names_on_path_first() -> None:
    searched = [c.path for c in browser_candidates(LINUX)]
    assert searched[:2] == ["/usr/local/bin/chromium", "/usr/bin/chromium"]
    assert "/usr/bin/microsoft-edge" in searched and "/usr/bin/brave-browser" in searched
    assert "/opt/google/chrome/chrome" in searched


@pytest.mark.parametrize("platform", ["darwin", "win32", "linux"])
def test_the_installed_chrome_is_found(platform: str) -> None:
    files = Files(CHROME[platform])
    found = find_browser(HOSTS[platform], executable=files, selenium_manager=no_browser_manager)
    assert found is not None and found.path == CHROME[platform]
    assert found.name == "Google Chrome"


@pytest.mark.parametrize(
    ("platform", "edge"),
    [
        ("darwin", "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"),
        ("win32", r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"),
    ],
)
def test_edge_alone_is_found_too(platform: str, edge: str) -> None:
    found = find_browser(
        HOSTS[platform], executable=Files(edge), selenium_manager=no_browser_manager
    )
    assert found is not None and (found.name, found.path) == ("Microsoft Edge", edge)


@pytest.mark.parametrize("platform", ["darwin", "win32", "linux"])
def test_selenium_manager_is_the_fallback_browser_finder(platform: str) -> None:
    elsewhere = "/elsewhere/chrome"
    asked: list[Host] = []

    def manager(host: Host) -> str:
        asked.append(host)
        return elsewhere

    files = Files(elsewhere)
    found = find_browser(HOSTS[platform], executable=files, selenium_manager=manager)
    assert found is not None and (found.path, found.where) == (elsewhere, "Selenium Manager")
    assert asked == [HOSTS[platform]]
    assert len(files.looked) > 5  # every known place was tried first
    assert find_browser(HOSTS[platform], executable=Files(), selenium_manager=manager) is None


def test_an_explicit_browser_name_is_looked_up_on_path() -> None:
    files = Files("/usr/bin/chromium")
    assert resolve_browser_binary("chromium", LINUX, executable=files) == "/usr/bin/chromium"
    edge = r"C:\Windows\msedge.exe"
    assert resolve_browser_binary("msedge", WIN, executable=Files(edge)) == edge
    with pytest.raises(ConfigError, match="WATCHDOG_CHROME_BINARY='msedge'"):
        resolve_browser_binary("msedge", WIN, executable=Files())


@pytest.mark.usefixtures("clean_env")
def test_status_names_the_files_of_this_os(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status"]) == 1  # no daemon has written a state file yet
    out = capsys.readouterr().out
    paths = default_paths()
    assert f"state    {Path(paths.state_file)}" in out
    assert f"profile  {Path(paths.profile_dir)}" in out
    assert str(Path(paths.log_dir)) in out and "WATCHDOG_LOG_FILE" in out
    assert all(len(line) <= 80 for line in out.splitlines() if "colab-watchdog" not in line)


# -- the driver decision ---------------------------------------------------------------------


@pytest.mark.parametrize("platform", ["darwin", "win32", "linux"])
def test_driver_installed_on_path_is_used_without_selenium_manager(platform: str) -> None:
    manager = Manager(online=DOWNLOADED[platform])
    found = resolve_chromedriver(
        None,
        HOSTS[platform],
        binary=CHROME[platform],
        selenium_manager=manager,
        executable=Files(DRIVER_ON_PATH[platform]),
    )
    assert (found.path, found.source) == (DRIVER_ON_PATH[platform], "PATH")
    assert manager.calls == []


@pytest.mark.parametrize("platform", ["darwin", "win32", "linux"])
def test_driver_downloaded_by_selenium_manager_when_none_is_installed(platform: str) -> None:
    manager = Manager(online=DOWNLOADED[platform])
    found = resolve_chromedriver(
        None,
        HOSTS[platform],
        binary=CHROME[platform],
        selenium_manager=manager,
        webdriver_manager=lambda: pytest.fail("Selenium Manager comes first"),
        executable=Files(),
    )
    assert (found.path, found.source) == (DOWNLOADED[platform], "Selenium Manager download")
    # the offline cache first, then a download for the browser that was found
    assert manager.calls == [(CHROME[platform], True), (CHROME[platform], False)]


@pytest.mark.parametrize(
    ("platform", "hint"),
    [
        ("darwin", "install Google Chrome"),
        ("win32", "install Google Chrome"),
        ("linux", "apt-get install chromium chromium-driver"),
    ],
)
def test_offline_without_a_driver_is_one_line_with_the_fix(platform: str, hint: str) -> None:
    manager = Manager()
    with pytest.raises(BrowserUnavailable) as info:
        resolve_chromedriver(
            None,
            HOSTS[platform],
            binary=CHROME[platform],
            selenium_manager=manager,
            webdriver_manager=lambda: None,
            executable=Files(),
        )
    message = str(info.value)
    assert "no chromedriver found" in message and "offline" in message
    assert hint in message and "\n" not in message
    assert manager.calls == [(CHROME[platform], True), (CHROME[platform], False)]


@pytest.mark.parametrize("platform", ["darwin", "win32", "linux"])
def test_downloads_forbidden_uses_only_what_is_installed(platform: str) -> None:
    manager = Manager(cache=DOWNLOADED[platform], online="/never")
    found = resolve_chromedriver(
        None,
        HOSTS[platform],
        allow_download=False,
        selenium_manager=manager,
        executable=Files(DOWNLOADED[platform]),
    )
    assert found.source == "Selenium Manager cache (offline)"
    empty = Manager(online="/never")
    with pytest.raises(BrowserUnavailable, match="WATCHDOG_ALLOW_DRIVER_DOWNLOAD=false"):
        resolve_chromedriver(
            None,
            HOSTS[platform],
            allow_download=False,
            selenium_manager=empty,
            executable=Files(),
        )
    assert empty.calls == [(None, True)]


def test_windows_path_variable_is_case_insensitive_and_finds_chromedriver_exe() -> None:
    host = Host("win32", {"pAtH": r"C:\tools"}, r"C:\Users\bo")
    found = resolve_chromedriver(
        None, host, selenium_manager=Manager(), executable=Files(r"C:\tools\chromedriver.exe")
    )
    assert found.path == r"C:\tools\chromedriver.exe"


# -- signals and flags -----------------------------------------------------------------------


def test_stop_signals_per_os() -> None:
    assert stop_signal_names("win32") == ("SIGINT", "SIGBREAK", "SIGTERM")
    assert stop_signal_names("darwin") == ("SIGINT", "SIGTERM")
    assert stop_signal_names("linux") == ("SIGINT", "SIGTERM")
    # only the signals this Python has: SIGBREAK exists on Windows alone
    names = {sig.name for sig in stop_signals("win32")}
    assert names == (
        {"SIGINT", "SIGBREAK", "SIGTERM"} if sys.platform == "win32" else {"SIGINT", "SIGTERM"}
    )


@pytest.mark.parametrize("name", [s.name for s in stop_signals()])
def test_each_stop_signal_of_this_os_stops_the_loop(name: str) -> None:
    """A real signal to this process: the stop event is set, the previous handler is back
    afterwards, and only Ctrl+C / Ctrl+Break count as an interrupt (exit code 130)."""
    sig = signal.Signals[name]
    before = signal.getsignal(sig)
    stop = threading.Event()
    with stop_on_signals(stop) as received:
        signal.raise_signal(sig)
        assert stop.wait(5)
    assert received == [sig]
    assert from_keyboard(received) is (name != "SIGTERM")
    assert signal.getsignal(sig) == before


@pytest.mark.parametrize("platform", ["darwin", "win32", "linux"])
def test_password_store_flag_only_on_linux(platform: str, tmp_path: Path) -> None:
    on_linux = platform == "linux"
    assert (COOKIE_KEY_FLAG in chromium_flags(platform)) is on_linux
    assert set(chromium_flags(platform)) | {COOKIE_KEY_FLAG} == set(CHROMIUM_FLAGS)
    command = browser_command("chrome", tmp_path, as_root=False, platform=platform)
    assert (COOKIE_KEY_FLAG in command) is on_linux


# -- attach-command --------------------------------------------------------------------------


def test_attach_command_macos_uses_open_with_the_app_name() -> None:
    profile = paths_for(MAC).attach_profile_dir
    command, steps = build(MAC, CHROME["darwin"], profile, 9222)
    assert command == (
        'open -na "Google Chrome" --args --remote-debugging-port=9222 '
        '"--user-data-dir=/Users/ana/Library/Application Support/colab-watchdog/attach-profile" '
        "--no-first-run --no-default-browser-check https://colab.research.google.com/"
    )
    assert "colab-watchdog run --attach 127.0.0.1:9222" in steps


def test_attach_command_macos_app_outside_applications_is_given_by_path() -> None:
    chrome = "/Volumes/USB Disk/Google Chrome.app/Contents/MacOS/Google Chrome"
    command, _ = build(MAC, chrome, PurePath("/tmp/p"), 9333)
    assert command.startswith('open -na "/Volumes/USB Disk/Google Chrome.app" --args ')
    assert "--remote-debugging-port=9333" in command


def test_attach_command_windows_is_powershell_with_quoted_paths() -> None:
    profile = paths_for(WIN).attach_profile_dir
    command, _ = build(WIN, CHROME["win32"], profile, 9222)
    assert command == (
        r"& 'C:\Program Files\Google\Chrome\Application\chrome.exe' "
        r"'--remote-debugging-port=9222' "
        r"'--user-data-dir=C:\Users\Ana Maria\AppData\Local\colab-watchdog\attach-profile' "
        "--no-first-run --no-default-browser-check https://colab.research.google.com/"
    )


def test_attach_command_linux_is_a_shell_line() -> None:
    profile = paths_for(LINUX).attach_profile_dir
    command, _ = build(LINUX, "/usr/bin/google-chrome", profile, 9222)
    assert command.split()[:3] == [
        "/usr/bin/google-chrome",
        "--remote-debugging-port=9222",
        "--user-data-dir=/home/ana/.local/share/colab-watchdog/attach-profile",
    ]


def test_attach_command_never_uses_the_default_chrome_profile() -> None:
    for host in HOSTS.values():
        command, _ = build(host, CHROME[host.platform], paths_for(host).attach_profile_dir, 9222)
        assert "colab-watchdog" in command.split("--user-data-dir=")[1]


def test_attach_command_without_a_browser_says_what_to_install() -> None:
    with pytest.raises(BrowserUnavailable, match="install Google Chrome"):
        build(MAC, None, PurePath("/p"), 9222)


@pytest.mark.parametrize(
    ("arg", "posix", "powershell"),
    [
        ("plain", "plain", "plain"),
        ("has space", '"has space"', "'has space'"),
        ("it's $HOME", "'it'\"'\"'s $HOME'", "'it''s $HOME'"),
        ("a,b", "a,b", "'a,b'"),
        ("--flag", "--flag", "--flag"),
    ],
)
def test_quoting_per_shell(arg: str, posix: str, powershell: str) -> None:
    assert posix_quote(arg) == posix
    assert powershell_quote(arg) == powershell


def documented_command(fence: str) -> str:
    """The command in docs/laptop.md's first ```FENCE block, continuation lines joined."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "laptop.md").read_text("utf-8")
    blocks = re.findall(rf"```{fence}\n(.*?)```", text, re.S)
    block = next(b for b in blocks if "--remote-debugging-port" in b)
    return re.sub(r" [\\`]\n +", " ", block).strip()


@pytest.mark.parametrize(
    ("fence", "host", "chrome"),
    [
        ("sh", Host("darwin", {}, "/Users/you"), CHROME["darwin"]),
        (
            "powershell",
            Host("win32", {"LOCALAPPDATA": r"C:\Users\you\AppData\Local"}, r"C:\Users\you"),
            CHROME["win32"],
        ),
    ],
)
def test_the_documented_commands_are_what_attach_command_prints(
    fence: str, host: Host, chrome: str
) -> None:
    command, _ = build(host, chrome, paths_for(host).attach_profile_dir, 9222)
    assert documented_command(fence) == command


def test_attach_command_cli_prints_only_the_command_on_stdout(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    chrome = clean_env / "My Browser" / ("chrome.exe" if sys.platform == "win32" else "chrome")
    chrome.parent.mkdir()
    chrome.write_text("")
    chrome.chmod(0o755)
    monkeypatch.setenv("WATCHDOG_CHROME_BINARY", str(chrome))
    assert main(["attach-command", "--port", "9333"]) == 0
    captured = capsys.readouterr()
    [line] = captured.out.splitlines()
    assert str(chrome) in line and "--remote-debugging-port=9333" in line
    assert str(default_paths().attach_profile_dir) in line
    assert "colab-watchdog run --attach 127.0.0.1:9333" in captured.err
    assert main(["attach-command", "--port", "70000"]) == 2
    assert "--port=70000" in capsys.readouterr().err
