"""Training the event classifier: from the project's snippets, or from a user's ACLED export.

Both are deterministic: the same data gives the same model, byte for byte. scikit-learn's
logistic regression (L-BFGS, multinomial) fits the weights; the result is stored as plain arrays
(:class:`~warmonitor.classify.model.LinearModel`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from warmonitor.classify.corpus import TRAINING, Snippet, read_all
from warmonitor.classify.features import BUCKETS, WORD_GROUPS, FeatureLexicon, features, hashed
from warmonitor.classify.labels import ACLED_SUB_TYPES, NONE
from warmonitor.classify.model import SHIPPED, LinearModel, ModelError
from warmonitor.dictionaries import BUILTIN, Dictionaries
from warmonitor.scores import FieldScore

DETECTOR_C = 30.0
TYPER_C = 100.0
ACLED_C = 100.0  # chosen on a quarter of the train split held out (note accuracy 0.894 at C=10, 0.911 at 100, 0.913 at 300)
EVENT = "event"
FEATURE_DICTIONARIES = ("actors.csv", "agents.csv", "verbs.csv", "nouns.csv", "cues.toml")
PRUNE_BELOW = 0.03  # weights smaller than this in every class are dropped (a smaller model, the same decisions)
TEST_SHARE = 5  # one snippet in five is held out, chosen by a hash of its id
_CODER_TAG = re.compile(r"\s*\[size=[^\]]*\]\s*$")
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_LONGEST_ACTOR = 4  # words
# Letters for invented group names: a name made of them is in no dictionary, as most armed groups,
# militias and local bodies in real news are not.
_NAME_LETTERS = "BCDFGKLMNPRSTVZ"
_NAME_VOWELS = "AEIOU"


def is_test(snippet_id: str) -> bool:
    """The held-out fifth: fixed by the id, so adding snippets never moves old ones."""
    return zlib.crc32(snippet_id.encode("utf-8")) % TEST_SHARE == 0


def default_lexicon() -> FeatureLexicon:
    """The feature lexicon every model uses: the built-in dictionaries (a user's additions change
    the rules, not the features a model was trained on)."""
    return FeatureLexicon.build(Dictionaries.load(None))


def invented_name(seed: int) -> str:
    """A made-up organisation name, fixed by ``seed``: an acronym ("KDPR", "ZUFL-M") or a word
    ("Tavoru")."""
    rng = np.random.default_rng(seed)
    if rng.random() < 0.6:
        name = "".join(rng.choice(list(_NAME_LETTERS), size=int(rng.integers(3, 7))))
        return name + ("-" + str(rng.choice(list(_NAME_LETTERS))) if rng.random() < 0.3 else "")
    syllables = [str(rng.choice(list(_NAME_LETTERS))) + str(rng.choice(list(_NAME_VOWELS)))
                 for _ in range(int(rng.integers(2, 4)))]
    return "".join(syllables).capitalize()


def with_unknown_actor(text: str, lexicon: FeatureLexicon, seed: int) -> str | None:
    """``text`` with its first dictionary actor ("the militants", "police") replaced by an invented
    name, or None when it names none. The detector learns from these copies as well as from the
    snippets themselves, so that "CODECO killed 3 civilians" reads as an event although no dictionary
    knows CODECO: without them it learns that an event needs an actor the dictionaries know."""
    lowered = text.lower()
    found = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(lowered)]
    for first in range(len(found)):
        for length in range(min(_LONGEST_ACTOR, len(found) - first), 0, -1):
            phrase = tuple(word for _start, _end, word in found[first : first + length])
            if any(name.startswith("actor:") for name in lexicon.phrases.get(phrase, ())):
                start, end = found[first][0], found[first + length - 1][1]
                name = invented_name(seed)
                return text[:start] + (name if text != lowered else name.lower()) + text[end:]
    return None


def fit(texts: Sequence[str], labels: Sequence[str], lexicon: FeatureLexicon, c: float = TYPER_C,
        card: dict[str, Any] | None = None) -> LinearModel:
    """A logistic-regression model of ``labels`` from ``texts``."""
    return fit_rows([hashed(features(text, lexicon)) for text in texts], labels, c, card)


def fit_rows(rows: Sequence[list[int]], labels: Sequence[str], c: float, card: dict[str, Any] | None = None) -> LinearModel:
    """A logistic-regression model of ``labels`` from rows of hashed feature buckets."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    used = np.asarray(sorted({bucket for row in rows for bucket in row}), dtype=np.int64)
    column = {int(bucket): index for index, bucket in enumerate(used)}
    indptr: list[int] = [0]
    indices: list[int] = []
    values: list[float] = []
    for row in rows:
        weight = 1.0 / np.sqrt(len(row)) if row else 0.0
        indices.extend(column[b] for b in row)
        values.extend([weight] * len(row))
        indptr.append(len(indices))
    matrix = csr_matrix((np.asarray(values), np.asarray(indices), np.asarray(indptr)), shape=(len(rows), len(used)))
    classifier = LogisticRegression(C=c, max_iter=2000, tol=1e-5)
    classifier.fit(matrix, list(labels))
    classes = tuple(str(name) for name in classifier.classes_)
    weights = classifier.coef_.T.astype(np.float32)
    bias = classifier.intercept_.astype(np.float32)
    if len(classes) == 2:  # scikit-learn keeps one column for two classes
        weights = np.hstack([-weights / 2, weights / 2])
        bias = np.asarray([-bias[0] / 2, bias[0] / 2], dtype=np.float32)
    keep = np.abs(weights).max(axis=1) > PRUNE_BELOW  # near-zero weights change no decision: not stored
    info = dict(card or {}, c=c, buckets=BUCKETS, features_used=int(keep.sum()), training_rows=len(rows),
                scikit_learn=metadata.version("scikit-learn"))
    return LinearModel(classes, used[keep], weights[keep], bias, info)


