"""Helpers shared by tests."""

from __future__ import annotations

from warmonitor.ingest import parse_date
from warmonitor.model import Analysis, Article
from warmonitor.pipeline import Pipeline


def analyze(pipeline: Pipeline, text: str, published: str | None = "2024-01-02") -> Analysis:
    """Run the whole pipeline over one article written in a test."""
    return pipeline.analyze(Article(text=text, published=parse_date(published), origin="<test>"))
