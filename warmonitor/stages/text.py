"""Text stage: original article text → readable sentences that remember their offsets.

Two shapes arrive. Ordinary (raw) news text is split into sentences. Research corpora arrive
lowercased and pre-tokenized, one sentence per line, with apostrophes dropped ("syria s",
"( reuters )"); those are detokenized into readable text ("syria's", "(reuters)") and, since
proper nouns lost their capitals, the known ones are re-capitalized from the dictionaries so the
parser sees English it was trained on. Every readable character keeps the offset of the original
character it came from, so spans found later point into the article exactly as it was given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from warmonitor.model import Analysis, Sentence, Span
from warmonitor.stages.base import ArticleStage

# Clitics and possessives that tokenized corpora split off with the apostrophe dropped.
_CLITIC_AFTER_SPACE = {"s": "'s", "t": "'t", "re": "'re", "ve": "'ve", "ll": "'ll", "d": "'d", "m": "'m"}
# Words whose inner apostrophe became a space ("shi ite"): rejoined with the apostrophe.
_SPLIT_WORDS = {("shi", "ite"), ("shi", "ites"), ("ba", "ath"), ("ba", "athist"), ("sana", "a"), ("qur", "an")}
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "n't", "..."}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "#"}
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Za-z][\w .,'\-]{0,60}?)\s*(?:,\s*[A-Za-z][\w .]{0,30})?\s*"
    r"\(\s*(?P<agency>[A-Za-z][\w .&\-]{0,40}?)\s*\)\s*(?:--|-|—|–|:)\s*"
)
# "TEGUCIGALPA, Honduras -- …", "GAZA CITY — …": a place in capitals and a dash, no agency.
_CAPITALS_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z'\-]{2,}(?: [A-Z][A-Z'\-]+){0,3})\s*(?:,\s*[A-Z][\w .]{0,30}?)?\s*(?:--|—|–|-)\s+"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "capt", "maj", "cmdr", "adm", "gov", "sen",
    "rep", "st", "u.s", "u.n", "u.k", "e.u", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "no", "vs", "etc", "inc", "corp", "ltd", "co", "prof",
    "rev", "pres", "mt", "ft", "approx",
}  # fmt: skip
_WORD = re.compile(r"\S+")


RAW = "raw"
TOKENIZED_LOWERCASE = "tokenized-lowercase"
LOWERCASE_PROSE = "lowercase-prose"


def detect_shape(text: str) -> str:
    """The article's shape: ``raw`` (ordinary cased prose), ``tokenized-lowercase`` (one
    sentence per line, punctuation split off by spaces) or ``lowercase-prose`` (lowercased running
    text, punctuation attached, lines as long as paragraphs).

    A lowercased corpus may keep a cased header ("This story is from March 10, 2002"): the
    decision counts capitals over the whole sample, not the first words.
    """
    sample = text[:20000]
    head, _, body = sample.strip().partition("\n")
    if len(body) > 2 * len(head):
        sample = body  # a cased header or headline over a lowercased body
    letters = [ch for ch in sample if ch.isalpha()]
    if not letters:
        return RAW
    upper_ratio = sum(ch.isupper() for ch in letters) / len(letters)
    if upper_ratio >= 0.004:
        return RAW
    spaced = len(re.findall(r"\s[,.;:)!?]\s|\s[,.!?]$", sample, flags=re.M))
    attached = len(re.findall(r"\w[,.;:!?](?:\s|$)", sample, flags=re.M))
    if spaced == 0 and attached == 0:
        return TOKENIZED_LOWERCASE if "\n" in sample.strip() else RAW
    return TOKENIZED_LOWERCASE if spaced >= attached else LOWERCASE_PROSE


def detokenize(line: str, base: int = 0) -> tuple[str, list[int]]:
    """Join a tokenized line into readable text; return it and each character's original offset."""
    out: list[str] = []
    offsets: list[int] = []
    tokens = [(m.group(), m.start() + base) for m in _WORD.finditer(line)]
    quote_open = False
    previous = ""
    for index, (token, start) in enumerate(tokens):
        shown = token
        glue = bool(out)
        if (previous, token) in _SPLIT_WORDS:
            shown = "'" + token
            glue = False
        elif token in _CLITIC_AFTER_SPACE and index > 0 and previous[-1:].isalpha():
            shown = _CLITIC_AFTER_SPACE[token]
            if token == "t" and previous.endswith("n"):
                shown = "'t"
            glue = False
        elif token in _NO_SPACE_BEFORE or previous in _NO_SPACE_AFTER:
            glue = False
        elif token in {'"', "''", "``"}:
            glue = not quote_open
            quote_open = not quote_open
        elif previous in {'"', "``"} and quote_open:
            glue = False
        if glue and out:
            out.append(" ")
            offsets.append(start - 1 if start > 0 else start)
        if shown != token:
            # The inserted apostrophe maps onto the original token's first character.
            out.append(shown)
            offsets.extend([start] * (len(shown) - len(token)) + list(range(start, start + len(token))))
        else:
            out.append(token)
            offsets.extend(range(start, start + len(token)))
        previous = token
    return "".join(out), offsets


