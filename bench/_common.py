"""Shared helpers for the benchmark scripts: where the data lives, dataset loaders, span scoring,
geodesic distance, research-shape offset mapping and a fault-tolerant pipeline runner.

Third-party data is only ever read from ``../shared`` (override with ``WARMONITOR_SHARED``); nothing
here copies dataset text into the repository.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import sys
import time
import traceback
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from warmonitor.model import Analysis, Article
    from warmonitor.pipeline import Pipeline

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # scripts run as `python bench/NAME.py` from anywhere
    sys.path.insert(0, str(REPO_ROOT))

T = TypeVar("T")

# GeoWebNews toponym types that name a place used as a place (Gritta et al. 2019, "literal" group).
GWN_LITERAL_TYPES: frozenset[str] = frozenset(
    {"Literal", "Literal_Modifier", "Mixed", "Coercion", "Embedded_Literal"}
)
# Real toponyms used non-literally: a prediction on one of these is not a place *used as a place*,
# so the strict precision counts it as a false positive and the lenient precision ignores it.
GWN_NONLITERAL_TOPONYM_TYPES: frozenset[str] = frozenset(
    {"Metonymic", "Non_Literal_Modifier", "Embedded_Non_Lit", "Demonym", "Language", "Homonym", "Non_Toponym"}
)
EARTH_RADIUS_KM = 6371.0088
MAX_ERROR_KM = 20039.0  # half the Earth's circumference: the largest possible error


# --------------------------------------------------------------------------------------------- paths


def shared_dir() -> Path:
    """``../shared`` beside the repository, or ``$WARMONITOR_SHARED``."""
    override = os.environ.get("WARMONITOR_SHARED")
    return Path(override).expanduser().resolve() if override else REPO_ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A file under the shared folder; exits with a clear message when it is missing."""
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        sys.exit(f"missing third-party data: {path} (set WARMONITOR_SHARED to the shared folder)")
    return path


def samples_path() -> Path:
    """The project's own sample articles (may not exist yet)."""
    return REPO_ROOT / "warmonitor" / "data" / "samples" / "articles.jsonl"


# ------------------------------------------------------------------------------------------ loaders


@dataclass(slots=True)
class GoldToponym:
    """One annotated toponym: its span in the text, its type and (when known) its coordinates."""

    start: int
    end: int
    name: str
    type: str
    lat: float | None = None
    lon: float | None = None


@dataclass(slots=True)
class GeoDoc:
    """A geoparsing corpus article with its gold toponyms."""

    doc_id: str
    text: str
    published: date | None
    toponyms: list[GoldToponym]  # every annotated toponym, deduplicated by span
    skipped: int = 0  # annotations whose offsets do not match their text


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def _dedupe_toponyms(toponyms: list[GoldToponym], prefer: Callable[[GoldToponym], bool]) -> list[GoldToponym]:
    """One annotation per span; when a span is annotated twice keep the preferred one."""
    by_span: dict[tuple[int, int], GoldToponym] = {}
    for toponym in toponyms:
        key = (toponym.start, toponym.end)
        if key not in by_span or (prefer(toponym) and not prefer(by_span[key])):
            by_span[key] = toponym
    return sorted(by_span.values(), key=lambda t: (t.start, t.end))


def every_kth(items: Sequence[T], limit: int | None) -> list[T]:
    """A deterministic spread-out sample: every k-th item, ``limit`` at most."""
    if limit is None or limit >= len(items):
        return list(items)
    if limit <= 0:
        return []
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def load_gwn(limit: int | None = None) -> list[GeoDoc]:
    """GeoWebNews (200 articles). Keeps every toponym type; filter with ``GWN_LITERAL_TYPES``."""
    return load_geo_xml(shared_path("datasets", "geowebnews", "GWN.xml"), limit)


def load_lgl(limit: int | None = None) -> list[GeoDoc]:
    """LGL (588 local-news articles); every toponym counts, coordinates from its GeoNames tag."""
    return load_geo_xml(shared_path("datasets", "lgl", "lgl.xml"), limit)


def geo_xml_format(path: Path) -> str:
    """"gwn" or "lgl": which of the two XML formats a file is in (by its toponyms' elements)."""
    return _geo_xml_kind(ET.parse(path).getroot(), path)


