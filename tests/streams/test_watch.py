"""Watching a folder: files taken once complete, once each, partial names never; bad lines cost
only themselves; a missing folder is an error."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from warmonitor import api, cli
from warmonitor.errors import StreamError
from warmonitor.settings import Settings
from warmonitor.store import open_store
from warmonitor.store.schema import rejected
from warmonitor.streams.watch import FolderWatcher, is_partial

# Short reports written for these tests.
ARTICLES = [
    {"text": "Gunmen attacked a police station in Zamfara State on Sunday, killing four officers, police said.",
     "date": "2025-04-07", "title": "Police station attacked"},
    {"text": "Protesters blocked the main road into Kinshasa on Monday to demand higher wages, witnesses said.",
     "date": "2025-04-08", "title": "Road blocked in Kinshasa"},
    {"text": "Rebels seized a border post near Tanout in Niger on Tuesday, the army said.",
     "date": "2025-04-09", "title": "Border post seized"},
]
KABUL = "Two rockets hit a market in Kabul on Wednesday, wounding six people, officials said."


def line(index: int) -> str:
    return json.dumps(ARTICLES[index]) + "\n"


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as opened:
        opened.write(text)


def take_all(watcher: FolderWatcher) -> list[str]:
    """One look; what is ready is taken."""
    found = watcher.look().ready
    for path in found:
        watcher.taken(path)
    return [path.name for path in found]


def test_a_file_written_in_two_steps_is_taken_once_complete_and_once_only(tmp_path: Path) -> None:
    watcher = FolderWatcher(tmp_path)
    corpus = tmp_path / "wire" / "corpus.jsonl"
    corpus.parent.mkdir()
    corpus.write_text(line(0), encoding="utf-8")
    assert take_all(watcher) == []  # first sight
    append(corpus, line(1))
    assert take_all(watcher) == []  # it grew since the last look
    assert take_all(watcher) == ["corpus.jsonl"]
    assert take_all(watcher) == []  # taken, unchanged
    append(corpus, line(2))
    assert take_all(watcher) == []
    assert take_all(watcher) == ["corpus.jsonl"]  # changed, so taken again (stored articles are skipped)


def test_partial_names_are_never_taken_and_a_renamed_part_file_is(tmp_path: Path) -> None:
    watcher = FolderWatcher(tmp_path)
    for name in ("draft.jsonl.part", "draft.txt.tmp", "page.html.crdownload", "notes.txt~", ".hidden.txt"):
        (tmp_path / name).write_text(KABUL, encoding="utf-8")
    (tmp_path / "empty.txt").touch()
    assert take_all(watcher) == [] and take_all(watcher) == []
    os.rename(tmp_path / "draft.jsonl.part", tmp_path / "draft.jsonl")
    assert take_all(watcher) == []
    assert take_all(watcher) == ["draft.jsonl"]
    (tmp_path / "empty.txt").write_text(KABUL, encoding="utf-8")  # an empty file waits for content
    take_all(watcher)
    assert take_all(watcher) == ["empty.txt"]
    assert [is_partial(name) for name in ("a.PART", "a.txt", "b~", ".a", "x.tmp")] == [True, False, True, True, True]


def test_files_of_no_article_format_are_said_once(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# notes", encoding="utf-8")
    watcher = FolderWatcher(tmp_path)
    first = watcher.look()
    assert [Path(bad.origin).name for bad in first.passed_over] == ["README.md"]
    assert watcher.look().passed_over == [] and watcher.look().ready == []


def test_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StreamError, match=r"no folder .*absent to watch"):
        FolderWatcher(tmp_path / "absent")
    (tmp_path / "file.txt").write_text(KABUL, encoding="utf-8")
    with pytest.raises(StreamError, match="is not a folder"):
        FolderWatcher(tmp_path / "file.txt")


# --- watching into a database ---------------------------------------------------------------------------

def test_watch_once_stores_the_good_lines_rejects_the_bad_and_a_restart_stores_nothing_new(
        tmp_path: Path, settings: Settings, database_url: str, pipeline: object) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "corpus.jsonl").write_text(line(0) + '{"text": "never closed\n' + line(1), encoding="utf-8")
    (folder / "kabul.txt").write_text(KABUL, encoding="utf-8")
    (folder / "notes.md").write_text("# what is here", encoding="utf-8")
    (folder / "next.jsonl.part").write_text(line(2), encoding="utf-8")
    watching = settings.with_(db=database_url)
    taken: list[tuple[str, int, int]] = []
    skipped: list[str] = []
    report = api.watch(folder, watching, interval=0.5, once=True, sleep=lambda _s: None, pipeline=pipeline,  # type: ignore[arg-type]
                       on_file=lambda path, done: taken.append((path.name, done.articles, len(done.rejected))),
                       on_skipped=lambda bad: skipped.append(Path(bad.origin).name))
    assert taken == [("corpus.jsonl", 2, 1), ("kabul.txt", 1, 0)]
    assert skipped == ["notes.md"]
    assert (report.files, report.articles, report.rejected, report.passed_over) == (2, 3, 1, 1)
    with open_store(database_url) as store, store.engine.connect() as connection:  # type: ignore[attr-defined]
        assert store.counts()["articles"] == 3
        (bad,) = connection.execute(sa.select(rejected.c.origin, rejected.c.reason)).all()
    assert bad.origin == f"{folder / 'corpus.jsonl'}:2" and bad.reason.startswith("malformed JSON")

    again = api.watch(folder, watching, interval=0.5, once=True, sleep=lambda _s: None, pipeline=pipeline)  # type: ignore[arg-type]
    assert (again.files, again.articles, again.duplicates) == (2, 0, 3)


def test_a_long_watch_takes_each_file_once_when_it_is_complete(tmp_path: Path, settings: Settings,
                                                               pipeline: object) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "kabul.txt").write_text(KABUL, encoding="utf-8")
    growing = folder / "growing.jsonl"
    part = folder / "batch.jsonl.part"
    # What a writer does while the watcher sleeps, look by look; then Ctrl-C.
    steps: list[Callable[[], object]] = [
        lambda: None,
        lambda: (growing.write_text(line(0), encoding="utf-8"), part.write_text(line(2), encoding="utf-8")),
        lambda: (append(growing, line(1)), part.rename(folder / "batch.jsonl")),
        lambda: None,
        lambda: None,
    ]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if not steps:
            raise KeyboardInterrupt
        steps.pop(0)()

    taken: list[tuple[str, int]] = []
    with pytest.raises(KeyboardInterrupt):
        api.watch(folder, settings.with_(db=f"sqlite:///{tmp_path / 'watch.sqlite'}"), interval=3.0, sleep=sleep,
                  pipeline=pipeline, on_file=lambda path, done: taken.append((path.name, done.articles)))  # type: ignore[arg-type]
    assert taken == [("kabul.txt", 1), ("batch.jsonl", 1), ("growing.jsonl", 2)]
    assert waits == [3.0] * 6


# --- the command ----------------------------------------------------------------------------------------

def test_the_watch_command(tmp_path: Path, settings: Settings, pipeline: object, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    from warmonitor.pipeline import Pipeline

    monkeypatch.setattr(Pipeline, "default", classmethod(lambda cls, settings=None: pipeline))
    monkeypatch.setenv("WARMONITOR_GAZETTEER", str(settings.gazetteer))
    monkeypatch.setenv("WARMONITOR_WORKERS", "1")  # analysed in this process, by the session's pipeline
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "kabul.txt").write_text(KABUL, encoding="utf-8")
    database = tmp_path / "cli.sqlite"
    assert cli.main(["watch", str(folder), "--once", "--interval", "0.01", "--db", f"sqlite:///{database}"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{folder / 'kabul.txt'}: 1 article(s), ") and out[0].endswith("0 rejected, 0 already stored")
    assert out[1].startswith("took 1 file(s): 1 article(s) and ")

    assert cli.main(["watch", str(tmp_path / "absent"), "--once", "--db", f"sqlite:///{database}"]) == 1
    assert "no folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        cli.main(["watch", str(folder), "--interval", "0"])
    assert usage.value.code == 2
