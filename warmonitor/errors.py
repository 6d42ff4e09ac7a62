"""Every error warmonitor reports, with a stable code users can search for.

Stage code raises these; the batch layer turns a per-article error into a reported, skipped
article (see :mod:`warmonitor.ingest` and :mod:`warmonitor.pipeline`) and the CLI turns the rest
into a message and exit code 1.
"""

from __future__ import annotations

from pathlib import Path


class WarmonitorError(Exception):
    """Base class: ``code`` is stable across releases, the message says what to do."""

    code = "W000"

    def __str__(self) -> str:
        return f"[{self.code}] {super().__str__()}"


class BadArticle(WarmonitorError):
    """One input record cannot be read as an article; the batch goes on without it."""

    code = "W101"

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason

    def __reduce__(self) -> tuple[type[BadArticle], tuple[str, str]]:
        # Sent back from worker processes: rebuilt from its two fields, not the joined message.
        return type(self), (self.origin, self.reason)


class PassedOver(BadArticle):
    """A file a folder walk found that is no article format (a README, a picture): said, not
    stored as a rejection."""

    code = "W102"


class GazetteerMissing(WarmonitorError):
    """The gazetteer file is absent or from an older build; ``warmonitor setup`` builds it."""

    code = "W201"

    def __init__(self, path: Path, stale: bool = False) -> None:
        state = "was built by an older warmonitor or from other sources" if stale else "does not exist"
        super().__init__(f"gazetteer {path} {state}; run `warmonitor setup` to build it")


class ModelMissing(WarmonitorError):
    """The configured spaCy pipeline is not installed."""

    code = "W202"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"spaCy pipeline {name!r} is not installed; run scripts/bootstrap.sh (which ./run.sh and ./test.sh "
            "call) to install the pinned one, or set WARMONITOR_SPACY_MODEL to an installed pipeline"
        )


class DictionaryError(WarmonitorError):
    """A dictionary file (actors, verbs, gazetteer overrides) has a malformed row."""

    code = "W301"


class SettingsError(WarmonitorError):
    """A setting has an unknown name or a value of the wrong type."""

    code = "W302"


class StoreError(WarmonitorError):
    """The database URL is not supported or the database cannot be opened."""

    code = "W401"


class QueryError(WarmonitorError):
    """A query or export filter has a value no stored event could match (an unknown type or
    country, a limit below 1, an empty or ambiguous id): a usage error, exit code 2."""

    code = "W402"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field  # the filter at fault ("type", "bbox", …), for an API's error body


class ExportError(WarmonitorError):
    """An export file cannot be written (a missing folder, no permission, a full disk)."""

    code = "W403"


class PipelineError(WarmonitorError):
    """The stages do not chain: one reads a field no earlier stage writes."""

    code = "W501"


class FetchError(WarmonitorError):
    """A feed or a page could not be fetched: a refused scheme, a timeout, a body over the byte
    cap, an HTTP error, or the tries spent. ``url`` and ``reason`` say which and why."""

    code = "W601"

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class StreamError(WarmonitorError):
    """A stream cannot start: the folder to watch or the list of feeds is missing or holds
    nothing to follow."""

    code = "W602"
