"""Chinese word segmentation for every lexical step (BM25 vectors, highlighting).

jieba with a legal user dictionary (``pilsearch/data/legal_dict.txt``) so that terms such as
检察建议, 公益诉讼 or 互联网上网服务营业场所 stay whole; a stop-word list drops function words.
Haystack's default BM25 tokenizer treats a run of Chinese characters as one word, which is why
it is never used here.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from importlib import resources
from typing import Any

_DATA_PACKAGE = "pilsearch.data"
_USER_DICT = "legal_dict.txt"
_STOPWORDS = "stopwords.txt"
# A token is kept when it has at least one CJK ideograph, letter or digit.
_WORDLIKE = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)
_MIN_COMPOUND = 2  # words longer than this are also indexed by their inner words
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """A private jieba Tokenizer with the legal dictionary, initialised once per process."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _lock:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        dict_text = resources.files(_DATA_PACKAGE).joinpath(_USER_DICT).read_text("utf-8")
        for line in dict_text.splitlines():
            parts = line.split()
            if parts:
                freq = int(parts[1]) if len(parts) > 1 else None
                tokenizer.add_word(parts[0], freq=freq)
    return tokenizer


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    text = resources.files(_DATA_PACKAGE).joinpath(_STOPWORDS).read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip())


def add_words(words: list[str]) -> None:
    """Teach the segmenter extra terms (e.g. law short titles) so they are never split."""
    tok = _tokenizer()
    with _lock:
        for word in words:
            tok.add_word(word)


def segment(text: str, *, mode: str = "search") -> list[str]:
    """Word tokens of ``text``, lower-cased, without punctuation and stop words.

    ``mode='search'`` adds the shorter words inside long compounds (jieba's search mode).
    """
    tok = _tokenizer()
    stop = stopwords()
    out = []
    for word in tok.cut(text):
        w = word.strip().lower()
        if not w or w in stop or not _WORDLIKE.search(w):
            continue
        out.append(w)
        if mode == "search" and len(w) > _MIN_COMPOUND:
            out.extend(_inner_words(tok, w))
    return out


def _inner_words(tok: Any, word: str) -> list[str]:
    """Dictionary words strictly inside ``word`` (未成年人保护法 -> 未成年人, 成年人, 保护法 …).

    Unlike jieba's own search mode this also finds inner words longer than three characters.
    """
    found = []
    n = len(word)
    for size in range(n - 1, 1, -1):
        for start in range(n - size + 1):
            piece = word[start : start + size]
            if tok.FREQ.get(piece):
                found.append(piece)
    return found


def spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of each whole word in ``text`` (precise mode), for highlighting."""
    tok = _tokenizer()
    return [(start, end, word) for word, start, end in tok.tokenize(text)]
