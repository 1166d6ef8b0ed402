"""What search and the look-ups return: typed results with one JSON form.

The CLI's ``--json`` prints ``model_dump(mode="json")`` of these models and the API returns
them with ``response_model`` (FastAPI validates), so ``pilsearch search --json`` and
``GET /api/search`` give the same JSON, and ``api/openapi.json`` describes exactly it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from pilsearch.index.schema import CitingCase, HistoryStep, ProvisionLink, UnitPayload
from pilsearch.ingest.provenance import ORIGIN_CORPUS, ORIGIN_UPLOAD, provenance_label

#: Decimals of a score in the JSON (enough to order them, few enough to read); the model
#: keeps the exact value, which benchmarks rank by.
SCORE_DIGITS = 6
#: Decimals of a relevance signal (cosine, coverage, support) in the JSON.
SIGNAL_DIGITS = 4
#: Decimals of a timing in milliseconds in the JSON.
TIMING_DIGITS = 2


def _round_timings(timings: dict[str, float]) -> dict[str, float]:
    return {k: round(v, TIMING_DIGITS) for k, v in timings.items()}


Score = Annotated[float, PlainSerializer(lambda v: round(v, SCORE_DIGITS), return_type=float)]
Signal = Annotated[float, PlainSerializer(lambda v: round(v, SIGNAL_DIGITS), return_type=float)]
Timings = Annotated[dict[str, float], PlainSerializer(_round_timings, return_type=dict[str, float])]


class Result(BaseModel):
    """Base of every result model: unknown fields are an error, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


# --- provenance ---------------------------------------------------------------------------
class Provenance(Result):
    """Where a unit's text came from (pilsearch.ingest.provenance)."""

    origin: Literal["corpus", "upload"] = Field(
        description="corpus: ingested by the operator (pilsearch ingest); upload: through "
        "POST /api/documents."
    )
    trusted: bool = Field(
        description="Official text: from a corpus the deployment declares official "
        "(trusted_corpora). An upload never is."
    )
    label: str | None = Field(
        default=None, description="What to show beside unofficial text: 上传文件，非官方文本."
    )
    corpus: str | None = Field(default=None, description="The folder it was ingested from.")
    uploader: str | None = Field(
        default=None, description="Fingerprint of the uploader's API key (never the key)."
    )
    uploaded_at: str | None = Field(default=None, description="When it was uploaded (UTC).")
    claimed_work: str | None = Field(
        default=None, description="Unofficial text: the work its title names (刑法)."
    )
    official_collision: bool = Field(
        default=False,
        description="Unofficial text whose title names a work the index holds officially.",
    )

    @classmethod
    def of(cls, unit: UnitPayload) -> Provenance:
        """The provenance of a stored unit. Units indexed before provenance existed came
        from ``pilsearch ingest``: official."""
        origin = ORIGIN_UPLOAD if unit.origin == ORIGIN_UPLOAD else ORIGIN_CORPUS
        return cls(
            origin=origin,
            trusted=unit.is_trusted,
            label=provenance_label(origin, unit.is_trusted),
            corpus=unit.corpus,
            uploader=unit.uploader,
            uploaded_at=unit.uploaded_at,
            claimed_work=unit.claimed_work,
            official_collision=bool(unit.official_collision),
        )


# --- legal knowledge: links, history ------------------------------------------------------
class CitingCaseRef(Result):
    """A case citing an article (``cited_by``)."""

    doc_id: str
    section: str = Field(description="The case section the article is cited in.")
    case_number: str | None = None
    title: str | None = None
    version: str | None = Field(
        default=None,
        description="Date of the version the case applied, when it is another version whose "
        "article reads the same; null: this version.",
    )

    @classmethod
    def of(cls, c: CitingCase) -> CitingCaseRef:
        return cls(doc_id=c.doc_id, section=c.section, case_number=c.case_number,
                   title=c.title, version=c.version)


