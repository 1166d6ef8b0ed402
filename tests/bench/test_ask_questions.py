"""``bench/ask/questions.jsonl`` checked against the whole shared corpus, without an index.

The ask benchmark is only as honest as its question set. Every record is checked here against
the parsed text of ``../shared/data/raw`` and ``../shared/data/typical/raw`` (the pilsearch
converters and parsers, as ingestion reads them) and the raw text of all three corpus parts:

- the schema of every record (fields, kinds, turn kinds, tags), so that a typo cannot drop a
  record out of a metric silently;
- every governing article exists in the latest version of its work in the corpus, and its text
  holds the record's ``check_words`` (a wrong article number fails here); every guiding case
  exists and holds its words; every typical case is a printed title of
  ``typical/expected.jsonl`` (or of a release in ``raw``) and its parsed text holds its words;
- every ``must_not_cite`` source exists (else the check in the bench could never fire);
- a case-provisions question lists provisions that the case's 相关规定 really cites, and the
  works it names as missing from the knowledge base really are;
- every ``absent_terms`` word occurs 0 times in corpus.jsonl, raw and typical/raw;
- every ``expect_unresolved`` citation is read by the citation parser as written and really is
  absent (article beyond the work's last one, work or case not in the knowledge base).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pilsearch.errors import NotALegalDocumentError
from pilsearch.ingest.convert import convert_file
from pilsearch.legal.citation import ArticleCitation, CaseCitation, parse_citations
from pilsearch.legal.model import Case
from pilsearch.legal.parse import parse_text
from pilsearch.legal.taxonomy import work_key

REPO_ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = REPO_ROOT / "bench" / "ask" / "questions.jsonl"
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
CORPUS_JSONL = SHARED_DATA / "corpus.jsonl"
RAW = SHARED_DATA / "raw"
TYPICAL = SHARED_DATA / "typical"
TYPICAL_RAW = TYPICAL / "raw"
EXPECTED_TYPICAL = TYPICAL / "expected.jsonl"
PARSED_SUFFIXES = (".md", ".json")
#: Far above any corpus file; the converter's own limit is a setting meant for uploads.
MAX_FILE_BYTES = 50_000_000
RELEASE_DATE = re.compile(r"\[(\d{4}-\d{2}-\d{2})\]")
WHITESPACE = re.compile(r"\s+")

pytestmark = pytest.mark.skipif(
    not (RAW.is_dir() and TYPICAL_RAW.is_dir() and CORPUS_JSONL.is_file()),
    reason=f"the shared corpus is not at {SHARED_DATA}",
)

KINDS = {"provision", "case", "typical_case", "case_provisions", "missing_citation", "out_of_scope"}
TURN_KINDS = {"follow_up", "topic_shift_in_scope", "topic_shift_out_of_scope"}
TAGS = {"lay", "near_miss"}
UNRESOLVED_REASONS = {"beyond_last_article", "work_not_in_kb", "case_not_in_kb"}
RECORD_KEYS = {
    "id",
    "question",
    "answerable",
    "kind",
    "governing",
    "tags",
    "history",
    "turn_kind",
    "must_not_cite",
    "absent_terms",
    "expect_unresolved",
    "not_in_kb",
    "note",
    "split",
}
#: The only split a record may declare: questions written blind, after the others
#: (bench/ask/README.md); the rest are split by id.
DECLARED_SPLITS = {"fresh", "fresh2", "fresh3"}
ARTICLE_KEYS = {"work", "article_index", "version", "check_words", "cited_as_article"}
CASE_KEYS = {"case_number", "check_words"}
TYPICAL_KEYS = {"case_title", "release_date", "check_words"}
MIN_CHECK_WORDS, MAX_CHECK_WORDS = 1, 3
#: The sizes the set was extended to (issue #11): a shrinking file fails here, not in silence.
MIN_QUESTIONS = 100
MIN_MULTI_TURN = 12
MIN_MISSING_CITATIONS = 8
MIN_CASE_PROVISIONS = 5
MIN_NO_ANSWER = 20


def squash(text: str) -> str:
    """Text without whitespace: sources wrap lines and space words (符合条 件)."""
    return WHITESPACE.sub("", text)


@dataclass(repr=False)
class Corpus:
    """What the knowledge base holds, parsed once per session."""

    #: work → version date → article index → article text (民法典's parts merged).
    statutes: dict[str, dict[str, dict[int, str]]] = field(default_factory=dict)
    guiding: dict[str, Case] = field(default_factory=dict)
    #: (release date, printed title) of every typical case; the value is the parsed case text,
    #: or None when the release's parse has no case of that title.
    typical: dict[tuple[str, str], str | None] = field(default_factory=dict)
    #: Every corpus file's text without whitespace, for absent_terms.
    squashed: str = ""

    def latest(self, work: str) -> tuple[str, dict[int, str]]:
        date = max(self.statutes[work])
        return date, self.statutes[work][date]


def corpus_files() -> Iterator[Path]:
    for root in (RAW, TYPICAL_RAW):
        yield from sorted(
            p for p in root.rglob("*") if p.suffix in PARSED_SUFFIXES and p.name != "MANIFEST.json"
        )


def release_date(path: Path) -> str:
    found = RELEASE_DATE.search(path.name)
    assert found, f"no [YYYY-MM-DD] release date in {path.name}"
    return found.group(1)


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    kb = Corpus()
    parsed_typical: dict[str, list[Case]] = {}
    for path in corpus_files():
        for item in convert_file(path, max_bytes=MAX_FILE_BYTES):
            try:
                doc = parse_text(
                    item.text,
                    source_name=item.record_id or path.name,
                    title=item.title,
                    meta=item.meta,
                )
            except NotALegalDocumentError:
                continue  # two family-education releases; see bench/ask/README.md
            if doc.articles:
                version = kb.statutes.setdefault(doc.work, {}).setdefault(doc.date or "", {})
                version.update({a.index: a.text for a in doc.articles if a.sub_index == 0})
            for case in doc.cases:
                if doc.doc_type.value == "guiding_case" and case.case_number:
                    kb.guiding[case.case_number] = case
                elif doc.doc_type.value == "typical_case":
                    parsed_typical.setdefault(release_date(path), []).append(case)
    for line in EXPECTED_TYPICAL.read_text("utf-8").splitlines():
        release = json.loads(line)
        for case in release["cases"]:
            kb.typical[(release["date"], case["title"])] = None
    expected_dates = {date for date, _ in kb.typical}
    for date, cases in parsed_typical.items():
        if date not in expected_dates:  # a release in raw/, not in expected.jsonl
            kb.typical.update({(date, case.title): None for case in cases})
    for date, title in list(kb.typical):
        # the parser may keep a printed ordinal (三、…) or a field heading before the title
        printed = squash(title)
        matches = [c for c in parsed_typical.get(date, []) if squash(c.title).endswith(printed)]
        if len(matches) == 1:
            kb.typical[(date, title)] = squash(matches[0].full_text)
    files = [CORPUS_JSONL, *corpus_files()]
    kb.squashed = "\n".join(squash(p.read_text("utf-8")) for p in files)
    return kb


@pytest.fixture(scope="session")
def records() -> list[dict[str, Any]]:
    lines = QUESTIONS.read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def governing_items(record: dict[str, Any]) -> list[dict[str, Any]]:
    return list(record.get("governing", []))


def article_error(kb: Corpus, item: dict[str, Any]) -> str | None:
    work, index = item["work"], item["article_index"]
    if work != work_key(work):
        return f"work {work!r} is not a work key (use {work_key(work)!r})"
    if work not in kb.statutes:
        return f"work {work!r} is not in the corpus"
    date, articles = kb.latest(work)
    if item["version"] != date:
        return f"{work}: version {item['version']} is not the latest in the corpus ({date})"
    if index not in articles:
        return f"{work} ({date}) has no article {index}"
    text = squash(articles[index])
    missing = [w for w in item["check_words"] if squash(w) not in text]
    return f"{work} ({date}) article {index} lacks {missing}" if missing else None


def source_error(kb: Corpus, item: dict[str, Any]) -> str | None:
    words = item.get("check_words")
    if not isinstance(words, list) or not MIN_CHECK_WORDS <= len(words) <= MAX_CHECK_WORDS:
        return f"{item}: check_words must list {MIN_CHECK_WORDS}-{MAX_CHECK_WORDS} words"
    if "work" in item:
        extra = set(item) - ARTICLE_KEYS
        return f"{item}: unknown keys {extra}" if extra else article_error(kb, item)
    if "case_number" in item:
        if set(item) != CASE_KEYS:
            return f"{item}: keys must be {CASE_KEYS}"
        case = kb.guiding.get(item["case_number"])
        if case is None:
            return f"{item['case_number']} is not in the corpus"
        missing = [w for w in words if squash(w) not in squash(case.full_text)]
        return f"{item['case_number']} lacks {missing}" if missing else None
    if "case_title" in item:
        if set(item) != TYPICAL_KEYS:
            return f"{item}: keys must be {TYPICAL_KEYS}"
        key = (item["release_date"], item["case_title"])
        if key not in kb.typical:
            return f"typical case {key} is not a printed title of a release"
        text = kb.typical[key]
        if text is None:
            return f"typical case {key}: its release's parse has no case of that title"
        missing = [w for w in words if squash(w) not in text]
        return f"typical case {key} lacks {missing}" if missing else None
    return f"{item}: a governing source needs work, case_number or case_title"


def schema_errors(record: dict[str, Any]) -> list[str]:
    rid = record.get("id", "?")
    errors: list[str] = []

    def need(condition: bool, message: str) -> None:
        if not condition:
            errors.append(f"{rid}: {message}")

    need(not set(record) - RECORD_KEYS, f"unknown keys {set(record) - RECORD_KEYS}")
    need(record.get("split", "fresh") in DECLARED_SPLITS, f"split must be one of {DECLARED_SPLITS}")
    need(isinstance(record.get("id"), str) and bool(record.get("id")), "id must be a string")
    need(
        isinstance(record.get("question"), str) and bool(record["question"].strip()),
        "question must be a non-empty string",
    )
    need(isinstance(record.get("answerable"), bool), "answerable must be a bool")
    need(record.get("kind") in KINDS, f"kind must be one of {sorted(KINDS)}")
    need(isinstance(record.get("governing"), list), "governing must be a list")
    answerable = record.get("answerable")
    need(
        bool(record.get("governing")) == answerable,
        "answerable questions list governing sources, the others none",
    )
    if answerable is False:
        need(bool(record.get("absent_terms")), "a question with no answer lists absent_terms")
        need(
            record.get("kind") in {"out_of_scope", "missing_citation"},
            "a question with no answer is out_of_scope or missing_citation",
        )
    if record.get("kind") == "out_of_scope":
        need(answerable is False, "out_of_scope questions are not answerable")
    need(set(record.get("tags", [])) <= TAGS, f"tags must be among {sorted(TAGS)}")
    history = record.get("history")
    if history is None:
        need("turn_kind" not in record, "turn_kind needs a history")
    else:
        need(isinstance(history, list) and bool(history), "history must be a non-empty list")
        for i, turn in enumerate(history or []):
            role = "user" if i % 2 == 0 else "assistant"
            need(
                set(turn) == {"role", "content"}
                and turn.get("role") == role
                and bool(str(turn.get("content", "")).strip()),
                f"history turn {i} must be {{role: {role}, content}} (user first, alternating)",
            )
        turn_kind = record.get("turn_kind")
        need(turn_kind in TURN_KINDS, f"turn_kind must be one of {sorted(TURN_KINDS)}")
        if turn_kind == "topic_shift_out_of_scope":
            need(answerable is False, "a shift to an out-of-scope topic has no answer")
        elif turn_kind in TURN_KINDS:
            need(answerable is True, f"a {turn_kind} question is answerable")
        if turn_kind in {"topic_shift_in_scope", "topic_shift_out_of_scope"}:
            need(
                bool(record.get("must_not_cite")),
                "a topic shift lists the old topic's sources in must_not_cite",
            )
    if record.get("kind") == "missing_citation":
        need(bool(record.get("expect_unresolved")), "missing_citation lists expect_unresolved")
    for item in record.get("expect_unresolved", []):
        need(
            item.get("reason") in UNRESOLVED_REASONS,
            f"expect_unresolved reason must be one of {sorted(UNRESOLVED_REASONS)}",
        )
        need(
            str(item.get("text", "")) in record.get("question", ""),
            f"expect_unresolved text {item.get('text')!r} is not in the question",
        )
    if record.get("kind") == "case_provisions":
        cases = [g for g in record.get("governing", []) if "case_number" in g]
        need(
            len(cases) == 1 and cases[0]["case_number"] in record.get("question", ""),
            "a case_provisions question names its one case, listed in governing",
        )
    need(
        "not_in_kb" not in record or record.get("kind") == "case_provisions",
        "not_in_kb belongs to case_provisions questions",
    )
    need(
        all(isinstance(t, str) and t for t in record.get("absent_terms", [])),
        "absent_terms are non-empty strings",
    )
    return errors


def test_every_record_follows_the_schema(records: list[dict[str, Any]]) -> None:
    errors = [e for r in records for e in schema_errors(r)]
    ids = Counter(r.get("id") for r in records)
    errors += [f"{i}: id used {n} times" for i, n in ids.items() if n > 1]
    assert not errors, "\n".join(errors)


def test_the_set_keeps_its_size(records: list[dict[str, Any]]) -> None:
    kinds = Counter(r["kind"] for r in records)
    multi_turn = sum(1 for r in records if r.get("history"))
    no_answer = sum(1 for r in records if not r["answerable"] and r["kind"] == "out_of_scope")
    assert len(records) >= MIN_QUESTIONS
    assert multi_turn >= MIN_MULTI_TURN
    assert kinds["missing_citation"] >= MIN_MISSING_CITATIONS
    assert kinds["case_provisions"] >= MIN_CASE_PROVISIONS
    assert no_answer >= MIN_NO_ANSWER
    turn_kinds = {r["turn_kind"] for r in records if r.get("history")}
    assert turn_kinds == TURN_KINDS


def test_governing_sources_exist_and_say_what_the_record_expects(
    corpus: Corpus, records: list[dict[str, Any]]
) -> None:
    errors = [
        f"{r['id']}: {e}"
        for r in records
        for g in governing_items(r)
        if (e := source_error(corpus, g))
    ]
    assert not errors, "\n".join(errors)


def test_must_not_cite_names_real_sources_that_do_not_govern(
    corpus: Corpus, records: list[dict[str, Any]]
) -> None:
    errors: list[str] = []
    for r in records:
        governing = {
            (g.get("work"), g.get("article_index"), g.get("case_number"))
            for g in governing_items(r)
        }
        for item in r.get("must_not_cite", []):
            if "case_number" in item:
                ok = item["case_number"] in corpus.guiding
            else:
                work, index = item.get("work"), item.get("article_index")
                ok = work in corpus.statutes and (index is None or index in corpus.latest(work)[1])
            if not ok:
                errors.append(f"{r['id']}: must_not_cite {item} is not in the corpus")
            key = (item.get("work"), item.get("article_index"), item.get("case_number"))
            if key in governing or (
                item.get("article_index") is None
                and "work" in item
                and any(k[0] == item["work"] for k in governing)
            ):
                errors.append(f"{r['id']}: must_not_cite {item} also governs")
    assert not errors, "\n".join(errors)


def test_case_provisions_are_what_the_case_cites(
    corpus: Corpus, records: list[dict[str, Any]]
) -> None:
    """Governing = the 相关规定 in the knowledge base: each listed provision is cited there (at
    its printed number), each cited provision of a version the corpus holds is listed, and the
    cited works the corpus lacks are named in not_in_kb."""
    errors: list[str] = []
    for r in (r for r in records if r["kind"] == "case_provisions"):
        number = next(g["case_number"] for g in r["governing"] if "case_number" in g)
        cited = [
            c
            for c in parse_citations(corpus.guiding[number].sections.related_provisions or "")
            if isinstance(c, ArticleCitation)
        ]
        listed = {
            (g["work"], g.get("cited_as_article", g["article_index"]))
            for g in r["governing"]
            if "work" in g
        }
        for work, index in sorted(listed - {(c.work, c.article_index) for c in cited}):
            errors.append(f"{r['id']}: {number}'s 相关规定 does not cite {work} article {index}")
        for c in cited:
            versions = corpus.statutes.get(c.work, {})
            same_numbering = c.version is None or any(v.startswith(c.version) for v in versions)
            if versions and same_numbering and (c.work, c.article_index) not in listed:
                errors.append(
                    f"{r['id']}: {number} cites {c.raw or c.work} "
                    f"(article {c.article_index}), not listed in governing"
                )
        absent = sorted({c.work for c in cited} - set(corpus.statutes))
        if sorted(r.get("not_in_kb", [])) != absent:
            errors.append(f"{r['id']}: not_in_kb must be {absent}")
    assert not errors, "\n".join(errors)


def test_absent_terms_occur_nowhere_in_the_corpus(
    corpus: Corpus, records: list[dict[str, Any]]
) -> None:
    found = {
        (r["id"], t): n
        for r in records
        for t in r.get("absent_terms", [])
        if (n := corpus.squashed.count(squash(t)))
    }
    assert not found, f"absent_terms found in the corpus (question id, term): count {found}"


def test_unresolved_citations_are_read_as_written_and_really_absent(
    corpus: Corpus, records: list[dict[str, Any]]
) -> None:
    errors: list[str] = []
    for r in records:
        for item in r.get("expect_unresolved", []):
            cited = parse_citations(item["text"])
            reason = item["reason"]
            if reason == "case_not_in_kb":
                ok = [
                    c
                    for c in cited
                    if isinstance(c, CaseCitation) and c.case_number == item["case_number"]
                ]
                if not ok or item["case_number"] in corpus.guiding:
                    errors.append(f"{r['id']}: {item['text']} is not an absent case")
                continue
            read = [c for c in cited if isinstance(c, ArticleCitation) and c.work == item["work"]]
            if not read:
                errors.append(
                    f"{r['id']}: the parser does not read {item['text']} "
                    f"as a citation of {item['work']}"
                )
            if reason == "work_not_in_kb":
                if item["work"] in corpus.statutes:
                    errors.append(f"{r['id']}: {item['work']} is in the knowledge base")
                continue
            if item["work"] not in corpus.statutes:
                errors.append(f"{r['id']}: {item['work']} is not in the knowledge base")
                continue
            last = max(corpus.latest(item["work"])[1])
            in_any_version = any(
                item["article_index"] in v for v in corpus.statutes[item["work"]].values()
            )
            if (
                last != item["last_article"]
                or item["article_index"] <= last
                or in_any_version
                or [c.article_index for c in read] != [item["article_index"]]
            ):
                errors.append(f"{r['id']}: {item['text']}: the work ends at article {last}")
    assert not errors, "\n".join(errors)
