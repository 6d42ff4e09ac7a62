"""Ingest: readers per format and their registry, dates, refusals with reasons, folders, and robustness to junk input."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from warmonitor import ingest
from warmonitor.errors import BadArticle
from warmonitor.model import Article
from warmonitor.settings import Settings

ARTICLE = "Rebels attacked an army checkpoint near the border on Monday, officials said."
OTHER = "Protesters marched through the capital on Sunday to demand the release of detained students."


def records(path: Path | str, published: date | None = None) -> list[Article | BadArticle]:
    return list(ingest.read([path], published))


def articles(items: list[Article | BadArticle]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def rejections(items: list[Article | BadArticle]) -> list[BadArticle]:
    return [item for item in items if isinstance(item, BadArticle)]


# --- readers -------------------------------------------------------------------------------------------

def test_jsonl_reader(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    rows = [
        {"text": ARTICLE, "date": "2024-01-02", "title": "Checkpoint attacked", "url": "https://example.org/1",
         "source": "Example Wire"},
        {"content": OTHER, "published": "2024-01-01T08:30:00Z"},
    ]
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n\n", encoding="utf-8")
    first, second = records(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.text, first.published, first.title, first.url, first.source) == (
        ARTICLE, date(2024, 1, 2), "Checkpoint attacked", "https://example.org/1", "Example Wire")
    assert first.origin == f"{path}:1"
    assert (second.text, second.published, second.title) == (OTHER, date(2024, 1, 1), None)
    assert second.origin == f"{path}:2"


def test_json_array_and_json_lines_under_json_suffix(tmp_path: Path) -> None:
    array = tmp_path / "array.json"
    array.write_text(json.dumps([{"text": ARTICLE, "date": "2024-01-02"}, {"body": OTHER}]), encoding="utf-8")
    assert [a.text for a in articles(records(array))] == [ARTICLE, OTHER]
    lines = tmp_path / "lines.json"
    lines.write_text(json.dumps({"text": ARTICLE}) + "\n" + json.dumps({"text": OTHER}) + "\n", encoding="utf-8")
    assert [a.text for a in articles(records(lines))] == [ARTICLE, OTHER]


def test_csv_reader(tmp_path: Path) -> None:
    path = tmp_path / "corpus.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["title", "text", "publish_date", "source"])
    writer.writerow(["One", ARTICLE, "2024-01-02", "Wire"])
    writer.writerow(["Two", "A multi-line article.\nIt has, commas and \"quotes\".", "5 September 2017", ""])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    first, second = records(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.title, first.text, first.published, first.source) == ("One", ARTICLE, date(2024, 1, 2), "Wire")
    assert first.origin == f"{path}:2"
    assert second.text == "A multi-line article.\nIt has, commas and \"quotes\"."
    assert second.published == date(2017, 9, 5)
    assert second.source is None


def test_html_reader_keeps_paragraphs_and_drops_scripts(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Checkpoint attacked</title>"
        '<meta property="article:published_time" content="2024-01-02T10:00:00Z">'
        "<script>var x = 'do not read me';</script><style>p { color: red }</style></head>"
        "<body><nav><p>Home | World | Sport</p></nav>"
        f"<article><h1>Checkpoint attacked</h1><p>{ARTICLE}</p><p>{OTHER}</p></article>"
        "<footer><p>Copyright notice</p></footer></body></html>",
        encoding="utf-8",
    )
    (article,) = records(path)
    assert isinstance(article, Article)
    assert article.title == "Checkpoint attacked"
    assert article.published == date(2024, 1, 2)
    assert ARTICLE in article.text and OTHER in article.text
    assert article.text.index(ARTICLE) < article.text.index(OTHER)
    for junk in ("do not read me", "color", "Home | World", "Copyright"):
        assert junk not in article.text


def test_txt_reader_keeps_text_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    text = "rebels attacked an army checkpoint , officials said .\nthe army said it repelled them .\n"
    path.write_bytes(text.encode("utf-8"))
    (article,) = records(path, published=date(2017, 9, 5))
    assert isinstance(article, Article)
    assert article.text == text
    assert article.published == date(2017, 9, 5)
    assert article.origin == str(path)


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"))
    (article,) = records(path)
    assert isinstance(article, Article) and article.text == ARTICLE


def test_metadata_date_wins_over_the_default(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text(json.dumps({"text": ARTICLE, "date": "2024-01-02"}) + "\n" + json.dumps({"text": OTHER}) + "\n",
                    encoding="utf-8")
    first, second = records(path, published=date(2020, 5, 5))
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.published == date(2024, 1, 2)
    assert second.published == date(2020, 5, 5)


def test_same_article_same_id() -> None:
    assert Article(ARTICLE, date(2024, 1, 2)).id == Article("  " + ARTICLE + "\n", date(2024, 1, 2)).id
    assert Article(ARTICLE, date(2024, 1, 2)).id != Article(ARTICLE, date(2024, 1, 3)).id


# --- dates ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-09-05", date(2017, 9, 5)),
        ("2017-09-05T10:20:30+02:00", date(2017, 9, 5)),
        ("5 September 2017", date(2017, 9, 5)),
        ("September 5, 2017", date(2017, 9, 5)),
        ("25/09/2017", date(2017, 9, 25)),  # only a day can be 25
        ("09/25/2017", date(2017, 9, 25)),
        ("05/05/2017", date(2017, 5, 5)),
        ("2017/09/05", date(2017, 9, 5)),
        ("5 Sep 2017", date(2017, 9, 5)),
        ("Sep 5, 2017", date(2017, 9, 5)),
        ("Tue, 12 Mar 2024 10:00:00 GMT", date(2024, 3, 12)),
        ("20170905", date(2017, 9, 5)),
        (20170905, date(2017, 9, 5)),
        ("Tue, 05 Sep 2017 10:00:00 +0000", date(2017, 9, 5)),
        (date(2017, 9, 5), date(2017, 9, 5)),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value: object, expected: date | None) -> None:
    assert ingest.parse_date(value) == expected


@pytest.mark.parametrize(("value", "why"), [
    ("yesterday", "unreadable"), ("05.09.2017 at noon", "unreadable"), ("2017-13-45", "no such date"),
    ("Septembre 5", "unreadable"), ("05/09/2017", "ambiguous"), ("0001-01-01", "out of range"),
    ("9999-12-31", "out of range"), ("31/02/2024", "no such date"),
])
def test_parse_date_refuses_saying_why(value: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        ingest.parse_date(value)


@given(st.one_of(st.text(max_size=40), st.integers(), st.dates(), st.floats(allow_nan=True)))
def test_parse_date_gives_a_date_in_range_or_says_why(value: object) -> None:
    try:
        found = ingest.parse_date(value)
    except ValueError as error:
        assert str(error)
        return
    assert found is None or ingest.EARLIEST_YEAR <= found.year <= date.today().year + 1


def test_a_huge_number_or_a_bad_byte_costs_one_record(tmp_path: Path) -> None:
    good = json.dumps({"text": ARTICLE, "published": "2024-03-12"})
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join([
        json.dumps({"text": ARTICLE}).replace("}", ', "n": ' + "9" * 5000 + "}").encode(),
        b'{"text": "bad \xff byte in an article about an attack", "published": "2024-03-12"}',
        good.encode(),
    ]))
    items = records(path)
    assert len(articles(items)) == 2  # the huge number is kept as digits; the article is read
    (bad,) = rejections(items)
    assert bad.origin.endswith(":2") and "not UTF-8" in bad.reason
    rows = tmp_path / "rows.csv"
    rows.write_bytes(b"text,date\n" + f'"{ARTICLE}",2024-03-12\n'.encode() + b'"caf\xe9 attack text here",2024-03-12\n')
    items = records(rows)
    assert len(articles(items)) == 1 and "not UTF-8" in rejections(items)[0].reason


# --- refusals with reasons -------------------------------------------------------------------------------

def test_empty_text_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "short.txt").write_text("Two words", encoding="utf-8")
    (tmp_path / "rows.jsonl").write_text(json.dumps({"text": "   "}) + "\n", encoding="utf-8")
    items = records(tmp_path)
    assert not articles(items)
    reasons = {Path(bad.origin).name: bad.reason for bad in rejections(items)}
    assert "empty" in reasons["empty.txt"]
    assert "empty" in reasons["short.txt"]
    assert "no text field" in reasons["rows.jsonl:1"]


def test_nul_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "binary.txt"
    path.write_bytes(ARTICLE.encode() + b"\x00\x01\x02" + ARTICLE.encode())
    (bad,) = records(path)
    assert isinstance(bad, BadArticle)
    assert "NUL" in bad.reason
    assert bad.origin == str(path)
    assert bad.code == "W101" and "[W101]" in str(bad)


def test_non_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Rebels attacked the town of Ağrı near the café on Monday.".encode("latin-1", "replace")
                     + b"\xff\xfe")
    (bad,) = records(path)
    assert isinstance(bad, BadArticle)
    assert "not UTF-8" in bad.reason


def test_malformed_json_line_beside_good_lines(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps({"text": ARTICLE}) + "\n" + '{"text": "unterminated\n' + "[1, 2]\n" + json.dumps({"text": OTHER})
        + "\n",
        encoding="utf-8",
    )
    items = records(path)
    assert [a.text for a in articles(items)] == [ARTICLE, OTHER]
    bad = {item.origin: item.reason for item in rejections(items)}
    assert set(bad) == {f"{path}:2", f"{path}:3"}
    assert "malformed JSON" in bad[f"{path}:2"]
    assert "object" in bad[f"{path}:3"]


def test_unknown_date_format_is_refused_with_the_value(tmp_path: Path) -> None:
    path = tmp_path / "dates.jsonl"
    path.write_text(json.dumps({"text": ARTICLE, "date": "the day after the raid"}) + "\n"
                    + json.dumps({"text": OTHER, "date": "2024-01-02"}) + "\n", encoding="utf-8")
    bad, good = records(path)
    assert isinstance(bad, BadArticle)
    assert "unreadable date" in bad.reason and "the day after the raid" in bad.reason
    assert isinstance(good, Article) and good.published == date(2024, 1, 2)


def test_over_long_article_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("word " * (ingest.MAX_ARTICLE_CHARS // 5 + 10), encoding="utf-8")
    (bad,) = records(path)
    assert isinstance(bad, BadArticle)
    assert "characters" in bad.reason


def test_mostly_non_letters_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "numbers.txt"
    path.write_text("1234 5678 9012 3456 7890 1234 5678 %%%% ####", encoding="utf-8")
    (bad,) = records(path)
    assert isinstance(bad, BadArticle) and "non-letters" in bad.reason


def test_unreadable_html_date_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_text(f'<meta name="date" content="someday"><p>{ARTICLE}</p>', encoding="utf-8")
    (bad,) = records(path)
    assert isinstance(bad, BadArticle) and "unreadable date" in bad.reason


def test_deeply_nested_json_line_is_a_bad_article(tmp_path: Path) -> None:
    path = tmp_path / "nested.jsonl"
    path.write_text("[" * 100_000 + "\n" + json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    items = records(path)
    assert [a.text for a in articles(items)] == [ARTICLE]
    assert len(rejections(items)) == 1


def test_unicode_line_separator_inside_a_json_string(tmp_path: Path) -> None:
    path = tmp_path / "separators.jsonl"
    text = "Rebels attacked the town.\u2028The army said it repelled them."
    path.write_text(json.dumps({"text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert [a.text for a in articles(records(path))] == [text]


def test_csv_rows_after_an_over_long_field_are_still_read(tmp_path: Path) -> None:
    path = tmp_path / "corpus.csv"
    huge = "word " * (ingest.MAX_ARTICLE_CHARS + 1)
    path.write_text(f'text\n"{huge}"\n"{ARTICLE}"\n', encoding="utf-8")
    items = records(path)
    assert [a.text for a in articles(items)] == [ARTICLE]


# --- the reader registry --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("suffix", "reader"),
    [(".txt", ingest.read_text), (".text", ingest.read_text), (".jsonl", ingest.read_jsonl),
     (".ndjson", ingest.read_jsonl), (".json", ingest.read_json), (".csv", ingest.read_csv),
     (".html", ingest.read_html), (".htm", ingest.read_html)],
)
def test_each_suffix_has_its_reader(suffix: str, reader: ingest.Reader) -> None:
    assert ingest.READERS[suffix] is reader
    assert ingest.reader_for(suffix) is reader


def test_an_unregistered_suffix_is_read_as_plain_text() -> None:
    assert ingest.reader_for(".md") is ingest.read_text


def test_a_registered_reader_is_used_for_its_suffix(tmp_path: Path) -> None:
    def read_markdown(text: str, origin: str, published: date | None = None) -> Iterator[ingest.Record]:
        yield ingest.check(Article(text=text.replace("# ", ""), published=published, origin=origin))

    page = tmp_path / "notes.MD"
    page.write_text(f"# {ARTICLE}", encoding="utf-8")
    with mock.patch.dict(ingest.READERS):  # the registry is restored after the test
        assert ingest.register_reader(".md")(read_markdown) is read_markdown
        assert ingest.READERS[".md"] is read_markdown
        assert list(ingest.discover([tmp_path])) == [page]  # folders now take .md files too
        (article,) = records(tmp_path, published=date(2024, 1, 2))
    assert isinstance(article, Article)
    assert (article.text, article.published, article.origin) == (ARTICLE, date(2024, 1, 2), str(page))
    assert ".md" not in ingest.READERS
    assert list(ingest.discover([tmp_path])) == []


def test_a_suffix_without_a_dot_is_refused() -> None:
    with pytest.raises(ValueError, match="dot"):
        ingest.register_reader("md")


# --- discover ------------------------------------------------------------------------------------------

def test_discover_walks_folders_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ("b/2.txt", "b/1.jsonl", "a.csv", "c.HTML", ".hidden.txt", "notes.md", "data.bin"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [path.relative_to(tmp_path).as_posix() for path in ingest.discover([tmp_path])]
    assert found == ["a.csv", "b/1.jsonl", "b/2.txt", "c.HTML"]


def test_discover_takes_files_as_given_and_a_missing_path_is_a_bad_record(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(ARTICLE, encoding="utf-8")
    assert list(ingest.discover([path])) == [path]
    assert list(ingest.discover(["-"])) == [Path("-")]
    records = list(ingest.read([tmp_path / "missing", path]))
    assert isinstance(records[0], BadArticle) and "no such file" in records[0].reason
    assert isinstance(records[1], Article)


# --- robustness properties -----------------------------------------------------------------------------

_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_WORDS = ["rebels", "attacked", "troops", "town", "checkpoint", "officials", "said", "protesters", "marched",
          "militants", "shelled", "village", "army", "police", "on", "Monday", "near", "the", "border", "capital"]
_good_text = st.lists(st.sampled_from(_WORDS), min_size=4, max_size=30).map(
    lambda words: " ".join(words).capitalize() + ".")
_good_date = st.dates(min_value=date(2000, 1, 1), max_value=date(2026, 6, 30))  # publication dates are not in the future
_line_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=_LINE_BREAKS), max_size=80)
# A line that cannot be a JSON object: nothing valid in JSON ends with a comma.
_malformed_line = _line_text.map(lambda text: text + ",")


@st.composite
def corpus(draw: st.DrawFn) -> dict:
    """Good articles (txt files, JSONL rows, CSV rows) mixed with junk that must not stop the batch."""
    goods = draw(st.lists(st.tuples(_good_text, _good_date, st.sampled_from(["txt", "jsonl", "csv"])),
                          min_size=1, max_size=6))
    return {
        # Each article gets a unique number so no two are the same article.
        "goods": [(f"Report {i}: {text}", when, kind) for i, (text, when, kind) in enumerate(goods)],
        "malformed": draw(st.lists(_malformed_line, max_size=4)),
        "order": draw(st.randoms(use_true_random=False)),
        "random_files": draw(st.lists(st.tuples(st.binary(max_size=300), st.sampled_from(
            [".txt", ".jsonl", ".json", ".csv", ".html"])), max_size=3)),
        "empty_files": draw(st.lists(st.sampled_from([".txt", ".html"]), max_size=2)),
        "huge": draw(st.booleans()),
        "nul": draw(st.booleans()),
    }


def write_corpus(folder: Path, spec: dict) -> dict[str, list]:
    """Write the corpus; return the good articles and the origins that must be refused."""
    good: list[tuple[str, date | None]] = []
    bad: list[str] = []
    jsonl_lines: list[tuple[str, tuple[str, date] | None]] = []
    csv_rows: list[tuple[str, date]] = []
    for number, (text, when, kind) in enumerate(spec["goods"]):
        if kind == "txt":  # a text file carries no date
            good.append((text, None))
            (folder / f"good{number:02d}.txt").write_bytes(text.encode("utf-8"))
            continue
        good.append((text, when))
        if kind == "jsonl":
            jsonl_lines.append((json.dumps({"text": text, "date": when.isoformat()}), (text, when)))
        else:
            csv_rows.append((text, when))
    jsonl_lines.extend((line, None) for line in spec["malformed"])
    spec["order"].shuffle(jsonl_lines)
    if jsonl_lines:
        path = folder / "mixed.jsonl"
        path.write_text("\n".join(line for line, _ in jsonl_lines) + "\n", encoding="utf-8")
        bad.extend(f"{path}:{n}" for n, (_, article) in enumerate(jsonl_lines, start=1) if article is None)
    if csv_rows:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["text", "date"])
        writer.writerows([(text, when.isoformat()) for text, when in csv_rows])
        (folder / "rows.csv").write_text(buffer.getvalue(), encoding="utf-8")
    for number, (data, suffix) in enumerate(spec["random_files"]):
        path = folder / f"random{number}{suffix}"
        path.write_bytes(b"\xff" + data)  # never UTF-8: refused (a corpus file: each record with a bad byte)
        bad.append(str(path))
    for number, suffix in enumerate(spec["empty_files"]):
        path = folder / f"empty{number}{suffix}"
        path.write_bytes(b"")
        bad.append(str(path))
    if spec["huge"]:
        path = folder / "huge.jsonl"
        path.write_text(json.dumps({"text": "word " * (ingest.MAX_ARTICLE_CHARS // 5 + 1)}) + "\n", encoding="utf-8")
        bad.append(f"{path}:1")
    if spec["nul"]:
        path = folder / "nul.txt"
        path.write_bytes(b"Rebels attacked the town\x00 on Monday.")
        bad.append(str(path))
    return {"good": good, "bad": bad}


def of_file(origin: str, expected: str) -> bool:
    """Whether a refusal is the expected one: the file itself, or a record of a corpus file (a
    line or row of one with a bad byte is refused on its own)."""
    return origin == expected or (Path(expected).suffix in ingest.RECORD_SUFFIXES
                                  and (origin.startswith(expected + ":") or origin.startswith(expected + "[")))


@hyp_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpus())
def test_read_never_raises_and_yields_every_good_article(spec: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        expected = write_corpus(Path(folder), spec)
        items = list(ingest.read([folder]))
    assert all(isinstance(item, Article | BadArticle) for item in items)
    read = {(a.text, a.published) for a in articles(items)}
    assert set(expected["good"]) <= read
    refused = {bad.origin for bad in rejections(items)}
    assert all(any(of_file(origin, bad) for origin in refused) for bad in expected["bad"])
    assert all(bad.reason for bad in rejections(items))


@hyp_settings(max_examples=5, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(spec=corpus())
def test_api_ingest_stores_good_articles_and_rejects_bad_ones(spec: dict, settings: Settings,
                                                                pipeline: object) -> None:
    from warmonitor import api
    from warmonitor.pipeline import Pipeline
    from warmonitor.store import open_store

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        data = root / "in"
        data.mkdir()
        expected = write_corpus(data, spec)
        db = f"sqlite:///{root / 'store.sqlite'}"
        local = settings.with_(db=db, home=root)
        # The session pipeline stands in for Pipeline.default, so spaCy loads once per session.
        with mock.patch.object(Pipeline, "default", lambda *args, **kwargs: pipeline):
            report = api.ingest([str(data)], local, progress=False)
        assert report.articles == len(expected["good"])
        assert report.duplicates == 0
        refused = [bad.origin for bad in report.rejected]
        assert all(any(of_file(origin, bad) for bad in expected["bad"]) for origin in refused)
        assert all(any(of_file(origin, bad) for origin in refused) for bad in expected["bad"])
        assert all(bad.reason for bad in report.rejected)
        with open_store(db) as store:
            for text, when in expected["good"]:
                assert store.has_article(Article(text=text, published=when).id)
            counts = store.counts()
            assert counts["articles"] == len(expected["good"])
            assert counts["rejected"] == len(report.rejected)
            with store.engine.connect() as connection:  # type: ignore[attr-defined]
                stored_reasons = [row[0] for row in connection.exec_driver_sql("SELECT reason FROM rejected")]
        assert all(stored_reasons)


def test_html_keeps_the_headline_out_of_the_body_and_paragraphs_apart(tmp_path: Path) -> None:
    from warmonitor.stages.text import segment

    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><meta property='article:published_time' content='2024-05-02T10:00:00Z'>"
        "</head><body><nav>Home</nav><h1>Clashes near Tal Abyad</h1>"
        "<p>RAQQA (Example Wire) - Turkish drones struck a convoy near Tal Abyad on Wednesday, officials said</p>"
        "<script>var x = 1;</script><p>Two fighters were killed.</p></body></html>",
        encoding="utf-8",
    )
    (article,) = list(ingest.read([page]))
    assert isinstance(article, Article)
    assert article.title == "Clashes near Tal Abyad" and article.published == date(2024, 5, 2)
    assert "Clashes near" not in article.text and "var x" not in article.text and "Home" not in article.text
    _, sentences = segment(article.text)
    assert [s.is_dateline for s in sentences] == [True, False]
    assert sentences[1].text == "Two fighters were killed."


@pytest.mark.parametrize(("data", "suffix"), [
    (b'{"text": "a"}\n{"text": "b"}\n', ".jsonl"), (b'\xef\xbb\xbf  [{"text": "a"}]', ".json"),
    (b'{\n  "text": "an object over lines"\n}', ".json"), (b"Rebels attacked the town.", ".txt"),
    (b"{braces in prose} are prose", ".txt"), (b"", ".txt"),
])
def test_standard_input_is_read_by_what_it_holds(data: bytes, suffix: str) -> None:
    assert ingest.sniff_suffix(data) == suffix


def test_a_piped_jsonl_corpus_is_many_articles(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = "\n".join(json.dumps({"text": text, "published": "2024-03-12"}) for text in (ARTICLE, OTHER))
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(lines.encode())))
    assert [a.text for a in articles(list(ingest.read(["-"])))] == [ARTICLE, OTHER]


def test_a_stray_end_tag_closes_nothing_and_deep_unclosed_tags_are_read() -> None:
    (article,) = ingest.read_html("<p>Rebels attacked the town on Monday.</span> Officials said five people died.</p>",
                                  "stray.html")
    assert isinstance(article, Article) and "Officials said five people died." in article.text
    deep = "<div><p>Rebels attacked the town on Monday. " * 3000  # thousands of tags never closed
    (nested,) = ingest.read_html(f"<html><body>{deep}</body></html>", "deep.html")
    assert isinstance(nested, Article) and nested.text.count("Rebels attacked") == 3000


def test_a_walk_says_what_it_passes_over(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "photo.bin").write_bytes(b"\x89PNG")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    items = list(ingest.read([tmp_path]))
    assert [a.text for a in articles(items)] == [ARTICLE]
    reasons = {Path(bad.origin).name: bad.reason for bad in rejections(items)}
    assert set(reasons) == {"photo.bin", "gone.txt"}
    assert "not a format" in reasons["photo.bin"] and "broken link" in reasons["gone.txt"]


def test_an_unreadable_folder_is_reported_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def walk(top: object, onerror: object = None) -> Iterator[tuple[str, list[str], list[str]]]:
        assert callable(onerror)
        onerror(PermissionError(13, "Permission denied", str(tmp_path / "locked")))
        yield str(tmp_path), [], []

    monkeypatch.setattr(os, "walk", walk)
    (bad,) = list(ingest.read([tmp_path]))
    assert isinstance(bad, BadArticle) and bad.origin.endswith("locked") and "Permission denied" in bad.reason


def test_an_unterminated_csv_quote_costs_one_row(tmp_path: Path) -> None:
    path = tmp_path / "quotes.csv"
    path.write_text(f'text,date\n"{ARTICLE} never closed,2024-01-01\n"{OTHER}",2024-01-02\n"{ARTICLE} Again.",2024-01-03\n',
                    encoding="utf-8")
    items = records(path)
    assert [a.text for a in articles(items)] == [OTHER, f"{ARTICLE} Again."]
    (bad,) = rejections(items)
    assert bad.origin.endswith("quotes.csv:2") and "malformed CSV row" in bad.reason


def test_a_stray_quote_closed_rows_later_does_not_swallow_the_rows_between(tmp_path: Path) -> None:
    path = tmp_path / "stray.csv"
    path.write_bytes(b"text,date\n" + f'"stray quote, {ARTICLE}\n"{OTHER}",2024-01-02\n'.encode()
                     + b'caf\xe9 with a closing quote",2024-01-03\n' + f'"{ARTICLE} Later.",2024-01-04\n'.encode())
    items = records(path)
    assert {a.text for a in articles(items)} == {OTHER, f"{ARTICLE} Later."}
    assert {bad.origin.rsplit(":", 1)[1] for bad in rejections(items)} == {"2", "4"}
    # Unquoted rows between the stray quote and the one that closes it are read again on their own.
    plain = tmp_path / "plain.csv"
    plain.write_bytes(b"text,date\n" + f'"stray quote, {ARTICLE}\n{OTHER},2024-01-02\n'.encode()
                      + b'caf\xe9 closing quote",2024-01-03\n')
    items = records(plain)
    assert [a.text for a in articles(items)] == [OTHER]
    assert any("stray quote" in bad.reason for bad in rejections(items))


# --- large corpora ----------------------------------------------------------------------------------


def test_json_lines_are_streamed_and_an_over_long_line_costs_only_itself(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("warmonitor.ingest.base.MAX_LINE_BYTES", 300)
    path = tmp_path / "corpus.jsonl"
    lines = [json.dumps({"text": ARTICLE}).encode(), json.dumps({"text": "x " * 400}).encode(),
             b'{"text": "caf\xe9 owners said police shut the market"}', json.dumps({"text": OTHER}).encode()]
    path.write_bytes(b"\xef\xbb\xbf" + b"\n".join(lines) + b"\n")
    opened: list[str] = []
    real_open = open

    def spying_open(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        opened.append(mode)
        return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

    with mock.patch("builtins.open", spying_open), mock.patch.object(Path, "read_bytes", side_effect=AssertionError):
        found = records(path)  # read through an open file, never whole
    assert "rb" in opened
    assert [item.text for item in articles(found)] == [ARTICLE, OTHER]
    refused = {item.origin: item.reason for item in rejections(found)}
    assert set(refused) == {f"{path}:2", f"{path}:3"}
    assert "more than 300 bytes" in refused[f"{path}:2"]


def test_a_corpus_too_big_to_read_whole_is_refused_with_the_way_out(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("warmonitor.ingest.base.MAX_WHOLE_FILE_BYTES", 100)
    path = tmp_path / "corpus.csv"
    path.write_text("text\n" + "\n".join([ARTICLE, OTHER]) + "\n", encoding="utf-8")
    [refused] = records(path)
    assert isinstance(refused, BadArticle) and "JSON lines (.jsonl), which are streamed" in refused.reason
