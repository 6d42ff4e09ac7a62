"""The HTTP API: every endpoint, every 4xx path, the token, the error shape and the headers, over
a database of hand-coded articles on each engine (no pipeline needed but for POST /api/ingest)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from warmonitor.server import CONTENT_SECURITY_POLICY, MAX_BODY_BYTES, create_app
from warmonitor.settings import Settings
from warmonitor.store import open_store

from .store.factory import incident_reports, two_event_article

TOKEN = "s3cret-token"


@pytest.fixture
def filled_url(database_url: str) -> str:
    with open_store(database_url) as store:
        for report in [*incident_reports(), two_event_article()]:
            store.add(report)
    return database_url


def client_for(url: str, token: str | None = None) -> TestClient:
    return TestClient(create_app(Settings.load(db=url, api_token=token)))


@pytest.fixture
def client(filled_url: str) -> Iterator[TestClient]:
    with client_for(filled_url) as made:
        yield made


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message", "field"}
    assert body["error"]["status"] == status
    return body["error"]


# --- reading -------------------------------------------------------------------------------------------


def test_events_are_canonical_newest_first_with_a_total(client: TestClient) -> None:
    body = client.get("/api/events").json()
    assert body["total"] == len(body["events"]) == 5  # 8 reports of 5 incidents
    dates = [event["date"] for event in body["events"] if event["date"]]
    assert dates == sorted(dates, reverse=True)
    maiduguri = next(e for e in body["events"] if e["num_articles"] == 4)
    assert maiduguri["fatalities"] == 15 and len(maiduguri["mentions"]) == 4
    assert body["next"] is None


def test_pages_follow_next_and_cursor(client: TestClient) -> None:
    first = client.get("/api/events", params={"limit": 2}).json()
    assert len(first["events"]) == 2 and first["next"] == "2"
    second = client.get("/api/events", params={"limit": 2, "cursor": first["next"]}).json()
    third = client.get("/api/events", params={"limit": 2, "offset": 4}).json()
    ids = [e["id"] for page in (first, second, third) for e in page["events"]]
    assert len(ids) == len(set(ids)) == 5 and third["next"] is None


def test_every_filter_narrows_the_events(client: TestClient) -> None:
    def total(**params: Any) -> int:
        response = client.get("/api/events", params=params)
        assert response.status_code == 200, response.text
        return int(response.json()["total"])

    assert total(country="NG") == total(country="Nigeria") == total(country="NGA") == 3
    assert total(type="Protests") == 1 and total(type=["Protests", "Shelling/artillery/missile attack"]) == 2
    assert total(status="occurred") == 5 and total(status="planned") == 0
    assert total(actor="boko") == 3 and total(actor="%") == 0
    assert total(since="2024-03-05") == 2 and total(until="2023-12-31") == 1
    assert total(bbox="12,10,14,12.5") == 3 and total(min_confidence=0.99) == 1  # four sources corroborate
    assert total(q="maiduguri") == 1 and total(q="parliament") == 1
    assert total(mentions="true") == 8


def test_geojson_has_a_point_per_placed_event(client: TestClient) -> None:
    response = client.get("/api/events.geojson", params={"country": "NG"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 3
    point = collection["features"][0]
    assert point["geometry"]["type"] == "Point" and len(point["geometry"]["coordinates"]) == 2
    assert point["properties"]["id"] == point["id"]


def test_one_event_carries_its_mentions_and_evidence(client: TestClient) -> None:
    listed = client.get("/api/events", params={"country": "NG", "limit": 10}).json()["events"]
    biggest = max(listed, key=lambda e: e["num_articles"])
    found = client.get(f"/api/events/{biggest['id']}").json()
    assert found["id"] == biggest["id"] and len(found["mentions"]) == 4
    assert all(mention["evidence"] and mention["source"] for mention in found["mentions"])
    assert client.get(f"/api/events/{biggest['id'][:6]}").json()["id"] == biggest["id"]  # an id prefix


def test_aggregates_by_every_key(client: TestClient) -> None:
    for by in ("day", "week", "month", "country", "admin1", "type"):
        body = client.get("/api/aggregates", params={"by": by}).json()
        assert body["by"] == by and sum(bucket["events"] for bucket in body["buckets"]) == 5
    by_country = {b["key"]: b for b in client.get("/api/aggregates", params={"by": "country"}).json()["buckets"]}
    assert by_country["NG"]["events"] == 3
    weeks = client.get("/api/aggregates", params={"by": "week", "country": "NG"}).json()["buckets"]
    assert [w["key"] for w in weeks] == ["2024-03-04"]  # the Monday of each ISO week
    admin1 = client.get("/api/aggregates", params={"by": "admin1"}).json()["buckets"]
    assert {"key": "Borno", "events": 3, "country": "NG"}.items() <= admin1[0].items()


def test_one_article_with_its_sentences_and_events(client: TestClient) -> None:
    event = client.get("/api/events", params={"type": "Protests"}).json()["events"][0]
    found = client.get(f"/api/articles/{event['article_id']}").json()
    assert "parliament" in found["text"] and found["sentences"] and found["events"]
    assert {e["canonical_id"] for e in found["events"]} >= {event["id"]}


def test_openapi_and_offline_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/events.geojson", "/api/aggregates",
            "/api/articles/{article_id}", "/api/ingest"} <= set(spec["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower() and "<script>" not in docs.text  # nothing fetched, nothing inline
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_every_answer_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/", "/api/events", "/api/events/ffffffff", "/docs"):
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "unsafe" not in CONTENT_SECURITY_POLICY


# --- bad requests --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("params", "field"), [
    ({"limit": 0}, "limit"), ({"limit": 1001}, "limit"), ({"offset": -1}, "offset"), ({"cursor": "x"}, "cursor"),
    ({"type": "BOMBING"}, "type"), ({"status": "rumoured"}, "status"), ({"country": "Atlantis"}, "country"),
    ({"bbox": "1,2,3"}, "bbox"), ({"bbox": "0,95,1,96"}, "bbox"), ({"min_confidence": 2}, "min_confidence"),
    ({"since": "yesterday"}, "since"), ({"since": "2024-05-01", "until": "2024-01-01"}, "since"),
    ({"q": "x" * 201}, "q"), ({"actor": "  "}, "actor"),
])
def test_bad_parameters_are_422_naming_the_field(client: TestClient, params: dict[str, Any], field: str) -> None:
    assert error_of(client.get("/api/events", params=params), 422)["field"] == field


def test_other_bad_requests(client: TestClient) -> None:
    assert error_of(client.get("/api/aggregates", params={"by": "hour"}), 422)["field"] == "by"
    assert error_of(client.get("/api/events/ffffffffffffffff"), 404)["code"] == "not_found"
    assert error_of(client.get("/api/events/zz"), 422)["field"] == "event_id"
    assert error_of(client.get("/api/articles/0000000000000000"), 404)["code"] == "not_found"
    assert error_of(client.get("/api/articles/short"), 422)["field"] == "article_id"
    assert error_of(client.get("/api/no-such-thing"), 404)["code"] == "not_found"
    assert error_of(client.delete("/api/events"), 405)["code"] == "method_not_allowed"
    assert error_of(client.get("/api/events.geojson", params={"limit": 5001}), 422)["field"] == "limit"


# --- writing -------------------------------------------------------------------------------------------


def test_writing_is_off_without_a_token(client: TestClient) -> None:
    assert error_of(client.post("/api/ingest", json={"text": "Protesters marched."}), 403)["code"] == "writing_disabled"


def test_ingest_needs_the_right_bearer_token(filled_url: str) -> None:
    with client_for(filled_url, TOKEN) as client:
        missing = client.post("/api/ingest", json={"text": "x"})
        assert error_of(missing, 401)["code"] == "token_required" and missing.headers["www-authenticate"] == "Bearer"
        wrong = client.post("/api/ingest", json={"text": "x"}, headers={"Authorization": "Bearer wrong"})
        assert error_of(wrong, 401)["code"] == "token_invalid"
        basic = client.post("/api/ingest", json={"text": "x"}, headers={"Authorization": f"Basic {TOKEN}"})
        assert error_of(basic, 401)["code"] == "token_required"


def test_ingest_bounds_the_body_and_wants_an_article(filled_url: str) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with client_for(filled_url, TOKEN) as client:
        too_big = client.post("/api/ingest", content=b"x" * (MAX_BODY_BYTES + 1), headers=auth)
        assert error_of(too_big, 413)["code"] == "body_too_large"
        assert error_of(client.post("/api/ingest", content=b"", headers=auth), 422)["code"] == "no_articles"


def test_ingest_codes_and_stores_articles_and_reports_bad_lines(filled_url: str, pipeline: object,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from warmonitor.pipeline import Pipeline

    monkeypatch.setattr(Pipeline, "default", classmethod(lambda cls, settings=None: pipeline))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    article = {"text": "Gunmen killed five villagers in an attack on Gwoza in Borno State on Monday, police said.",
               "published": "2026-03-10", "title": "Gwoza attack", "url": "https://example.org/gwoza",
               "source": "Test Wire"}
    with client_for(filled_url, TOKEN) as client:
        first = client.post("/api/ingest", json=article, headers=auth).json()
        assert first["articles"] == 1 and first["events"] >= 1 and first["rejected"] == []
        again = client.post("/api/ingest", json=article, headers=auth).json()
        assert again["articles"] == 0 and again["duplicates"] == 1
        lines = json.dumps({"text": "Police fired tear gas at protesters in Nairobi on Sunday.",
                            "published": "2026-03-09"}) + "\n" + '{"title": "no text"}\n' + "not json\n"
        mixed = client.post("/api/ingest", content=lines.encode(),
                            headers={**auth, "Content-Type": "application/x-ndjson"}).json()
        assert mixed["articles"] == 1 and len(mixed["rejected"]) == 2
        assert all(bad["reason"] for bad in mixed["rejected"])
        assert client.get("/api/events", params={"q": "gwoza"}).json()["total"] >= 1


def test_a_server_fault_is_a_500_in_the_same_shape(filled_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from warmonitor import api

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(api, "aggregates", broken)
    with TestClient(create_app(Settings.load(db=filled_url)), raise_server_exceptions=False) as client:
        response = client.get("/api/aggregates", params={"by": "day"})
    error = error_of(response, 500)
    assert error["code"] == "internal_error" and "disk on fire" not in error["message"]  # no internals leak
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
