"""The pipeline: stages chain and declare what they touch; a bad article never costs the batch."""

from __future__ import annotations

import ast
import dataclasses
import json
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from warmonitor.errors import BadArticle, PipelineError
from warmonitor.ingest import parse_date
from warmonitor.model import ActorMention, Analysis, Article, Event, Evidence, PlaceMention, Sentence
from warmonitor.pipeline import DEFAULT_STAGES, Pipeline, model_fields, validate
from warmonitor.resources import Resources
from warmonitor.stages import dedup, parse
from warmonitor.stages.base import ArticleStage, BatchStage, Stage

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "warmonitor" / "data" / "samples"


def _stages(*names: str) -> list[Stage]:
    by_name = {stage.name: stage for stage in DEFAULT_STAGES}
    return [by_name[name] for name in names]


# --- declarations are checked when a pipeline is built ----------------------------------------------

def test_default_stages_validate_in_order() -> None:
    validate(DEFAULT_STAGES)
    assert [stage.name for stage in DEFAULT_STAGES] == ["text", "classify", "parse", "actors", "events", "places", "dates", "dedup"]


@pytest.mark.parametrize("reader", ["places", "dates", "dedup"])
def test_stage_reading_events_before_the_events_stage(reader: str) -> None:
    with pytest.raises(PipelineError, match="events"):
        validate(_stages("text", "parse", "actors", reader, "events"))


def test_missing_stage_is_refused() -> None:
    with pytest.raises(PipelineError, match="docs"):
        validate(_stages("text", "actors", "events"))


def test_pipeline_refuses_misordered_stages_when_built(pipeline: Pipeline) -> None:
    with pytest.raises(PipelineError):
        Pipeline(pipeline.resources, tuple(_stages("text", "parse", "actors", "places", "events")))


def test_pipeline_error_has_a_code() -> None:
    with pytest.raises(PipelineError) as raised:
        validate(_stages("events"))
    assert str(raised.value).startswith("[W501]")


def _noop(analysis: Analysis, resources: Resources) -> None:
    return None


@pytest.mark.parametrize(("reads", "writes", "bad"), [
    (("sentences",), ("events.locaton",), "events.locaton"),
    (("sentence",), (), "sentence"),
    (("article.body",), (), "article.body"),
])
def test_a_misspelt_field_fails_at_build(reads: tuple[str, ...], writes: tuple[str, ...], bad: str) -> None:
    stage = ArticleStage("mine", reads=reads, writes=writes, step=_noop)
    with pytest.raises(PipelineError, match=f"'{bad}': not a field of the model"):
        validate([*_stages("text"), stage])


@dataclasses.dataclass
class _Undeclared:
    name: str = "undeclared"

    def __call__(self, batch: Sequence[Analysis], resources: Resources) -> None:
        return None


def test_declarations_are_required() -> None:
    with pytest.raises(PipelineError, match="must declare reads"):
        validate([_Undeclared()])  # type: ignore[list-item]


def test_model_fields_reach_one_level_into_the_model() -> None:
    fields = model_fields()
    assert {"sentences.text", "events.location", "article.id", "article.published", "lead_date"} <= fields
    assert "events.location.lat" not in fields


# --- replacing a stage ----------------------------------------------------------------------------------

def test_a_replacement_stage_of_the_same_name_is_honoured(pipeline: Pipeline) -> None:
    batches: list[int] = []

    def counting_parse(batch: Sequence[Analysis], resources: Resources) -> None:
        batches.append(len(batch))
        parse.run_many(batch, resources)

    replaced = pipeline.replacing(BatchStage("parse", parse.STAGE.reads, parse.STAGE.writes, counting_parse))
    articles = [Article(text=f"Rebels attacked a police post in Kano on Monday, killing {n} officers.",
                        published=date(2024, 1, 2)) for n in (2, 3, 4)]
    results = list(replaced.analyze_many(articles, batch_size=8))
    assert batches == [3]  # the replacement ran, once for the whole batch
    assert all(isinstance(r, Analysis) and r.events for r in results)
    assert [s.name for s in replaced.stages] == [s.name for s in pipeline.stages]


def test_replacing_an_unknown_stage_is_refused(pipeline: Pipeline) -> None:
    with pytest.raises(PipelineError, match="no stage named translate"):
        pipeline.replacing(ArticleStage("translate", (), (), _noop))