SentenceEnd = Callable[[str, int, "re.Match[str]"], int | None]


def _split(text: str, paragraphs: str, ends: re.Pattern[str], end_at: SentenceEnd) -> list[tuple[int, int, int]]:
    """Sentence boundaries and each sentence's paragraph number: paragraphs first, then each
    candidate end that ``end_at`` accepts (it returns where the sentence ends in the paragraph, or
    None for "not an end here")."""
    bounds: list[tuple[int, int, int]] = []
    for number, paragraph in enumerate(re.finditer(paragraphs, text)):
        start, chunk, cursor = paragraph.start(), paragraph.group(), 0
        for match in ends.finditer(chunk):
            end = end_at(chunk, cursor, match)
            if end is not None:
                bounds.append((start + cursor, start + end, number))
                cursor = match.end()
        tail = chunk[cursor:].rstrip()
        if tail.strip():
            bounds.append((start + cursor, start + cursor + len(tail), number))
    return [(s, e, n) for s, e, n in bounds if text[s:e].strip()]


def _raw_end(chunk: str, cursor: int, match: re.Match[str]) -> int | None:
    candidate = chunk[cursor : match.start()].rstrip()
    last_word = candidate.rsplit(None, 1)[-1].rstrip(".").lower() if candidate else ""
    if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
        return None
    return cursor + len(candidate)


def split_raw(text: str) -> list[tuple[int, int, int]]:
    """Sentence boundaries for ordinary prose: paragraphs first, then sentence-final punctuation."""
    return _split(text, r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", _SENTENCE_END, _raw_end)


# Sentence ends in lowercased prose: no capital follows, so the punctuation, closing quotes (also
# as mojibake: "â€�", "â€™") and a space or an opening quote decide.
_LOWER_END = re.compile(r"[.!?]+(?:[\"'”’)\]]|â€.)*(?:\s+|(?=â€|[\"“‘]))")
_LOWER_ABBREVIATIONS = _ABBREVIATIONS | {
    "rs", "sh", "shri", "smt", "km", "kms", "govt", "dept", "nos", "a.m", "p.m", "i.e", "e.g", "hon",
    "dist", "vol", "fig", "ibid", "cf", "jr", "sr", "mln", "bn", "approx", "al",
}  # fmt: skip


def _lowercase_end(chunk: str, cursor: int, match: re.Match[str]) -> int | None:
    if match.end() >= len(chunk):
        return None
    before = chunk[cursor : match.start()]
    last_word = before.rsplit(None, 1)[-1].lower().lstrip("(\"'“‘") if before.strip() else ""
    if match.group()[0] == "." and (last_word in _LOWER_ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word)):
        return None
    if not re.match(r"[\w\"“‘(â]", chunk[match.end() : match.end() + 1]):
        return None
    return len(chunk[: match.end()].rstrip())


def split_lowercase_prose(text: str) -> list[tuple[int, int, int]]:
    """Sentence boundaries for lowercased running prose (no capitals to start a sentence):
    paragraphs first, then sentence-final punctuation that is not an abbreviation's or an
    initial's, followed by a space or an opening quote."""
    return _split(text, r"[^\n]+", _LOWER_END, _lowercase_end)


def _strip_leading(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    return start, end


def segment(text: str, shape: str | None = None) -> tuple[str, list[Sentence]]:
    """Split an article into readable sentences with offsets back into ``text``."""
    shape = shape or detect_shape(text)
    sentences: list[Sentence] = []
    if shape == TOKENIZED_LOWERCASE:
        # one sentence per line; a blank line (where the corpus keeps them) starts a paragraph
        for number, block in enumerate(re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text)):
            for line in re.finditer(r"[^\n]+", block.group()):
                if not line.group().strip():
                    continue
                readable, offsets = detokenize(line.group(), base=block.start() + line.start())
                for piece, piece_offsets in _bounded(readable, offsets):
                    sentences.append(Sentence(len(sentences), piece, Span(piece_offsets[0], piece_offsets[-1] + 1),
                                              piece_offsets, paragraph=number))
    else:
        split = split_lowercase_prose if shape == LOWERCASE_PROSE else split_raw
        for start, end, number in split(text):
            start, end = _strip_leading(text, start, end)
            chunk = text[start:end]
            for piece, piece_offsets in _bounded(re.sub(r"\s+", " ", chunk), _collapse_offsets(chunk, start)):
                sentences.append(Sentence(len(sentences), piece, Span(piece_offsets[0], piece_offsets[-1] + 1),
                                          piece_offsets, paragraph=number))
    _mark_dateline(sentences)
    return shape, sentences


MAX_SENTENCE_CHARS = 1_000