def write(model: LinearModel, folder: Path) -> None:
    """Save deterministically: fixed zip timestamps, fp16 weights, sorted card keys."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ModelError(f"cannot write a model to {folder}: {error}") from error
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in (("buckets", model.buckets), ("weights", model.weights.astype(np.float16)),
                            ("bias", model.bias)):
            data = io.BytesIO()
            np.save(data, array, allow_pickle=False)
            archive.writestr(zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0)), data.getvalue(),
                             compress_type=zipfile.ZIP_DEFLATED)
    card = dict(model.card, classes=list(model.classes))
    try:
        (folder / "model.npz").write_bytes(buffer.getvalue())
        (folder / "card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                                          encoding="utf-8")
    except OSError as error:
        raise ModelError(f"cannot write a model to {folder}: {error}") from error


# --- scoring ---------------------------------------------------------------------------------------


@dataclass
class SplitScore:
    """How a model does on held-out snippets."""

    total: int = 0
    correct: int = 0
    per_class: dict[str, FieldScore] = field(default_factory=dict)

    def add(self, gold: str, predicted: str) -> None:
        self.total += 1
        self.correct += gold == predicted
        self.per_class.setdefault(gold, FieldScore()).gold += 1
        self.per_class.setdefault(predicted, FieldScore()).predicted += 1
        self.per_class[gold].right += gold == predicted

    def counts(self, name: str) -> FieldScore:
        return self.per_class.get(name, FieldScore())

    def weighted_f1(self, names: Iterable[str]) -> float:
        chosen = [self.counts(n) for n in names if self.counts(n).gold]
        total = sum(c.gold for c in chosen)
        return sum(c.f1 * c.gold for c in chosen) / total if total else 0.0

    def figures(self) -> dict[str, float]:
        return {
            "accuracy": round(self.correct / self.total, 4) if self.total else 0.0,
            "acled_sub_type_weighted_f1": round(self.weighted_f1(ACLED_SUB_TYPES), 4),
            "non_event_precision": round(self.counts(NONE).precision, 4),
            "non_event_recall": round(self.counts(NONE).recall, 4),
            "test_rows": self.total,
        }


def score(model: LinearModel, lexicon: FeatureLexicon, texts: Sequence[str], labels: Sequence[str]) -> SplitScore:
    rows = [hashed(features(text, lexicon)) for text in texts]
    result = SplitScore()
    for gold, probabilities in zip(labels, model.scores(rows), strict=True):
        result.add(gold, model.classes[int(np.argmax(probabilities))])
    return result


# --- the shipped model -----------------------------------------------------------------------------


def wikinews_texts(corpus: Path | None) -> dict[str, str] | None:
    """Article id → text of the Wikinews corpus, for snippets annotated by offsets; None when no
    corpus is given. A corpus that cannot be read, or a line that is not an article, is an error
    naming the file and line: the snippets it holds would be missing from the model."""
    if corpus is None:
        return None
    texts: dict[str, str] = {}
    try:
        with open(corpus, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    row = json.loads(line)
                    texts[str(row["id"])] = row["text"]
                except (ValueError, KeyError, TypeError) as error:
                    raise ModelError(f"{corpus}:{number}: not a Wikinews article with 'id' and 'text' ({error})") from error
    except OSError as error:
        raise ModelError(f"cannot read the Wikinews corpus {corpus}: {error}") from error
    except UnicodeDecodeError as error:
        raise ModelError(f"{corpus}: not UTF-8 text (byte {error.start})") from error
    return texts


def _digest(paths: Sequence[Path]) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}


def detector_rows(snippets: Sequence[Snippet], lexicon: FeatureLexicon) -> tuple[list[str], list[str]]:
    """The detector's texts and labels: every snippet, and a copy of each with its first known actor
    renamed to one no dictionary knows (:func:`with_unknown_actor`)."""
    texts = [s.text for s in snippets]
    labels = [EVENT if s.event else NONE for s in snippets]
    for snippet in snippets:
        copy = with_unknown_actor(snippet.text, lexicon, zlib.crc32(snippet.id.encode("utf-8")))
        if copy is not None:
            texts.append(copy)
            labels.append(EVENT if snippet.event else NONE)
    return texts, labels


def train_shipped(out: Path = SHIPPED, training: Path = TRAINING, corpus: Path | None = None,
                  progress: Callable[[str], None] = lambda _message: None) -> dict[str, Any]:
    """Train the detector (event or not) and the typer (which event) on the training split of the
    project's snippets, score them together on the held-out fifth, and write them to
    ``out/detector`` and ``out/typer``, with a data card ``out/card.json``. Returns the card."""
    paths = sorted(training.glob("*.jsonl"))
    if not paths:
        raise ModelError(f"no training snippets in {training}")
    snippets = read_all(paths, wikinews_texts(corpus))
    train = [s for s in snippets if not is_test(s.id)]
    test = [s for s in snippets if is_test(s.id)]
    progress(f"{len(snippets)} snippets: {len(train)} to train, {len(test)} held out")
    lexicon = default_lexicon()
    trained_on = {"files": _digest(paths), "rows": len(train), "sources": dict(Counter(s.source for s in train)),
                  "labels": dict(sorted(Counter(s.label for s in train).items()))}
    detector_texts, detector_labels = detector_rows(train, lexicon)
    detector = fit(detector_texts, detector_labels, lexicon, c=DETECTOR_C,
                   card={"name": "warmonitor event detector (project snippets)", "command": "warmonitor train",
                         "unknown_actor_copies": len(detector_texts) - len(train)})
    events = [s for s in train if s.event]
    typer = fit([s.text for s in events], [s.label for s in events], lexicon, c=TYPER_C,
                card={"name": "warmonitor event typer (project snippets)", "command": "warmonitor train"})
    write(detector, out / "detector")
    write(typer, out / "typer")
    card: dict[str, Any] = {
        "name": "warmonitor events (project snippets)",
        "command": "warmonitor train",
        "trained_on": trained_on,
        "held_out": {"rows": len(test), "rule": f"crc32(id) % {TEST_SHARE} == 0"},
        "features": feature_sources(),
        "models": {"detector": {"c": DETECTOR_C, "features_used": len(detector.buckets)},
                   "typer": {"c": TYPER_C, "features_used": len(typer.buckets)}},
        "scikit_learn": metadata.version("scikit-learn"),
        "test_scores": score_pair(detector, typer, lexicon, test).figures(),
        "test_scores_by_shape": {shape: score_pair(detector, typer, lexicon, [s for s in test if s.shape == shape]).figures()
                                 for shape in sorted({s.shape for s in test})},
    }
    (out / "card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                                   encoding="utf-8")
    progress(f"wrote {out}")
    return card


def feature_sources() -> dict[str, Any]:
    """What the features are built from: the word groups and the built-in dictionaries, by SHA-256
    (a change to any of them changes the features: retrain)."""
    files = [WORD_GROUPS, *(BUILTIN / name for name in FEATURE_DICTIONARIES)]
    return {"buckets": BUCKETS, "sha256": {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in files}}


def score_pair(detector: LinearModel, typer: LinearModel, lexicon: FeatureLexicon,
               snippets: Sequence[Snippet]) -> SplitScore:
    """Detector and typer together, as the pipeline uses them: none below even odds, else the
    typer's best class."""
    rows = [hashed(features(s.text, lexicon)) for s in snippets]
    result = SplitScore()
    event = detector.classes.index(EVENT)
    for snippet, detected, typed in zip(snippets, detector.scores(rows), typer.scores(rows), strict=True):
        result.add(snippet.label, NONE if detected[event] < 0.5 else typer.classes[int(np.argmax(typed))])
    return result


