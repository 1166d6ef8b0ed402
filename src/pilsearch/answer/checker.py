"""Citation checking: nothing an answer cites is shown as fact unless the knowledge base holds
it.

Checked, sentence by sentence (a sentence owns the [n] markers written right after it):

- each marker [n] must number a retrieved source, else ``unknown_marker``;
- each article written in the sentence (《…》第N条, 未保法第N条, 本法第N条 — 本法 meaning the law
  of the article source the sentence cites) must exist in the store (any version), else
  ``not_in_knowledge_base``;
- each 检例第N号 must exist in the store, else ``not_in_knowledge_base``;
- a quotation “…” in a sentence that cites an article must occur, whitespace aside, in that
  article's text (any stored version), else ``quote_mismatch``.

Only official text verifies. A marker [n] of an unofficial source (an upload, or a file
outside the trusted corpora: :mod:`pilsearch.ingest.provenance`) is ``uploaded`` or
``unofficial``, and so is an article or case named in the sentence that only such a cited
source holds (its title claims 《刑法》, the official 刑法 has no such article): the text exists,
but nothing vouches that it is the law.

Whatever is not ``verified`` gets :data:`WARNING_MARK` written right after it in the answer
text, and ``verified: false`` in its citation record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from pilsearch.answer.results import AnswerCitation, CitationStatus
from pilsearch.answer.sources import SOURCE_ARTICLE, Source, squash
from pilsearch.answer.text import MARKER, answer_sentences
from pilsearch.index.schema import UnitPayload
from pilsearch.ingest.provenance import ORIGIN_UPLOAD
from pilsearch.legal.citation import ArticleCitation, CaseCitation, parse_citations
from pilsearch.legal.numerals import article_label
from pilsearch.search.lookup import KnowledgeBase

VERIFIED = CitationStatus.VERIFIED
UPLOADED = CitationStatus.UPLOADED
UNOFFICIAL = CitationStatus.UNOFFICIAL
#: Statuses of a citation that resolves, to official text or to the unofficial source cited.
RESOLVED = frozenset({VERIFIED, UPLOADED, UNOFFICIAL})
UNKNOWN_MARKER = CitationStatus.UNKNOWN_MARKER
NOT_IN_KB = CitationStatus.NOT_IN_KB
QUOTE_MISMATCH = CitationStatus.QUOTE_MISMATCH
WARNING_MARK = "⚠"
_QUOTE = re.compile(r"“([^”]{2,})”|「([^」]{2,})」|\"([^\"]{2,})\"")


@dataclass
class CheckedAnswer:
    answer: str
    citations: list[AnswerCitation]
    flagged: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def all_verified(self) -> bool:
        return self.flagged == 0


def _record(
    *,
    kind: Literal["marker", "mention", "quote"],
    marker: int | None,
    citation: str,
    status: CitationStatus,
    unit: UnitPayload | None = None,
    raw: str = "",
    article_index: int | None = None,
    case_number: str | None = None,
) -> AnswerCitation:
    """One citation record; ``unit`` is what the knowledge base holds for it (None: nothing,
    then ``article_index`` or ``case_number`` say what was cited)."""
    return AnswerCitation(
        kind=kind,
        marker=marker,
        citation=citation,
        raw=raw,
        doc_id=unit.doc_id if unit else None,
        unit_id=unit.unit_id if unit else None,
        verified=status == VERIFIED,
        status=status,
        title=unit.title if unit else None,
        article_index=unit.article_index if unit else article_index,
        case_number=unit.case_number if unit else case_number,
        date=unit.date if unit else None,
    )


class CitationChecker:
    """Checks an answer against its numbered sources and the store (module docstring)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._articles: dict[tuple[str, int, int], list[UnitPayload]] = {}
        self._cases: dict[str, list[UnitPayload]] = {}

    def _article(self, c: ArticleCitation) -> list[UnitPayload]:
        key = (c.work, c.article_index, c.sub_index)
        if key not in self._articles:
            self._articles[key] = self.kb.article_versions(*key)
        return self._articles[key]

    def _case(self, number: str) -> list[UnitPayload]:
        if number not in self._cases:
            self._cases[number] = self.kb.case_sections(number)
        return self._cases[number]

    def verifies(self, sentence: str, source: Source) -> bool:
        """True when every citation in ``sentence``, cited as ``source`` ([n] of that
        source), resolves: the extractive answerer's test of a candidate sentence. A sentence
        of an uploaded source resolves (to that source) and may be quoted; :meth:`check`
        still reports it as ``uploaded``, never ``verified``. The same look-ups (and this
        checker's cache) as :meth:`check`."""
        checked = self.check(f"{sentence}[{source.marker}]", [source])
        return all(r.status in RESOLVED for r in checked.citations)

    def check(self, answer: str, sources: list[Source]) -> CheckedAnswer:
        by_marker = {s.marker: s for s in sources}
        records: list[AnswerCitation] = []
        seen: set[tuple[Any, ...]] = set()
        inserts: list[tuple[int, str]] = []  # (offset, note) to write into the answer
        for sent in answer_sentences(answer):
            cited = [(m, by_marker.get(int(m.group(1)))) for m in MARKER.finditer(sent.text)]
            for m, source in cited:
                n = int(m.group(1))
                if source is None:
                    inserts.append((sent.start + m.end(), WARNING_MARK))
                    key: tuple[Any, ...] = ("marker", n)
                    if key not in seen:
                        seen.add(key)
                        records.append(
                            _record(kind="marker", marker=n, citation="", status=UNKNOWN_MARKER)
                        )
                elif ("marker", n) not in seen:
                    seen.add(("marker", n))
                    status = provenance_status(source.unit)
                    records.append(
                        _record(
                            kind="marker",
                            marker=n,
                            citation=source.citation,
                            status=status,
                            unit=source.unit,
                        )
                    )
                    if status != VERIFIED:
                        inserts.append((sent.start + m.end(), WARNING_MARK))
                elif provenance_status(source.unit) != VERIFIED:
                    inserts.append((sent.start + m.end(), WARNING_MARK))
            article_sources = [s for _, s in cited if s is not None and s.kind == SOURCE_ARTICLE]
            unofficial = [s for _, s in cited if s is not None and not s.unit.is_trusted]
            default_work = article_sources[0].work if article_sources else None
            body = MARKER.sub(lambda m: " " * len(m.group(0)), sent.text)
            mentions = parse_citations(body, default_work=default_work)
            quote_owner: list[tuple[int, ArticleCitation | None]] = []
            for c in mentions:
                end = sent.start + c.span[1]
                named: dict[str, Any]  # what was cited, for a record of nothing found
                claimed: Source | None
                if isinstance(c, CaseCitation):
                    found = self._case(c.case_number)
                    unit = found[0] if found else None
                    status = VERIFIED if unit is not None else NOT_IN_KB
                    if unit is None and (claimed := _claimed_case(unofficial, c)) is not None:
                        unit, status = claimed.unit, provenance_status(claimed.unit)
                    named = {"case_number": c.case_number}
                    label = str((unit.citation if unit else None) or c.case_number)
                    key = ("case", c.case_number)
                else:
                    if not c.work:
                        continue
                    versions = self._article(c)
                    unit = versions[0] if versions else None
                    status = VERIFIED if unit is not None else NOT_IN_KB
                    if unit is None and (claimed := _claimed_article(unofficial, c)) is not None:
                        unit, status = claimed.unit, provenance_status(claimed.unit)
                    named = {"article_index": c.article_index}
                    label = str(
                        (unit.citation if unit else None)
                        or f"《{c.work}》{article_label(c.article_index, c.sub_index)}"
                    )
                    key = ("article", c.work, c.article_index, c.sub_index)
                    quote_owner.append((c.span[1], c))
                if status != VERIFIED:
                    inserts.append((end, WARNING_MARK))
                if key not in seen or status != VERIFIED:
                    seen.add(key)
                    records.append(
                        _record(
                            kind="mention", marker=None, citation=label, status=status,
                            unit=unit, raw=c.raw, **named,
                        )
                    )  # fmt: skip
            for q in _QUOTE.finditer(body):
                quote = next(g for g in q.groups() if g)
                owner = _quote_owner(quote_owner, q.start())
                texts: list[str]
                label = ""
                quoted: UnitPayload | None = None
                if owner is not None:
                    versions = self._article(owner)
                    claimed = _claimed_article(unofficial, owner) if not versions else None
                    if claimed is not None:  # quoting the uploaded text it names
                        texts, quoted = [claimed.text], claimed.unit
                        label = claimed.citation
                    elif not versions:
                        continue  # already flagged as not in the knowledge base
                    else:
                        texts = [v.text for v in versions]
                        quoted = versions[0]
                        label = str(quoted.citation or owner.raw)
                elif article_sources:
                    texts = [article_sources[0].text]
                    quoted = article_sources[0].unit
                    label = article_sources[0].citation
                else:
                    continue  # a quotation of a case or of the question: nothing to check
                ok = any(squash(quote) in squash(t) for t in texts)
                if not ok:
                    inserts.append((sent.start + q.end(), WARNING_MARK))
                    records.append(
                        _record(
                            kind="quote", marker=None, citation=label, status=QUOTE_MISMATCH,
                            unit=quoted, raw=quote,
                        )
                    )  # fmt: skip
        flagged = sum(1 for r in records if not r.verified)
        marked = answer
        for offset, note in sorted(inserts, reverse=True):
            marked = marked[:offset] + note + marked[offset:]
        notes = [
            f"{WARNING_MARK} {r.citation or r.raw or '[' + str(r.marker) + ']'}: {_NOTE[r.status]}"
            for r in records
            if not r.verified
        ]
        return CheckedAnswer(marked, records, flagged, notes)


