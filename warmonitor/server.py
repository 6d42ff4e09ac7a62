"""``warmonitor serve``: the HTTP API and the dashboard, over the application functions of
:mod:`warmonitor.api` (the same ones the command line calls).

Every error, 4xx or 5xx, has one JSON shape: ``{"error": {"status", "code", "message", "field"}}``;
a bad parameter is a 422 naming it. Page sizes and request bodies are bounded. Writing (POST
/api/ingest) needs the bearer token of the setting ``api_token``; with none set, writing is off.
Every page is served under a strict Content-Security-Policy: scripts and styles only from this
server, nothing inline, so no text from an article can ever run.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParameter
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from warmonitor import api
from warmonitor.errors import BadArticle, QueryError, StoreError
from warmonitor.export.geojson import feature
from warmonitor.model import Article
from warmonitor.settings import Settings

log = logging.getLogger(__name__)
WEB = Path(__file__).parent / "web"
MAX_PAGE = 1000  # events per page of /api/events
MAX_MAP_EVENTS = 5000  # features per /api/events.geojson
MAX_BODY_BYTES = 5 * 1024 * 1024  # a POST /api/ingest body
MAX_QUERY_TEXT = 200
AGGREGATES = ("day", "week", "month", "country", "admin1", "type")
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
                           "frame-ancestors 'none'")


class ApiError(Exception):
    """An error answered as the one JSON error shape."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def error_body(status: int, code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message, "field": field}}


def _error_response(status: int, code: str, message: str, field: str | None = None,
                    headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, code, message, field), status_code=status, headers=headers)


# --- the filters every event endpoint takes ----------------------------------------------------------


def event_filters(
    since: Annotated[date | None, Query(description="events on or after this date (YYYY-MM-DD)")] = None,
    until: Annotated[date | None, Query(description="events on or before this date")] = None,
    country: Annotated[str | None, Query(max_length=64, description="ISO2, ISO3 or name of the place's or an actor's country")] = None,
    actor: Annotated[str | None, Query(max_length=100, description="part of an actor's name")] = None,
    type: Annotated[list[str], Query(description="PLOVER type, ACLED event or sub-event type; repeat: any of")] = [],  # noqa: B006
    status: Annotated[list[str], Query(description="occurred, ongoing, planned, negated or hypothetical; repeat: any of")] = [],  # noqa: B006
    bbox: Annotated[str | None, Query(max_length=100, description="minlon,minlat,maxlon,maxlat")] = None,
    min_confidence: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    q: Annotated[str | None, Query(max_length=MAX_QUERY_TEXT, description="words the sentences, actors or place hold")] = None,
) -> dict[str, Any]:
    """The filters of ``warmonitor events``, as query parameters."""
    return {"since": since, "until": until, "country": country or None, "actor": actor or None, "types": tuple(type),
            "statuses": tuple(status), "bbox": bbox or None, "min_confidence": min_confidence, "text": q or None}


Filters = Annotated[dict[str, Any], Depends(event_filters)]


# What a map marker needs of a record; the whole record (mentions and all) is /api/events/{id}.
_MAP_PROPERTIES = ("id", "date", "date_precision", "plover_type", "acled_event_type", "acled_sub_event_type", "status",
                   "fatalities", "confidence", "num_articles", "num_sources", "source", "trigger")


def geojson(records: Iterator[dict[str, Any]]) -> dict[str, Any]:
    """A FeatureCollection of the records that have a place (the export's features, with the
    properties a map needs); the rest are left out."""
    features = []
    for record in records:
        made = feature(record)
        if made["geometry"] is None:
            continue
        location = record.get("location") or {}
        properties = {key: record.get(key) for key in _MAP_PROPERTIES}
        properties.update(place=location.get("canonical") or location.get("name"), country=location.get("country"),
                          precision=location.get("precision"),
                          actor1=(record.get("actor1") or {}).get("canonical"),
                          actor2=(record.get("actor2") or {}).get("canonical"))
        features.append({**made, "id": record.get("id"), "properties": properties})
    return {"type": "FeatureCollection", "features": features}


