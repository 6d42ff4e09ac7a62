"""The polite fetcher against a loopback site: User-Agent, per-host turns, Retry-After, back-off,
byte cap, timeouts, schemes, redirects and conditional requests. The clock is fake: nothing waits
for real but the one timeout test (a fraction of a second)."""

from __future__ import annotations

import socket
import time
from email.utils import formatdate
from itertools import pairwise

import pytest

from warmonitor.errors import FetchError
from warmonitor.streams.fetch import Fetcher, FetchPolicy, check_url, retry_after

from .site import FakeClock, Site, busy_then, endless, hanging, with_etag

PAGE = "<html><body><p>Troops withdrew from the border town on Tuesday, officials said.</p></body></html>"


def fetcher(clock: FakeClock, **policy: object) -> Fetcher:
    settings = {"user_agent": "warmonitor/9.9 (test)", "host_interval": 1.0, "timeout": 2.0, "max_bytes": 10_000,
                "tries": 3, **policy}
    return Fetcher(FetchPolicy(**settings), clock.clock())  # type: ignore[arg-type]


def test_the_user_agent_reaches_the_server(site: Site, clock: FakeClock) -> None:
    site.page("/a.html", PAGE)
    response = fetcher(clock).get(site.url("/a.html"))
    assert response.status == 200 and response.body.decode() == PAGE
    assert response.headers["content-type"].startswith("text/html")
    assert [request.user_agent for request in site.requests] == ["warmonitor/9.9 (test)"]


def test_requests_to_one_host_keep_the_interval(site: Site, clock: FakeClock) -> None:
    for name in ("a", "b", "c"):
        site.page(f"/{name}.html", PAGE)
    polite = fetcher(clock, host_interval=1.5)
    for name in ("a", "b", "c"):
        polite.get(site.url(f"/{name}.html"))
    times = [request.at for request in site.requests]
    assert [later - earlier for earlier, later in pairwise(times)] == [1.5, 1.5]
    assert clock.sleeps == [1.5, 1.5]


def test_retry_after_in_seconds_is_obeyed(site: Site, clock: FakeClock) -> None:
    site.routes["/busy.html"] = busy_then(PAGE, status=429, retry_after="7")
    response = fetcher(clock).get(site.url("/busy.html"))
    assert response.body.decode() == PAGE
    assert site.hits["/busy.html"] == 2
    assert clock.sleeps == [7.0]
    first, second = site.requests
    assert second.at - first.at == 7.0


def test_retry_after_as_an_http_date_is_obeyed(site: Site, clock: FakeClock) -> None:
    when = formatdate(clock.wall() + 30, usegmt=True)
    site.routes["/busy.html"] = busy_then(PAGE, status=503, retry_after=when)
    fetcher(clock).get(site.url("/busy.html"))
    assert clock.sleeps == [30.0]


def test_a_server_asking_too_long_a_wait_is_given_up_on_without_waiting(site: Site, clock: FakeClock) -> None:
    site.routes["/busy.html"] = busy_then(PAGE, status=429, retry_after="86400")
    with pytest.raises(FetchError, match="asks to wait 86400s"):
        fetcher(clock).get(site.url("/busy.html"))
    assert clock.sleeps == [] and site.hits["/busy.html"] == 1


def test_without_retry_after_the_waits_double_and_the_tries_run_out(site: Site, clock: FakeClock) -> None:
    site.routes["/down.html"] = busy_then(PAGE, status=503, retry_after=None, busy_times=10)
    with pytest.raises(FetchError, match=r"HTTP 503; gave up after 3 tries"):
        fetcher(clock).get(site.url("/down.html"))
    assert site.hits["/down.html"] == 3
    assert clock.sleeps == [2.0, 4.0]


def test_a_refused_connection_is_tried_again_then_reported() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    clock = FakeClock()
    with pytest.raises(FetchError, match=r"cannot connect.*gave up after 3 tries"):
        fetcher(clock).get(f"http://127.0.0.1:{port}/feed.xml")
    assert clock.sleeps == [2.0, 4.0]


def test_an_http_error_is_not_tried_again(site: Site, clock: FakeClock) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetcher(clock).get(site.url("/nowhere.html"))
    assert site.hits["/nowhere.html"] == 1


def test_bodies_over_the_cap_are_refused(site: Site, clock: FakeClock) -> None:
    site.page("/declared.html", "<p>" + "word " * 5000 + "</p>")
    site.routes["/streamed.html"] = endless(50_000)
    with pytest.raises(FetchError, match="more than the cap of 10,000"):
        fetcher(clock).get(site.url("/declared.html"))
    with pytest.raises(FetchError, match="more than the cap of 10,000 bytes"):
        fetcher(clock).get(site.url("/streamed.html"))


def test_a_hanging_server_times_out_once(site: Site, clock: FakeClock) -> None:
    site.routes["/slow.html"] = hanging()
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0\.2s"):
        fetcher(clock, timeout=0.2).get(site.url("/slow.html"))
    assert time.monotonic() - started < 1.5
    assert site.hits["/slow.html"] == 1


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/report.txt", "file:///etc/passwd", "javascript:alert(1)",
                                 "127.0.0.1/feed.xml", "http:///no-host"])
def test_only_http_and_https_urls_are_fetched(url: str) -> None:
    with pytest.raises(FetchError, match=r"not an http|no host"):
        fetcher(FakeClock()).get(url)


def test_redirects_are_followed_but_never_off_http(site: Site, clock: FakeClock) -> None:
    site.page("/new.html", PAGE)
    site.page("/old.html", "", status=301, headers={"Location": "/new.html"})
    site.page("/trap.html", "", status=302, headers={"Location": "file:///etc/passwd"})
    response = fetcher(clock).get(site.url("/old.html"))
    assert response.url == site.url("/new.html") and response.body.decode() == PAGE
    with pytest.raises(FetchError, match="not an http"):
        fetcher(clock).get(site.url("/trap.html"))


def test_a_conditional_request_for_an_unchanged_feed_gets_no_body(site: Site, clock: FakeClock) -> None:
    site.routes["/feed.xml"] = with_etag("<rss version='2.0'><channel><title>T</title></channel></rss>", '"v1"')
    polite = fetcher(clock)
    first = polite.get(site.url("/feed.xml"))
    again = polite.get(site.url("/feed.xml"), {"If-None-Match": first.headers["etag"]})
    assert not first.not_modified and again.not_modified and again.body == b""


def test_retry_after_reads_seconds_and_dates() -> None:
    now = 1_741_000_000.0
    assert retry_after("120", now) == 120.0
    assert retry_after(formatdate(now + 45, usegmt=True), now) == 45.0
    assert retry_after(formatdate(now - 45, usegmt=True), now) == 0.0
    assert retry_after("soon", now) is None and retry_after(None, now) is None


def test_check_url_names_the_fault() -> None:
    assert check_url(" https://example.org/feed ") == "https://example.org/feed"
    with pytest.raises(FetchError, match="scheme 'ftp'"):
        check_url("ftp://example.org/feed")
