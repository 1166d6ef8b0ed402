"""Search filters: parsed, validated, and turned into store conditions.

An unknown filter name or value is an :class:`UnknownFilterError` that lists what is allowed,
never a silently empty result.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pilsearch.errors import UnknownFilterError
from pilsearch.index.store import Condition
from pilsearch.ingest.units import date_num
from pilsearch.legal.dates import parse_date_bound
from pilsearch.legal.litigation import Litigation
from pilsearch.legal.model import DocType, KeyArea, Level, Validity

ALL_VERSIONS = "all"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_MONTHS = 12
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

FILTER_NAMES = (
    "doc_type",
    "issuer",
    "validity",
    "date_from",
    "date_to",
    "area",
    "litigation",
    "level",
    "date_field",
    "as_of",
    "cited",
)
#: Which date ``date_from``/``date_to`` bound: the 公布日期 (version date, the default) or
#: this version's 施行日期. Cases have one date (their release), which both bound.
DATE_FIELDS: dict[str, str] = {
    "公布": "date_num",
    "promulgated": "date_num",
    "施行": "effective_num",
    "effective": "effective_num",
}
_YES = frozenset({"1", "true", "yes", "是"})
_NO = frozenset({"0", "false", "no", "否"})


@dataclass(frozen=True)
class SearchFilters:
    doc_types: tuple[str, ...] = ()
    issuers: tuple[str, ...] = ()
    validity: tuple[str, ...] = ()  # empty: current statute versions only; ("all",): every version
    date_from: str | None = None
    date_to: str | None = None
    areas: tuple[str, ...] = ()
    litigation: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()  # 效力级别 labels
    date_field: str = "date_num"  # the payload field date bounds apply to (DATE_FIELDS)
    as_of: str | None = None  # the version of each work in force on this day
    cited: bool = False  # only articles cited by a case
    known_issuers: frozenset[str] = field(default_factory=frozenset, compare=False)

    @property
    def all_versions(self) -> bool:
        return ALL_VERSIONS in self.validity


def _values(raw: str | Sequence[str] | None) -> tuple[str, ...]:
    if raw is None:
        return ()
    items = [raw] if isinstance(raw, str) else list(raw)
    out: list[str] = []
    for item in items:
        out.extend(v.strip() for v in re.split(r"[,，、]", item) if v.strip())
    return tuple(out)


#: How the procurator sees each filter's name in an error message (the name itself stays, as
#: it is written in the address and the API).
FILTER_LABELS = {
    "doc_type": "文件类型",
    "issuer": "发布机关",
    "validity": "效力",
    "date_from": "起始日期",
    "date_to": "截止日期",
    "area": "重点领域",
    "litigation": "诉讼类型",
    "level": "效力级别",
    "date_field": "日期类型",
    "as_of": "生效日",
    "cited": "被案例援引",
}


def _label(name: str) -> str:
    return f"{FILTER_LABELS[name]}（{name}）" if name in FILTER_LABELS else name


def _check(name: str, values: tuple[str, ...], allowed: Sequence[str]) -> None:
    bad = [v for v in values if v not in allowed]
    if bad:
        raise UnknownFilterError(
            f"未知的{_label(name)}：{'、'.join(bad)}；可选值：{'、'.join(allowed)}"
        )


def _check_date(name: str, value: str | None, *, end: bool) -> str | None:
    """The ISO date of a bound; a value that is no calendar date (2020-13-45, 2020-02-31,
    0000) is an error, never a range that silently matches nothing."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not _DATE.match(value):
        raise UnknownFilterError(
            f"{_label(name)}应写作 年、年-月 或 年-月-日（如 2021、2021-06 或 2021-06-01），"
            f"不能是“{value}”"
        )
    try:
        return parse_date_bound(value, end=end)
    except ValueError:
        raise UnknownFilterError(
            f"{_label(name)}“{value}”不是有效日期：{_date_problem(value)}"
        ) from None


_MONTHS = 12


def _date_problem(value: str) -> str:
    """What is wrong with a YYYY[-MM[-DD]] bound that is no calendar date, in Chinese."""
    year, month, day = (int(p) for p in [*value.split("-"), "1", "1"][:3])
    if year < 1:
        return f"没有{value[:4]}年"
    if not 1 <= month <= _MONTHS:
        return f"没有{month}月（月份为1至12）"
    last = calendar.monthrange(year, month)[1]
    return f"{year}年{month}月没有{day}日（该月共{last}天）"


