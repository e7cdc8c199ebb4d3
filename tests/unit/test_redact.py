"""Secret fragments of apprise URLs, redaction, and the printable redacted form."""

from __future__ import annotations

import pytest

from watchdog.core.redact import (
    fragments_of,
    redact,
    redacted_url,
    secret_fragments,
    without_credentials,
)

TELEGRAM = "tgram://123456789:AAHsecretTokenPart/987654321"


def test_full_url_and_token_parts_are_fragments() -> None:
    fragments = secret_fragments(TELEGRAM)
    assert TELEGRAM in fragments
    assert "123456789:AAHsecretTokenPart" in fragments
    assert "AAHsecretTokenPart" in fragments
    assert "987654321" in fragments
    assert fragments == sorted(fragments, key=lambda f: (-len(f), f))


def test_password_user_and_query_values() -> None:
    fragments = secret_fragments("mailto://alice:hunter2@gmail.com?to=bob@example.com")
    assert "hunter2" in fragments
    assert "alice" in fragments
    assert "bob@example.com" in fragments
    assert "gmail.com" not in fragments  # a real host name is not a secret


def test_percent_decoded_forms_are_fragments() -> None:
    assert "p@ss word" in secret_fragments("json://u:p%40ss%20word@host.example/hook")


def test_real_hosts_are_kept_token_hosts_are_not() -> None:
    assert "ntfy.sh" not in secret_fragments("ntfy://ntfy.sh/my-topic")
    assert "127.0.0.1" not in secret_fragments("json://127.0.0.1:8000/hook")
    assert "webhook_id" in secret_fragments("discord://webhook_id/webhook_token")


def test_redact_removes_every_fragment() -> None:
    text = (
        f"POST {TELEGRAM} failed; token AAHsecretTokenPart, chat 987654321, "
        "url-encoded tgram%3A%2F%2F"
    )
    clean = redact(text, fragments_of([TELEGRAM]))
    assert "AAHsecretTokenPart" not in clean
    assert "987654321" not in clean
    assert "123456789" not in clean
    assert clean.startswith("POST *** failed")


def test_fragments_inside_longer_words_are_kept() -> None:
    url = "json://user:Tok3nXYZsecret@127.0.0.1:8000/fail"
    assert "fail" in secret_fragments(url)
    line = f"alert channel {redacted_url(url)}: delivery failed after 3 tries"
    assert redact(line, fragments_of([url])) == line
    assert redact("failover to fail-safe, unfailing", ["fail"]) == (
        "failover to fail-safe, unfailing"
    )


def test_whole_tokens_are_masked_wherever_they_stand() -> None:
    url = "json://user:Tok3nXYZsecret@127.0.0.1:8000/fail"
    fragments = fragments_of([url])
    text = (
        f"POST {url} -> 500; path /fail (fail), token=Tok3nXYZsecret, "
        f"'Tok3nXYZsecret'; user:Tok3nXYZsecret@host"
    )
    clean = redact(text, fragments)
    assert "Tok3nXYZsecret" not in clean
    assert clean == "POST *** -> 500; path /*** (***), token=***, '***'; ***@host"


def test_percent_encoded_urls_still_lose_their_token() -> None:
    encoded = "tgram%3A%2F%2F123456789%3AAAHsecretTokenPart%2F987654321"
    clean = redact(f"GET /proxy?u={encoded}", fragments_of([TELEGRAM]))
    assert "AAHsecretTokenPart" not in clean
    assert "987654321" not in clean
    assert "123456789" not in clean


def test_redact_without_fragments_is_identity() -> None:
    assert redact("nothing secret", []) == "nothing secret"


def test_short_fragments_are_not_redacted_alone() -> None:
    fragments = secret_fragments("json://hooks.example/api/42")
    assert "api" not in fragments and "42" not in fragments


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (TELEGRAM, "tgram://***/***"),
        ("mailto://alice:hunter2@gmail.com?to=b@c.d", "mailto://***@gmail.com?***"),
        ("json://127.0.0.1:8000/hook?token=X", "json://127.0.0.1:8000/***?***"),
        ("ntfy://ntfy.sh/my-topic", "ntfy://ntfy.sh/***"),
        ("ntfy://my-topic", "ntfy://***"),
        ("discord://id_1/tok_2", "discord://***/***"),
        ("json://localhost/", "json://localhost"),
        ("not a url", "***"),
    ],
)
def test_redacted_url(url: str, shown: str) -> None:
    assert redacted_url(url) == shown


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://user:s3cretpw@grid:4444", "http://***@grid:4444"),
        ("https://u:pw@grid.example:4444/wd/hub", "https://***@grid.example:4444/wd/hub"),
        ("http://grid:4444/wd/hub", "http://grid:4444/wd/hub"),
        ("http://u:pa/ss?x@grid:4444", "http://***@grid:4444"),  # unencoded / and ? in a password
        ("http://grid:4444/?token=s3cretpw#frag", "http://grid:4444/?***"),
        ("user:s3cretpw@grid:4444", "***"),  # not a URL: nothing of it is shown
    ],
)
def test_without_credentials_keeps_the_address_only(url: str, shown: str) -> None:
    assert without_credentials(url) == shown
