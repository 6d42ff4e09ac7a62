"""Write the lowercased, tokenized twin of the bundled sample articles.

Research corpora store news lowercased, tokenized, one sentence per line, apostrophes dropped;
the twin lets the first README command and the tests exercise that shape with our own articles.
Run: .venv/bin/python scripts/make_lowercase_samples.py
"""

from __future__ import annotations

import json
from pathlib import Path

from warmonitor.stages.text import to_research_shape

SAMPLES = Path(__file__).resolve().parents[1] / "warmonitor" / "data" / "samples"


def main() -> None:
    rows = [json.loads(line) for line in (SAMPLES / "articles.jsonl").read_text(encoding="utf-8").splitlines() if line]
    with open(SAMPLES / "articles-lowercase.jsonl", "w", encoding="utf-8") as out:
        for row in rows:
            twin = dict(row, id=f"{row['id']}-lowercase", title=row["title"].lower(), text=to_research_shape(row["text"])[0])
            out.write(json.dumps(twin, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} articles to {SAMPLES / 'articles-lowercase.jsonl'}")


if __name__ == "__main__":
    main()
