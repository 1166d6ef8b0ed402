"""The process environment: set by the programs (configure_process), never by an import."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from pilsearch.process import OPENMP_SPIN_COUNT, PROCESS_ENVIRONMENT

_MANAGED = (*PROCESS_ENVIRONMENT, "OMP_WAIT_POLICY", "GOMP_SPINCOUNT")


def _clean_env(**given: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _MANAGED}
    env.update(given)
    return env


def _run(code: str, env: dict[str, str]) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_importing_every_pilsearch_module_leaves_the_environment_alone() -> None:
    code = """
import importlib, json, os, pkgutil
import pilsearch
before = dict(os.environ)
names = [m.name for m in pkgutil.walk_packages(pilsearch.__path__, "pilsearch.")]
for name in names:
    importlib.import_module(name)
import haystack.telemetry._telemetry as t
changed = sorted(k for k in MANAGED if before.get(k) != os.environ.get(k))
print(json.dumps({"modules": len(names), "changed": changed, "off": t.telemetry is None}))
""".replace(
        "MANAGED", repr(list(_MANAGED))
    )  # torch sets variables of its own on import (KMP_*): not ours
    seen = json.loads(_run(code, _clean_env()))
    assert seen["modules"] > 50
    assert seen["changed"] == []
    # nor was Haystack patched: without its documented switch, its telemetry stays on
    assert seen["off"] is False


def test_the_cli_configures_the_process_before_anything_loads() -> None:
    code = """
import json, os
from pilsearch import cli
try:
    cli.main(["--help"])
except SystemExit:
    pass
print(json.dumps({k: os.environ.get(k) for k in MANAGED}))
""".replace("MANAGED", repr(list(_MANAGED)))
    seen = json.loads(_run(code, _clean_env()).splitlines()[-1])  # after the help text
    assert {k: seen[k] for k in PROCESS_ENVIRONMENT} == PROCESS_ENVIRONMENT
    assert seen["GOMP_SPINCOUNT"] == OPENMP_SPIN_COUNT and seen["OMP_WAIT_POLICY"] is None


def test_haystack_telemetry_is_off_by_its_documented_switch() -> None:
    code = """
from pilsearch.process import configure_process
configure_process()
import haystack.telemetry._telemetry as t
print(t.telemetry is None)
"""
    assert _run(code, _clean_env()) == "True"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({}, f"None {OPENMP_SPIN_COUNT}"),  # nothing set: a short bounded spin
        ({"OMP_WAIT_POLICY": "PASSIVE"}, "PASSIVE None"),  # the user's policy wins
        ({"GOMP_SPINCOUNT": "5"}, "None 5"),
        ({"HF_HUB_OFFLINE": "0"}, f"None {OPENMP_SPIN_COUNT} 0"),  # the user's value wins
    ],
)
def test_configure_process_bounds_the_openmp_spin_and_keeps_user_values(
    given: dict[str, str], expected: str
) -> None:
    code = (
        "import os; from pilsearch.process import configure_process; configure_process(); "
        "print(os.environ.get('OMP_WAIT_POLICY'), os.environ.get('GOMP_SPINCOUNT'), "
        "os.environ.get('HF_HUB_OFFLINE'))"
    )
    out = _run(code, _clean_env(**given))
    if "HF_HUB_OFFLINE" in given:
        assert out == expected
    else:
        assert out == f"{expected} 1"
