"""Polite HTTP fetching, for feeds and for the pages their items link to.

The rules a :class:`Fetcher` keeps:

* only ``http`` and ``https`` URLs, redirects included (followed here, one request at a time);
* a User-Agent naming warmonitor and its version;
* at least ``host_interval`` seconds between two requests to one host;
* ``timeout`` seconds to connect and for each read; the whole answer within a few times that;
* a body of at most ``max_bytes``, read in chunks and refused as soon as it grows past the cap;
* on 429, 503 or a failed connection, another try after a wait: the server's ``Retry-After``
  (seconds or an HTTP date) when it gives one, else a doubling back-off; a server asking for
  more than ``max_wait`` is given up on rather than hammered sooner; after ``tries`` tries the
  request fails with the reason.

A timeout is not retried: a server that let one request hang is likely to let the next one hang
too, and each try would cost a whole timeout. Failures are :class:`~warmonitor.errors.FetchError`.

The standard library's urllib does the HTTP, not httpx: httpx is installed only as a test tool,
not a declared dependency, and urllib with its redirect and error handlers left out gives exactly
the control needed here (every redirect and every status seen, bodies read chunk by chunk).
The clock and sleep are injectable so tests never wait for real.
"""

from __future__ import annotations

import http.client
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from warmonitor.errors import FetchError

if TYPE_CHECKING:
    from warmonitor.settings import Settings

SCHEMES = ("http", "https")
_REDIRECTS = (301, 302, 303, 307, 308)
_RETRIED = (429, 503)
_CHUNK = 64 * 1024
# The whole answer must arrive within this many timeouts: a server dripping a byte a second
# never trips the per-read timeout, but it trips this.
_ANSWER_TIMEOUTS = 3


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely to fetch; :meth:`from_settings` reads the ``fetch_*`` settings."""

    user_agent: str
    host_interval: float = 1.0
    timeout: float = 20.0
    max_bytes: int = 5_000_000
    tries: int = 3
    backoff: float = 2.0  # seconds before the second try, doubled for each one after
    max_wait: float = 300.0  # the longest Retry-After obeyed
    max_redirects: int = 5

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        return cls(user_agent=settings.fetch_user_agent, host_interval=settings.fetch_host_interval,
                   timeout=settings.fetch_timeout, max_bytes=settings.fetch_max_bytes, tries=settings.fetch_tries)


@dataclass(frozen=True, slots=True)
class Clock:
    """Time as the fetcher sees it: ``monotonic`` for intervals, ``wall`` (seconds since the epoch)
    for HTTP dates, and ``sleep``. Tests pass a fake one that only advances when slept."""

    monotonic: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True, slots=True)
class Response:
    """A fetched answer: ``status`` is 200-class, or 304 (not modified: no body) after a
    conditional request. ``url`` is where it came from, after redirects; header names are lower case."""

    url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def check_url(url: str) -> str:
    """``url`` if it is an http(s) URL with a host; a FetchError saying why not otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in SCHEMES:
        raise FetchError(url, f"not an http(s) URL (scheme {parts.scheme or 'missing'!r})")
    if not parts.hostname:
        raise FetchError(url, "no host in the URL")
    return url.strip()


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number of seconds, or an HTTP date, taken
    against ``now``, seconds since the epoch); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


class _Refused(Exception):
    """A try that failed in a way worth another: ``wait`` is what the server asked for, if anything."""

    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


