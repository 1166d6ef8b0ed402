from __future__ import annotations

import pytest

from pilsearch.index.segment import segment, spans
from pilsearch.index.sparse import BM25Encoder, word_id


def test_segment_keeps_legal_terms_whole_and_drops_punctuation() -> None:
    words = segment("网吧违规接纳未成年人，检察机关发出检察建议。", mode="precise")
    assert "检察建议" in words
    assert "网吧" in words
    assert "，" not in words and "。" not in words


def test_search_mode_adds_inner_words() -> None:
    precise = segment("未成年人保护法", mode="precise")
    search = segment("未成年人保护法", mode="search")
    assert set(precise) <= set(search)
    assert "未成年人" in search and len(search) > len(precise)


def test_stopwords_are_dropped() -> None:
    assert "的" not in segment("学校的食堂", mode="precise")


def test_spans_cover_whole_words() -> None:
    text = "检察建议督促整改"
    result = spans(text)
    assert "".join(w for _, _, w in result) == text
    assert any(w == "检察建议" for _, _, w in result)


def test_word_id_is_stable_and_non_negative() -> None:
    assert word_id("检察建议") == word_id("检察建议")
    assert 0 <= word_id("检察建议") < 2**31
    assert word_id("检察建议") != word_id("检察")


def test_bm25_document_weights_saturate_and_normalise_length() -> None:
    enc = BM25Encoder(k1=1.2, b=0.75, avg_len=10, mode="precise")
    once = enc.encode_document("网吧")
    thrice = enc.encode_document("网吧 网吧 网吧")
    assert thrice.values[0] > once.values[0]
    assert thrice.values[0] < 3 * once.values[0]  # tf saturates
    assert max(thrice.values) < 1.2 + 1  # bounded by k1 + 1


def test_bm25_query_is_a_set_of_words() -> None:
    enc = BM25Encoder(k1=1.2, b=0.75, avg_len=10)
    q = enc.encode_query("网吧 网吧 未成年人")
    assert q.values == [1.0] * len(q.indices)
    assert len(set(q.indices)) == len(q.indices)
    assert q.indices == sorted(q.indices)


def test_bm25_rejects_bad_parameters() -> None:
    with pytest.raises(ValueError):
        BM25Encoder(k1=0, b=0.5, avg_len=10)
    with pytest.raises(ValueError):
        BM25Encoder(k1=1.2, b=1.5, avg_len=10)


def test_query_of_only_punctuation_is_empty() -> None:
    assert len(BM25Encoder(k1=1.2, b=0.75, avg_len=10).encode_query("？！，。")) == 0
