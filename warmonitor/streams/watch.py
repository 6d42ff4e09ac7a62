"""Watch a folder: take each article file once it is complete, and again only if it changes.

Polling, no file-system events (nothing to install, and it works on network mounts): a file is
complete once its size and modification time are the same at two looks in a row. Names that mark
a write in progress are never taken: dot-files, ``*.part``, ``*.tmp``, ``*.crdownload`` and a
trailing ``~``; so a writer that writes ``x.jsonl.part`` and renames it to ``x.jsonl`` is safe
however slow it writes. A writer that pauses longer than the interval in the middle of a file is
not: write, then rename. Empty files wait for content.

What was taken (path, size, modification time) is remembered for the run; after a restart the
files are read again, and the store's duplicate check keeps their articles from being stored twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from warmonitor.errors import BadArticle, PassedOver, StreamError
from warmonitor.ingest.base import entries

PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload")

Seen = tuple[int, int]  # size in bytes, modification time in nanoseconds


def is_partial(name: str) -> bool:
    """True for a name that marks a file still being written."""
    return name.startswith(".") or name.endswith("~") or name.lower().endswith(PARTIAL_SUFFIXES)


@dataclass
class Look:
    """One look at the folder: the files complete and not taken yet, and what is newly passed
    over (no article format) or unreadable (a broken link, a folder that cannot be read)."""

    ready: list[Path] = field(default_factory=list)
    passed_over: list[PassedOver] = field(default_factory=list)
    unreadable: list[BadArticle] = field(default_factory=list)


class FolderWatcher:
    """Looks at a folder (and its subfolders) and says which files are ready to take."""

    def __init__(self, folder: Path) -> None:
        if not folder.is_dir():
            raise StreamError(f"no folder {folder} to watch" if not folder.exists() else f"{folder} is not a folder")
        self.folder = folder
        self._last: dict[Path, Seen] = {}  # the previous look
        self._taken: dict[Path, Seen] = {}
        self._reported: set[str] = set()  # passed over or unreadable, said once

    def look(self) -> Look:
        if not self.folder.is_dir():
            raise StreamError(f"the watched folder {self.folder} is gone")
        look = Look()
        now: dict[Path, Seen] = {}
        for entry in entries([self.folder]):
            if isinstance(entry, BadArticle):
                if is_partial(Path(entry.origin).name) or entry.origin in self._reported:
                    continue
                self._reported.add(entry.origin)
                if isinstance(entry, PassedOver):
                    look.passed_over.append(entry)
                else:
                    look.unreadable.append(entry)
                continue
            if is_partial(entry.name):
                continue
            try:
                status = entry.stat()
            except OSError:  # renamed or deleted since the listing
                continue
            seen = (status.st_size, status.st_mtime_ns)
            now[entry] = seen
            if status.st_size and self._last.get(entry) == seen and self._taken.get(entry) != seen:
                look.ready.append(entry)
        self._last = now
        return look

    def taken(self, path: Path) -> None:
        """Mark ``path`` taken as it was last seen: it is ready again only after it changes."""
        if path in self._last:
            self._taken[path] = self._last[path]


def follow(watcher: FolderWatcher, take: Callable[[Path], None], interval: float, once: bool,
           on_look: Callable[[Look], None], sleep: Callable[[float], None]) -> None:
    """Look every ``interval`` seconds and ``take`` each ready file; with ``once``, look twice
    (``interval`` apart: a file must be seen unchanged to be complete), take what is ready, and
    return. ``on_look`` hears of what each look passed over or could not read."""
    on_look(watcher.look())
    while True:
        sleep(interval)
        look = watcher.look()
        on_look(look)
        for path in look.ready:
            take(path)
            watcher.taken(path)
        if once:
            return
