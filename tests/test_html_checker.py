"""The Nu HTML Checker of the browser tests (tests/browser.py) really reports: a checker that answered
nothing would let every page pass."""

import pytest

from .browser import nu_check

GOOD = (
    '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Räume – Übersicht</title></head>'
    "<body><main><h1>Räume</h1><p>Größe: 20 m²</p></main></body></html>"
)
BROKEN = '<!doctype html><html lang="de"><head><title>Kaputt</title></head><body><p><div>x</p></body></html>'


def test_the_checker_passes_valid_html_and_names_the_page_with_an_error(tmp_path):
    nu_check({"valid page": GOOD}, tmp_path)
    with pytest.raises(pytest.fail.Exception) as failure:
        nu_check({"valid page": GOOD, "broken page": BROKEN}, tmp_path)
    report = str(failure.value)
    assert "broken page line 1" in report
    assert "valid page" not in report
    assert "“p” end tag" in report


def test_an_ignored_message_is_left_out(tmp_path):
    nu_check({"broken page": BROKEN}, tmp_path, ignore=lambda message: message["url"] == "broken page")
