"""Helpers shared by tests."""

from __future__ import annotations

import os
from typing import Any, NoReturn

import pytest

from warmonitor.ingest import parse_date
from warmonitor.model import Actor, Analysis, Article, Event, Span
from warmonitor.pipeline import Pipeline


def analyze(pipeline: Pipeline, text: str, published: str | None = "2024-01-02") -> Analysis:
    """Run the whole pipeline over one article written in a test."""
    return pipeline.analyze(Article(text=text, published=parse_date(published), origin="<test>"))


def both(cased: str, lowered: str) -> list[Any]:
    """The same article in the two shapes warmonitor reads."""
    return [pytest.param(cased, id="cased"), pytest.param(lowered, id="lowercase")]


def check_shape(analysis: Analysis, text: str) -> None:
    expected = "raw" if any(ch.isupper() for ch in text) else "tokenized-lowercase"
    assert analysis.shape == expected


def spanned(analysis: Analysis, span: Span) -> str:
    """The article's own words at a span."""
    return analysis.article.text[span.start : span.end]


def mentions(analysis: Analysis, canonical: str) -> list[Actor]:
    return [m.actor for m in analysis.actors if m.actor.canonical == canonical]


def only_event(analysis: Analysis, trigger: str) -> Event:
    """The one event named by ``trigger``; fails listing what was found otherwise."""
    found = [e for e in analysis.events if e.trigger.lower() == trigger]
    assert len(found) == 1, [(e.trigger, e.plover_type) for e in analysis.events]
    return found[0]


def unavailable(reason: str, required_by: str) -> NoReturn:
    """Skip a test that needs a server or a browser this machine lacks, saying why; fail instead
    where the environment variable ``required_by`` is set (CI sets it: there it must run)."""
    if os.environ.get(required_by):
        pytest.fail(reason)
    pytest.skip(reason)
