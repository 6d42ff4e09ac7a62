"""Training snippets: the row format's checks, and the shipped files' size, balance and variety."""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from warmonitor.classify import corpus
from warmonitor.classify.corpus import CorpusError, Snippet, read_all, read_snippets, snippet_from
from warmonitor.classify.features import words
from warmonitor.classify.labels import ACLED_SUB_TYPES, NONE, PLOVER_ONLY

# A row written for these tests.
GOOD: dict[str, Any] = {
    "id": "t-0001", "text": "Herders clashed with a village militia near Dongo on Sunday, leaving 4 dead.",
    "event": True, "acled_sub_event_type": "Armed clash", "plover_type": "ASSAULT", "trigger": "clashed",
    "actor1": "Herders", "actor2": "a village militia", "status": "occurred", "fatalities": 4, "kind": None,
    "style": "local", "region": "Central Africa", "shape": "cased",
}
NON_EVENT: dict[str, Any] = {
    "id": "t-0002", "text": "the home side fought back in the second half but lost the derby 2-1 .",
    "event": False, "acled_sub_event_type": None, "plover_type": None, "trigger": None, "actor1": None,
    "actor2": None, "status": None, "fatalities": None, "kind": "sports", "style": "wire", "region": "",
    "shape": "lower_tokenized",
}


def row(base: dict[str, Any] = GOOD, **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


# --- one row -------------------------------------------------------------------------------------------


def test_a_good_event_row() -> None:
    snippet = snippet_from(row())
    assert snippet.id == "t-0001"
    assert snippet.label == "Armed clash"
    assert snippet.acled_event_type == "Battles"
    assert (snippet.trigger, snippet.actor1, snippet.actor2) == ("clashed", "Herders", "a village militia")
    assert snippet.fatalities == 4 and snippet.status == "occurred" and snippet.kind is None
    assert snippet.source == "project"


def test_a_good_non_event_row() -> None:
    snippet = snippet_from(row(NON_EVENT))
    assert snippet.label == NONE and not snippet.event
    assert snippet.kind == "sports" and snippet.plover_type is None and snippet.status is None


def test_a_plover_only_event_row() -> None:
    snippet = snippet_from(row(acled_sub_event_type=None, plover_type="CONSULT", fatalities=None,
                               text="Envoys of the two herder unions met in Dongo on Sunday.", trigger="met",
                               actor1="Envoys of the two herder unions", actor2=None))
    assert snippet.label == "PLOVER:CONSULT" and snippet.acled_event_type is None


def test_empty_optional_words_are_null() -> None:
    snippet = snippet_from(row(actor2="", trigger=None))
    assert snippet.actor2 is None and snippet.trigger is None


def test_text_override_is_checked_instead_of_the_row_text() -> None:
    snippet = snippet_from(row(text=""), text="Herders clashed with a village militia at dawn.")
    assert snippet.text == "Herders clashed with a village militia at dawn."


@pytest.mark.parametrize(("changes", "message"), [
    ({"trigger": "fought"}, "trigger 'fought' is not written in the text"),
    ({"actor2": "the army"}, "actor2 'the army' is not written in the text"),
    ({"shape": "lower_prose"}, "a lowercased shape must have no capitals"),
    ({"shape": "lower_tokenized"}, "a lowercased shape must have no capitals"),
    ({"acled_sub_event_type": "Armed skirmish"}, "unknown ACLED sub-event type 'Armed skirmish'"),
    ({"plover_type": "FIGHT"}, "unknown PLOVER type 'FIGHT'"),
    ({"kind": "sports"}, "an event has no non-event kind"),
    ({"status": "rumoured"}, "status must be one of"),
    ({"fatalities": -2}, "fatalities must be a whole number or null"),
    ({"fatalities": "four"}, "fatalities must be a whole number or null"),
    ({"fatalities": 2.5}, "fatalities must be a whole number or null"),
    ({"fatalities": True}, "fatalities must be a whole number or null"),
    ({"event": "yes"}, "event must be true or false"),
    ({"text": "   "}, "text is missing"),
    ({"id": ""}, "id is missing"),
    ({"style": "blog"}, "style must be one of"),
    ({"shape": "upper"}, "shape must be one of"),
])
def test_bad_event_rows_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(CorpusError, match=r"^\[W304\] " + re.escape(message)):
        snippet_from(row(**changes))


@pytest.mark.parametrize(("changes", "message"), [
    ({"kind": None}, "a non-event needs a kind among sports, business"),
    ({"kind": "gossip"}, "a non-event needs a kind among"),
    ({"plover_type": "ASSAULT"}, "a non-event carries no types"),
    ({"acled_sub_event_type": "Armed clash"}, "a non-event carries no types"),
    ({"fatalities": -1}, "fatalities must be a whole number or null"),
])
def test_bad_non_event_rows_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(CorpusError, match=r"^\[W304\] " + re.escape(message)):
        snippet_from(row(NON_EVENT, **changes))


# --- files ---------------------------------------------------------------------------------------------


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in rows), encoding="utf-8")
    return path


