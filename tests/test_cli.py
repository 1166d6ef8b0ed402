"""The command line: fast help, parse --json shape, search and status on a real index."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from real_index import RealIndex

from pilsearch.cli import main

TYPICAL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "typical"
HEAVY = ("torch", "sentence_transformers", "haystack", "qdrant_client", "qdrant_edge", "numpy")


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from pilsearch.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert "ingest" in out.stdout and "search" in out.stdout


def test_parse_json_statute(minors_law_2024: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(minors_law_2024), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["title"] == "中华人民共和国未成年人保护法"
    assert doc["doc_type"] == "law"
    assert doc["issuer"] == "全国人民代表大会常务委员会"
    assert doc["date"] == "2024-04-26"
    art = next(a for a in doc["articles"] if a["index"] == 106)
    assert art["number"] == "第一百零六条"
    assert art["chapter"] == "第七章 司法保护"
    assert "公益诉讼" in art["text"]
    assert "cases" not in doc


def test_parse_json_case_batch(batch_35: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(batch_35), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["doc_type"] == "guiding_case"
    numbers = [c["case_number"] for c in doc["cases"]]
    assert numbers == [f"检例第{n}号" for n in range(141, 146)]
    sections = doc["cases"][0]["sections"]
    assert set(sections) >= {
        "keywords",
        "key_points",
        "facts",
        "process",
        "significance",
        "related_provisions",
    }
    assert doc["cases"][0]["date"] == "2022-03-07"
    assert doc["cases"][0]["citation"] == "最高人民检察院第三十五批指导性案例（检例第141号）"


def test_parse_json_typical_release(capsys: pytest.CaptureFixture[str]) -> None:
    """A joint typical release: publishers, printed headings and the filing citation."""
    folder = TYPICAL / "raw" / "bosh478__tkk-library" / "sources"
    release = next(folder.rglob("[[]2022-06-09]*.md"), None)
    if release is None:
        pytest.skip(f"typical-case releases not found under {TYPICAL}")
    assert main(["parse", str(release), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["doc_type"] == "typical_case"
    assert doc["issuers"] == ["最高人民检察院", "水利部"]
    assert doc["attribution"] == "最高人民检察院、水利部联合发布"
    assert len(doc["cases"]) == 10
    case = doc["cases"][6]
    assert [h["label"] for h in case["headings"]][3:5] == ["调查和督促履职", "诉讼过程"]
    assert {h["section"] for h in case["headings"][3:5]} == {"process"}
    assert case["citation"].endswith("（2022年6月9日《涉水领域检察公益诉讼典型案例》之七）")
    assert case["citation"].startswith("最高人民检察院、水利部联合发布的典型案例《")


def test_parse_reports_bad_files_and_goes_on(
    tmp_path: Path, minors_law_2024: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert main(["parse", str(empty), str(minors_law_2024), "--json"]) == 1
    results = json.loads(capsys.readouterr().out)
    assert results[0]["code"] == "EmptyDocumentError"
    assert results[1]["title"] == "中华人民共和国未成年人保护法"


def test_search_and_status_on_a_real_index(real_index: RealIndex) -> None:
    data = str(real_index.settings.data_dir)
    run = [sys.executable, "-m", "pilsearch.cli", "--data-dir", data]
    out = subprocess.run(
        [*run, "search", "网吧违规接纳未成年人 行政公益诉讼", "--json", "-k", "5"],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    assert set(result) >= {"articles", "cases", "facets", "timings_ms"}
    assert len(result["cases"]) <= 5 and len(result["articles"]) == 5
    assert result["cases"][0]["doc_id"] == "case:检例第145号"
    assert result["articles"][0]["citation"].startswith("《中华人民共和国未成年人保护法》")
    assert set(result["timings_ms"]) >= {"embed", "total"}
    status = subprocess.run(
        [*run, "status", "--check", "--json"], capture_output=True, text=True, check=True
    )
    info = json.loads(status.stdout)
    assert info["sources"] == 3 and info["problems"] == []


def test_search_knowledge_options(
    real_index: RealIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    """--level, --as-of, --date-field and --cited reach the filters; the text output shows
    the level and how often an article is cited."""
    data = str(real_index.settings.data_dir)
    args = ["--data-dir", data, "search", "未成年人 公益诉讼", "-k", "3"]
    assert main([*args, "--level", "法律", "--as-of", "2022-01-01", "--cited", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["cases"] == [] and result["articles"]
    assert {a["date"] for a in result["articles"]} == {"2020-10-17"}
    assert all(a["cited_count"] >= 1 for a in result["articles"])
    assert main([*args, "--date-field", "施行", "--date-from", "2021", "--validity", "all"]) == 0
    out = capsys.readouterr().out
    assert "[法律]" in out and "被引用" in out


def test_empty_query_is_a_clear_usage_error(
    real_index: RealIndex, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--data-dir", str(real_index.settings.data_dir), "search", "   "])
    assert code == 2
    assert "检索内容为空" in capsys.readouterr().err


def test_progress_without_a_terminal_prints_lines(capsys: pytest.CaptureFixture[str]) -> None:
    from pilsearch.cli import _TqdmProgress

    bar = _TqdmProgress(3000, "嵌入 embedding", log_seconds=1e-9)
    bar.update(1024)
    bar.update(1024)
    bar.close()
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(" (")[0] for line in lines] == [
        "嵌入 embedding: 1,024 of 3,000",
        "嵌入 embedding: 2,048 of 3,000",
    ]


def _without_write_override() -> list[str]:
    """A command prefix that makes permissions bind: root ignores a read-only directory unless
    its capability to override them is dropped (setpriv, util-linux)."""
    import os
    import shutil

    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: no directory is read-only to root")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"]


@pytest.mark.parametrize("fresh", [False, True], ids=["existing-index", "no-index-yet"])
def test_read_only_data_dir_is_a_clear_store_error(
    real_index: RealIndex, tmp_path: Path, fresh: bool
) -> None:
    import shutil
    import stat

    data = tmp_path / "data"
    if fresh:
        data.mkdir()
    else:
        shutil.copytree(real_index.settings.data_dir / "index", data / "index")
    read_only = stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP
    dirs = [data, *(p for p in data.rglob("*") if p.is_dir())]
    for directory in dirs:
        directory.chmod(read_only)
    try:
        for command in (["status", "--check"], ["serve", "--port", "0"]):
            out = subprocess.run(
                [*_without_write_override(), sys.executable, "-m", "pilsearch.cli",
                 "--data-dir", str(data), *command],
                capture_output=True, text=True, timeout=120, check=False,
            )
            assert out.returncode == 1, out.stderr
            assert "Traceback" not in out.stderr
            assert "pilsearch: error: 索引目录不可写" in out.stderr
            assert "必须对运行 pilsearch 的用户可写" in out.stderr
    finally:
        for directory in dirs:
            directory.chmod(read_only | stat.S_IWUSR)


@pytest.mark.parametrize("query", ["未保法第99999999999999999999条", "未保法第一亿条"])
def test_search_for_an_impossible_article_is_no_error(real_index: RealIndex, query: str) -> None:
    """Qdrant's integers are 64-bit: the citation must be found nowhere, not sent (issue #9)."""
    out = subprocess.run(
        [sys.executable, "-m", "pilsearch.cli", "--data-dir", str(real_index.settings.data_dir),
         "search", query, "--json", "-k", "3"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    [cited] = result["citations"]
    assert cited["work"] == "未成年人保护法" and cited["article_index"] >= 100_000_000
    assert not any(a["exact"] for a in result["articles"])


def test_search_names_a_missing_article_and_similar_prints_a_title_once(
    real_index: RealIndex,
) -> None:
    run = [sys.executable, "-m", "pilsearch.cli", "--data-dir", str(real_index.settings.data_dir)]
    out = subprocess.run(
        [*run, "search", "《未成年人保护法》第一百三十八条", "-k", "2"],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    assert "⚠ 《中华人民共和国未成年人保护法》共一百三十二条，没有第一百三十八条" in out.stdout
    facts = "辖区内多家网吧违规接纳未成年人上网，文化和旅游局监管不力，检察机关拟发出诉前检察建议。"
    similar = subprocess.run(
        [*run, "similar", "--text", facts, "-k", "3"],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    first = similar.stdout.splitlines()[0]
    assert first.startswith(" 1. 【") and "检例第145号" in first
    assert first.count("江苏省溧阳市人民检察院督促整治网吧违规接纳未成年人行政公益诉讼案") == 1
