"""When the portal cannot answer, a browser gets a page that retries, an API client JSON."""

from __future__ import annotations

import pytest

from tests.gateway_harness import gateway_config, refused_url


@pytest.fixture
def gateway(tmp_path):
    from meridian_gateway.app import create_app

    with refused_url() as url:
        upstreams = {name: url for name in ("catalog", "enrollment", "classroom", "notifications")}
        yield create_app(gateway_config(upstreams, tmp_path, portal_url=url)).test_client()


def test_a_browser_gets_a_page_that_reloads_after_retry_after(gateway):
    answer = gateway.get("/courses?q=surgery", headers={
        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "Accept-Language": "en-GB"})
    assert answer.status_code == 503
    assert answer.mimetype == "text/html"
    seconds = answer.headers["Retry-After"]
    page = answer.get_data(as_text=True)
    assert f'<meta http-equiv="refresh" content="{seconds}">' in page
    assert '<html lang="en">' in page and f"tries again in {seconds} seconds" in page
    assert 'href="/courses?q=surgery"' in page


def test_the_page_speaks_chinese_to_a_chinese_browser(gateway):
    answer = gateway.get("/", headers={"Accept": "text/html", "Accept-Language": "zh-CN,zh;q=0.9"})
    page = answer.get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page and "立即重试" in page


def test_an_api_client_still_gets_problem_json(gateway):
    answer = gateway.get("/courses", headers={"Accept": "application/json"})
    assert answer.status_code == 503
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.get_json()["code"] == "upstream_unavailable"


def test_the_path_in_the_retry_link_is_escaped(gateway):
    answer = gateway.get('/x"><script>', headers={"Accept": "text/html"})
    page = answer.get_data(as_text=True)
    assert "<script>" not in page and "&quot;&gt;&lt;script&gt;" in page
