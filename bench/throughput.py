"""Full-pipeline throughput: articles/s and words/s, against spaCy's tokenizer alone, and peak RSS.

Corpus: the shared seed article (research shape, published 2017-09-05) and the project's sample
articles (warmonitor/data/samples/articles.jsonl, cased) plus their research shapes, cycled to
``--articles`` (default 1,000). One untimed warm-up pass over the distinct articles comes first
(it also collects each article's readable sentences); then ``pipe.analyze_many`` runs over the
whole cycled corpus in batches, timed with a monotonic clock.

Words are whitespace-separated tokens that contain a letter or digit, counted on the article text
as given. Tokenizer-only: ``pipe.nlp.tokenizer`` (or ``spacy.blank("en").tokenizer`` when the
pipeline does not expose one) over the same readable sentences, the same number of articles.
Peak RSS is ``ru_maxrss`` of this process (model and gazetteer included).

    .venv/bin/python bench/throughput.py [--articles N] [--batch-size B]
"""

from __future__ import annotations

import argparse
import itertools
import resource
import time
from typing import TYPE_CHECKING, Any

from _common import (
    count_words,
    emit_json,
    load_pipeline,
    load_sample_articles,
    load_seed_article,
    report_errors,
    run_pipeline,
    say,
    shape_article,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from warmonitor.model import Article
    from warmonitor.pipeline import Pipeline


def distinct_articles() -> list[Article]:
    """The seed article, the cased samples and the samples' research shapes."""
    samples = load_sample_articles()
    if not samples:
        say("note: warmonitor/data/samples/articles.jsonl not found; the corpus is the seed article only")
    return [load_seed_article(), *samples, *(shape_article(article)[0] for article in samples)]


def tokenizer_of(pipe: Pipeline) -> tuple[Callable[[str], Any], str]:
    """The pipeline's spaCy tokenizer, or a blank English one when it does not expose it."""
    nlp = getattr(pipe, "nlp", None)
    tokenizer = getattr(nlp, "tokenizer", None)
    if tokenizer is not None:
        return tokenizer, "pipe.nlp.tokenizer"
    import spacy

    return spacy.blank("en").tokenizer, 'spacy.blank("en").tokenizer (pipe.nlp.tokenizer not available)'


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (Linux reports ru_maxrss in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="articles to analyze (cycled corpus)")
    parser.add_argument("--limit", type=int, default=None, help="alias of --articles")
    parser.add_argument("--batch-size", type=int, default=64, help="articles per analyze_many call")
    args = parser.parse_args()
    total = args.limit or args.articles

    pipe = load_pipeline()
    distinct = distinct_articles()
    say(f"{len(distinct)} distinct articles; warm-up pass")
    warm = run_pipeline(pipe, distinct, batch_size=args.batch_size, label="warm-up")
    sentences = [[s.text for s in a.sentences] if a is not None else [] for a in warm.analyses]
    words_of = [count_words(article.text) for article in distinct]

    order = list(itertools.islice(itertools.cycle(range(len(distinct))), total))
    corpus = [distinct[i] for i in order]
    words = sum(words_of[i] for i in order)
    say(f"timed run: {total} articles, {words} words, batch size {args.batch_size}")
    run = run_pipeline(pipe, corpus, batch_size=args.batch_size, label="analyze_many", keep=False)
    report_errors(run.errors)
    seconds = run.seconds

    tokenizer, tokenizer_name = tokenizer_of(pipe)
    say(f"tokenizer only: {tokenizer_name}")
    started = time.perf_counter()
    for i in order:
        for text in sentences[i]:
            tokenizer(text)
    tokenizer_seconds = time.perf_counter() - started

    figures: dict[str, Any] = {
        "articles_per_s": round(total / seconds, 2),
        "words_per_s": round(words / seconds, 1),
        "tokenizer_words_per_s": round(words / tokenizer_seconds, 1) if tokenizer_seconds else None,
        "peak_rss_mb": peak_rss_mb(),
        "articles": total,
        "words": words,
        "seconds": round(seconds, 2),
    }
    if run.errors:
        say(f"warning: {len(run.errors)} of {total} articles failed; they are included in the timing")
    say(
        f"pipeline: {figures['articles_per_s']} articles/s, {figures['words_per_s']} words/s; "
        f"tokenizer: {figures['tokenizer_words_per_s']} words/s; peak RSS {figures['peak_rss_mb']} MB"
    )
    emit_json(figures)


if __name__ == "__main__":
    main()