# --- a user's ACLED model --------------------------------------------------------------------------


@dataclass
class AcledRows:
    """The usable rows of an ACLED export, and the ones refused with their reasons."""

    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (row reference, reason)


def read_acled(path: Path) -> AcledRows:
    """ACLED rows (CSV or JSON lines with ``notes`` and ``sub_event_type``); bad rows are reported."""
    result = AcledRows()
    try:
        if path.suffix.lower() in {".jsonl", ".json", ".ndjson"}:
            records: Iterable[tuple[str, Any]] = _jsonl_records(path)
        else:
            records = _csv_records(path)
        for reference, record in records:
            reason = _acled_row(record, result)
            if reason:
                result.rejected.append((f"{path.name}:{reference}", reason))
    except OSError as error:
        raise ModelError(f"cannot read {path}: {error}") from error
    return result


def _jsonl_records(path: Path) -> Iterable[tuple[str, Any]]:
    # surrogateescape: a line that is not UTF-8 is refused alone (see _acled_row), not the whole file.
    with open(path, encoding="utf-8", errors="surrogateescape") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield str(number), json.loads(line)
                except json.JSONDecodeError as error:
                    yield str(number), Unreadable(f"not JSON: {error.msg}")


def _csv_records(path: Path) -> Iterable[tuple[str, Any]]:
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as handle:
        try:
            for number, row in enumerate(csv.DictReader(handle), 2):
                yield str(number), row
        except csv.Error as error:
            raise ModelError(f"{path} is not a readable CSV file: {error}") from error


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A line that could not be read at all, and why."""

    reason: str


def _acled_row(record: Any, into: AcledRows) -> str | None:
    if isinstance(record, Unreadable):
        return record.reason
    if not isinstance(record, dict):
        return "not an object"
    notes, sub_type = record.get("notes"), record.get("sub_event_type")
    if not isinstance(notes, str) or not notes.strip():
        return "no notes"
    if any("\udc80" <= char <= "\udcff" for char in notes):
        return "notes are not UTF-8 text"
    if sub_type not in ACLED_SUB_TYPES:
        return f"unknown sub_event_type {sub_type!r}"
    into.texts.append(_CODER_TAG.sub("", notes))
    into.labels.append(str(sub_type))
    return None


def project_non_events(training: Path = TRAINING) -> list[str]:
    """The non-event snippets of the project's training split (the senses, plans, denials and
    statistics that are no event), for models trained on data with events only."""
    snippets = read_all(sorted(training.glob("*.jsonl")))
    return [s.text for s in snippets if not s.event and not is_test(s.id)]


def train_acled(rows: AcledRows, out: Path, source: str, c: float = ACLED_C,
                non_events: Sequence[str] | None = None) -> dict[str, Any]:
    """Train a model on ACLED-coded notes and write it to ``out`` (never into the project).

    ACLED exports hold events only, so the project's own non-event snippets are added as the class
    "none": the one model then both detects events the way ACLED's coders do (a body found in a
    cartel town is an attack) and types them."""
    if len(set(rows.labels)) < 2:
        reasons = "; ".join(f"{where}: {why}" for where, why in rows.rejected[:3])
        raise ModelError(f"an ACLED model needs rows of at least two sub-event types; {len(rows.texts)} usable, "
                         f"{len(rows.rejected)} left out" + (f" ({reasons}, ...)" if reasons else ""))
    negatives = list(project_non_events() if non_events is None else non_events)
    card = {
        "name": f"ACLED-trained detector and typer ({source})",
        "trained_on": {"source": source, "rows": len(rows.texts), "rejected": len(rows.rejected),
                       "labels": dict(sorted(Counter(rows.labels).items())),
                       "project_non_events": len(negatives)},
        "command": "warmonitor train acled",
        "licence_note": "Trained on ACLED data: ACLED's terms forbid redistributing it; keep it for your own use.",
    }
    model = fit([*rows.texts, *negatives], [*rows.labels, *[NONE] * len(negatives)], default_lexicon(), c=c, card=card)
    write(model, out)
    return model.card
