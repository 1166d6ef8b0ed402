"""``GET /api/search``: the search box (same JSON as ``pilsearch search --json``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from pilsearch.api.deps import GateDep, ReadAccessDep, SearchDep, SettingsDep
from pilsearch.api.schemas import SearchResult, error_responses
from pilsearch.search.filters import FILTER_NAMES

router = APIRouter(prefix="/api", tags=["search"])

_LIST = "One value, or several separated by commas."
#: Query parameters that are not filters; any other unknown name is an UnknownFilterError
#: (a misspelt filter must not silently return unfiltered results).
_NOT_FILTERS = frozenset({"q", "k"})


@router.get(
    "/search",
    response_model=SearchResult,
    summary="Search articles and cases",
    responses=error_responses(400, 401, 403, 413, 422, 503, 504),
)
async def search(
    request: Request,
    _auth: ReadAccessDep,
    gate: GateDep,
    settings: SettingsDep,
    service: SearchDep,
    q: Annotated[str, Query(description="A question, keywords or a citation (未保法第106条).")],
    doc_type: Annotated[str | None, Query(description=f"law, guiding_case, … {_LIST}")] = None,
    issuer: Annotated[str | None, Query(description=f"Issuing body. {_LIST}")] = None,
    validity: Annotated[
        str | None, Query(description="现行有效, 已修改, 已废止 or all (default: in force).")
    ] = None,
    date_from: Annotated[str | None, Query(description="YYYY[-MM[-DD]]")] = None,
    date_to: Annotated[str | None, Query(description="YYYY[-MM[-DD]]")] = None,
    area: Annotated[str | None, Query(description=f"One of the six key areas. {_LIST}")] = None,
    litigation: Annotated[str | None, Query(description="行政, 民事 or 刑事附带民事.")] = None,
    level: Annotated[
        str | None, Query(description=f"效力级别: 法律, 行政法规, 司法解释, … {_LIST}")
    ] = None,
    date_field: Annotated[
        str | None,
        Query(description="Which date date_from/date_to bound: 公布 (default) or 施行."),
    ] = None,
    as_of: Annotated[
        str | None,
        Query(description="YYYY-MM-DD: the version of each work in force on that day."),
    ] = None,
    cited: Annotated[
        str | None, Query(description="true: only articles cited by a case.")
    ] = None,
    k: Annotated[
        int | None, Query(ge=1, description="Results per list (default_top_k; at most max_top_k).")
    ] = None,
) -> SearchResult:
    raw = {
        "doc_type": doc_type,
        "issuer": issuer,
        "validity": validity,
        "date_from": date_from,
        "date_to": date_to,
        "area": area,
        "litigation": litigation,
        "level": level,
        "date_field": date_field,
        "as_of": as_of,
        "cited": cited,
    }
    for name in request.query_params:
        if name not in _NOT_FILTERS and name not in FILTER_NAMES:
            raw[name] = request.query_params[name] or "?"
    size = min(k or settings.default_top_k, settings.max_top_k)

    def run() -> SearchResult:
        return service.search(q, filters=service.filters(raw), k_articles=size, k_cases=size)

    return await gate.run(run)
