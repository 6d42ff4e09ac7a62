"""A fuzz run over every reader: generated files mixing good articles with hostile records (huge
numbers, deep nesting, bytes that are not UTF-8, odd and impossible dates, unclosed markup, stray
quotes, NUL bytes, random bytes). Counted: exceptions escaping a reader (must be 0) and good
records lost beside bad ones in the record formats, JSONL and CSV (must be 0). Each input is
written to a file and read through ``read_file``, the path ``warmonitor ingest`` takes (JSON
lines streamed line by line, other formats read whole), and read again from its bytes
(``read_bytes``, the path of standard input and uploads); both readings must agree.

    python bench/fuzz_readers.py [--inputs 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from _common import emit_json, say

from warmonitor.errors import BadArticle
from warmonitor.ingest import read_bytes, read_file
from warmonitor.model import Article

WORDS = ["rebels", "attacked", "troops", "town", "checkpoint", "officials", "said", "protesters", "marched", "militants",
         "shelled", "village", "army", "police", "near", "the", "border", "capital", "on", "Monday", "killed", "wounded",
         "drone", "strike", "market", "residents"]
ODD_DATES = ["", "yesterday", "0001-01-01", "9999-12-31", "2024-02-30", "03/12/2024", "31/12/2024", "Tue, 12 Mar 2024 10:00:00 GMT",
             "12 Mar 2024", "2024/03/12", "20240312", "\u0662\u0660\u0662\u0664-01-01", "2024-01-01T25:61:00", "1e309", "-1"]


def good_text(rng: random.Random, number: int) -> str:
    return f"Report {number}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 40))).capitalize() + "."


def hostile_value(rng: random.Random) -> str:
    """A JSON value, as text, that no article field should be: huge, deep, markup, NUL, odd."""
    kind = rng.randrange(7)
    if kind == 0:
        return "9" * rng.randint(20, 6000) if rng.random() < 0.5 else "1e999"
    if kind == 1:
        depth = rng.randint(50, 20000)
        return "[" * depth + '"x"' + "]" * depth
    if kind == 2:
        return json.dumps("<div><p>" * rng.randint(1, 2000) + " ".join(rng.choice(WORDS) for _ in range(10)))
    if kind == 3:
        return json.dumps("\x00" + good_text(rng, -1))
    if kind == 4:
        return json.dumps(rng.choice(ODD_DATES))
    if kind == 5:
        return json.dumps("".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(rng.randint(0, 200))))
    return "null"


def hostile_line(rng: random.Random) -> bytes:
    """One JSON line or CSV row no reader should accept whole, or should refuse on its own."""
    kind = rng.randrange(6)
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 200))).replace(b"\n", b" ")
    if kind == 1:
        return b'{"text": "bad \xff\xfe byte ' + good_text(rng, -2).encode() + b'", "date": "2024-01-01"}'
    if kind == 2:
        return b"[" * rng.randint(1000, 20000)
    if kind == 3:
        return b'{"text": "' + good_text(rng, -3).encode() + b'", "n": ' + b"9" * rng.randint(4400, 9000) + b"}"
    if kind == 4:
        text = hostile_value(rng) if rng.random() < 0.5 else json.dumps(good_text(rng, -4))
        return ('{"text": ' + text + ', "date": ' + json.dumps(rng.choice(ODD_DATES[1:])) + "}").encode()
    return b'"unterminated quote, ' + good_text(rng, -5).encode()


def make_jsonl(rng: random.Random, goods: list[str]) -> bytes:
    lines = [json.dumps({"text": text, "date": "2024-03-12"}).encode() for text in goods]
    lines += [hostile_line(rng) for _ in range(rng.randint(1, 6))]
    rng.shuffle(lines)
    return b"\n".join(lines) + b"\n"


def make_csv(rng: random.Random, goods: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["text", "date"])
    rows = [buffer.getvalue().encode()]
    for text in goods:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow([text, "2024-03-12"])
        rows.append(buffer.getvalue().encode())
    for _ in range(rng.randint(1, 6)):
        bad = hostile_line(rng)
        rows.insert(rng.randint(1, len(rows)), bad.replace(b"\n", b" ") + b"\n")
    return b"".join(rows)


def make_single(rng: random.Random, suffix: str) -> bytes:
    text = good_text(rng, 0)
    if suffix == ".html":
        markup = rng.choice(["<div>" * rng.randint(1, 5000), "</p></span>" * 50, "<script>" + "x" * 1000,
                             "<!--", "<![CDATA[", "&#99999999999;", "<p " + "a=" * 500])
        return f"<html><body><p>{text}</p>{markup}<p>{text}".encode(errors="surrogatepass") if rng.random() < 0.9 \
            else bytes(rng.randrange(256) for _ in range(500))
    if suffix == ".json":
        value = ('[{"text": ' + json.dumps(text) + ', "date": ' + json.dumps(rng.choice(ODD_DATES)) + '}, {"text": '
                 + hostile_value(rng) + "}]")
        return value.encode() if rng.random() < 0.9 else b'{"text": [' * 5000
    return (text + "\x00" if rng.random() < 0.1 else text).encode() + (b"\xff" if rng.random() < 0.1 else b"")


def _summary(items: list[object]) -> list[tuple[str, str]]:
    """What a reading gave, comparable across the two paths: articles by text, refusals by place."""
    return [("article", item.text) if isinstance(item, Article) else ("refused", item.origin)
            for item in items if isinstance(item, Article | BadArticle)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    escaped: list[str] = []
    lost = disagreements = 0
    records: Counter[str] = Counter()
    folder = Path(tempfile.mkdtemp(prefix="warmonitor-fuzz-"))
    started = time.perf_counter()
    for number in range(args.inputs):
        suffix = rng.choice([".jsonl", ".csv", ".json", ".html", ".txt"])
        goods = [good_text(rng, number * 100 + index) for index in range(rng.randint(0, 5))]
        if suffix == ".jsonl":
            data = make_jsonl(rng, goods)
        elif suffix == ".csv":
            data = make_csv(rng, goods)
        else:
            data = make_single(rng, suffix)
        path = folder / f"fuzz{number}{suffix}"
        path.write_bytes(data)
        try:
            found = list(read_file(path))
            from_bytes = list(read_bytes(data, str(path), suffix))
        except Exception:  # what the run counts
            escaped.append(f"{suffix}: {traceback.format_exc(limit=2).splitlines()[-1]}")
            continue
        finally:
            path.unlink()
        if _summary(found) != _summary(from_bytes):
            disagreements += 1
        read = {item.text for item in found if isinstance(item, Article)}
        records.update("article" if isinstance(item, Article) else "refused" for item in found
                       if isinstance(item, Article | BadArticle))
        if suffix in {".jsonl", ".csv"}:
            lost += sum(text not in read for text in goods)
        if (number + 1) % 2000 == 0:
            say(f"{number + 1} inputs: {dict(records)}, {len(escaped)} escaped, {lost} good records lost")
    folder.rmdir()
    for line in escaped[:10]:
        say("escaped: " + line)
    emit_json({"inputs": args.inputs, "seed": args.seed, "articles_read": records["article"],
               "records_refused": records["refused"], "exceptions_escaping": len(escaped),
               "good_records_lost_beside_bad": lost, "file_and_bytes_readings_disagree": disagreements,
               "seconds": round(time.perf_counter() - started, 1)})


if __name__ == "__main__":
    main()
