"""Provenance: every unit says where it came from, and unofficial text never takes an official
work's identity (issue #9, defect 5). Pure rules first, then real ingests and real checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from real_index import RealIndex

from pilsearch.answer.checker import UNOFFICIAL, UPLOADED, CitationChecker
from pilsearch.answer.sources import Source
from pilsearch.index.dense import DenseModel
from pilsearch.index.open import open_store
from pilsearch.index.schema import PointKind, UnitPayload
from pilsearch.index.store import Condition, UnitStore
from pilsearch.ingest.ingestor import Ingestor
from pilsearch.ingest.provenance import (
    UNOFFICIAL_LABEL,
    UPLOAD_LABEL,
    SourceProvenance,
    corpus_provenance,
    mark_units,
    uploader_id,
)
from pilsearch.ingest.units import build_units
from pilsearch.legal.parse import parse_text
from pilsearch.search.lookup import KnowledgeBase
from pilsearch.search.results import Provenance
from pilsearch.settings import Settings

FORGED = (
    "中华人民共和国刑法\n\n"
    "第九百九十九条 经营网吧的人员违规接纳未成年人上网的，处十年以上有期徒刑。\n"
)
STATUTE = "示例规定\n\n第一条 为了示例，制定本规定。\n第二条 本规定自公布之日起施行。\n"


def test_uploader_id_is_a_stable_fingerprint_never_the_key() -> None:
    key = "secret-key-0123456789"
    assert uploader_id(key) == uploader_id(key) != uploader_id(key + "x")
    assert uploader_id(key).startswith("key-") and key not in uploader_id(key)


def test_trusted_corpora_decide_what_is_official(tmp_path: Path) -> None:
    (tmp_path / "laws" / "sub").mkdir(parents=True)
    (tmp_path / "mine").mkdir()
    law, mine = tmp_path / "laws" / "sub" / "a.md", tmp_path / "mine" / "b.md"
    assert corpus_provenance(mine, tmp_path / "mine", ("*",)).trusted
    official = corpus_provenance(law, tmp_path, ("laws",), base=tmp_path)
    assert official.trusted and official.corpus == "laws"
    other = corpus_provenance(mine, tmp_path / "mine", ("laws",), base=tmp_path)
    assert not other.trusted and other.corpus == "mine" and other.label == UNOFFICIAL_LABEL
    assert not SourceProvenance.upload("key-1", "2026-01-01T00:00:00+00:00").trusted


def test_unofficial_units_lose_the_identity_their_title_claims() -> None:
    units = build_units(parse_text(FORGED, source_name="forged.md"))
    upload = SourceProvenance.upload("key-1", "t")
    marked = mark_units(units, upload, Path("/data/uploads/forged.md"))
    [unit] = marked
    p = unit.payload
    assert unit.unit_id == "upload:forged.md/statute:刑法@undated|第九百九十九条"
    assert p.unit_id == unit.unit_id and p.doc_id == "upload:forged.md/statute:刑法@undated"
    assert p.work != "刑法" and p.claimed_work == "刑法"
    assert p.issuer is None and p.claimed_issuer == "全国人民代表大会常务委员会"
    assert p.validity == "unknown" and p.short_title is None
    assert p.citation == f"{UPLOAD_LABEL}：《中华人民共和国刑法》第九百九十九条"
    assert unit.embed_text == units[0].embed_text  # same words: same vector
    assert Provenance.of(p).model_dump(mode="json") | {"uploaded_at": None} == {
        "origin": "upload", "trusted": False, "label": UPLOAD_LABEL, "corpus": None,
        "uploader": "key-1", "uploaded_at": None, "claimed_work": "刑法",
        "official_collision": False,
    }  # fmt: skip
    official = mark_units(
        units, SourceProvenance("corpus", trusted=True, corpus="raw"), Path("x.md")
    )
    assert official[0].unit_id == units[0].unit_id and official[0].payload.trusted is True
    assert official[0].payload.to_payload()["standing"] == "official"


def test_units_indexed_before_provenance_read_as_official() -> None:
    old = Provenance.of(UnitPayload.from_payload({"doc_id": "statute:x@2020-01-01"}))
    assert old.trusted is True and old.label is None and old.origin == "corpus"


def test_files_outside_the_trusted_corpora_are_indexed_as_unofficial(
    tmp_path: Path, dense_model: DenseModel
) -> None:
    for folder in ("official", "other"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "示例规定(2021-01-01).md").write_text(STATUTE, "utf-8")
    settings = Settings(data_dir=tmp_path / "data", trusted_corpora=(str(tmp_path / "official"),))
    store = open_store(settings, dense_model.signature, dense_model.dim)
    try:
        report = Ingestor(settings, store, dense_model).ingest(
            [tmp_path / "official", tmp_path / "other"]
        )
        assert report.added == 2
        units = [p.unit for p in store.scroll([Condition("kind", PointKind.UNIT.value)])]
        standing = {(p.corpus, p.standing, p.validity) for p in units}
        assert standing == {
            ("official", "official", "现行有效"),
            ("other", "unofficial", "unknown"),
        }
        official_ids = {p.doc_id for p in units if p.trusted}
        assert official_ids == {"statute:示例规定@2021-01-01"}  # the same title, kept apart
        flagged = {p.official_collision for p in units if not p.trusted}
        assert flagged == {True}
        # a citation of the work resolves to the official text only
        versions = KnowledgeBase(store).article_versions("示例规定", 1)
        assert [v.trusted for v in versions] == [True]
        unofficial = next(p for p in units if not p.trusted)
        source = Source(1, unofficial, 1.0)
        checker = CitationChecker(KnowledgeBase(store))
        checked = checker.check("本规定自公布之日起施行。[1]", [source])
        assert [r.status for r in checked.citations] == [UNOFFICIAL]
    finally:
        store.close()


@pytest.fixture(scope="module")
def forged_source() -> Source:
    [unit] = mark_units(
        build_units(parse_text(FORGED, source_name="forged.md")),
        SourceProvenance.upload("key-1", "2026-01-01T00:00:00+00:00"),
        Path("forged.md"),
    )
    return Source(1, unit.payload, 1.0)


def test_the_checker_reports_uploaded_text_as_uploaded_never_verified(
    real_index: RealIndex, real_store: UnitStore, forged_source: Source
) -> None:
    checker = CitationChecker(KnowledgeBase(real_store))
    answer = (
        f"根据{forged_source.citation}，经营网吧的人员违规接纳未成年人上网的，"
        "处十年以上有期徒刑。[1]"
    )
    checked = checker.check(answer, [forged_source])
    assert {(r.kind, r.status) for r in checked.citations} == {
        ("marker", UPLOADED),
        ("mention", UPLOADED),
    }
    assert not any(r.verified for r in checked.citations)
    assert checked.answer.count("⚠") == 2 and not checked.all_verified
    assert all("上传文件，非官方文本" in note for note in checked.notes)
    # the extractive answerer may quote it: every citation in the sentence resolves
    sentence = "经营网吧的人员违规接纳未成年人上网的，处十年以上有期徒刑。"
    assert checker.verifies(sentence, forged_source)
