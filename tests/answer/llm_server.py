"""A scripted OpenAI-compatible chat server for the generative tests (stdlib only).

The request's ``model`` names the scenario, so one server serves every test. Scenarios read
the numbered sources out of the prompt, so their answers cite what was really retrieved:

- ``correct``: quotes the first sentence of source [1] exactly, with marker [1];
- ``misquote``: the same quotation with its words changed;
- ``fabricated``: cites 《中华人民共和国未成年人保护法》第三百条 (the law has 132 articles);
- ``unknown_marker``: a claim marked [9] when fewer sources were given;
- ``slow``: answers after :data:`SLOW_SECONDS` (longer than the client's timeout);
- ``garbage``: HTTP 200 with a body that is not JSON;
- ``wrong_schema``: HTTP 200 JSON without ``choices``.

``stream: true`` is answered with SSE chunks of :data:`CHUNK_CHARS` characters each.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SLOW_SECONDS = 3.0
CHUNK_CHARS = 8
_SOURCE = re.compile(r"^\[(\d+)\] (.+)\n(.+)$", re.MULTILINE)
_FIRST_SENTENCE = re.compile(r"^[^。；\n]+")


def _first_source(prompt: str) -> tuple[str, str]:
    m = _SOURCE.search(prompt)
    assert m, prompt
    citation, text = m.group(2), m.group(3)
    sentence = _FIRST_SENTENCE.match(text)
    assert sentence
    return citation, sentence.group(0)


def script(model: str, prompt: str) -> str:
    citation, sentence = _first_source(prompt)
    if model == "correct":
        return f"{citation}规定：“{sentence}”。[1]"
    if model == "misquote":
        return f"{citation}规定：“{sentence[:4]}可以不予理会{sentence[4:]}”。[1]"
    if model == "fabricated":
        return "根据《中华人民共和国未成年人保护法》第三百条，网吧可以全天向未成年人开放。[1]"
    if model == "unknown_marker":
        return f"{citation}有明确规定。[1]检察机关还可以直接罚款。[9]"
    raise ValueError(model)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        request = json.loads(self.rfile.read(length))
        model = request["model"]
        self.server.requests.append(request)  # type: ignore[attr-defined]
        if model == "slow":
            time.sleep(SLOW_SECONDS)
            model = "correct"
        if model == "garbage":
            self._send(200, b"<html>502 upstream went away</html>")
            return
        if model == "wrong_schema":
            self._send(200, json.dumps({"result": "ok", "text": "答案"}).encode())
            return
        prompt = request["messages"][-1]["content"]
        text = script(model, prompt)
        if request.get("stream"):
            self._stream(model, text)
            return
        reply = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }
        self._send(200, json.dumps(reply, ensure_ascii=False).encode())

    def _stream(self, model: str, text: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        pieces = [text[i : i + CHUNK_CHARS] for i in range(0, len(text), CHUNK_CHARS)]
        for i, piece in enumerate(pieces):
            delta: dict[str, Any] = {"content": piece}
            if i == 0:
                delta["role"] = "assistant"
            chunk = {
                "id": "chatcmpl-1",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
            }
            self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            self.wfile.flush()
        end = {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
        }
        self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
        self.wfile.flush()


@contextmanager
def scripted_server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(base URL ending in /v1, the list of requests received) on an ephemeral port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1", server.requests  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
