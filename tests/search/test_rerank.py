"""The optional rerank stage with a real (tiny, randomly initialised) CrossEncoder directory,
built by the test: no Chinese cross-encoder can be installed here, so none is bundled."""

from __future__ import annotations

from pathlib import Path

import pytest
from real_index import RealIndex

from pilsearch.errors import ModelError
from pilsearch.index.schema import UnitPayload
from pilsearch.index.store import Hit, UnitStore
from pilsearch.search.rerank import Reranker
from pilsearch.search.service import SearchService

SEED = 11
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


@pytest.fixture(scope="module")
def tiny_cross_encoder(tmp_path_factory: pytest.TempPathFactory, minors_law_2024: Path) -> Path:
    import torch
    from sentence_transformers import CrossEncoder
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    folder = tmp_path_factory.mktemp("tiny-ce")
    chars = sorted(set(minors_law_2024.read_text("utf-8")) - set("\n\r\t "))
    (folder / "vocab.txt").write_text("\n".join(SPECIAL + chars) + "\n", "utf-8")
    tokenizer = BertTokenizer(str(folder / "vocab.txt"), tokenize_chinese_chars=True)
    torch.manual_seed(SEED)
    config = BertConfig(
        vocab_size=len(SPECIAL) + len(chars),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        num_labels=1,
        max_position_embeddings=512,
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    CrossEncoder(str(folder), local_files_only=True).save(str(folder))
    return folder


def test_rerank_orders_candidates_by_the_cross_encoder(tiny_cross_encoder: Path) -> None:
    from sentence_transformers import CrossEncoder

    texts = ["未成年人保护", "网吧接纳未成年人", "学校食堂", "监护人职责", "公益诉讼"]
    hits = [
        Hit(str(i), 1.0 / (i + 1), UnitPayload(doc_id="d", unit_id=f"u{i}", text=t))
        for i, t in enumerate(texts)
    ]
    reranker = Reranker(tiny_cross_encoder, candidates=3)
    out = reranker.rerank("网吧", hits)
    model = CrossEncoder(str(tiny_cross_encoder), local_files_only=True)
    expected = sorted(range(3), key=lambda i: -float(model.predict([("网吧", texts[i])])[0]))
    assert [h.unit.unit_id for h in out[:3]] == [f"u{i}" for i in expected]
    assert [h.unit.unit_id for h in out[3:]] == ["u3", "u4"]  # below the cut: fused order


def test_search_uses_the_reranker_when_configured(
    tiny_cross_encoder: Path, real_index: RealIndex, real_store: UnitStore
) -> None:
    settings = real_index.settings.model_copy(update={"reranker_path": tiny_cross_encoder})
    service = SearchService(settings, real_store, real_index.model)
    response = service.search("网吧违规接纳未成年人")
    assert "rerank" in response.timings_ms
    plain = SearchService(real_index.settings, real_store, real_index.model).search(
        "网吧违规接纳未成年人"
    )
    assert "rerank" not in plain.timings_ms
    assert {a.unit_id for a in response.articles} <= {
        a.unit_id for a in service.search("网吧违规接纳未成年人", k_articles=50).articles
    }


def test_missing_reranker_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="从不下载模型"):
        Reranker(tmp_path / "nope", candidates=5)