def _geo_xml_kind(root: ET.Element, path: Path) -> str:
    node = root.find("article/toponyms/toponym")
    if node is not None and node.find("extractedName") is not None:
        return "gwn"
    if node is not None and node.find("phrase") is not None:
        return "lgl"
    raise ValueError(f"{path}: neither GeoWebNews nor LGL XML (no toponym with extractedName or phrase)")


def load_geo_xml(path: Path, limit: int | None = None) -> list[GeoDoc]:
    """Articles and gold toponyms of a file in the GeoWebNews or the LGL XML format."""
    root = ET.parse(path).getroot()
    kind = _geo_xml_kind(root, path)
    docs: list[GeoDoc] = []
    for number, article in enumerate(root.findall("article")):
        text = article.findtext("text") or ""
        toponyms: list[GoldToponym] = []
        skipped = 0
        for node in article.findall("toponyms/toponym"):
            start, end = int(node.findtext("start") or -1), int(node.findtext("end") or -1)
            name = node.findtext("extractedName" if kind == "gwn" else "phrase") or ""
            if text[start:end] != name:
                skipped += 1
                continue
            if kind == "gwn":
                lat, lon = _float(node.findtext("latitude")), _float(node.findtext("longitude"))
                toponyms.append(GoldToponym(start, end, name, node.findtext("type") or "", lat, lon))
            else:
                gaztag = node.find("gaztag")
                lat = _float(gaztag.findtext("lat")) if gaztag is not None else None
                lon = _float(gaztag.findtext("lon")) if gaztag is not None else None
                toponyms.append(GoldToponym(start, end, name, "toponym", lat, lon))
        if kind == "gwn":
            toponyms = _dedupe_toponyms(toponyms, lambda t: t.type in GWN_LITERAL_TYPES)
            docs.append(GeoDoc(f"gwn:{article.get('file') or number}", text, None, toponyms, skipped))
        else:
            toponyms = _dedupe_toponyms(toponyms, lambda t: t.lat is not None)
            published = _parse_date((article.findtext("dltime") or "")[:10])
            docs.append(GeoDoc(f"lgl:{article.get('docid') or number}", text, published, toponyms, skipped))
    return every_kth(docs, limit)


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a JSON-lines file, skipping blank lines."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def load_sample_articles() -> list[Article]:
    """The project's sample articles (``warmonitor/data/samples/articles.jsonl``), if present."""
    from warmonitor.model import Article

    path = samples_path()
    if not path.exists():
        return []
    articles: list[Article] = []
    for index, record in enumerate(read_jsonl(path)):
        text = record.get("text") or ""
        if not text.strip():
            continue
        articles.append(
            Article(
                text=text,
                published=_parse_date(record.get("date") or record.get("published")),
                title=record.get("title"),
                url=record.get("url"),
                source=record.get("source"),
                origin=f"samples:{record.get('id') or index + 1}",
            )
        )
    return articles


SEED_PUBLISHED = date(2017, 9, 5)


def load_seed_article() -> Article:
    """The shared Reuters seed article (research shape), published 2017-09-05."""
    from warmonitor.model import Article

    path = shared_path("samples", "seed-article.txt")
    return Article(text=path.read_text(encoding="utf-8"), published=SEED_PUBLISHED, origin="seed-article")


# ------------------------------------------------------------------------------------------ scoring


