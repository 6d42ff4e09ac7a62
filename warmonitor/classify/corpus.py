"""The project's annotated training snippets: their format, and a loader that refuses bad rows.

One JSON object per line (``warmonitor/data/training/*.jsonl``)::

    {"id": "bat-0001", "text": "...", "event": true,
     "acled_sub_event_type": "Armed clash", "plover_type": "ASSAULT",
     "trigger": "clashed", "actor1": "soldiers", "actor2": "al-Shabaab fighters",
     "status": "occurred", "fatalities": 3,
     "kind": null, "style": "wire", "region": "East Africa", "shape": "cased"}

- ``text``: 1–3 sentences written by the project (or, for ``source: "wikinews"`` rows, empty: the
  text is read from ``../shared/corpora/wikinews`` at ``start``–``end`` of article ``doc``);
- ``event``: whether the text reports a concrete event; non-events name their ``kind``
  (:data:`~warmonitor.classify.labels.NON_EVENT_KINDS`) and carry no types;
- ``acled_sub_event_type``: one of ACLED's 25, or null for a PLOVER-only event;
- ``plover_type``: PLOVER's type of the main event;
- ``trigger``, ``actor1``, ``actor2``: words exactly as they appear in ``text`` (null when absent);
- ``status``, ``fatalities`` (deaths in this event only; null when none are written).

``python -m warmonitor.classify.corpus FILE...`` checks files and prints their label counts.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warmonitor.classify.labels import ACLED_SUB_TYPES, NON_EVENT_KINDS, SHAPES, STATUSES, STYLES, class_of
from warmonitor.errors import WarmonitorError
from warmonitor.model import PLOVER_TYPES

TRAINING = Path(__file__).resolve().parents[1] / "data" / "training"


class CorpusError(WarmonitorError, ValueError):
    """A training row that does not follow the format, with its file and line."""

    code = "W304"


@dataclass(frozen=True, slots=True)
class Snippet:
    id: str
    text: str
    event: bool
    acled_sub_event_type: str | None
    plover_type: str | None
    trigger: str | None
    actor1: str | None
    actor2: str | None
    status: str | None
    fatalities: int | None
    kind: str | None
    style: str
    region: str
    shape: str
    source: str = "project"

    @property
    def label(self) -> str:
        """The classifier's class for this snippet."""
        return class_of(self.acled_sub_event_type, self.plover_type, self.event)

    @property
    def acled_event_type(self) -> str | None:
        return ACLED_SUB_TYPES[self.acled_sub_event_type][0] if self.acled_sub_event_type else None


def _text_field(row: dict[str, Any], name: str, text: str) -> str | None:
    value = row.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise CorpusError(f"{name} must be a string or null")
    if value not in text:
        raise CorpusError(f"{name} {value!r} is not written in the text")
    return value


def snippet_from(row: dict[str, Any], text: str | None = None) -> Snippet:
    """Validate one row; ``text`` overrides the row's own (for rows that point into a corpus)."""
    body = text if text is not None else row.get("text")
    if not isinstance(body, str) or not body.strip():
        raise CorpusError("text is missing")
    if not isinstance(row.get("id"), str) or not row["id"]:
        raise CorpusError("id is missing")
    event = row.get("event")
    if not isinstance(event, bool):
        raise CorpusError("event must be true or false")
    sub, plover, kind = row.get("acled_sub_event_type"), row.get("plover_type"), row.get("kind")
    if event:
        if sub is not None and sub not in ACLED_SUB_TYPES:
            raise CorpusError(f"unknown ACLED sub-event type {sub!r}")
        if plover not in PLOVER_TYPES:
            raise CorpusError(f"unknown PLOVER type {plover!r}")
        if kind is not None:
            raise CorpusError("an event has no non-event kind")
        if row.get("status") not in STATUSES:
            raise CorpusError(f"status must be one of {', '.join(STATUSES)}")
    else:
        if sub is not None or plover is not None:
            raise CorpusError("a non-event carries no types")
        if kind not in NON_EVENT_KINDS:
            raise CorpusError(f"a non-event needs a kind among {', '.join(NON_EVENT_KINDS)}")
    deaths = row.get("fatalities")
    if deaths is not None and (not isinstance(deaths, int) or isinstance(deaths, bool) or deaths < 0):
        raise CorpusError("fatalities must be a whole number or null")
    if row.get("shape") not in SHAPES:
        raise CorpusError(f"shape must be one of {', '.join(SHAPES)}")
    if row.get("shape") != "cased" and body != body.lower():
        raise CorpusError("a lowercased shape must have no capitals")
    if row.get("style") not in STYLES:
        raise CorpusError(f"style must be one of {', '.join(STYLES)}")
    return Snippet(
        id=row["id"], text=body, event=event, acled_sub_event_type=sub if event else None,
        plover_type=plover if event else None,
        trigger=_text_field(row, "trigger", body), actor1=_text_field(row, "actor1", body),
        actor2=_text_field(row, "actor2", body), status=row.get("status") if event else None,
        fatalities=deaths, kind=kind if not event else None, style=row["style"],
        region=str(row.get("region") or ""), shape=row["shape"], source=str(row.get("source") or "project"),
    )


def read_snippets(path: Path, corpus_text: dict[str, str] | None = None) -> Iterator[Snippet]:
    """Every row of one file as a :class:`Snippet`; the first bad row raises with its line number.

    ``corpus_text`` maps a document id to its text, for rows that annotate a corpus sentence by
    offsets; such rows are skipped when it is not given (the corpus is absent)."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text = None
                if row.get("source") == "wikinews":
                    if corpus_text is None or row.get("doc") not in corpus_text:
                        continue
                    text = corpus_text[row["doc"]][int(row["start"]):int(row["end"])]
                yield snippet_from(row, text)
            except (json.JSONDecodeError, CorpusError, KeyError, TypeError, ValueError) as error:
                reason = error.args[0] if isinstance(error, CorpusError) and error.args else error
                raise CorpusError(f"{path}:{number}: {reason}") from error


def read_all(paths: Iterable[Path], corpus_text: dict[str, str] | None = None) -> list[Snippet]:
    """All snippets of several files; ids must be unique across them."""
    snippets: list[Snippet] = []
    seen: set[str] = set()
    for path in paths:
        for snippet in read_snippets(path, corpus_text):
            if snippet.id in seen:
                raise CorpusError(f"{path}: id {snippet.id!r} is used twice")
            seen.add(snippet.id)
            snippets.append(snippet)
    return snippets


def summary(snippets: list[Snippet]) -> str:
    labels = Counter(s.label for s in snippets)
    shapes = Counter(s.shape for s in snippets)
    lines = [f"{len(snippets)} snippets; shapes: {dict(shapes)}"]
    lines += [f"{count:6d}  {label}" for label, count in labels.most_common()]
    kinds = Counter(s.kind for s in snippets if not s.event)
    if kinds:
        lines.append("non-event kinds: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv] or sorted(TRAINING.glob("*.jsonl"))
    try:
        snippets = read_all(paths)
    except CorpusError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(summary(snippets))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
