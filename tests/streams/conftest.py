"""Fixtures of the stream tests: a loopback site and a fake clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .site import FakeClock, Site, serve


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def site(clock: FakeClock) -> Iterator[Site]:
    yield from serve(Site(clock=clock))