class CaseProvision(Result):
    """A provision a case cites (``provisions``), linked to its article unit when found. Not
    found but with a ``unit_id``: the version the case applied is not in the index, and that
    is the same-numbered article of the version there is (the number may be another rule)."""

    citation: str
    section: str
    work: str
    found: bool
    doc_id: str | None = None
    unit_id: str | None = None
    note: str | None = Field(
        default=None, description="Which version was linked and why, or why nothing was."
    )

    @classmethod
    def of(cls, p: ProvisionLink) -> CaseProvision:
        return cls(citation=p.citation, section=p.section, work=p.work, found=p.found,
                   doc_id=p.doc_id, unit_id=p.unit_id, note=p.note)


class HistoryEntry(Result):
    """One dated step of a version's history: 通过, 公布, 修正, 修订, 施行."""

    date: str
    kind: str
    text: str = ""

    @classmethod
    def of(cls, h: HistoryStep) -> HistoryEntry:
        return cls(date=h.date, kind=h.kind, text=h.text)


# --- search -------------------------------------------------------------------------------
class ArticleVersion(Result):
    doc_id: str
    unit_id: str
    date: str | None = None
    validity: str | None = None
    effective_date: str | None = None


class ArticleHit(Result):
    citation: str | None = None
    title: str | None = None
    doc_id: str | None = None
    unit_id: str | None = None
    doc_type: str | None = None
    article_number: str | None = None
    article_index: int | None = None
    chapter: str | None = None
    date: str | None = None
    validity: str | None = None
    issuer: str | None = None
    snippet: str
    highlights: list[list[int]] = Field(
        description="[start, end) character offsets (code points) of matched words in snippet."
    )
    score: Score = Field(description="Fused RRF score; higher is better.")
    exact: bool = Field(description="True when the query cited this article.")
    versions: list[ArticleVersion] = Field(description="Other versions of the same article.")
    provenance: Provenance
    level: str | None = Field(default=None, description="效力级别 (法律, 司法解释, …).")
    effective_date: str | None = Field(
        default=None, description="施行日期 of this version (date is its 公布日期)."
    )
    validity_basis: str | None = Field(default=None, description="Why validity is what it is.")
    in_force_until: str | None = None
    areas: list[str] = []
    cited_by: list[CitingCaseRef] = Field(default=[], description="Cases citing this article.")
    cited_count: int = 0
    boosted: str | None = Field(
        default=None,
        description="The work the query names (or whose procedure it names) that ranked this "
        "article first.",
    )


class MatchedSection(Result):
    section: str | None = None
    label: str | None = None
    unit_id: str | None = None
    score: Score


class AlsoSee(Result):
    """Another write-up of the same matter (legal/duplicates.py), shown as 另见."""

    key: str = Field(description="检例第166号, or the release date and title of a typical case.")
    title: str | None = None
    case_number: str | None = None
    date: str | None = None
    citation: str | None = None
    doc_id: str | None = Field(default=None, description="Null when the index lacks it.")
    kind: Literal["same_matter", "part_of"] = Field(
        description="same_matter: one matter written up twice; part_of: one proceeding of a "
        "series case, or the series a proceeding belongs to."
    )


class CaseHit(Result):
    citation: str | None = None
    title: str | None = None
    doc_id: str
    doc_type: str | None = None
    case_number: str | None = None
    date: str | None = None
    issuer: str | None = None
    litigation: list[str] = []
    keywords: list[str] = []
    matched_sections: list[MatchedSection]
    snippet: str
    highlights: list[list[int]]
    score: Score
    exact: bool
    also_see: list[AlsoSee] = Field(
        default_factory=list,
        description="Other write-ups of the same matter (另见); a duplicate is listed once.",
    )
    provenance: Provenance
    level: str | None = Field(default=None, description="指导性案例 or 典型案例.")
    areas: list[str] = []
    provisions: list[CaseProvision] = Field(default=[], description="Provisions it cites.")