class Fetcher:
    """Fetches URLs by a :class:`FetchPolicy`, remembering when it last asked each host."""

    def __init__(self, policy: FetchPolicy, clock: Clock | None = None) -> None:
        self.policy = policy
        self.clock = clock or Clock()
        self._next_turn: dict[str, float] = {}  # host → the earliest time it may be asked again
        # Only the HTTP(S) handlers: no file:, ftp: or data: URL can be opened, and no redirect or
        # error status is acted on behind this class's back.
        self._opener = urllib.request.OpenerDirector()
        for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(), urllib.request.HTTPSHandler()):
            self._opener.add_handler(handler)

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Response:
        """GET ``url`` politely; the answer (200-class, or 304 for a conditional request), else a
        FetchError with the reason."""
        current = check_url(url)
        redirects = 0
        failures = 0
        while True:
            try:
                response = self._try(current, headers or {})
            except _Refused as refused:
                failures += 1
                if failures >= self.policy.tries:
                    raise FetchError(url, f"{refused.reason}; gave up after {failures} tries") from None
                wait = refused.wait if refused.wait is not None else self.policy.backoff * 2 ** (failures - 1)
                if wait > self.policy.max_wait:
                    raise FetchError(url, f"{refused.reason}; the server asks to wait {wait:.0f}s, more than "
                                          f"{self.policy.max_wait:.0f}s") from None
                self._hold(host_of(current), wait)
                continue
            if response.status not in _REDIRECTS:
                return response
            location = response.headers.get("location")
            redirects += 1
            if not location or redirects > self.policy.max_redirects:
                raise FetchError(url, f"HTTP {response.status} with {'too many redirects' if location else 'no Location'}")
            current = check_url(urljoin(current, location))

    def _try(self, url: str, headers: Mapping[str, str]) -> Response:
        """One request: a Response (redirects included), a _Refused worth another try, or a FetchError."""
        self._wait_turn(host_of(url))
        request = urllib.request.Request(url, headers={"User-Agent": self.policy.user_agent, **headers})
        try:
            answer = self._opener.open(request, timeout=self.policy.timeout)
        except TimeoutError:
            raise FetchError(url, f"timed out after {self.policy.timeout:g}s") from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise FetchError(url, f"timed out after {self.policy.timeout:g}s") from None
            if isinstance(error.reason, ssl.SSLError):  # a bad certificate stays bad: no second try
                raise FetchError(url, f"TLS failed: {error.reason}") from None
            raise _Refused(f"cannot connect: {error.reason}") from None
        except (OSError, http.client.HTTPException) as error:
            raise _Refused(f"connection failed: {type(error).__name__}: {error}") from None
        with answer:
            status = int(answer.status)
            found = {name.lower(): value for name, value in answer.headers.items()}
            if status in _RETRIED:
                raise _Refused(f"HTTP {status}", retry_after(found.get("retry-after"), self.clock.wall()))
            if status in _REDIRECTS or status == 304:
                return Response(url, status, found)
            if not 200 <= status < 300:
                raise FetchError(url, f"HTTP {status} {answer.reason}".rstrip())
            return Response(url, status, found, self._body(answer, url, found))

    def _body(self, answer: http.client.HTTPResponse, url: str, headers: Mapping[str, str]) -> bytes:
        cap = self.policy.max_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(url, f"{int(declared):,} bytes; more than the cap of {cap:,}")
        deadline = self.clock.monotonic() + self.policy.timeout * _ANSWER_TIMEOUTS
        chunks: list[bytes] = []
        size = 0
        try:
            while chunk := answer.read(_CHUNK):
                size += len(chunk)
                if size > cap:
                    raise FetchError(url, f"more than the cap of {cap:,} bytes")
                if self.clock.monotonic() > deadline:
                    raise FetchError(url, f"the answer took more than {self.policy.timeout * _ANSWER_TIMEOUTS:g}s")
                chunks.append(chunk)
        except TimeoutError:
            raise FetchError(url, f"timed out after {self.policy.timeout:g}s reading the answer") from None
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(url, f"the answer broke off: {type(error).__name__}: {error}") from None
        return b"".join(chunks)

    def _wait_turn(self, host: str) -> None:
        """Sleep until ``host`` may be asked again, then book its next turn."""
        now = self.clock.monotonic()
        ready = self._next_turn.get(host, now)
        if ready > now:
            self.clock.sleep(ready - now)
            now = self.clock.monotonic()
        self._next_turn[host] = now + self.policy.host_interval

    def _hold(self, host: str, wait: float) -> None:
        """Ask ``host`` nothing for ``wait`` seconds (a Retry-After, a back-off)."""
        self._next_turn[host] = max(self._next_turn.get(host, 0.0), self.clock.monotonic() + wait)
