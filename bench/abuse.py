"""The fault-and-abuse probe of issue 9, repeatable: hostile input against a real
``pilsearch serve`` on loopback, and kill -9 of ``pilsearch ingest`` at each point of a run.

    .venv/bin/python bench/abuse.py            # prints a table, writes bench/results/abuse.json
    .venv/bin/python bench/abuse.py --quick    # without the kill -9 series

Every probe has an expected outcome; the script exits 1 if any is not met. The server's
resident memory (its process and every child) is sampled all along and must stay under
``--rss-ceiling-mb`` (1536: the bundled model, the index and one conversion child at its
``worker_memory_bytes`` cap). Loopback only; every loop is bounded in count and time; the
hostile files are made in a temporary directory. Probes marked ``core`` test fixes of the
converters and the store (bounded DOCX/PDF conversion, huge article numbers, provenance of
uploads, crash recovery, date filters); the others the API's own limits.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bombs import (
    docx_bomb,
    docx_deep,
    docx_many_members,
    forged_statute,
    many_page_pdf,
)
from _server import (
    API_KEY,
    INDEX_FILES,
    REPO,
    Server,
    clean_env,
    descendants,
    pilsearch,
    private_copy,
    rss_bytes,
    tree_cpu_seconds,
    tree_rss_bytes,
)

KEY = {"X-API-Key": API_KEY}
REQUEST_TIMEOUT_S = 10.0  # the served limit, lower than the default 30 s to keep the run short
CLIENT_TIMEOUT_S = 120.0
BOMB_BYTES = 1 << 30  # word/document.xml of ~1 GB (about 4 MB zipped)
MANY_MEMBERS = 20_000
DEEP_XML = 100_000
MANY_PAGES = 5_000
CPU_PDF_PAGES = 20
CPU_PDF_OPERATORS = 300_000
UNAUTH_UPLOADS = 10
UNAUTH_UPLOAD_BYTES = 20 * 1024 * 1024
HUGE_BODY_BYTES = 150 * 1024 * 1024
IDLE_WINDOW_S = 3.0
IDLE_CPU_S = 0.5
KILL_FRACTIONS = (0.1, 0.3, 0.5, 0.7, 0.9)
RSS_SAMPLE_S = 0.2


@dataclass
class Row:
    probe: str
    expected: str
    observed: str
    ok: bool
    core: bool = False


class Probe:
    def __init__(self, server: Server, work: Path) -> None:
        self.server = server
        self.work = work
        self.rows: list[Row] = []
        self.http = httpx.Client(base_url=server.url, timeout=CLIENT_TIMEOUT_S)

    def check(
        self, probe: str, expected: str, run: Callable[[], tuple[bool, str]], *, core: bool = False
    ) -> None:
        started = time.monotonic()
        try:
            ok, observed = run()
        except Exception as exc:  # a probe that crashes is a failed probe, not a crashed run
            ok, observed = False, f"{type(exc).__name__}: {exc}"[:200]
        observed += f" ({time.monotonic() - started:.1f} s)"
        if not self.server.alive():
            ok, observed = False, observed + "; SERVER DIED"
        self.rows.append(Row(probe, expected, observed, ok, core))
        print(f"{'ok ' if ok else 'FAIL'} {probe}: {observed}", flush=True)

    # --- helpers ------------------------------------------------------------------------
    def status(self, response: httpx.Response) -> str:
        code = ""
        if response.headers.get("content-type", "").startswith("application/json"):
            body = response.json()
            if isinstance(body, dict) and isinstance(body.get("error"), dict):
                code = " " + str(body["error"].get("code"))
        return f"{response.status_code}{code}"

    def expect(self, response: httpx.Response, *statuses: int) -> tuple[bool, str]:
        return response.status_code in statuses, self.status(response)

    def nothing_left_running(self) -> tuple[bool, str]:
        time.sleep(0.5)
        helpers = ("multiprocessing.forkserver", "multiprocessing.resource_tracker")
        left = []
        for pid in descendants(self.server.pid):
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if not any(h in cmd for h in helpers):
                left.append(pid)
        before = tree_cpu_seconds(self.server.pid)
        time.sleep(IDLE_WINDOW_S)
        spent = tree_cpu_seconds(self.server.pid) - before
        ok = not left and spent < IDLE_CPU_S
        return ok, f"children left {left}, CPU {spent:.2f} s in {IDLE_WINDOW_S:g} s after"

    def raw(self, head: str, body_bytes: int, *, chunked: bool) -> str:
        """Send ``head`` then up to ``body_bytes`` of body until the server answers; return
        the status line (the server must answer before the body is all sent)."""
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=30) as sock:
            sock.sendall(head.encode())
            sent = 0
            block = b"a" * 65536
            sock.setblocking(False)
            answer = b""
            deadline = time.monotonic() + 60
            while sent < body_bytes and time.monotonic() < deadline:
                try:
                    answer += sock.recv(4096)
                    if answer:
                        break
                except BlockingIOError:
                    pass
                try:
                    payload = (b"%x\r\n" % len(block) + block + b"\r\n") if chunked else block
                    sock.send(payload)
                    sent += len(block)
                except BlockingIOError:
                    time.sleep(0.01)
                except OSError:
                    break
            sock.setblocking(True)
            sock.settimeout(10)
            try:
                while b"\r\n" not in answer:
                    chunk = sock.recv(4096)
                    if not chunk:
                        break
                    answer += chunk
            except (TimeoutError, OSError):
                pass
            line = answer.split(b"\r\n", 1)[0].decode(errors="replace") or "(no answer)"
            return f"{line} after {sent / 2**20:.1f} MiB sent"


def hostile_queries(p: Probe) -> None:
    p.check(
        "search: 10,000-character query",
        "400",
        lambda: p.expect(p.http.get("/api/search", params={"q": "网" * 2000 + "a" * 8000}), 400),
    )
    huge = "未保法第99999999999999999999条"
    for path, params in (
        ("/api/search", {"q": huge}),
        ("/api/citations/resolve", {"q": huge}),
        ("/api/citations/resolve", {"q": "未保法第100000000条"}),
        ("/api/citations/resolve", {"q": "未保法第一亿条"}),
    ):
        p.check(
            f"{path}: {params['q']}",
            "200, not found (never 500)",
            lambda path=path, params=params: p.expect(p.http.get(path, params=params), 200),
            core=True,
        )
    p.check(
        "/api/ask: huge article number",
        "200",
        lambda: p.expect(p.http.post("/api/ask", json={"question": huge}), 200),
        core=True,
    )

    def xss() -> tuple[bool, str]:
        r = p.http.get("/api/search", params={"q": "<script>alert(1)</script>网吧"})
        ok = r.status_code == 200 and r.headers["content-type"].startswith("application/json")
        return ok and "script-src 'self'" in r.headers.get("content-security-policy", ""), (
            f"{r.status_code} {r.headers['content-type']}"
        )

    p.check("search: <script> query", "200 JSON with a strict CSP", xss)
    for path in ("/api/documents/..%2F..%2F..%2Fetc%2Fpasswd", "/static/..%2F..%2Fsettings.py"):
        p.check(
            f"traversal {path}",
            "404",
            lambda path=path: p.expect(p.http.get(path), 404),
        )
    p.check(
        "search: invalid date 2020-02-31",
        "400",
        lambda: p.expect(
            p.http.get("/api/search", params={"q": "网吧", "date_from": "2020-02-31"}), 400
        ),
        core=True,
    )


def oversized_bodies(p: Probe) -> None:
    p.check(
        "/api/ask: 2 MB JSON body",
        "413",
        lambda: p.expect(
            p.http.post(
                "/api/ask",
                content=json.dumps({"question": "网吧", "pad": "x" * 2_000_000}),
                headers={"Content-Type": "application/json"},
            ),
            413,
        ),
    )
    head = (
        "POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {HUGE_BODY_BYTES}\r\n\r\n"
    )

    def declared() -> tuple[bool, str]:
        line = p.raw(head, HUGE_BODY_BYTES, chunked=False)
        return " 413 " in line, line

    p.check("/api/ask: 150 MB history (Content-Length)", "413 before the body is read", declared)
    chunked_head = (
        "POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    )

    def streamed() -> tuple[bool, str]:
        line = p.raw(chunked_head, HUGE_BODY_BYTES, chunked=True)
        return " 413 " in line, line

    p.check("/api/ask: 150 MB history (chunked)", "413 after 1 MiB", streamed)
    turns = [{"role": "user", "content": "问"}] * 60
    p.check(
        "/api/ask: 60 history turns",
        "400",
        lambda: p.expect(p.http.post("/api/ask", json={"question": "网吧", "history": turns}), 400),
    )
    long_turn = [{"role": "assistant", "content": "答" * 20_000}]
    p.check(
        "/api/ask: a 20,000-character history turn",
        "400",
        lambda: p.expect(
            p.http.post("/api/ask", json={"question": "网吧", "history": long_turn}), 400
        ),
    )


def bombs(p: Probe) -> None:
    work = p.work
    bomb = docx_bomb(work / "bomb.docx", BOMB_BYTES)
    members = docx_many_members(work / "members.docx", MANY_MEMBERS)
    deep = docx_deep(work / "deep.docx", DEEP_XML)
    pages = many_page_pdf(work / "pages.pdf", MANY_PAGES)
    sys.path.insert(0, str(REPO / "tests" / "api"))
    from test_api_limits import cpu_pdf

    cpu = work / "cpu.pdf"
    cpu.write_bytes(cpu_pdf(CPU_PDF_PAGES, CPU_PDF_OPERATORS))

    def similar(path: Path) -> httpx.Response:
        return p.http.post("/api/similar", files={"file": (path.name, path.read_bytes())})

    def upload(path: Path) -> httpx.Response:
        return p.http.post(
            "/api/documents", files={"files": (path.name, path.read_bytes())}, headers=KEY
        )

    def refused_and_idle(response: httpx.Response, *statuses: int) -> tuple[bool, str]:
        ok, seen = p.expect(response, *statuses)
        idle, after = p.nothing_left_running()
        return ok and idle, f"{seen}; {after}"

    size = f"{BOMB_BYTES / 2**30:.0f} GiB ({bomb.stat().st_size / 2**20:.1f} MiB zipped)"
    p.check(
        f"/api/similar, no key: DOCX expanding to {size}",
        "413/422, or 504 at the limit; nothing left running",
        lambda: refused_and_idle(similar(bomb), 413, 422, 504),
    )
    p.check(
        "/api/documents: the same DOCX bomb",
        "413/422, or 504 at the limit; nothing left running",
        lambda: refused_and_idle(upload(bomb), 413, 422, 504),
    )
    p.check(
        "/api/similar: the DOCX bomb against the converter's size limit",
        "413/422",
        lambda: p.expect(similar(bomb), 413, 422),
        core=True,
    )

    def three_at_once() -> tuple[bool, str]:
        answers: list[str] = []

        def one() -> None:
            answers.append(p.status(similar(bomb)))

        threads = [threading.Thread(target=one) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ok = all(a.startswith(("413", "422", "503", "504")) for a in answers)
        idle, after = p.nothing_left_running()
        return ok and idle, ", ".join(answers) + f"; {after}"

    p.check(
        "/api/similar: three DOCX bombs at once",
        "each refused or cut at the limit, server alive, memory bounded",
        three_at_once,
    )
    p.check(
        f"/api/similar: DOCX of {MANY_MEMBERS:,} zip members",
        "413/422",
        lambda: p.expect(similar(members), 413, 422),
        core=True,
    )
    p.check(
        f"/api/similar: DOCX with XML {DEEP_XML:,} elements deep",
        "413/422",
        lambda: p.expect(similar(deep), 413, 422),
    )
    p.check(
        f"/api/similar: PDF of {MANY_PAGES:,} pages",
        "413/422 (page limit)",
        lambda: p.expect(similar(pages), 413, 422),
        core=True,
    )
    p.check(
        f"/api/similar: PDF of {CPU_PDF_PAGES} pages of {CPU_PDF_OPERATORS:,} operators (CPU)",
        "504 at the limit, conversion killed, no CPU after",
        lambda: refused_and_idle(similar(cpu), 504),
    )


def names_and_forgery(p: Probe) -> None:
    uploads = p.server.data_dir / "uploads"
    text = "会议纪要：下周二开会。\n".encode()

    def traversal() -> tuple[bool, str]:
        r = p.http.post("/api/documents", files={"files": ("../../../evil.md", text)}, headers=KEY)
        escaped = (p.server.data_dir / "evil.md").exists() or (p.work / "evil.md").exists()
        ok = r.status_code in (200, 422) and (uploads / "evil.md").is_file() and not escaped
        return ok, f"{p.status(r)}; saved inside uploads/: {(uploads / 'evil.md').is_file()}"

    p.check("upload ../../../evil.md", "saved as uploads/evil.md only", traversal)

    def bidi() -> tuple[bool, str]:
        r = p.http.post(
            "/api/documents", files={"files": ("纪要\u202edm.exe.md", text)}, headers=KEY
        )
        names = [x.name for x in uploads.iterdir()]
        ok = r.status_code in (200, 422) and not any("\u202e" in n for n in names)
        return ok, f"{p.status(r)}; a saved name holds U+202E: {not ok}"

    p.check("upload a name with U+202E", "stripped", bidi)
    long_name = "关于办理未成年人保护检察公益诉讼案件若干问题的规定" * 5 + ".md"

    def long() -> tuple[bool, str]:
        r = p.http.post("/api/documents", files={"files": (long_name, text)}, headers=KEY)
        return r.status_code in (200, 422), p.status(r)

    p.check(f"upload a {len(long_name.encode())}-byte Chinese name", "200/422, never 500", long)

    def duplicate() -> tuple[bool, str]:
        files = [("files", ("同名.md", text)), ("files", ("a/同名.md", text + b"x"))]
        r = p.http.post("/api/documents", files=files, headers=KEY)
        return p.expect(r, 400)

    p.check("upload two files of one name", "400 DuplicateFileName", duplicate)

    forged = forged_statute(p.work / "forged.md")

    def forgery() -> tuple[bool, str]:
        r = p.http.post(
            "/api/documents",
            files={"files": (forged.name, forged.read_bytes())},
            headers=KEY,
            timeout=CLIENT_TIMEOUT_S,
        )
        if r.status_code != 200:
            return True, f"upload refused: {p.status(r)}"
        resolved = p.http.get("/api/citations/resolve", params={"q": "刑法第九百九十九条"}).json()
        matches = [m for c in resolved["citations"] for m in c["matches"]]
        answer = p.http.post(
            "/api/ask", json={"question": "网吧接纳未成年人的，依照刑法第九百九十九条如何处罚？"}
        ).json()
        verified = [
            c["citation"]
            for c in answer.get("citations", [])
            if "九百九十九" in c.get("citation", "") and c.get("verified")
        ]
        labelled = all("upload" in json.dumps(m, ensure_ascii=False) for m in matches)
        official = [
            m for m in matches if m.get("validity") == "现行有效" and "upload" not in str(m)
        ]
        ok = labelled and not verified and not official
        return ok, (
            f"resolve: {len(matches)} match(es), labelled as upload: {labelled}; "
            f"ask cites it as verified: {bool(verified)}"
        )

    p.check(
        "forged 中华人民共和国刑法 第九百九十九条 uploaded",
        "labelled as an upload, never verified or 现行有效 law",
        forgery,
        core=True,
    )

    def unauthenticated() -> tuple[bool, str]:
        body = b"0" * UNAUTH_UPLOAD_BYTES
        statuses: list[str] = []
        before = rss_bytes(p.server.pid)

        def one() -> None:
            try:
                r = httpx.post(
                    f"{p.server.url}/api/documents",
                    files={"files": ("big.pdf", body)},
                    timeout=CLIENT_TIMEOUT_S,
                )
                statuses.append(str(r.status_code))
            except httpx.HTTPError as exc:  # refused mid-body: the server closed on us
                statuses.append(type(exc).__name__)

        started = time.monotonic()
        threads = [threading.Thread(target=one) for _ in range(UNAUTH_UPLOADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        grown = (rss_bytes(p.server.pid) - before) / 2**20
        ok = all(s in ("401", "WriteError", "RemoteProtocolError") for s in statuses)
        ok = ok and grown < UNAUTH_UPLOADS * UNAUTH_UPLOAD_BYTES / 2**20 / 4
        return ok, (
            f"{sorted(set(statuses))} in {time.monotonic() - started:.1f} s; "
            f"server RSS grew {grown:.0f} MiB"
        )

    p.check(
        f"{UNAUTH_UPLOADS} concurrent 20 MB uploads without a key",
        "401 each, bodies not read",
        unauthenticated,
    )


def kill_ingest(rows: list[Row], work: Path) -> None:
    """kill -9 of ``pilsearch ingest`` at fractions of a full run; then ``status --check`` on
    the index as the kill left it, and again after the next ingest."""
    source = INDEX_FILES[0]
    timing = work / "timing"
    timing.mkdir()
    started = time.monotonic()
    subprocess.run(
        [*pilsearch(), "ingest", str(source)],
        env=clean_env(timing),
        check=True,
        capture_output=True,
    )
    full = time.monotonic() - started
    shutil.rmtree(timing)

    def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*pilsearch(), *args], env=clean_env(data), capture_output=True, text=True
        )

    for fraction in KILL_FRACTIONS:
        data = work / f"kill-{fraction}"
        data.mkdir()
        process = subprocess.Popen(
            [*pilsearch(), "ingest", str(source)],
            env=clean_env(data),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        time.sleep(full * fraction)
        process.send_signal(signal.SIGKILL)
        output = process.communicate()[0]
        phase = "finished" if "indexed" in output else "model load / parse / embed / write"
        first = run(data, "status", "--check")
        run(data, "ingest", str(source))
        second = run(data, "status", "--check")
        ok = first.returncode == 0 and second.returncode == 0

        def said(result: subprocess.CompletedProcess[str]) -> str:
            lines = (result.stderr.strip() or result.stdout.strip()).splitlines()
            return lines[-1][:120] if result.returncode and lines else "consistent"

        rows.append(
            Row(
                f"kill -9 of ingest at {fraction:.0%} of {full:.0f} s ({phase})",
                "status --check consistent right away and after the next ingest",
                f"right away: exit {first.returncode} ({said(first)}); "
                f"after ingest: exit {second.returncode} ({said(second)})",
                ok,
                core=True,
            )
        )
        print(f"{'ok ' if ok else 'FAIL'} {rows[-1].probe}: {rows[-1].observed}", flush=True)


def broken_store(p: Probe) -> None:
    """Last: the served index loses its files; health must not say ok while searches fail."""
    shutil.rmtree(p.server.data_dir / "index", ignore_errors=True)

    def agree() -> tuple[bool, str]:
        search = p.http.get("/api/search", params={"q": "网吧违规接纳未成年人"})
        health = p.http.get("/api/health")
        fine = search.status_code == 200 and search.json()["articles"]
        ok = (health.status_code == 200) == bool(fine)
        return ok, f"search {p.status(search)} (results: {bool(fine)}), health {p.status(health)}"

    p.check("index directory deleted under the server", "health 503 unless search works", agree)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="leave out the kill -9 series")
    parser.add_argument("--rss-ceiling-mb", type=float, default=1536.0)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "abuse.json")
    parser.add_argument("--log", type=Path, default=None, help="keep the server's log here")
    args = parser.parse_args()

    import pilsearch as package

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="pilsearch-abuse-") as tmp:
        work = Path(tmp)
        served = private_copy(work / "served")
        server = Server(served, {"PILSEARCH_REQUEST_TIMEOUT_S": str(REQUEST_TIMEOUT_S)}).start()
        peak = {"tree": 0, "server": 0}
        sampling = True

        def sample() -> None:
            while sampling:
                peak["tree"] = max(peak["tree"], tree_rss_bytes(server.pid))
                peak["server"] = max(peak["server"], rss_bytes(server.pid))
                time.sleep(RSS_SAMPLE_S)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        probe = Probe(server, work)
        try:
            for group in (hostile_queries, oversized_bodies, bombs, names_and_forgery):
                if server.alive():
                    group(probe)
            if server.alive():
                broken_store(probe)
        finally:
            sampling = False
            sampler.join()
            server.stop()
            log = server.log()
            if args.log:
                args.log.write_text(log, "utf-8")
        rows = probe.rows
        tracebacks = log.count("Traceback")
        rows.append(  # the 500s of other probes (huge article numbers) put them there
            Row(
                "server log",
                "no stack trace",
                f"{tracebacks} traceback(s)",
                tracebacks == 0,
                core=True,
            )
        )
        ceiling = args.rss_ceiling_mb * 2**20
        rows.append(
            Row(
                "peak RSS of the server and its children",
                f"< {args.rss_ceiling_mb:,.0f} MiB",
                f"{peak['tree'] / 2**20:,.0f} MiB (server process alone "
                f"{peak['server'] / 2**20:,.0f} MiB)",
                peak["tree"] < ceiling,
            )
        )
        if not args.quick:
            kill_ingest(rows, work)

    width = max(len(r.probe) for r in rows)
    print()
    print(f"{'probe':<{width}}  {'ok':<4}  expected | observed")
    for r in rows:
        mark = "ok" if r.ok else "FAIL"
        core = "  [core]" if r.core else ""
        print(f"{r.probe:<{width}}  {mark:<4}  {r.expected} | {r.observed}{core}")
    failed = [r for r in rows if not r.ok]
    took = time.monotonic() - started
    print(f"\n{len(rows) - len(failed)} passed, {len(failed)} failed ({took:.0f} s)")
    result: dict[str, Any] = {
        "benchmark": "abuse",
        "code": str(Path(package.__file__).resolve().parents[1]),
        "request_timeout_s": REQUEST_TIMEOUT_S,
        "rss_ceiling_mb": args.rss_ceiling_mb,
        "peak_rss_mb": round(peak["tree"] / 2**20),
        "rows": [r.__dict__ for r in rows],
        "failed": len(failed),
        "seconds": round(time.monotonic() - started),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