class QueryCitation(Result):
    type: Literal["article", "case"]
    raw: str | None = None
    work: str | None = None
    article_index: int | None = None
    sub_index: int | None = None
    paragraph: int | None = None
    case_number: str | None = None
    found: bool = Field(description="True when the index holds the cited article or case.")
    doc_id: str | None = Field(
        default=None, description="Found: the document of the cited unit (to open it)."
    )
    unit_id: str | None = Field(
        default=None,
        description="Found: the cited article (the version cited, else the one in force) or "
        "the case's first section.",
    )
    message: str | None = Field(
        default=None,
        description="Why nothing was found, in Chinese (《中华人民共和国未成年人保护法》共一百三十"
        "二条，没有第一百三十八条 / 知识库中没有《…》); null when found.",
    )


class SearchResult(Result):
    query: str
    articles: list[ArticleHit]
    cases: list[CaseHit]
    facets: dict[str, dict[str, int]] = Field(
        description="Document counts per value of doc_type, issuer, area, validity."
    )
    citations: list[QueryCitation] = Field(description="Citations parsed from the query.")
    relevance: Signal = Field(
        description="Dense cosine of the nearest article or case section (higher is better)."
    )
    low_relevance: bool = Field(
        description="True when relevance is under search_low_relevance and the query cites "
        "nothing the index holds: the knowledge base may not cover the question (相关度较低)."
    )
    timings_ms: Timings


# --- documents ------------------------------------------------------------------------------
class DocumentUnit(Result):
    unit_id: str
    label: str | None = Field(description="第一百零六条, or a case section label (基本案情).")
    citation: str | None = None
    text: str
    part: str | None = None
    chapter: str | None = None
    section: str | None = None
    article_index: int | None = None
    sub_index: int | None = None
    highlighted: bool = False
    cited_by: list[CitingCaseRef] = []
    cited_count: int = 0
    areas: list[str] = []


class DocumentVersion(Result):
    doc_id: str
    date: str | None = None
    validity: str | None = None
    effective_date: str | None = None


class TocEntry(Result):
    """A heading of a statute (编, 章 or 节) and the first article under it."""

    level: Literal["part", "chapter", "section"]
    title: str
    unit_id: str


class DocumentView(Result):
    doc_id: str
    kind: Literal["statute", "case"]
    doc_type: str | None = None
    title: str | None = None
    work: str | None = None
    short_title: str | None = None
    issuer: str | None = None
    date: str | None = None
    validity: str | None = None
    doc_number: str | None = None
    citation: str | None = Field(default=None, description="A case's citation for a filing.")
    case_number: str | None = None
    keywords: list[str] = []
    litigation: list[str] = []
    areas: list[str] = []
    highlighted_unit: str | None = None
    units: list[DocumentUnit]
    versions: list[DocumentVersion] = Field(description="Other versions of the same work.")
    provenance: Provenance
    level: str | None = Field(default=None, description="效力级别.")
    promulgation_date: str | None = Field(default=None, description="公布日期, as printed.")
    effective_date: str | None = Field(default=None, description="施行日期 of this version.")
    validity_basis: str | None = None
    in_force_until: str | None = None
    history: list[HistoryEntry] = []
    toc: list[TocEntry] = Field(default=[], description="Table of contents (编, 章, 节).")
    provisions: list[CaseProvision] = Field(default=[], description="A case's provisions.")


# --- citations ------------------------------------------------------------------------------
class ResolvedUnit(Result):
    citation: str | None = None
    doc_id: str
    unit_id: str
    title: str | None = None
    text: str
    date: str | None = None
    validity: str | None = None
    provenance: Provenance


class ResolvedCitation(Result):
    raw: str | None = Field(description="The citation as written in the text.")
    type: Literal["article", "case"]
    found: bool
    matches: list[ResolvedUnit] = Field(
        description="Matching units, the version in force first; empty when not found."
    )
    message: str | None = Field(default=None, description="Why nothing was found.")


class ResolveResult(Result):
    query: str
    citations: list[ResolvedCitation]


# --- the index ------------------------------------------------------------------------------
class Stats(Result):
    documents: int
    units: int
    sources: int
    by_doc_type: dict[str, int]
    model: str = Field(description="Dense model signature (one collection per signature).")
    collection: str
    store: str | None = Field(
        default=None,
        description="Where the index lives (a directory or a server URL); only for a caller "
        "with the API key.",
    )
