"""``GET /api/citations/resolve``: the units a text cites (or why a citation is not found)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from pilsearch.api.deps import ReadAccessDep, SearchDep
from pilsearch.api.schemas import ResolveResult, error_responses
from pilsearch.search.documents import resolve_citations

router = APIRouter(prefix="/api", tags=["citations"])


@router.get(
    "/citations/resolve",
    response_model=ResolveResult,
    summary="Resolve the citations in a text to articles and cases",
    responses=error_responses(400, 401, 403, 503, 504),
)
async def resolve(
    _auth: ReadAccessDep,
    search: SearchDep,
    q: Annotated[str, Query(description="Text with citations: 未保法第106条、检例第145号 …")],
) -> ResolveResult:
    text = search.retriever.check_query(q)  # the same empty/length rules as search
    return await run_in_threadpool(resolve_citations, search.kb, text)