def test_read_all_reads_several_files(tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", [row()])
    second = write_jsonl(tmp_path / "b.jsonl", [row(NON_EVENT)])
    assert [s.id for s in read_all([first, second])] == ["t-0001", "t-0002"]


def test_read_all_refuses_an_id_used_in_two_files(tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", [row(), row(NON_EVENT)])
    second = write_jsonl(tmp_path / "b.jsonl", [row(NON_EVENT, id="t-0003"), row(id="t-0002")])
    with pytest.raises(CorpusError, match=r"b\.jsonl: id 't-0002' is used twice"):
        read_all([first, second])


def test_read_snippets_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(row()) + "\n\n" + json.dumps(row(id="t-9", trigger="ambushed")) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.jsonl:3: trigger 'ambushed' is not written in the text"):
        list(read_snippets(path))


def test_read_snippets_names_a_line_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps(row()) + "\n{\"id\": \"t-2\", \n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"broken\.jsonl:2: "):
        list(read_snippets(path))


def test_corpus_rows_are_skipped_without_the_corpus_and_read_with_it(tmp_path: Path) -> None:
    pointer = row(id="wn-1", text="", source="wikinews", doc="42", start=10, end=58)
    path = write_jsonl(tmp_path / "wn.jsonl", [pointer])
    assert list(read_snippets(path)) == []
    article = "Earlier: " + " Herders clashed with a village militia at dawn." + " More later."
    snippets = list(read_snippets(path, {"42": article}))
    assert [s.text for s in snippets] == [article[10:58]] and snippets[0].source == "wikinews"


# --- the shipped training files ------------------------------------------------------------------------

SHINGLE = 5
NEAR_DUPLICATE = 0.6


@dataclass
class Shipped:
    """The shipped snippets that validate, and every row that does not (file:line: reason)."""

    snippets: list[Snippet]
    errors: list[str]


@pytest.fixture(scope="module")
def shipped_files() -> Shipped:
    """Read row by row so that one bad row does not hide the other checks' findings."""
    paths = sorted(corpus.TRAINING.glob("*.jsonl"))
    assert paths, f"no training files in {corpus.TRAINING}"
    snippets: list[Snippet] = []
    errors: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                raw = json.loads(line)
                if raw.get("source") == "wikinews":
                    continue  # annotates a corpus sentence that is not beside the project
                snippet = snippet_from(raw)
            except (json.JSONDecodeError, CorpusError, AttributeError) as error:
                errors.append(f"{where}: {error}")
                continue
            if snippet.id in seen:
                errors.append(f"{where}: id {snippet.id!r} already used at {seen[snippet.id]}")
                continue
            seen[snippet.id] = where
            snippets.append(snippet)
    return Shipped(snippets, errors)


@pytest.fixture(scope="module")
def shipped(shipped_files: Shipped) -> list[Snippet]:
    return shipped_files.snippets


def test_shipped_files_all_validate(shipped_files: Shipped) -> None:
    listed = "\n".join(f"  {error}" for error in shipped_files.errors[:30])
    assert not shipped_files.errors, f"{len(shipped_files.errors)} bad training row(s):\n{listed}"
    assert len(read_all(sorted(corpus.TRAINING.glob("*.jsonl")))) == len(shipped_files.snippets)


def test_shipped_files_are_large_enough(shipped: list[Snippet]) -> None:
    assert len(shipped) >= 5000, f"only {len(shipped)} valid training snippets"


def test_every_acled_sub_type_has_enough_snippets(shipped: list[Snippet]) -> None:
    labels = Counter(s.label for s in shipped)
    short = {name: labels[name] for name in ACLED_SUB_TYPES if labels[name] < 150}
    assert not short, f"ACLED sub-types with fewer than 150 snippets: {short}"


def test_every_plover_only_type_has_enough_snippets(shipped: list[Snippet]) -> None:
    labels = Counter(s.label for s in shipped)
    short = {name: labels[f"PLOVER:{name}"] for name in PLOVER_ONLY if labels[f"PLOVER:{name}"] < 80}
    assert not short, f"PLOVER-only types with fewer than 80 snippets: {short}"


def test_enough_non_events(shipped: list[Snippet]) -> None:
    count = sum(not s.event for s in shipped)
    assert count >= 1500, f"only {count} non-event snippets"


def test_enough_lowercase_shapes(shipped: list[Snippet]) -> None:
    lowered = sum(s.shape != "cased" for s in shipped)
    assert lowered >= 0.25 * len(shipped), f"{lowered} of {len(shipped)} snippets are in a lowercase shape"


def shingles(text: str) -> frozenset[tuple[str, ...]]:
    """Word 5-grams of a text, compared the same way in every shape (a text shorter than five words
    is one shingle)."""
    tokens = words(text)
    if len(tokens) < SHINGLE:
        return frozenset({tuple(tokens)}) if tokens else frozenset()
    return frozenset(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def near_duplicates(snippets: list[Snippet], threshold: float) -> list[tuple[str, str, float]]:
    """Pairs of snippets whose shingle sets have Jaccard similarity above ``threshold``.

    Candidates come from an inverted index (shingle → snippets) over each set's prefix of its rarest
    shingles: two sets with Jaccard ≥ t must share one of the first |A| - ceil(t·|A|) + 1 of them."""
    sets = [shingles(s.text) for s in snippets]
    frequency: Counter[tuple[str, ...]] = Counter(shingle for found in sets for shingle in found)
    index: defaultdict[tuple[str, ...], list[int]] = defaultdict(list)
    candidates: set[tuple[int, int]] = set()
    for number, found in enumerate(sets):
        ordered = sorted(found, key=lambda shingle: (frequency[shingle], shingle))
        prefix = len(ordered) - math.ceil(threshold * len(ordered)) + 1
        for shingle in ordered[:prefix]:
            for other in index[shingle]:
                candidates.add((other, number))
            index[shingle].append(number)
    pairs: list[tuple[str, str, float]] = []
    for first, second in sorted(candidates):
        union = len(sets[first] | sets[second])
        similarity = len(sets[first] & sets[second]) / union if union else 0.0
        if similarity > threshold:
            pairs.append((snippets[first].id, snippets[second].id, round(similarity, 3)))
    return pairs


def test_near_duplicate_finder() -> None:
    base = "armed men on motorbikes attacked a cattle market outside the town and burned twelve stalls before dawn"
    texts = [
        base,
        "the regional assembly voted to extend the school year by two weeks after the long strike by teachers",
        base.replace("before dawn", "before noon").upper(),  # 12 of 14 shingles shared: 0.857
        base.replace("twelve", "eleven"),  # 9 of 17 shared: 0.529
    ]
    made = [snippet_from(row(NON_EVENT, id=f"d-{n}", text=text, kind="other", shape="cased")) for n, text in enumerate(texts)]
    assert near_duplicates(made, NEAR_DUPLICATE) == [("d-0", "d-2", 0.857)]
    assert [pair[:2] for pair in near_duplicates(made, 0.5)] == [("d-0", "d-2"), ("d-0", "d-3"), ("d-2", "d-3")]
    assert near_duplicates(made, 0.9) == []


def test_no_near_duplicate_snippets(shipped: list[Snippet]) -> None:
    pairs = near_duplicates(shipped, NEAR_DUPLICATE)
    listed = "\n".join(f"  {first} ~ {second} (Jaccard {similarity})" for first, second, similarity in pairs[:50])
    assert not pairs, f"{len(pairs)} near-duplicate pair(s) of snippets (word 5-gram Jaccard > {NEAR_DUPLICATE}):\n{listed}"
