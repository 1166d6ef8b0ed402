"""``pilsearch``: ingest, parse, search and status from the command line.

Only argparse is imported at start-up, so ``pilsearch --help`` answers at once; models,
Haystack and Qdrant load inside the command that needs them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pilsearch.index.dense import DenseModel
    from pilsearch.index.store import UnitStore
    from pilsearch.settings import Settings

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def _print_json(data: Any) -> None:
    """``data`` as JSON; a result model prints as ``model_dump(mode="json")``, the JSON the
    API sends."""
    if hasattr(data, "model_dump"):
        data = data.model_dump(mode="json")
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _open(settings: Settings) -> tuple[DenseModel, UnitStore]:
    from pilsearch.index.dense import load_dense_model
    from pilsearch.index.open import open_store

    model = load_dense_model(settings)
    return model, open_store(settings, model.signature, model.dim)


class _TqdmProgress:
    """A bar on a terminal; without one, a line every ``log_seconds`` (a job run under nohup
    or CI would otherwise say nothing for an hour of embedding)."""

    def __init__(self, total: int | None, desc: str, *, log_seconds: float) -> None:
        from tqdm import tqdm

        self._desc, self._total, self._log_seconds = desc, total, log_seconds
        self._tty = sys.stderr.isatty()
        self._done = 0
        self._started = self._logged = time.monotonic()
        self._bar = tqdm(
            total=total,
            desc=desc,
            unit=" u" if "embed" in desc else " file",
            disable=not self._tty,
            dynamic_ncols=True,
        )

    def update(self, n: int) -> None:
        self._bar.update(n)
        self._done += n
        now = time.monotonic()
        if not self._tty and now - self._logged >= self._log_seconds:
            self._logged = now
            of = f" of {self._total:,}" if self._total else ""
            rate = self._done / max(now - self._started, 1e-9)
            sys.stderr.write(f"{self._desc}: {self._done:,}{of} ({rate:.1f}/s)\n")
            sys.stderr.flush()

    def close(self) -> None:
        self._bar.close()


def _progress_factory(settings: Settings) -> Any:
    def make(total: int, desc: str) -> _TqdmProgress:
        return _TqdmProgress(total, desc, log_seconds=settings.progress_log_seconds)

    return make


def _log_source(outcome: Any) -> None:
    """Without a terminal (logs, CI, tests) each indexed source gets a line instead of a bar."""
    sys.stderr.write(f"indexed ({outcome.status}): {outcome.path} ({outcome.units} units)\n")
    sys.stderr.flush()


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from pilsearch.ingest.ingestor import Ingestor

    model, store = _open(settings)
    try:
        log = None if sys.stderr.isatty() else _log_source
        ingestor = Ingestor(
            settings, store, model, progress=_progress_factory(settings), on_source=log
        )
        report = ingestor.ingest([Path(p) for p in args.paths], prune=args.prune)
    finally:
        store.close()
    if args.json:
        _print_json(report.to_json())
    else:
        for f in report.files:
            if f.status in ("failed", "skipped"):
                sys.stderr.write(f"{f.status}: {f.error}\n")
        sys.stdout.write(
            f"documents: {report.added} added, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.failed} failed, {report.skipped} skipped, "
            f"{report.pruned} pruned\n"
            f"units: {report.units_written} written, {report.units_embedded} embedded, "
            f"{report.units_reused} reused; {report.seconds:.1f} s\n"
        )
    return EXIT_ERROR if report.failed else EXIT_OK


def cmd_parse(args: argparse.Namespace, settings: Settings) -> int:
    from pilsearch.errors import PilsearchError
    from pilsearch.ingest.convert import ConversionLimits, convert_file
    from pilsearch.legal.citation import render_case_citation
    from pilsearch.legal.parse import parse_text

    results: list[dict[str, Any]] = []
    status = EXIT_OK
    for name in args.files:
        path = Path(name)
        try:
            limits = ConversionLimits.from_settings(settings)
            for item in convert_file(path, max_bytes=settings.max_file_bytes, limits=limits):
                doc = parse_text(
                    item.text,
                    source_name=item.record_id or path.name,
                    title=item.title,
                    meta=item.meta,
                )
                parsed = {"file": str(path)} | doc.to_json()
                for case, shown in zip(doc.cases, parsed.get("cases", []), strict=True):
                    shown["citation"] = render_case_citation(case, doc.batch)
                results.append(parsed)
        except PilsearchError as exc:
            results.append({"file": str(path), "error": str(exc), "code": exc.code})
            status = EXIT_ERROR
    if args.json:
        _print_json(results if len(results) != 1 else results[0])
    else:
        for r in results:
            if "error" in r:
                sys.stdout.write(f"{r['file']}: error: {r['error']}\n")
                continue
            count = (
                f"{len(r['articles'])} articles" if "articles" in r else f"{len(r['cases'])} cases"
            )
            sys.stdout.write(f"{r['file']}: {r['title']} [{r['doc_type']}] {r['date']} — {count}\n")
    return status


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from pilsearch.legal.model import Validity
    from pilsearch.search.service import SearchService

    model, store = _open(settings)
    try:
        service = SearchService(settings, store, model)
        raw = {
            "doc_type": args.doc_type,
            "issuer": args.issuer,
            "validity": args.validity,
            "date_from": args.date_from,
            "date_to": args.date_to,
            "area": args.area,
            "litigation": args.litigation,
            "level": args.level,
            "date_field": args.date_field,
            "as_of": args.as_of,
            "cited": "true" if args.cited else None,
        }
        response = service.search(
            args.query, filters=service.filters(raw), k_articles=args.k, k_cases=args.k
        )
    finally:
        store.close()
    if args.json:
        _print_json(response)
        return EXIT_OK
    for cited in response.citations:
        if cited.message:
            sys.stdout.write(f"⚠ {cited.message}\n")
    if response.low_relevance:
        sys.stdout.write("⚠ 相关度较低：知识库中可能没有与该问题直接相关的法条或案例\n")
    sys.stdout.write(f"== 法条 articles ({len(response.articles)})\n")
    for i, article in enumerate(response.articles, 1):
        extra = f" [{article.level}]" if article.level else ""
        if article.validity and article.validity != Validity.CURRENT.value:
            extra += f" ({article.validity})"
        if article.cited_count:
            extra += f" 被引用{article.cited_count}次"
        _print_hit(i, article.exact, article.citation, extra, article.snippet)
    sys.stdout.write(f"== 案例 cases ({len(response.cases)})\n")
    for i, case in enumerate(response.cases, 1):
        extra = " 【" + "、".join(str(m.label) for m in case.matched_sections) + "】"
        _print_hit(i, case.exact, case.citation, extra, case.snippet)
    if not response.articles and not response.cases:
        sys.stdout.write("no results\n")
    return EXIT_OK


def _print_hit(i: int, exact: bool, citation: str | None, extra: str, snippet: str) -> None:
    mark = "★ " if exact else ""
    sys.stdout.write(f"{i:>2}. {mark}{citation}{extra}\n    {snippet}\n")


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from pilsearch.index.integrity import checked, unchecked
    from pilsearch.ingest.ingestor import check_index
    from pilsearch.search.stats import index_stats

    model, store = _open(settings)
    try:
        raw = unchecked(store)  # a damaged index refuses reads; status must still look at it
        integrity = checked(store)
        data: dict[str, Any] = index_stats(raw, model.signature).model_dump(mode="json")
        if integrity is not None:
            data["recovered"] = integrity.recovered  # unfinished writes rolled back on open
        if args.check:
            data["problems"] = check_index(store)
        elif integrity is not None and integrity.problems:
            data["problems"] = integrity.problems
    finally:
        store.close()
    if args.json:
        _print_json(data)
    else:
        for key, value in data.items():
            sys.stdout.write(f"{key}: {value}\n")
    return EXIT_ERROR if data.get("problems") else EXIT_OK


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from pilsearch.evaluation.benchmark import load_benchmark
    from pilsearch.evaluation.runner import parse_modes, run_benchmark
    from pilsearch.index.dense import load_dense_model

    bench = load_benchmark(Path(args.bench_dir), with_pools=args.pools)
    model = load_dense_model(settings)
    bar = _TqdmProgress(
        None, "嵌入 embedding benchmark corpus", log_seconds=settings.progress_log_seconds
    )
    try:
        result = run_benchmark(
            settings,
            model,
            bench,
            modes=parse_modes(args.modes),
            run_file=Path(args.run) if args.run else None,
            progress=bar.update,
            max_queries=args.max_queries,
        )
    finally:
        bar.close()
    if args.json:
        _print_json(result.to_json())
    else:
        sys.stdout.write(
            f"{result.benchmark}: {result.queries} queries, {result.indexed_docs} docs indexed "
            f"({result.embedded_now} embedded now){' [pools]' if result.pools else ''}\n"
        )
        sys.stdout.write(
            f"{'mode':<8}" + "".join(f"{m:>12}" for m in next(iter(result.metrics.values()))) + "\n"
        )
        for mode, values in result.metrics.items():
            sys.stdout.write(f"{mode:<8}" + "".join(f"{v:>12.4f}" for v in values.values()) + "\n")
        sys.stdout.write(
            f"hybrid latency p50 {result.latency_ms['p50']} ms, p95 {result.latency_ms['p95']} ms\n"
        )
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from pilsearch.api.server import serve

    return serve(settings, host=args.host, port=args.port)


def cmd_openapi(args: argparse.Namespace, settings: Settings) -> int:
    from pilsearch.api.openapi import openapi_document, render

    text = render(openapi_document())
    out = Path(args.out)
    if args.check:
        current = out.read_text("utf-8") if out.is_file() else ""
        if current != text:
            sys.stderr.write(f"{out} is out of date: run 'pilsearch openapi --write'\n")
            return EXIT_ERROR
        return EXIT_OK
    if args.write:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, "utf-8")
        sys.stderr.write(f"wrote {out}\n")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_indexing(args: argparse.Namespace, settings: Settings) -> int:
    from pilsearch.pipelines import index_definition

    root = Path(args.root)
    files = index_definition()
    stale = [p for p, text in files.items() if _read(root / p) != text]
    if args.check:
        for path in stale:
            sys.stderr.write(f"{root / path} is out of date: run 'pilsearch indexing --write'\n")
        return EXIT_ERROR if stale else EXIT_OK
    if args.write:
        for path in stale:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(files[path], "utf-8")
            sys.stderr.write(f"wrote {root / path}\n")
    else:
        for path, text in files.items():
            sys.stdout.write(f"# {path}\n{text}\n")
    return EXIT_OK


def _read(path: Path) -> str | None:
    return path.read_text("utf-8") if path.is_file() else None


def _read_history(path: str | None) -> list[dict[str, Any]]:
    """A conversation as JSON: a list of {"role", "content"} (or {"question", "answer"})."""
    from pilsearch.errors import InputError

    if not path:
        return []
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            f"{path}：无法读取对话记录（{exc}）。请检查文件路径及其 JSON 格式。"
        ) from exc
    if not isinstance(data, list) or not all(isinstance(t, dict) for t in data):
        raise InputError(f"{path}：对话记录应为 JSON 列表，每轮对话为一个对象。请修正文件。")
    return data


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from pilsearch.answer.pipeline import AskService

    history = _read_history(args.history)
    model, store = _open(settings)
    try:
        service = AskService(settings, store, model)
        if args.json:
            result = service.ask(args.question, history)
        else:
            result = None
            for event in service.stream(args.question, history):
                if event.type == "error":
                    raise event.data
                if event.type == "result":
                    result = event.data
                elif service.mode != "extractive":
                    sys.stdout.write(event.data)
                    sys.stdout.flush()
    finally:
        store.close()
    assert result is not None
    if args.json:
        _print_json(result)
        return EXIT_OK
    if service.mode != "extractive":
        sys.stdout.write("\n\n== 核对后 checked\n")
    sys.stdout.write(result.answer + "\n")
    if result.grounded:
        sys.stdout.write("\n== 资料 sources\n")
        for s in result.sources:
            sys.stdout.write(f"[{s.marker}] {s.citation}\n")
    for note in result.notes:
        sys.stdout.write(note + "\n")
    return EXIT_OK


def cmd_similar(args: argparse.Namespace, settings: Settings) -> int:
    from pilsearch.answer.similar import SimilarCaseFinder, read_input

    model, store = _open(settings)
    try:
        finder = SimilarCaseFinder(settings, store, model)
        text = read_input(finder, text=args.text, file=Path(args.file) if args.file else None)
        result = finder.find(text, k=args.k)
    finally:
        store.close()
    if args.json:
        _print_json(result)
        return EXIT_OK
    for i, case in enumerate(result.cases, 1):
        why = case.why
        # a typical case's citation names its title already: print it once
        head = case.citation if case.title in case.citation else f"{case.citation} {case.title}"
        sys.stdout.write(f"{i:>2}. 【{case.strength}】{head}\n")
        rows = (
            ("保护利益", why.interests.shared),
            ("监管领域", why.activities.shared),
            ("共同关键词", why.shared_terms),
            ("相同条文", why.shared_provisions),
            ("诉讼类型", why.litigation.shared),
            ("相同措施", why.measures.shared),
        )
        for label, values in rows:
            if values:
                sys.stdout.write(f"    {label}: {'、'.join(values)}\n")
        for other in case.also_see:
            sys.stdout.write(f"    另见: {other.citation or other.title or other.key}\n")
        sys.stdout.write(f"    引用: {case.citation_text}\n")
    if not result.cases:
        sys.stdout.write("没有找到可比的案例\n")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pilsearch",
        description="检察公益诉讼知识库：检索法条与案例。Search, ask and find similar cases for "
        "procuratorial public interest litigation.",
    )
    parser.add_argument("--data-dir", help="index and cache directory (PILSEARCH_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="index files or folders (md txt pdf docx html json jsonl)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--prune", action="store_true", help="remove documents whose files are gone")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("parse", help="parse files into articles or cases without indexing")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("search", help="hybrid search over the index")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=10, help="results per list (default 10)")
    p.add_argument("--doc-type", help="law, regulation, judicial_interpretation, ... (comma list)")
    p.add_argument("--issuer", help="issuing body, e.g. 最高人民检察院")
    p.add_argument("--validity", help="现行有效, 已修改, 已废止, or 'all' (default: current)")
    p.add_argument("--date-from", help="YYYY[-MM[-DD]]")
    p.add_argument("--date-to", help="YYYY[-MM[-DD]]")
    p.add_argument("--area", help="one of the six key areas, e.g. 网络保护")
    p.add_argument("--litigation", help="行政, 民事 or 刑事附带民事")
    p.add_argument("--level", help="效力级别: 法律, 行政法规, 司法解释, ... (comma list)")
    p.add_argument(
        "--date-field", help="which date --date-from/--date-to bound: 公布 (default) or 施行"
    )
    p.add_argument("--as-of", help="YYYY-MM-DD: the version of each work in force that day")
    p.add_argument("--cited", action="store_true", help="only articles cited by a case")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("eval", help="score retrieval on a benchmark folder (corpus/queries/qrels)")
    p.add_argument("bench_dir")
    p.add_argument("--pools", action="store_true", help="rank each query's own candidate pool")
    p.add_argument("--run", help="also write the hybrid ranking as a TREC run file")
    p.add_argument("--modes", default="dense,sparse,hybrid", help="comma-separated modes")
    p.add_argument("--max-queries", type=int, default=None, help="evaluate the first N queries")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("serve", help="serve the HTTP API and the search page")
    p.add_argument("--host", help="address to listen on (PILSEARCH_API_HOST, default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (PILSEARCH_API_PORT, default 8000)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("openapi", help="print, write or check the API contract (api/openapi.json)")
    p.add_argument("--write", action="store_true", help="write it to --out")
    p.add_argument("--check", action="store_true", help="fail if --out differs from the code")
    p.add_argument("--out", default="api/openapi.json", help="default: api/openapi.json")
    p.set_defaults(func=cmd_openapi)

    p = sub.add_parser(
        "indexing", help="print, write or check indexing/ (pipeline YAML, collection schema)"
    )
    p.add_argument("--write", action="store_true", help="write the files that changed")
    p.add_argument("--check", action="store_true", help="fail if a file differs from the code")
    p.add_argument("--root", default=".", help="the repository root (default: .)")
    p.set_defaults(func=cmd_indexing)

    p = sub.add_parser("ask", help="answer a question with cited, verified sources")
    p.add_argument("question")
    p.add_argument("--history", help="JSON file: the conversation so far ([{role, content}])")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("similar", help="similar cases for a description of facts or a draft")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--text", help="the facts, as text")
    src.add_argument("--file", help="a draft: pdf, docx, md, txt, html")
    p.add_argument("-k", type=int, default=10, help="cases to list (default 10)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_similar)

    p = sub.add_parser("status", help="what the index holds")
    p.add_argument("--check", action="store_true", help="verify the index is consistent")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from pilsearch.process import configure_process

    configure_process()  # first: before any model or Haystack is imported
    parser = build_parser()
    args = parser.parse_args(argv)
    from pilsearch.errors import PilsearchError
    from pilsearch.settings import Settings

    try:
        overrides: dict[str, Any] = {}
        if args.data_dir:
            overrides["data_dir"] = Path(args.data_dir)
        settings = Settings(**overrides)
        code: int = args.func(args, settings)
        return code
    except PilsearchError as exc:
        sys.stderr.write(f"pilsearch: error: {exc}\n")
        return EXIT_ERROR if not isinstance(exc, _usage_errors()) else EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("pilsearch: interrupted\n")
        return 130


def _usage_errors() -> tuple[type[Exception], ...]:
    from pilsearch.errors import InputError

    return (InputError,)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
