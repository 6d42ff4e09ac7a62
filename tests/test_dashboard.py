"""The dashboard in a real browser: Playwright driving Debian's Chromium (headless) against
``warmonitor serve`` on a loopback port, over the bundled samples and one hostile article.

Screenshots are kept in ``test-artifacts/`` at the repository root.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from warmonitor.settings import Settings

from .helpers import unavailable

ROOT = Path(__file__).resolve().parents[1]
ARTEFACTS = ROOT / "test-artifacts"
SAMPLES = ROOT / "warmonitor" / "data" / "samples" / "articles.jsonl"
HOSTILE = ("Gunmen killed four villagers in Gwoza on Monday <script>window.__pwned = 1</script> "
           "<img src=x onerror=\"window.__pwned = 2\"> police said.")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def _chromium() -> str:
    found = os.environ.get("WARMONITOR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    unavailable("no Chromium: ./test.sh installs Debian's chromium package (or set WARMONITOR_CHROMIUM)",
                "WARMONITOR_REQUIRE_BROWSER")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def api(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, settings: Settings, pipeline: object) -> Iterator[str]:
    """``warmonitor serve`` over the samples and a hostile article, on a free loopback port."""
    from warmonitor import api as application
    from warmonitor.ingest import read_bytes, read_file

    folder = tmp_path_factory.mktemp("dashboard")
    url = f"sqlite:///{folder / 'dashboard.sqlite'}"
    records = list(read_file(SAMPLES))
    hostile = json.dumps({"text": HOSTILE, "published": "2024-10-08", "title": "<b>hostile</b>",
                          "source": "<script>alert(1)</script>", "url": "javascript:window.__pwned=3"})
    records += list(read_bytes(hostile.encode(), "hostile.json", ".json"))
    application.ingest_records(records, settings.with_(db=url), pipeline=pipeline)  # type: ignore[arg-type]
    port = _free_port()
    env = {**os.environ, "WARMONITOR_GAZETTEER": str(settings.gazetteer)}
    process = subprocess.Popen([sys.executable, "-m", "warmonitor", "serve", "--db", url, "--port", str(port)],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                api(base, "/api/events?limit=1")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"warmonitor serve did not start:\n{output}")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    executable = _chromium()
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(str(error)))
    opened.goto(server + "/")
    opened.wait_for_selector("body[data-ready=true]", timeout=30_000)
    yield opened
    ARTEFACTS.mkdir(exist_ok=True)
    opened.screenshot(path=str(ARTEFACTS / f"{request.node.name}.png"))
    context.close()
    assert problems == [], problems


def snap(page: Any, name: str) -> None:
    """Keep what the browser shows now as an artefact."""
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"))


def map_count(page: Any) -> int:
    return int(page.get_attribute("#map", "data-events"))


def table_total(page: Any) -> int:
    return int(page.get_attribute("#events", "data-total"))


def drawn_markers(page: Any) -> int:
    """Events the map draws: single markers plus the counts on the cluster bubbles."""
    single = page.locator(".event-marker").count()
    grouped = sum(int(text) for text in page.locator(".marker-cluster span").all_inner_texts())
    return single + grouped


def wait_for_change(page: Any, read: Any, before: int) -> int:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        now = read(page)
        if now != before:
            return int(now)
        page.wait_for_timeout(100)
    return int(read(page))


def test_the_map_shows_the_sample_events(page: Any, server: str) -> None:
    placed = api(server, "/api/events.geojson")["features"]
    assert len(placed) >= 50
    assert map_count(page) == len(placed)
    assert drawn_markers(page) == len(placed)
    assert page.locator(".leaflet-overlay-pane path.country").count() > 100  # the country outlines
    assert table_total(page) == api(server, "/api/events?limit=1")["total"]


def test_brushing_the_timeline_filters_map_and_table(page: Any, server: str) -> None:
    before_map, before_table = map_count(page), table_total(page)
    busiest = max(api(server, "/api/aggregates?by=month")["buckets"], key=lambda b: b["events"])["key"]
    first = date.fromisoformat(busiest + "-01")
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    box = page.locator("#timeline .u-over").bounding_box()
    left, right = page.evaluate(
        "([a, b]) => [state.plot.valToPos(dayNumber(a), 'x'), state.plot.valToPos(dayNumber(b), 'x')]",
        [first.isoformat(), last.isoformat()])
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + left, y)
    page.mouse.down()
    page.mouse.move(box["x"] + (left + right) / 2, y, steps=5)
    page.mouse.move(box["x"] + right, y, steps=5)
    page.mouse.up()
    page.wait_for_selector("#timeline[data-brush]")
    since, until = page.get_attribute("#timeline", "data-brush").split("/")
    after_table = wait_for_change(page, table_total, before_table)
    after_map = wait_for_change(page, map_count, before_map)
    assert 0 < after_table < before_table and 0 < after_map < before_map
    assert after_table == api(server, f"/api/events?limit=1&since={since}&until={until}")["total"]
    dates = page.locator("#events tbody tr td:first-child").all_inner_texts()
    assert dates and all(since <= day <= until for day in dates if day)
    snap(page, "brushed-timeline")
    page.click("#clear-brush")
    assert wait_for_change(page, table_total, after_table) == before_table


def test_the_filters_narrow_map_and_table(page: Any, server: str) -> None:
    before = table_total(page)
    page.select_option("#filters select[name=type]", "Protests")
    page.fill("#filters input[name=country]", "Kenya")
    page.click("#filters button[type=submit]")
    after = wait_for_change(page, table_total, before)
    expected = api(server, "/api/events?limit=1&type=Protests&country=Kenya")["total"]
    assert 0 < after == expected < before
    assert map_count(page) == len(api(server, "/api/events.geojson?type=Protests&country=Kenya")["features"])
    kinds = page.locator("#events tbody tr td:nth-child(2)").all_inner_texts()
    assert kinds and all(kind in {"Peaceful protest", "Protest with intervention", "Excessive force against protesters",
                                  "Protests"} for kind in kinds)
    snap(page, "filtered-kenya-protests")
    page.click("#filters button[type=reset]")
    assert wait_for_change(page, table_total, after) == before


def test_the_event_panel_highlights_the_words_each_field_was_coded_from(page: Any, server: str) -> None:
    row = page.locator("#events tbody tr").first
    event_id = row.get_attribute("data-event-id")
    row.click()
    page.wait_for_selector(f"#panel[data-event-id='{event_id}'] .mention")
    record = api(server, f"/api/events/{event_id}")
    evidence_words = {e["text"] for m in record["mentions"] for e in m["evidence"] if e.get("span")}
    marks = page.locator("#panel-body mark[data-field]")
    assert marks.count() >= 2
    assert set(marks.all_inner_texts()) <= evidence_words
    assert {"trigger"} <= set(marks.evaluate_all("nodes => nodes.map(n => n.dataset.field)"))
    mentions = page.locator("#panel-body .mention")
    assert mentions.count() == len(record["mentions"])


def test_an_article_holding_script_runs_nothing(page: Any, server: str) -> None:
    found = api(server, "/api/events?q=__pwned")["events"]
    hostile = next(event for event in found if any("<script>" in (m["sentence"] or "") for m in event["mentions"]))
    page.fill("#filters input[name=q]", "pwned")
    page.click("#filters button[type=submit]")
    page.wait_for_selector(f"#events tr[data-event-id='{hostile['id']}']")
    page.click(f"#events tr[data-event-id='{hostile['id']}']")
    page.wait_for_selector("#panel-body .mention")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    panel = page.locator("#panel-body")
    assert "<script>window.__pwned = 1</script>" in panel.inner_text()  # shown as words
    assert panel.locator("script, img").count() == 0
    assert page.locator("#panel-body a[href^='javascript']").count() == 0
    assert page.locator("script:not([src])").count() == 0