@dataclass(slots=True)
class PRF:
    """Counts and the precision/recall/F1 they give (0.0 when undefined)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def to_dict(self, counts: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"p": round(self.p, 4), "r": round(self.r, 4), "f1": round(self.f1, 4)}
        if counts:
            out.update(tp=self.tp, fp=self.fp, fn=self.fn)
        return out


Interval = tuple[int, int]


def overlap(a: Interval, b: Interval) -> int:
    """Characters shared by two half-open spans."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_spans(
    gold: Sequence[Interval], pred: Sequence[Interval], mode: str = "exact"
) -> list[tuple[int, int]]:
    """One-to-one matching of gold to predicted spans: (gold index, predicted index) pairs.

    ``exact`` pairs identical spans; ``overlap`` pairs spans sharing at least one character,
    greedily by largest overlap so each span is used once.
    """
    if mode == "exact":
        where = {span: index for index, span in enumerate(pred)}
        return [(gi, where[span]) for gi, span in enumerate(gold) if span in where]
    candidates = sorted(
        ((overlap(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred) if overlap(g, p)),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, gi, pi in candidates:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a spherical Earth (mean radius 6,371 km)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def auc_log_error(errors_km: Sequence[float]) -> float | None:
    """Gritta et al.'s AUC of log error (lower is better), in [0, 1].

    Errors sorted ascending, e_1..e_n; y_i = ln(e_i + 1) / ln(20039); AUC = trapezoid area under
    y over x evenly spaced on [0, 1]: sum((y_i + y_{i+1}) / 2) / (n - 1) (y_1 when n == 1).
    """
    if not errors_km:
        return None
    ys = [math.log(e + 1) / math.log(MAX_ERROR_KM) for e in sorted(errors_km)]
    if len(ys) == 1:
        return ys[0]
    return sum((a + b) / 2 for a, b in itertools.pairwise(ys)) / (len(ys) - 1)


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def resolution_summary(errors_km: Sequence[float], within_km: float = 161.0) -> dict[str, Any]:
    """Acc@161, mean and median error and AUC over a list of distance errors."""
    n = len(errors_km)
    auc = auc_log_error(errors_km)
    med = median(errors_km)
    return {
        "acc161": round(sum(e <= within_km for e in errors_km) / n, 4) if n else None,
        "mean_km": round(sum(errors_km) / n, 1) if n else None,
        "median_km": round(med, 1) if med is not None else None,
        "auc": round(auc, 4) if auc is not None else None,
        "n": n,
    }


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


# ----------------------------------------------------------------------------------- research shape


def shape_article(article: Article) -> tuple[Article, list[int]]:
    """The article in research shape (lowercased, tokenized, a sentence a line) and its offsets."""
    from warmonitor.model import Article
    from warmonitor.stages.text import to_research_shape

    shaped, offsets = to_research_shape(article.text)
    origin = f"{article.origin}:lowercased" if article.origin else "lowercased"
    copy = Article(shaped, article.published, article.title, article.url, article.source, origin)
    return copy, offsets


def map_span_back(start: int, end: int, offsets: Sequence[int]) -> Interval | None:
    """A span in research-shaped text as a span of the cased original (None if nothing maps)."""
    mapped = [offsets[i] for i in range(max(start, 0), min(end, len(offsets))) if offsets[i] >= 0]
    if not mapped:
        return None
    return min(mapped), max(mapped) + 1


# --------------------------------------------------------------------------------- running the pipe


def load_pipeline(**settings: Any) -> Pipeline:
    """``Pipeline.default()`` with these settings, timed."""
    from warmonitor.pipeline import Pipeline
    from warmonitor.settings import Settings

    started = time.perf_counter()
    pipe = Pipeline.default(Settings.load(**settings))
    getattr(pipe, "nlp", None)  # spaCy loads on first use; load it here so batches time analysis only
    say(f"pipeline loaded in {time.perf_counter() - started:.1f}s")
    return pipe


@dataclass(slots=True)
class RunResult:
    """Analyses aligned with the input articles (None where the article failed), and the failures."""

    analyses: list[Analysis | None]
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    succeeded: int = 0


@dataclass(slots=True)
class Failure:
    """An article ``pipe.analyze`` raised on, with the traceback's summary."""

    reason: str


def _error_summary(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name}" if frames else "?"
    return f"{type(error).__name__}: {error} (at {where})"


def run_pipeline(
    pipe: Pipeline,
    articles: Sequence[Article],
    batch_size: int = 16,
    label: str = "articles",
    keep: bool = True,
) -> RunResult:
    """Analyze articles with ``pipe.analyze_many`` in batches; a batch that raises is redone article
    by article so one bad article costs only itself. Results are aligned to ``articles``; with
    ``keep=False`` they are dropped once counted (so memory measures the pipeline, not the caller)."""
    result = RunResult([None] * len(articles))
    started = time.perf_counter()
    last_report = started
    for offset in range(0, len(articles), batch_size):
        batch = list(articles[offset : offset + batch_size])
        try:
            analyses: list[Any] = list(pipe.analyze_many(batch))
        except Exception:  # a benchmark reports failures, it does not stop on them
            analyses = []
            for article in batch:
                try:
                    analyses.append(pipe.analyze(article))
                except Exception as error:
                    analyses.append(Failure(_error_summary(error)))
        if len(analyses) == len(batch):
            analyses = [_diagnose(pipe, article, item) for article, item in zip(batch, analyses, strict=True)]
        _align(batch, analyses, result.analyses, offset, result.errors)
        result.succeeded += sum(a is not None for a in result.analyses[offset : offset + batch_size])
        if not keep:
            result.analyses[offset : offset + batch_size] = [None] * len(batch)
        now = time.perf_counter()
        done = min(offset + batch_size, len(articles))
        if now - last_report > 10 or done == len(articles):
            say(f"  {label}: {done}/{len(articles)} in {now - started:.1f}s ({len(result.errors)} errors)")
            last_report = now
    result.seconds = time.perf_counter() - started
    return result


def _align(
    batch: list[Article], results: list[Any], out: list[Analysis | None], offset: int, errors: list[str]
) -> None:
    """Put each analysis at its article's index. ``analyze_many`` yields one item per article in
    input order, an analysis or a ``BadArticle`` (the pipeline's per-article failure)."""
    if len(results) == len(batch):
        for i, (article, item) in enumerate(zip(batch, results, strict=True)):
            if hasattr(item, "events"):
                out[offset + i] = item
            else:
                errors.append(f"{article.origin or article.id}: {_reason(item)}")
        return
    # Fewer or more items than articles: match analyses by identity, then by content id.
    by_identity = {id(article): i for i, article in enumerate(batch)}
    bad = [item for item in results if not hasattr(item, "events")]
    for item in results:
        if not hasattr(item, "events"):
            continue
        index = by_identity.get(id(item.article))
        if index is None or out[offset + index] is not None:
            free = [i for i, a in enumerate(batch) if a.id == item.article.id and out[offset + i] is None]
            index = free[0] if free else None
        if index is not None:
            out[offset + index] = item
    errors.extend(_reason(item) for item in bad)
    missing = sum(out[offset + i] is None for i in range(len(batch))) - len(bad)
    errors.extend(["(an article with no analysis returned)"] * max(missing, 0))


def _diagnose(pipe: Pipeline, article: Article, item: Any) -> Any:
    """A per-article failure the pipeline reported (``BadArticle``) carries no traceback: rerun that
    article alone with ``analyze`` to get where it raised."""
    if hasattr(item, "events") or isinstance(item, Failure) or item.__class__.__name__ != "BadArticle":
        return item
    try:
        return pipe.analyze(article)
    except Exception as error:
        return Failure(_error_summary(error))


def _reason(item: Any) -> str:
    return str(getattr(item, "reason", None) or item)


# ------------------------------------------------------------------------------------------- output


def say(message: str = "") -> None:
    """Progress and tables go to stdout, flushed so they interleave with library logging."""
    print(message, flush=True)


def print_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A plain fixed-width table."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        say(
            "  ".join(
                value.ljust(widths[i]) if i == 0 else value.rjust(widths[i]) for i, value in enumerate(row)
            )
        )
        if n == 0:
            say("  ".join("-" * w for w in widths))


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def report_errors(errors: Sequence[str], show: int = 5) -> None:
    """Summarise per-article pipeline failures."""
    if not errors:
        return
    say(f"{len(errors)} article(s) failed in the pipeline; first {min(show, len(errors))}:")
    for line in errors[:show]:
        say(f"  {line}")


def emit_json(figures: dict[str, Any]) -> None:
    """The script's last output line: one JSON object with its figures."""
    sys.stderr.flush()
    print(json.dumps(figures, ensure_ascii=False, default=str), flush=True)


WORD = re.compile(r"\S*[^\W_]\S*")


def count_words(text: str) -> int:
    """Whitespace-separated tokens containing a letter or digit (punctuation tokens do not count)."""
    return len(WORD.findall(text))
