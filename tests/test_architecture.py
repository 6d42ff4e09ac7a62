"""Architecture: importing the package is cheap."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_is_cheap() -> None:
    result = subprocess.run(
        [sys.executable, "-c",
         "import warmonitor, sys; print('spacy' in sys.modules, 'pandas' in sys.modules, 'dateparser' in sys.modules)"],
        capture_output=True, text=True, cwd=ROOT, check=True, timeout=120,
    )
    assert result.stdout.split() == ["False", "False", "False"]