_NOTE = {
    UPLOADED: "上传文件，非官方文本，未经核实",
    UNOFFICIAL: "非官方文本（不在可信语料中），未经核实",
    UNKNOWN_MARKER: "该编号不对应任何检索到的资料",
    NOT_IN_KB: "知识库中没有该条文或案例，未经核实",
    QUOTE_MISMATCH: "引号内文字与知识库中该条文不一致",
}


def _quote_owner(
    owners: list[tuple[int, ArticleCitation | None]], start: int
) -> ArticleCitation | None:
    """The article cited last before a quotation (其规定“…” quotes the article just named)."""
    before = [c for end, c in owners if end <= start]
    return before[-1] if before else None


def provenance_status(unit: UnitPayload) -> CitationStatus:
    """``verified`` for official text; an upload or another unofficial file never verifies."""
    if unit.is_trusted:
        return VERIFIED
    return UPLOADED if unit.origin == ORIGIN_UPLOAD else UNOFFICIAL


def _claimed_article(sources: list[Source], c: ArticleCitation) -> Source | None:
    """The cited unofficial source that holds the article ``c`` names under its claimed
    title (an upload titled 中华人民共和国刑法 holding 第九百九十九条)."""
    for s in sources:
        u = s.unit
        if (
            u.claimed_work == c.work
            and u.article_index == c.article_index
            and u.sub == c.sub_index
        ):
            return s
    return None


def _claimed_case(sources: list[Source], c: CaseCitation) -> Source | None:
    return next((s for s in sources if s.unit.claimed_case_number == c.case_number), None)
