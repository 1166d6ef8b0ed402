"""``pilsearch ask`` and ``pilsearch similar`` as a user runs them (a subprocess on the real
index; this module keeps no store open, so the subprocess can own it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from real_index import RealIndex

INTERNET_CAFE = "网吧违规接纳未成年人，检察机关可以怎么办？"
TIMEOUT_S = 300


def run_cli(real_index: RealIndex, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "pilsearch.cli", "--data-dir", str(real_index.settings.data_dir)]
    return subprocess.run(
        [*cmd, *args], capture_output=True, text=True, timeout=TIMEOUT_S, check=False
    )


def test_cli_ask_json_with_history(real_index: RealIndex, tmp_path: Path) -> None:
    history = tmp_path / "history.json"
    history.write_text(json.dumps([{"role": "user", "content": INTERNET_CAFE}]), "utf-8")
    out = run_cli(
        real_index, "ask", "那行政机关逾期不回复呢？", "--history", str(history), "--json"
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["grounded"] is True and "网吧" in data["rewritten_query"]
    assert data["citations"] and all(c["verified"] for c in data["citations"])


def test_cli_ask_text_lists_sources(real_index: RealIndex) -> None:
    out = run_cli(real_index, "ask", INTERNET_CAFE)
    assert out.returncode == 0, out.stderr
    assert "[1]" in out.stdout and "== 资料 sources" in out.stdout


def test_cli_similar_json(real_index: RealIndex) -> None:
    out = run_cli(
        real_index,
        "similar",
        "--text",
        "多家网吧违规接纳未成年人上网，文化主管部门监管不力",
        "--json",
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["cases"][0]["case_number"] == "检例第145号"
    assert data["cases"][0]["citation_text"].startswith(
        "最高人民检察院第三十五批指导性案例（检例第145号）"
    )


def test_cli_similar_needs_text_or_file(real_index: RealIndex) -> None:
    out = run_cli(real_index, "similar")
    assert out.returncode == 2