def _bounded(readable: str, offsets: list[int]) -> list[tuple[str, list[int]]]:
    """A "sentence" longer than any news sentence (a run-on line, a table, a page with no full
    stops) is cut at spaces into pieces of at most MAX_SENTENCE_CHARS, so parsing and event coding
    stay linear in the article's length."""
    pieces: list[tuple[str, list[int]]] = []
    start = 0
    while start < len(readable):
        end = len(readable)
        if end - start > MAX_SENTENCE_CHARS:
            cut = readable.rfind(" ", start, start + MAX_SENTENCE_CHARS)
            end = cut if cut > start else start + MAX_SENTENCE_CHARS
        piece = readable[start:end].strip()
        if piece:
            first = start + (len(readable[start:end]) - len(readable[start:end].lstrip()))
            pieces.append((piece, offsets[first : first + len(piece)]))
        start = end
    return pieces


def _collapse_offsets(chunk: str, base: int) -> list[int]:
    offsets: list[int] = []
    previous_space = False
    for index, char in enumerate(chunk):
        if char.isspace():
            if previous_space:
                continue
            previous_space = True
        else:
            previous_space = False
        offsets.append(base + index)
    return offsets


def _mark_dateline(sentences: list[Sentence]) -> None:
    """The lead often opens with "CITY (AGENCY) -" (after a headline or byline, at times)."""
    for sentence in sentences[:3]:
        if dateline_length(sentence.text):
            sentence.is_dateline = True
            return


def dateline_length(text: str) -> int:
    """Characters of a leading "CITY (AGENCY) -" or "CITY, Country --" dateline, 0 if there is none."""
    match = _DATELINE.match(text) or _CAPITALS_DATELINE.match(text)
    if not match or len(match.group("place").split()) > 5:
        return 0
    return match.end()


def to_research_shape(text: str) -> tuple[str, list[int]]:
    """Render cased prose the way research corpora store it: lowercased, tokenized, one
    sentence per line, apostrophes dropped. Returns the text and, per character, the offset of
    the original character it came from (-1 for inserted spaces and newlines).

    Used to measure how recognition holds up on that shape with the same articles.
    """
    out: list[str] = []
    offsets: list[int] = []
    for start, end, _ in split_raw(text):
        if out:
            out.append("\n")
            offsets.append(-1)
        first = True
        for match in re.finditer(r"[A-Za-z0-9\u00C0-\u024F]+(?:[.\-][A-Za-z0-9\u00C0-\u024F]+)*\.?|[^\sA-Za-z0-9]", text[start:end]):
            token = match.group()
            token_start = start + match.start()
            if token in {"'", "’"}:
                continue  # apostrophes are dropped; the clitic becomes its own token
            if token.endswith(".") and len(token) > 1 and token.count(".") == 1:
                parts = [(token[:-1], token_start), (".", token_start + len(token) - 1)]
            else:
                parts = [(token, token_start)]
            for part, part_start in parts:
                if not first:
                    out.append(" ")
                    offsets.append(-1)
                first = False
                for position, char in enumerate(part):
                    lowered = char.lower()  # "İ".lower() is two characters: each maps back to its source
                    out.append(lowered)
                    offsets.extend([part_start + position] * len(lowered))
    return "".join(out), offsets


def recase(sentences: Iterable[Sentence], known_name: Callable[[list[str], str], list[str] | None]) -> None:
    """Restore capitals in lowercased sentences for words the dictionaries know as names.

    ``known_name(words, previous)`` returns the cased form of the known name that the leading
    words form (e.g. ["Deir", "al-Zor"]), or None; ``previous`` is the two words before them.
    Casing keeps every offset: letters change, never length.
    """
    for sentence in sentences:
        words = list(_WORD.finditer(sentence.text))
        chars = list(sentence.text)
        index = 0
        while index < len(words):
            previous = " ".join(w.group().lower() for w in words[max(0, index - 2) : index])
            cased = known_name([w.group() for w in words[index : index + 6]], previous)
            if cased:
                for word, form in zip(words[index : index + len(cased)], cased, strict=False):
                    _apply_case(chars, word.start(), word.end(), form)
                index += len(cased)
            else:
                index += 1
        if words:
            chars[words[0].start()] = chars[words[0].start()].upper()[:1] or chars[words[0].start()]
        sentence.text = "".join(chars)


def _apply_case(chars: list[str], start: int, end: int, form: str) -> None:
    """Copy the capitals of ``form`` onto the same-length word at chars[start:end]."""
    for position, model in zip(range(start, end), form, strict=False):
        if model.isupper() and chars[position].lower() == model.lower():
            chars[position] = model


def run(analysis: Analysis) -> None:
    """Stage entry point: fill ``analysis.sentences`` and ``analysis.shape``."""
    analysis.shape, analysis.sentences = segment(analysis.article.text)


STAGE = ArticleStage("text", reads=("article.text",), writes=("sentences", "shape"),
                     step=lambda analysis, _resources: run(analysis))