class Service:
    """What the server keeps open between requests: one store (its connection pool) and, from
    the first ingest on, one pipeline."""

    def __init__(self, settings: Settings) -> None:
        from warmonitor.store import open_store

        self.settings = settings
        self.store = open_store(settings.db, create=False)  # a mistyped --db is an error, not a new database
        self._pipeline: Any = None
        self._pipeline_lock = threading.Lock()
        self._write_lock = threading.Lock()

    def pipeline(self) -> Any:
        with self._pipeline_lock:
            if self._pipeline is None:
                from warmonitor.pipeline import Pipeline

                self._pipeline = Pipeline.default(self.settings)
            return self._pipeline

    def ingest(self, records: list[Any]) -> api.IngestReport:
        with self._write_lock:  # one analysis at a time: the pipeline is not shared between threads
            return api.ingest_records(records, self.settings, store=self.store, pipeline=self.pipeline())

    def close(self) -> None:
        self.store.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application: ``/api/...``, ``/openapi.json``, ``/docs`` and the dashboard at ``/``."""
    settings = settings or Settings.load()
    service = Service(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> Any:
        yield
        service.close()

    app = FastAPI(title="warmonitor", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Political-conflict events coded from news: who did what to whom, where, when, "
                              "and according to whom. Every coded field points back to its words.")
    app.state.service = service
    _add_error_handlers(app)
    _add_security_headers(app)
    _add_routes(app, service)
    if (WEB / "vendor").is_dir():
        app.mount("/static", StaticFiles(directory=WEB), name="static")
    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        return _error_response(error.status, error.code, error.message, error.field, headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        location = [str(part) for part in first.get("loc", ()) if part not in {"query", "path", "body"}]
        field = location[0] if location else None
        return _error_response(422, "invalid_parameter", f"{field or 'request'}: {first.get('msg', 'invalid')}", field)

    @app.exception_handler(QueryError)
    async def _query_error(_request: Request, error: QueryError) -> JSONResponse:
        return _error_response(422, "invalid_parameter", str(error), error.field)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return _error_response(error.status_code, code, str(error.detail))

    @app.exception_handler(StoreError)
    async def _store_error(_request: Request, error: StoreError) -> JSONResponse:
        return _error_response(503, "database_unavailable", str(error))

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, error: Exception) -> JSONResponse:
        return _error_response(500, "internal_error", f"{error.__class__.__name__}: the server could not answer")


def _add_security_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def _headers(request: Request, call_next: Callable[[Request], Any]) -> Response:
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
            response: Response = _error_response(413, "body_too_large",
                                                 f"a request body may hold at most {MAX_BODY_BYTES} bytes")
        else:
            try:
                response = await call_next(request)
            except Exception as error:  # answered here, so that a 500 carries the same headers
                log.exception("request %s failed", request.url.path)
                response = _error_response(500, "internal_error",
                                           f"{error.__class__.__name__}: the server could not answer")
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response


def _add_routes(app: FastAPI, service: Service) -> None:
    store = service.store

    @app.get("/api/events", summary="Canonical events, newest first, one page")
    def list_events(request: Request, filters: Filters,
                    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
                    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
                    cursor: Annotated[str | None, Query(max_length=20, pattern=r"^\d+$",
                                                        description="the `next` of the page before")] = None,
                    mentions: bool = False) -> Response:
        if cursor is not None:
            offset = int(cursor)
        found = list(api.events_json(store, limit=limit, offset=offset, mentions=mentions, **filters))
        total = api.count_events(store=store, mentions=mentions, **filters)
        following = str(offset + limit) if offset + limit < total else None
        # The records are stored as JSON: passed on as they are, never decoded and encoded again.
        tail = json.dumps({"total": total, "limit": limit, "offset": offset, "next": following})
        body = '{"events": [' + ",".join(found) + "], " + tail[1:]
        return Response(body.encode("utf-8"), media_type="application/json")

    @app.get("/api/events.geojson", summary="Canonical events with a place, as GeoJSON points")
    def events_geojson(filters: Filters, limit: Annotated[int, Query(ge=1, le=MAX_MAP_EVENTS)] = MAX_MAP_EVENTS) -> JSONResponse:
        collection = geojson(api.events(store=store, limit=limit, **filters))
        return JSONResponse(collection, media_type="application/geo+json")

    @app.get("/api/events/{event_id}", summary="One canonical event with its mentions and evidence")
    def one_event(event_id: Annotated[str, PathParameter(min_length=4, max_length=64, pattern=r"^[0-9a-fA-F]+$")]) -> JSONResponse:
        found = api.explain(event_id, store=store)
        if found is None:
            raise ApiError(404, "not_found", f"no event with id {event_id}")
        return JSONResponse(found)

    @app.get("/api/aggregates", summary="Canonical events counted by period, country, region or type")
    def aggregates(filters: Filters, by: Annotated[str, Query(pattern="^(" + "|".join(AGGREGATES) + ")$")] = "day") -> JSONResponse:
        return JSONResponse({"by": by, "buckets": api.aggregates(by, store=store, **filters)})

    @app.get("/api/articles/{article_id}", summary="One stored article: text, sentences, events")
    def one_article(article_id: Annotated[str, PathParameter(min_length=16, max_length=16,
                                                             pattern=r"^[0-9a-fA-F]+$")]) -> JSONResponse:
        found = api.article(article_id, store=store)
        if found is None:
            raise ApiError(404, "not_found", f"no article with id {article_id}")
        return JSONResponse(found)

    @app.post("/api/ingest", summary="Code and store articles: one JSON article or a JSONL body (token needed)")
    async def ingest(request: Request) -> dict[str, Any]:
        _authorise(request, service.settings)
        body = await _bounded_body(request)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        suffix = ".jsonl" if kind in {"application/x-ndjson", "application/jsonl", "application/x-jsonlines"} else ".json"
        from warmonitor.ingest import read_bytes

        records = list(read_bytes(body, "POST /api/ingest", suffix))
        if not any(isinstance(record, Article) for record in records):
            reasons = "; ".join(sorted({record.reason for record in records if isinstance(record, BadArticle)}))
            raise ApiError(422, "no_articles", "the body holds no readable article: send {\"text\": ..., \"published\": ...} "
                                               f"or JSON lines of them{' (' + reasons + ')' if reasons else ''}")
        from starlette.concurrency import run_in_threadpool

        report = await run_in_threadpool(service.ingest, records)
        return {"articles": report.articles, "events": report.events, "duplicates": report.duplicates,
                "rejected": [{"origin": bad.origin, "reason": bad.reason} for bad in report.rejected]}

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        page = get_swagger_ui_html(openapi_url="/openapi.json", title="warmonitor API",
                                   swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")
        # The generated page starts Swagger UI from an inline script, which the CSP forbids: the
        # same start-up lives in a file of ours instead.
        html = bytes(page.body).decode()
        start = html.find("<script>\n    const ui")
        if start < 0:
            start = html.rfind("<script>")
        end = html.find("</script>", start) + len("</script>")
        html = html[:start] + '<script src="/static/docs.js"></script>' + html[end:]
        return HTMLResponse(html)

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(WEB / "index.html", media_type="text/html")


def _authorise(request: Request, settings: Settings) -> None:
    if not settings.api_token:
        raise ApiError(403, "writing_disabled", "writing is off: start the server with the setting api_token "
                                                "(WARMONITOR_API_TOKEN) to accept articles")
    given = request.headers.get("authorization", "")
    scheme, _, token = given.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "token_required", "send the API token as 'Authorization: Bearer TOKEN'")
    if not hmac.compare_digest(token.strip().encode(), settings.api_token.encode()):
        raise ApiError(401, "token_invalid", "the API token is wrong")


async def _bounded_body(request: Request) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ApiError(413, "body_too_large", f"a request body may hold at most {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000,
          ready: Callable[[], None] = lambda: None) -> None:
    """Open the database, call ``ready``, then serve until interrupted."""
    import uvicorn

    app = create_app(settings)
    ready()
    uvicorn.run(app, host=host, port=port, log_level="warning")

