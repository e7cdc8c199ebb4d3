"""Settings: defaults, the duration and list syntaxes, cross-field checks, one-line errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from watchdog.cli.config import load_settings
from watchdog.cli.settings import Settings
from watchdog.errors import ConfigError

pytestmark = pytest.mark.usefixtures("clean_env")

EXPECTED_FIELDS = {
    "notebooks",
    "interval",
    "idle_timeout",
    "max_lifetime",
    "warn_before",
    "reconnect",
    "input",
    "browser",
    "attach_address",
    "remote_url",
    "headless",
    "chrome_binary",
    "chromedriver",
    "profile_dir",
    "state_file",
    "notify",
    "selectors",
    "log_level",
    "log_file",
    "log_json",
    "notebooks_per_session",
    "allow_remote_attach",
    "allow_driver_download",
    "finished_after",
    "memory_warn",
    "keep_alive",
    "idle_grace",
}


def test_fields_are_exactly_the_agreed_names() -> None:
    assert set(Settings.model_fields) == EXPECTED_FIELDS


def test_defaults(clean_env: Path) -> None:
    s = load_settings()
    assert s.notebooks == []
    assert s.interval == 60.0
    assert s.idle_timeout == 90 * 60
    assert s.max_lifetime == 12 * 3600
    assert s.warn_before == (3600.0, 1800.0, 600.0, 300.0)
    assert s.reconnect is False
    assert s.browser == "launch"
    assert s.attach_address == "127.0.0.1:9222"
    assert s.remote_url is None
    assert s.headless is True
    assert s.chrome_binary is None and s.chromedriver is None
    home = clean_env.parent / "home"
    if sys.platform == "linux":  # macOS and Windows: tests/unit/test_platforms.py
        assert s.profile_dir == home / ".local/share/colab-watchdog/profile"
        assert s.state_file == home / ".local/state/colab-watchdog/state.json"
    assert s.notify == [] and s.secrets() == []
    assert s.selectors is None and s.selector_map() is None
    assert s.log_level == "INFO" and s.log_file is None and s.log_json is False
    assert s.notebooks_per_session == 0
    assert s.allow_remote_attach is False and s.allow_driver_download is True


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG locations are Linux's")
def test_xdg_dirs_are_honoured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    s = load_settings()
    assert s.profile_dir == tmp_path / "data/colab-watchdog/profile"
    assert s.state_file == tmp_path / "state/colab-watchdog/state.json"


def test_env_durations_and_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHDOG_INTERVAL", "1.5s")
    monkeypatch.setenv("WATCHDOG_IDLE_TIMEOUT", "1h30m")
    monkeypatch.setenv("WATCHDOG_MAX_LIFETIME", "12h")
    monkeypatch.setenv("WATCHDOG_WARN_BEFORE", "5m,60m, 10m 30m,5m")
    monkeypatch.setenv(
        "WATCHDOG_NOTEBOOKS",
        "https://colab.research.google.com/drive/a, http://127.0.0.1:8000/x\nhttps://b.example/y",
    )
    s = load_settings()
    assert s.interval == 1.5
    assert s.idle_timeout == 5400.0
    assert s.warn_before == (3600.0, 1800.0, 600.0, 300.0)
    assert s.notebooks == [
        "https://colab.research.google.com/drive/a",
        "http://127.0.0.1:8000/x",
        "https://b.example/y",
    ]


def test_json_list_and_bare_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHDOG_NOTEBOOKS", '["http://127.0.0.1:1/a"]')
    monkeypatch.setenv("WATCHDOG_INTERVAL", "30")
    s = load_settings()
    assert s.notebooks == ["http://127.0.0.1:1/a"]
    assert s.interval == 30.0


def test_browser_mode_and_log_level_are_case_insensitive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHDOG_BROWSER", " Attach ")
    monkeypatch.setenv("WATCHDOG_LOG_LEVEL", "warn")
    s = load_settings()
    assert s.browser == "attach" and s.log_level == "WARNING"


def test_warn_before_none_disables_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHDOG_WARN_BEFORE", "none")
    assert load_settings().warn_before == ()


def test_empty_variable_means_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHDOG_INTERVAL", "")
    monkeypatch.setenv("WATCHDOG_REMOTE_URL", "")
    s = load_settings()
    assert s.interval == 60.0 and s.remote_url is None


def test_flags_override_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHDOG_INTERVAL", "10s")
    s = load_settings({"interval": "20s", "reconnect": True, "headless": None})
    assert s.interval == 20.0 and s.reconnect is True and s.headless is True


def test_init_kwargs_accept_duration_text_and_lists() -> None:
    s = Settings(interval="2m", warn_before=["10m", 3600], notebooks=["http://h/x"])  # type: ignore[arg-type]
    assert s.interval == 120.0
    assert s.warn_before == (3600.0, 600.0)
    assert s.notebooks == ["http://h/x"]


def test_dotenv_in_working_directory(clean_env: Path) -> None:
    (clean_env / ".env").write_text("WATCHDOG_INTERVAL=45s\nWATCHDOG_RECONNECT=true\n")
    s = load_settings()
    assert s.interval == 45.0 and s.reconnect is True


def test_env_wins_over_dotenv(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (clean_env / ".env").write_text("WATCHDOG_INTERVAL=45s\n")
    monkeypatch.setenv("WATCHDOG_INTERVAL", "15s")
    assert load_settings().interval == 15.0


def test_notify_is_secret_and_split_per_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "WATCHDOG_NOTIFY", "tgram://TOKEN123/456, json://h/p?a=1,2 mailto://u:pw@m.com?to=a@b,c@d"
    )
    s = load_settings()
    assert s.notify_urls() == [
        "tgram://TOKEN123/456",
        "json://h/p?a=1,2",
        "mailto://u:pw@m.com?to=a@b,c@d",
    ]
    assert "TOKEN123" not in repr(s) and "TOKEN123" not in str(s.model_dump())


def test_repeated_notify_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    s = load_settings({"notify": ["ntfy://a", "ntfy://b"]})
    assert s.notify_urls() == ["ntfy://a", "ntfy://b"]


def test_selectors_file_is_loaded(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = clean_env / "sel.json"
    path.write_text(json.dumps({"connect": ["#my-connect"], "captcha": ["iframe.x", " .y "]}))
    monkeypatch.setenv("WATCHDOG_SELECTORS", str(path))
    s = load_settings()
    assert s.selectors == path
    assert s.selector_map() == {"connect": ["#my-connect"], "captcha": ["iframe.x", ".y"]}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "JSON object"),
        ('{"connect": "#x"}', "list of non-empty CSS selector strings"),
        ('{"connect": [""]}', "list of non-empty CSS selector strings"),
        ('{"kbd": ["#x"]}', "unknown key(s) 'kbd'"),
    ],
)
def test_bad_selectors_file(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, content: str, message: str
) -> None:
    path = clean_env / "sel.json"
    path.write_text(content)
    monkeypatch.setenv("WATCHDOG_SELECTORS", str(path))
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert message in str(info.value)
    assert str(info.value).startswith("WATCHDOG_SELECTORS=")


@pytest.mark.parametrize(
    ("env", "needles"),
    [
        ({"WATCHDOG_INTERVAL": "5x"}, ["WATCHDOG_INTERVAL", "'5x'", "500ms"]),
        ({"WATCHDOG_INTERVAL": "0"}, ["WATCHDOG_INTERVAL", "longer than 0"]),
        ({"WATCHDOG_INTERVAL": "-10s"}, ["WATCHDOG_INTERVAL", "'-10s'"]),
        ({"WATCHDOG_IDLE_TIMEOUT": "soon"}, ["WATCHDOG_IDLE_TIMEOUT", "'soon'"]),
        (
            {"WATCHDOG_INTERVAL": "2h"},
            ["WATCHDOG_INTERVAL", "WATCHDOG_IDLE_TIMEOUT", "shorter"],
        ),
        (
            {"WATCHDOG_INTERVAL": "90m"},
            ["WATCHDOG_INTERVAL", "WATCHDOG_IDLE_TIMEOUT", "shorter"],
        ),
        (
            {"WATCHDOG_WARN_BEFORE": "13h,5m"},
            ["WATCHDOG_WARN_BEFORE", "13h", "WATCHDOG_MAX_LIFETIME"],
        ),
        (
            {"WATCHDOG_MAX_LIFETIME": "30m"},
            ["WATCHDOG_WARN_BEFORE", "1h", "WATCHDOG_MAX_LIFETIME"],
        ),
        ({"WATCHDOG_WARN_BEFORE": "5m,0s"}, ["WATCHDOG_WARN_BEFORE", "longer than 0"]),
        ({"WATCHDOG_RECONNECT": "maybe"}, ["WATCHDOG_RECONNECT", "'maybe'", "true or false"]),
        ({"WATCHDOG_BROWSER": "firefox"}, ["WATCHDOG_BROWSER", "'firefox'", "launch, attach"]),
        ({"WATCHDOG_BROWSER": "remote"}, ["WATCHDOG_BROWSER", "WATCHDOG_REMOTE_URL"]),
        ({"WATCHDOG_REMOTE_URL": "ftp://grid"}, ["WATCHDOG_REMOTE_URL", "'ftp://grid'"]),
        ({"WATCHDOG_ATTACH_ADDRESS": "9222"}, ["WATCHDOG_ATTACH_ADDRESS", "HOST:PORT"]),
        (
            {"WATCHDOG_ATTACH_ADDRESS": "192.168.1.5:9222"},
            ["WATCHDOG_ATTACH_ADDRESS", "loopback", "WATCHDOG_ALLOW_REMOTE_ATTACH"],
        ),
        ({"WATCHDOG_NOTEBOOKS": "ftp://x/nb"}, ["WATCHDOG_NOTEBOOKS", "'ftp://x/nb'", "http(s)"]),
        ({"WATCHDOG_NOTEBOOKS": "https://"}, ["WATCHDOG_NOTEBOOKS", "no host"]),
        ({"WATCHDOG_LOG_LEVEL": "loud"}, ["WATCHDOG_LOG_LEVEL", "'loud'", "DEBUG"]),
        ({"WATCHDOG_NOTEBOOKS_PER_SESSION": "-1"}, ["WATCHDOG_NOTEBOOKS_PER_SESSION", "'-1'"]),
        ({"WATCHDOG_SELECTORS": "/no/such/file.json"}, ["WATCHDOG_SELECTORS", "does not exist"]),
    ],
)
def test_bad_values_give_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], needles: list[str]
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = str(info.value)
    assert "\n" not in message
    for needle in needles:
        assert needle in message


def test_remote_attach_allowed_when_explicit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHDOG_ATTACH_ADDRESS", "192.168.1.5:9222")
    monkeypatch.setenv("WATCHDOG_ALLOW_REMOTE_ATTACH", "true")
    assert load_settings().attach_address == "192.168.1.5:9222"


def test_remote_attach_message_is_the_one_of_core_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHDOG_ATTACH_ADDRESS", "10.0.0.1:9222")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value).startswith(
        "WATCHDOG_ATTACH_ADDRESS='10.0.0.1:9222' is not a loopback address: "
    )
    assert "(WATCHDOG_ALLOW_REMOTE_ATTACH=true)" in str(info.value)


def test_secrets_hold_a_grid_login_as_typed_and_decoded() -> None:
    settings = Settings(remote_url="http://user:s3cret%2Fpw@grid:4444/wd/hub", browser="remote")
    for form in ("s3cret%2Fpw", "s3cret/pw", "user:s3cret%2Fpw", "user:s3cret/pw"):
        assert form in settings.secrets()


def test_flag_is_named_when_the_value_came_from_a_flag() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings({"interval": "5x"})
    assert str(info.value).startswith("--interval='5x'")
    with pytest.raises(ConfigError) as info:
        load_settings(
            {"attach_address": "10.1.1.1:9222"}, flag_names={"attach_address": "--attach"}
        )
    assert "--attach='10.1.1.1:9222' is not a loopback address" in str(info.value)


def test_dotenv_value_is_named_with_its_file(clean_env: Path) -> None:
    (clean_env / ".env").write_text("WATCHDOG_INTERVAL=5x\n")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert "WATCHDOG_INTERVAL='5x' (in .env)" in str(info.value)


def test_notify_value_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHDOG_NOTIFY", "tgram://SECRETTOKEN/1 not-a-url-SECRET2")
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = str(info.value)
    assert "WATCHDOG_NOTIFY=<redacted>" in message
    assert "SECRET" not in message


def test_unreadable_dotenv_directory(clean_env: Path) -> None:
    (clean_env / ".env").mkdir()
    with pytest.raises(ConfigError, match=r"\.env is a directory"):
        load_settings()


def test_unreadable_dotenv_dangling_link(clean_env: Path) -> None:
    (clean_env / ".env").symlink_to(clean_env / "missing")
    with pytest.raises(ConfigError, match=r"cannot read the settings file .*\.env"):
        load_settings()


def test_dotenv_not_utf8(clean_env: Path) -> None:
    (clean_env / ".env").write_bytes(b"WATCHDOG_INTERVAL=\xff\xfe\n")
    with pytest.raises(ConfigError, match=r"\.env.*not UTF-8"):
        load_settings()


def test_unknown_override_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        load_settings({"intervall": "5s"})


def test_selectors_file_is_read_once_per_load(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import watchdog.cli.settings as settings_module

    path = clean_env / "sel.json"
    path.write_text(json.dumps({"connect": ["#c"]}))
    monkeypatch.setenv("WATCHDOG_SELECTORS", str(path))
    reads: list[Path] = []
    real = settings_module.load_selector_file

    def counting(p: Path) -> dict[str, list[str]]:
        reads.append(p)
        return real(p)

    monkeypatch.setattr(settings_module, "load_selector_file", counting)
    assert load_settings().selector_map() == {"connect": ["#c"]}
    assert reads == [path]


def test_bad_selectors_flag_is_named(clean_env: Path) -> None:
    path = clean_env / "sel.json"
    path.write_text("[1]")
    with pytest.raises(ConfigError) as info:
        load_settings({"selectors": str(path)})
    assert str(info.value).startswith(f"--selectors={str(path)!r}: {str(path)!r} must hold")


def test_work_settings_defaults_and_forms() -> None:
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    assert defaults.finished_after == 120.0
    assert defaults.memory_warn == 0.9
    assert defaults.keep_alive == "always"
    assert defaults.idle_grace == 3600.0
    given = Settings(  # type: ignore[call-arg]
        _env_file=None, memory_warn="95 %", keep_alive="While-Busy", idle_grace="5s"
    )
    assert (given.memory_warn, given.keep_alive, given.idle_grace) == (0.95, "while-busy", 5.0)


@pytest.mark.parametrize(
    ("field", "value"),
    [("memory_warn", "lots"), ("memory_warn", "150%"), ("keep_alive", "sometimes")],
)
def test_work_settings_bad_values(field: str, value: str) -> None:
    with pytest.raises(ValueError, match=field):
        Settings(_env_file=None, **{field: value})  # type: ignore[call-arg]