# --- one article's failure never costs the others -----------------------------------------------------

def _failing_on(origin: str) -> ArticleStage:
    def step(analysis: Analysis, resources: Resources) -> None:
        if analysis.article.origin == origin:
            raise RuntimeError("stage broke on this article")
        dedup.run(analysis)

    return ArticleStage("dedup", dedup.STAGE.reads, dedup.STAGE.writes, step)


def _articles() -> list[Article]:
    texts = ["Police arrested 12 protesters in Lagos on Monday.",
             "Rebels shelled an army base near Goma on Sunday.",
             "Troops fired on demonstrators in Khartoum on Saturday, killing three."]
    return [Article(text=text, published=date(2024, 1, 2), origin=f"a{i}") for i, text in enumerate(texts)]


def test_a_failing_article_is_retried_alone_and_reported(pipeline: Pipeline) -> None:
    results = list(pipeline.replacing(_failing_on("a1")).analyze_many(_articles(), batch_size=8, on_error="skip"))
    assert [type(r).__name__ for r in results] == ["Analysis", "BadArticle", "Analysis"]
    bad = results[1]
    assert isinstance(bad, BadArticle) and bad.origin == "a1"
    assert bad.reason == "pipeline error: RuntimeError: stage broke on this article"
    good = [r for r in results if isinstance(r, Analysis)]
    assert [a.article.origin for a in good] == ["a0", "a2"]
    assert all(a.events for a in good)  # the good articles were fully analysed, not dropped


def test_the_raise_policy_raises(pipeline: Pipeline) -> None:
    with pytest.raises(RuntimeError, match="stage broke"):
        list(pipeline.replacing(_failing_on("a1")).analyze_many(_articles(), on_error="raise"))


def test_bad_input_records_pass_through_in_order(pipeline: Pipeline) -> None:
    first, second, _ = _articles()
    bad = BadArticle("broken.jsonl:2", "malformed JSON")
    results = list(pipeline.analyze_many([first, bad, second], on_error="skip"))
    assert [getattr(r, "origin", None) or r.article.origin for r in results] == ["a0", "broken.jsonl:2", "a1"]  # type: ignore[union-attr]
    with pytest.raises(BadArticle):
        list(pipeline.analyze_many([first, bad], on_error="raise"))


# --- declarations match what the stages really touch ------------------------------------------------

# Where each traced class sits in the model: its attributes are reported as "<path>.<attribute>".
_PATHS: dict[type, str] = {Analysis: "", Article: "article", Sentence: "sentences", Event: "events",
                           ActorMention: "actors", PlaceMention: "places", Evidence: "events.evidence"}


class _Tracer:
    """Records which model attributes a stage reads and writes, by patching the model classes."""

    def __init__(self) -> None:
        self.reads: set[str] = set()
        self.writes: set[str] = set()
        self.on = False
        self._in_property = 0

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for cls, path in _PATHS.items():
            names = {f.name for f in dataclasses.fields(cls)}
            properties = {n for n, v in vars(cls).items() if isinstance(v, property)}
            monkeypatch.setattr(cls, "__getattribute__", self._getter(path, names, properties, cls is Evidence))
            monkeypatch.setattr(cls, "__setattr__", self._setter(path, names))

    def _name(self, path: str, attribute: str) -> str:
        return f"{path}.{attribute}" if path and not path.endswith(".evidence") else (path or attribute)

    def _getter(self, path: str, names: set[str], properties: set[str], write_only: bool) -> Any:
        def get(obj: Any, attribute: str) -> Any:
            if not (self.on and not self._in_property and (attribute in names or attribute in properties)):
                return object.__getattribute__(obj, attribute)
            if not write_only:
                self.reads.add(self._name(path, attribute))
            if attribute not in properties:
                return object.__getattribute__(obj, attribute)
            self._in_property += 1  # "article.id" reads the text inside: that is the property's business
            try:
                return object.__getattribute__(obj, attribute)
            finally:
                self._in_property -= 1
        return get

    def _setter(self, path: str, names: set[str]) -> Any:
        def set_(obj: Any, attribute: str, value: Any) -> None:
            if self.on and attribute in names:
                self.writes.add(self._name(path, attribute))
            object.__setattr__(obj, attribute, value)
        return set_

    def run(self, stage: Stage, batch: list[Analysis], resources: Resources) -> tuple[set[str], set[str]]:
        self.reads, self.writes = set(), set()
        self.on = True
        try:
            stage(batch, resources)
        finally:
            self.on = False
        return self.reads, self.writes


