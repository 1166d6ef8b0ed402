"""AskService without the real index: failures inside the pipeline end a stream."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from pilsearch.answer import AskService
from pilsearch.errors import InternalError
from pilsearch.index.server_store import ServerStore
from pilsearch.settings import Settings

DIM = 4
#: Far longer than the failing pipeline needs; a stream that outlives it hangs.
DEADLINE_S = 30.0


class BrokenModel:
    """A dense model whose query embedding fails with an error that is not a pilsearch one."""

    signature = "broken-4d"
    dim = DIM

    def embed_passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        raise RuntimeError("the embedding broke")

    def embed_query(self, text: str) -> npt.NDArray[np.float32]:
        raise RuntimeError("the embedding broke")


@pytest.fixture
def store() -> Iterator[ServerStore]:
    s = ServerStore(":memory:", "broken", DIM)
    yield s
    s.close()


def within_deadline(run: Callable[[], Any]) -> dict[str, Any]:
    """``run()``'s value or exception, failing (not hanging) if it outlives DEADLINE_S."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = run()
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(DEADLINE_S)
    assert not thread.is_alive(), f"stream() did not end within {DEADLINE_S:g} s"
    return outcome


def test_an_unexpected_failure_ends_the_stream_as_an_internal_error(
    tmp_path: Path, store: ServerStore
) -> None:
    service = AskService(Settings(data_dir=tmp_path), store, BrokenModel(), generative=False)
    outcome = within_deadline(lambda: list(service.stream("网吧违规接纳未成年人怎么办？")))
    error = outcome.get("error")
    assert isinstance(error, InternalError), outcome
    causes = []
    cause: BaseException | None = error.__cause__
    while cause is not None:
        causes.append(cause)
        cause = cause.__cause__
    assert any(isinstance(c, RuntimeError) and "embedding broke" in str(c) for c in causes)
