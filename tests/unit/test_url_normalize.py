"""Addresses as the browser rewrites them still name the same notebook (watchdog.core.urls)."""

from __future__ import annotations

import pytest

from watchdog.core.urls import normalize, same_notebook

BASE = "http://127.0.0.1:8080/notebook/x?era=2025"


@pytest.mark.parametrize(
    ("shown", "given"),
    [
        ("http://127.0.0.1:8080/notebook/%C3%BCbung", "http://127.0.0.1:8080/notebook/übung"),
        ("http://127.0.0.1:8080/notebook/%c3%bcbung", "http://127.0.0.1:8080/notebook/übung"),
        ("http://127.0.0.1:8080/notebook/dot", "http://127.0.0.1:8080/notebook/./dot"),
        ("http://127.0.0.1:8080/b", "http://127.0.0.1:8080/a/../b"),
        ("http://127.0.0.1:8080/n", "http://2130706433:8080/n"),
        ("http://127.0.0.1:8080/n", "http://0x7f000001:8080/n"),
        ("http://127.0.0.1:8080/n", "http://127.1:8080/n"),
        ("http://127.0.0.1:8080/n", "http://0177.0.0.1:8080/n"),
        ("http://xn--bung-zra.localhost:8080/n", "http://Übung.localhost:8080/n"),
        (
            "https://colab.research.google.com/drive/1",
            "https://colab.research.google.com:443/drive/1",
        ),
        ("http://h/n", "http://h:80/n"),
        (
            "https://colab.research.google.com/drive/1#scrollTo=abc",
            "https://colab.research.google.com/drive/1",
        ),
        (
            "https://colab.research.google.com/drive/1",
            "https://colab.research.google.com/drive/1?usp=sharing",
        ),
        (
            "https://colab.research.google.com/drive/1?authuser=1",
            "https://colab.research.google.com/drive/1?usp=sharing",
        ),
        (BASE + "&authuser=0", BASE),
        ("HTTPS://COLAB.research.google.com/drive/1/", "https://colab.research.google.com/drive/1"),
    ],
)
def test_same_notebook_after_rewrites(shown: str, given: str) -> None:
    assert same_notebook(shown, given)


@pytest.mark.parametrize(
    ("shown", "given"),
    [
        ("http://127.0.0.1:8080/elsewhere", BASE),
        ("http://127.0.0.1:8080/notebook/x?era=2021", BASE),
        ("http://127.0.0.1:8081/notebook/x?era=2025", BASE),
        ("http://127.0.0.2:8080/notebook/x?era=2025", BASE),
        (
            "https://accounts.google.com/ServiceLogin?continue=x",
            "https://colab.research.google.com/drive/1",
        ),
        ("http://127.0.0.1:8080/notebook/%2Fx", "http://127.0.0.1:8080/notebook//x"),
    ],
)
def test_other_pages_do_not_match(shown: str, given: str) -> None:
    assert not same_notebook(shown, given)


def test_normalize_examples() -> None:
    assert normalize("HTTP://ÜBUNG.example:80/a/./b/ü?x=1#top") == (
        "http://xn--bung-zra.example/a/b/%C3%BC?x=1"
    )
    assert normalize("http://256.1.1.1/") == "http://256.1.1.1/"  # not an IPv4 number
    assert normalize("http://[::1]:80/").startswith("http://")
    assert normalize("not a url") == "://not%20a%20url" or normalize("not a url")