def _read_covered(observed: str, declared: set[str]) -> bool:
    """A read is declared when it, an object holding it, or a field reached through it is named."""
    return any(observed == d or observed.startswith(d + ".") or d.startswith(observed + ".") for d in declared)


def _write_covered(observed: str, declared: set[str]) -> bool:
    return any(observed == d or observed.startswith(d + ".") for d in declared)


# Rarer paths the samples may not take: an arrest with no arrester names no actor (implied police);
# a casualty report whose toll belongs to the attack in the sentence before.
_EXTRA = ["More than 40 people were arrested in Kisumu on Tuesday after the vote, officials said.",
          "Army helicopters bombed a rebel camp near Kidal on Monday. Six fighters were killed, the army said."]


def _sample_articles() -> list[Article]:
    articles = [Article(text=text, published=date(2024, 1, 2), origin=f"extra-{i}") for i, text in enumerate(_EXTRA)]
    for name in ("articles.jsonl", "articles-lowercase.jsonl"):
        for line in (SAMPLES / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            articles.append(Article(text=row["text"], published=parse_date(row["date"]), origin=row["id"]))
    return articles


@pytest.fixture(scope="module")
def traced(pipeline: Pipeline) -> Iterator[dict[str, tuple[set[str], set[str]]]]:
    batch = [Analysis(article) for article in _sample_articles()]
    tracer = _Tracer()
    with pytest.MonkeyPatch.context() as monkeypatch:
        tracer.install(monkeypatch)
        yield {stage.name: tracer.run(stage, batch, pipeline.resources) for stage in pipeline.stages}


@pytest.mark.parametrize("stage", DEFAULT_STAGES, ids=lambda stage: stage.name)
def test_a_stage_touches_only_what_it_declares(traced: dict[str, tuple[set[str], set[str]]], stage: Stage) -> None:
    reads, writes = traced[stage.name]
    declared_reads, declared_writes = set(stage.reads), set(stage.writes)
    assert not {r for r in reads if not _read_covered(r, declared_reads | declared_writes)}, "undeclared reads"
    assert not {w for w in writes if not _write_covered(w, declared_writes)}, "undeclared writes"


@pytest.mark.parametrize("stage", DEFAULT_STAGES, ids=lambda stage: stage.name)
def test_a_stage_touches_everything_it_declares(traced: dict[str, tuple[set[str], set[str]]], stage: Stage) -> None:
    reads, writes = traced[stage.name]
    assert not [d for d in stage.reads if not any(r == d or r.startswith(d + ".") for r in reads)], "declared, never read"
    assert not [d for d in stage.writes if not any(w == d or w.startswith(d + ".") for w in writes)], "declared, never written"


# --- provenance is data: no coding decision reads an explanation --------------------------------------

_TEXT_USES = (ast.Call, ast.keyword, ast.Assign, ast.AnnAssign, ast.FormattedValue, ast.Return, ast.Dict)


def test_no_coding_decision_reads_an_explanation_string() -> None:
    """``rule`` texts are generated for people. Code may pass them on (into Evidence, an f-string,
    an assignment) but never test them: a comparison, ``in``, ``startswith`` or ``or`` on a rule
    would make rewording an explanation change the coding."""
    offenders = []
    for path in sorted((ROOT / "warmonitor").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "rule" and isinstance(node.ctx, ast.Load):
                parent = parents[node]
                if not isinstance(parent, _TEXT_USES) or (isinstance(parent, ast.Call) and parent.func is node):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, f"explanation text read by code at {offenders}"


def test_the_checker_catches_a_decision_on_a_rule() -> None:
    code = 'if "main country" in actor.rule:\n    pass\nok = Evidence("f", "w", None, actor.rule)\n'
    tree = ast.parse(code)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    reads = [parents[n] for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "rule"]
    assert [isinstance(p, _TEXT_USES) for p in reads] == [False, True]