def parse_filters(
    raw: Mapping[str, str | Sequence[str] | None], *, known_issuers: Sequence[str] = ()
) -> SearchFilters:
    """Filters from a mapping of name → value(s); values may be comma-separated."""
    unknown = [k for k, v in raw.items() if k not in FILTER_NAMES and v not in (None, "", [])]
    if unknown:
        raise UnknownFilterError(
            f"未知的筛选条件：{'、'.join(unknown)}；可用的筛选条件："
            + "、".join(_label(n) for n in FILTER_NAMES)
        )
    doc_types = _values(raw.get("doc_type"))
    _check("doc_type", doc_types, [d.value for d in DocType])
    validity = _values(raw.get("validity"))
    _check("validity", validity, [v.value for v in Validity] + [ALL_VERSIONS])
    areas = _values(raw.get("area"))
    _check("area", areas, [a.value for a in KeyArea])
    litigation = _values(raw.get("litigation"))
    _check("litigation", litigation, [k.value for k in Litigation])
    issuers = _values(raw.get("issuer"))
    if issuers and known_issuers:
        _check("issuer", issuers, sorted(known_issuers))
    date_from = _check_date("date_from", _first(raw.get("date_from")), end=False)
    date_to = _check_date("date_to", _first(raw.get("date_to")), end=True)
    if date_from and date_to and date_from > date_to:
        raise UnknownFilterError(
            f"起始日期（date_from）{date_from} 晚于截止日期（date_to）{date_to}"
        )
    levels = _values(raw.get("level"))
    _check("level", levels, [lv.value for lv in Level])
    date_field = _first(raw.get("date_field")) or "公布"
    _check("date_field", (date_field,), list(DATE_FIELDS))
    as_of = _check_date("as_of", _first(raw.get("as_of")), end=False)
    if as_of is not None and not _DAY.match(_first(raw.get("as_of")) or ""):
        raise UnknownFilterError(f"{_label('as_of')}应写作 年-月-日（如 2021-06-01）")
    cited = (_first(raw.get("cited")) or "false").lower()
    _check("cited", (cited,), sorted(_YES | _NO))
    return SearchFilters(
        doc_types=doc_types,
        issuers=issuers,
        validity=validity,
        date_from=date_from,
        date_to=date_to,
        areas=areas,
        litigation=litigation,
        levels=levels,
        date_field=DATE_FIELDS[date_field],
        as_of=as_of,
        cited=cited in _YES,
        known_issuers=frozenset(known_issuers),
    )


def _first(raw: str | Sequence[str] | None) -> str | None:
    values = _values(raw)
    return values[0] if values else None


def conditions(
    filters: SearchFilters, *, statutes: bool, in_force: Sequence[str] | None = None
) -> list[Condition]:
    """Store conditions for one result list (statute articles or case sections).
    ``in_force``: the doc_ids of the versions in force on ``filters.as_of`` (from
    :class:`pilsearch.ingest.versions.VersionTable`), which replace the validity condition."""
    must: list[Condition] = []
    if filters.levels:
        must.append(Condition("level", values=filters.levels))
    if filters.doc_types:
        must.append(Condition("doc_type", values=filters.doc_types))
    if filters.issuers:
        must.append(Condition("issuer", values=filters.issuers))
    if filters.areas:
        must.append(Condition("areas", values=filters.areas))
    if filters.litigation:
        must.append(Condition("litigation", values=filters.litigation))
    if filters.date_from or filters.date_to:
        field_name = filters.date_field if statutes else "date_num"
        must.append(
            Condition(field_name, gte=date_num(filters.date_from), lte=date_num(filters.date_to))
        )
    if statutes and filters.cited:
        must.append(Condition("cited_count", gte=1))
    if statutes and in_force is not None:
        must.append(Condition("doc_id", values=tuple(in_force) or ("-",)))
    elif statutes and not filters.all_versions:
        wanted = filters.validity or (Validity.CURRENT.value, Validity.UNKNOWN.value)
        must.append(Condition("validity", values=tuple(wanted)))
    return must
