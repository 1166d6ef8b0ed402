"""The deployment files: a 3-node Qdrant cluster behind the API (not run: no Docker engine)."""

from __future__ import annotations

from typing import Any

import yaml
from conftest import REPO_ROOT

from pilsearch.cli import build_parser


def test_compose_runs_the_api_against_a_three_node_cluster() -> None:
    compose: dict[str, Any] = yaml.safe_load((REPO_ROOT / "api" / "compose.yaml").read_text())
    services = compose["services"]
    nodes = [name for name in services if name.startswith("qdrant-")]
    assert nodes == ["qdrant-1", "qdrant-2", "qdrant-3"]
    for name in nodes:
        node = services[name]
        assert node["image"].startswith("qdrant/qdrant:")
        assert node["environment"]["QDRANT__CLUSTER__ENABLED"] == "true"
        assert f"http://{name}:6335" in node["command"]  # its own p2p address
    assert "--bootstrap" not in services["qdrant-1"]["command"]
    for name in ("qdrant-2", "qdrant-3"):
        command = services[name]["command"]
        assert command[command.index("--bootstrap") + 1] == "http://qdrant-1:6335"
    api = services["api"]
    assert api["environment"]["PILSEARCH_QDRANT_URL"] == "http://qdrant-1:6333"
    assert (REPO_ROOT / api["build"]["dockerfile"]).is_file()


def test_serve_and_openapi_are_commands() -> None:
    parser = build_parser()
    args = parser.parse_args(["serve", "--host", "0.0.0.0", "--port", "9000"])
    assert (args.host, args.port) == ("0.0.0.0", 9000)
    assert parser.parse_args(["openapi", "--check"]).check is True
