"""Shared fixtures: the real corpus in ../shared, settings on a temporary data directory."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pilsearch.process import configure_process

configure_process()  # as the CLI and the server do, before any model or Haystack loads

from real_index import RealIndex  # noqa: E402

from pilsearch.index.dense import DenseModel, load_dense_model  # noqa: E402
from pilsearch.index.open import open_store  # noqa: E402
from pilsearch.index.store import UnitStore  # noqa: E402
from pilsearch.ingest.ingestor import Ingestor  # noqa: E402
from pilsearch.settings import Settings  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"
RAW = SHARED_DATA / "raw"
LAWS = RAW / "LawRefBook__Laws"
CASES = RAW / "bosh478__tkk-library" / "sources" / "微信公号资料" / "最高人民检察院"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the shared corpus is not at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def minors_law_2024(shared_data: Path) -> Path:
    return LAWS / "社会法" / "未成年人保护法(2024-04-26).md"


@pytest.fixture(scope="session")
def minors_law_2020(shared_data: Path) -> Path:
    return LAWS / "社会法" / "未成年人保护法(2020-10-17).md"


@pytest.fixture(scope="session")
def batch_35(shared_data: Path) -> Path:
    return CASES / "最高检-指导性案例-md" / "35第三十五批指导性案例-中华人民共和国最高人民检察院.md"


@pytest.fixture(scope="session")
def dense_model() -> DenseModel:
    return load_dense_model(Settings())


@pytest.fixture(scope="session")
def real_index(
    tmp_path_factory: pytest.TempPathFactory,
    dense_model: DenseModel,
    minors_law_2024: Path,
    minors_law_2020: Path,
    batch_35: Path,
) -> RealIndex:
    """未成年人保护法 (2024 and 2020 versions), 第三十五批指导性案例, and three bad files."""
    root = tmp_path_factory.mktemp("corpus")
    for src in (minors_law_2024, minors_law_2020, batch_35):
        shutil.copy(src, root / src.name)
    (root / "empty.txt").write_bytes(b"")
    (root / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")  # truncated
    (root / "notes.md").write_text("会议纪要：下周二开会。\n", "utf-8")  # not a legal document
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"))
    store = open_store(settings, dense_model.signature, dense_model.dim)
    try:
        report = Ingestor(settings, store, dense_model).ingest([root])
    finally:
        store.close()
    return RealIndex(settings, report, root, dense_model)


TYPICAL = SHARED_DATA / "typical" / "raw" / CASES.relative_to(RAW) / "最高检-典型案例-md"
#: Typical-case releases of two fields (issue #13: similar cases on 安全生产 and 湿地 drafts).
SAFETY_RELEASE = "[2021-03-23]最高检应急管理部联合发布安全生产领域公益诉讼典型案例.md"
WETLAND_RELEASE = "[2022-11-05]最高检指导发布首批湿地保护公益诉讼典型案例.md"


@pytest.fixture(scope="session")
def typical_index(
    tmp_path_factory: pytest.TempPathFactory, dense_model: DenseModel, batch_35: Path
) -> RealIndex:
    """Two typical-case releases (安全生产 2021: 9 cases, 湿地保护 2022: 12 cases) and the
    第三十五批指导性案例 (5 minors cases), so that each field has others to be told from."""
    root = tmp_path_factory.mktemp("typical")
    for src in (TYPICAL / SAFETY_RELEASE, TYPICAL / WETLAND_RELEASE, batch_35):
        shutil.copy(src, root / src.name)
    settings = Settings(data_dir=tmp_path_factory.mktemp("typical-data"))
    store = open_store(settings, dense_model.signature, dense_model.dim)
    try:
        report = Ingestor(settings, store, dense_model).ingest([root])
    finally:
        store.close()
    return RealIndex(settings, report, root, dense_model)


@pytest.fixture(scope="module")
def real_store(real_index: RealIndex) -> Iterator[UnitStore]:
    store = real_index.open()
    yield store
    store.close()


LAWS_DATA = RAW / "13098806890__laws-data" / "json" / "司法解释"
PIL_INTERPRETATION = "最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释"
#: The public interest litigation texts of issue 12: the two procedure laws, the pilot measure,
#: both versions of the 检察公益诉讼解释 and the SPP's 办案规则 (which quote the laws).
PIL_FILES = (
    LAWS / "诉讼与非诉讼程序法" / "行政诉讼法(2017-06-27).md",
    LAWS / "诉讼与非诉讼程序法" / "民事诉讼法(2023-09-01).md",
    LAWS / "司法解释" / "人民检察院提起公益诉讼试点工作实施办法(2015-12-24).md",
    LAWS / "司法解释" / f"{PIL_INTERPRETATION}.md",
    LAWS_DATA / f"{PIL_INTERPRETATION}_20201229.json",
    LAWS_DATA / "人民检察院公益诉讼办案规则_20210629.json",
)


@pytest.fixture(scope="session")
def pil_index(
    tmp_path_factory: pytest.TempPathFactory, dense_model: DenseModel, shared_data: Path
) -> RealIndex:
    """A real index of :data:`PIL_FILES` (issue 12: versions, the pilot, named works)."""
    root = tmp_path_factory.mktemp("pil-corpus")
    for src in PIL_FILES:
        shutil.copy(src, root / src.name)
    settings = Settings(data_dir=tmp_path_factory.mktemp("pil-data"))
    store = open_store(settings, dense_model.signature, dense_model.dim)
    try:
        report = Ingestor(settings, store, dense_model).ingest([root])
    finally:
        store.close()
    return RealIndex(settings, report, root, dense_model)
