"""时效性 from evidence, and the version of a work in force on a given day.

A version's validity on a day (``as_of``) comes from three kinds of evidence, never from
"the newest file is current" alone:

(a) **the text itself** — a title marked （已废止）/（已失效）; a printed trial period
    (本办法试行二年, 有效期至2026年12月31日: :func:`trial_expiry`); its own 施行日期 still
    ahead (尚未施行); another text saying "《…》同时废止" (:func:`printed_repeals`); a pilot
    measure (试点) whose term is not printed is never called 现行有效 without (c);
(b) **later versions** of the same work: a version stops being in force the day the next
    one takes effect (已修改);
(c) **the curated override file** ``pilsearch/data/validity_overrides.toml``: facts the
    corpus does not print (a pilot that ended, a revision not in the corpus, the 施行日期 of
    an amendment), each with its reason, its source and the day it was checked
    (:func:`load_overrides`).

:func:`reconcile` is the pure core over :class:`VersionFacts` (what the index can rebuild
from stored payloads); :func:`resolve_validity` and :func:`version_in_force` apply it to
parsed documents. A version whose 施行日期 is not printed starts on its 公布日期 (or version
date), and its ``basis`` says so.
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pilsearch.errors import ConfigError
from pilsearch.legal.dates import find_date_spans, find_dates, parse_cn_date
from pilsearch.legal.model import EventKind, Level, ParsedDocument, Validity
from pilsearch.legal.numerals import cn_to_int
from pilsearch.legal.taxonomy import work_key

OVERRIDES_RESOURCE = "validity_overrides.toml"
_SPACES = re.compile(r"\s+")

# --- (a) evidence printed in the text ------------------------------------------------------

_PRINTED_REPEALED = re.compile(r"[（(【\[]\s*(?:已废止|废止)\s*[）)】\]]|^\s*已废止")
_PRINTED_EXPIRED = re.compile(r"[（(【\[]\s*(?:已失效|失效)\s*[）)】\]]|^\s*已失效")
_OWN = r"本(?:法|法典|条例|办法|规定|解释|规则|细则|指引|决定|意见|通知|方案|标准)"
_YEARS = r"(?P<n>[一二三四五六七八九十两\d]{1,3})\s*年"
#: 本办法试行二年 / 试行期为三年 / 试行期限二年 (the period runs from the 施行日期).
_TRIAL_YEARS = re.compile(rf"{_OWN}[^。；]{{0,30}}?试行(?:期|期限)?(?:为)?\s*{_YEARS}")
#: 本办法有效期为五年 / 本规定有效期三年.
_VALID_YEARS = re.compile(rf"{_OWN}[^。；]{{0,10}}?有效期(?:为)?\s*{_YEARS}")
#: 本办法有效期至2026年12月31日 / 本规定施行至…止.
_VALID_UNTIL = re.compile(
    rf"{_OWN}[^。；]{{0,40}}?(?:有效期至|施行至|执行至|试行至)(?P<date>[^，。；止]{{6,16}})"
)
#: A sentence that repeals other texts: "…《中华人民共和国合同法》…同时废止".
_REPEAL_SENTENCE = re.compile(r"[^。；\n]*(?:同时废止|予以废止|同时失效)")
_TITLE = re.compile(r"《(?P<title>(?:[^《》\n]|《[^《》\n]{1,60}》){1,150})》")
_PILOT = re.compile(r"试点")


def printed_validity(title: str, header: Iterable[str] = ()) -> Validity | None:
    """已废止 or 失效 when the title or a header line marks the text itself so."""
    lines = (title, *header)
    if any(_PRINTED_REPEALED.search(line) for line in lines):
        return Validity.REPEALED
    if any(_PRINTED_EXPIRED.search(line) for line in lines):
        return Validity.EXPIRED
    return None


def is_pilot(title: str) -> bool:
    """A pilot measure (试点): it lapses with its pilot, whose end is rarely printed in it."""
    return bool(_PILOT.search(_SPACES.sub("", title)))


def _add_years(iso: str, years: int) -> str:
    day = _dt.date.fromisoformat(iso)
    try:
        return day.replace(year=day.year + years).isoformat()
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28).isoformat()


def trial_expiry(texts: Iterable[str], start: str | None) -> str | None:
    """The day a printed trial or validity period ends, or None when none is printed.

    ``texts`` are the places such a clause stands (promulgation lines, the notice, the last
    articles); ``start`` is the 施行日期 a period in years counts from.
    """
    for text in texts:
        m = _VALID_UNTIL.search(text)
        if m:
            found = find_dates(m.group("date"))
            if found:
                return found[0]
        for pattern in (_TRIAL_YEARS, _VALID_YEARS):
            m = pattern.search(text)
            if m and start:
                return _add_years(start, cn_to_int(m.group("n")))
    return None


@dataclass(frozen=True, slots=True)
class Repeal:
    """A text repealed by another one: "1999年3月26日国务院发布的《娱乐场所管理条例》同时废止"."""

    work: str  # work key of the repealed text
    version: str | None  # the repealed version's date, when printed before its title
    on: str | None  # the day the repeal takes effect: the repealing text's 施行日期
    by: str  # title of the repealing text
    by_date: str | None  # version date of the repealing text (it never repeals itself)
    text: str  # the sentence as printed


_INNER_MARKS = str.maketrans({"〈": "《", "〉": "》", "<": "《", ">": "》"})
_ISSUER_IN = re.compile(r"最高人民法院|最高人民检察院|国务院")
#: How many closing articles may repeal other texts (附则 are short).
REPEAL_CLAUSE_ARTICLES = 5
_ON_PUBLICATION = re.compile(r"自(?:公布|发布|印发)之日起施行")


def _repeal_day(doc: ParsedDocument, place: str) -> str | None:
    """When a repeal printed in ``place`` took effect: with the text that prints it, i.e.
    its printed 施行 date (an amended law keeps the original's, and so the original's
    repeals), or its first publication when it took effect on publication."""
    if _ON_PUBLICATION.search(place) and doc.history:
        published = [e.date for e in doc.history if e.kind is EventKind.PROMULGATED]
        return published[0] if published else doc.history[0].date
    return doc.effective_date or doc.in_force_from or doc.date


def printed_repeals(doc: ParsedDocument) -> tuple[Repeal, ...]:
    """Texts that ``doc`` repeals in its closing articles or notice ("…同时废止")."""
    places = [*(a.text for a in doc.articles[-REPEAL_CLAUSE_ARTICLES:]), doc.preamble or "",
              *doc.promulgation]
    out: list[Repeal] = []
    for place in places:
        on = _repeal_day(doc, place)
        for sentence in _REPEAL_SENTENCE.finditer(place):
            text = sentence.group(0).strip()
            for m in _TITLE.finditer(text):
                before = text[max(0, m.start() - 24) : m.start()]
                spans = find_date_spans(before)
                version = spans[-1][2] if spans else None
                title = m.group("title").translate(_INNER_MARKS)
                issuer = _ISSUER_IN.findall(text[: m.start()])
                if title.startswith("关于") and issuer:
                    title = issuer[-1] + title  # 最高人民法院于1992年7月14日发布的《关于…》
                out.append(Repeal(work_key(title), version, on, doc.title, doc.date, text))
    return tuple(out)


# --- (c) the curated override file ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Override:
    """One curated fact about a work or one of its versions (see the override file's header).

    ``validity`` applies from ``since`` (always, when ``since`` is None); ``in_force_from``
    and ``level`` correct what the text does not print.
    """

    work: str  # work key
    reason: str
    source: str
    checked: str  # ISO date the entry was last checked against its source
    version: str | None = None  # ISO version date; None: every version of the work
    validity: Validity | None = None
    since: str | None = None
    in_force_from: str | None = None
    level: Level | None = None

    def matches(self, work: str, version: str | None) -> bool:
        return self.work == work and (self.version is None or self.version == version)


_OVERRIDE_KEYS = {
    "work", "version", "validity", "since", "in_force_from", "level", "reason", "source",
    "checked", "superseded_by",
}


def parse_overrides(table: Mapping[str, Any], *, origin: str = OVERRIDES_RESOURCE) -> tuple[
    Override, ...
]:
    """Validate the ``[[override]]`` entries of a loaded TOML table; :class:`ConfigError`
    names the entry and the field that is wrong."""
    entries = table.get("override", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{origin}：'override' 必须是表数组（[[override]]）。")
    out: list[Override] = []
    for i, entry in enumerate(entries, start=1):
        where = f"{origin}：第 {i} 个 override"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where} 不是表（table）。")
        unknown = set(entry) - _OVERRIDE_KEYS
        if unknown:
            raise ConfigError(f"{where}：未知字段 {sorted(unknown)}；"
                              f"允许的字段：{sorted(_OVERRIDE_KEYS)}。")
        for required in ("work", "reason", "source"):
            if not isinstance(entry.get(required), str) or not entry[required].strip():
                raise ConfigError(f"{where}：缺少必填字段 '{required}'（非空字符串）。")
        checked = _iso(where, "checked", entry.get("checked"))
        if checked is None:
            raise ConfigError(f"{where}：缺少必填字段 'checked'（核对该条目的日期）。")
        out.append(
            Override(
                work=work_key(entry["work"]),
                reason=entry["reason"].strip(),
                source=entry["source"].strip(),
                checked=checked,
                version=_iso(where, "version", entry.get("version")),
                validity=_enum(where, "validity", entry.get("validity"), Validity),
                since=_iso(where, "since", entry.get("since")),
                in_force_from=_iso(where, "in_force_from", entry.get("in_force_from")),
                level=_enum(where, "level", entry.get("level"), Level),
            )
        )
    return tuple(out)


def _iso(where: str, key: str, value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return parse_cn_date(value)
        except ValueError:
            pass
    raise ConfigError(f"{where}：'{key}' 必须是日期（YYYY-MM-DD），实际为 {value!r}。")


_E = TypeVar("_E", Validity, Level)


def _enum(where: str, key: str, value: object, kind: type[_E]) -> _E | None:
    if value is None:
        return None
    try:
        return kind(str(value))
    except ValueError:
        allowed = ", ".join(v.value for v in kind)
        raise ConfigError(f"{where}：'{key}' 的值 {value!r} 不在允许范围内：{allowed}。") from None


@cache
def _bundled_overrides() -> tuple[Override, ...]:
    raw = resources.files("pilsearch.data").joinpath(OVERRIDES_RESOURCE).read_text("utf-8")
    return parse_overrides(tomllib.loads(raw))


def load_overrides(path: Path | None = None) -> tuple[Override, ...]:
    """The curated overrides shipped with pilsearch, plus those of ``path`` (an operator's
    own file in the same format), which come first and so win."""
    extra: tuple[Override, ...] = ()
    if path is not None:
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"无法读取时效性覆盖文件 {path}：{exc}") from exc
        extra = parse_overrides(table, origin=str(path))
    return (*extra, *_bundled_overrides())


def override_for(
    overrides: Sequence[Override], work: str, version: str | None, field: str
) -> Override | None:
    """The first override of ``work``/``version`` that sets ``field``."""
    for entry in overrides:
        if entry.matches(work, version) and getattr(entry, field) is not None:
            return entry
    return None


# --- (b) versions, and the reconciliation ------------------------------------------------


@dataclass(frozen=True, slots=True)
class VersionFacts:
    """What the reconciliation needs to know of one version (a document, or the units the
    index stores for it). ``key`` is the caller's id for it (a doc_id)."""

    key: str
    work: str
    date: str | None  # version date (``ParsedDocument.date``: 公布日期 or latest amendment)
    in_force_from: str | None = None  # 施行日期 of this version, when known
    printed: Validity | None = None  # 已废止 / 失效 printed on the text itself
    expiry_date: str | None = None  # end of a printed trial period
    pilot: bool = False


@dataclass(frozen=True, slots=True)
class VersionStatus:
    """A version's validity on the reconciliation day, and the evidence for it."""

    key: str
    validity: Validity
    basis: str  # Chinese: why
    in_force_from: str | None  # the start used (the printed 施行日期, else the 公布日期)
    in_force_until: str | None  # the day it stopped (or will stop) being in force


@dataclass(frozen=True, slots=True)
class _End:
    date: str
    validity: Validity
    basis: str


def facts_of(doc: ParsedDocument, key: str | None = None) -> VersionFacts:
    return VersionFacts(
        key=key if key is not None else f"{doc.work or work_key(doc.title)}@{doc.date}",
        work=doc.work or work_key(doc.title),
        date=doc.date,
        in_force_from=doc.in_force_from,
        printed=printed_validity(doc.title, doc.promulgation),
        expiry_date=doc.expiry_date,
        pilot=is_pilot(doc.title),
    )


def _day(value: str | _dt.date) -> str:
    return value.isoformat() if isinstance(value, _dt.date) else parse_cn_date(value)


def reconcile(
    versions: Sequence[VersionFacts],
    *,
    as_of: str | _dt.date,
    overrides: Sequence[Override] = (),
    repeals: Sequence[Repeal] = (),
) -> dict[str, VersionStatus]:
    """The validity of every version on ``as_of`` (ISO date or ``datetime.date``).

    Facts with the same work and version date are one version. Per work, versions are
    ordered by the day they took effect; each is in force from that day until the earliest
    of: the next version's start (已修改), a repeal printed in another text (已废止), the
    end of a printed trial period (失效), an override's ``since``.
    """
    day = _day(as_of)
    by_work: dict[str, dict[str | None, list[VersionFacts]]] = defaultdict(dict)
    for version in versions:
        by_work[version.work].setdefault(version.date, []).append(version)
    out: dict[str, VersionStatus] = {}
    for work, by_date in by_work.items():
        merged = {date: _merge(parts) for date, parts in by_date.items()}
        starts = {date: _start(v, overrides) for date, v in merged.items()}
        for date, version in merged.items():
            start, start_note = starts[date]
            later = sorted({s for s, _ in starts.values() if s and start and s > start})
            ends = _ends(version, work, later, overrides, repeals)
            status = _status(version, start, start_note, ends, day, overrides)
            for part in by_date[date]:
                out[part.key] = replace(status, key=part.key)
    return out


def _merge(parts: list[VersionFacts]) -> VersionFacts:
    """One version printed in several files (民法典 one file per 编; the same text twice):
    the 施行日期 any of them prints, and any printed mark or trial period."""
    first = parts[0]
    starts = [p.in_force_from for p in parts if p.in_force_from]
    printed = [p.printed for p in parts if p.printed]
    expiries = [p.expiry_date for p in parts if p.expiry_date]
    return replace(
        first,
        in_force_from=min(starts) if starts else None,
        printed=printed[0] if printed else None,
        expiry_date=min(expiries) if expiries else None,
        pilot=any(p.pilot for p in parts),
    )


def _start(version: VersionFacts, overrides: Sequence[Override]) -> tuple[str | None, str]:
    entry = override_for(overrides, version.work, version.date, "in_force_from")
    if entry is not None:
        return entry.in_force_from, f"施行日期{entry.in_force_from}（据{entry.source}）"
    if version.in_force_from:
        return version.in_force_from, f"自{version.in_force_from}起施行"
    if version.date:
        return version.date, f"本版本施行日期未载明，按{version.date}计"
    return None, "日期未载明"


def _ends(
    version: VersionFacts,
    work: str,
    later_starts: list[str],
    overrides: Sequence[Override],
    repeals: Sequence[Repeal],
) -> list[_End]:
    ends: list[_End] = []
    if later_starts:
        ends.append(_End(later_starts[0], Validity.AMENDED, f"新版本自{later_starts[0]}起施行"))
    for repeal in repeals:
        if repeal.work != work or repeal.on is None:
            continue
        if repeal.version is not None and repeal.version != version.date:
            continue
        if repeal.by_date and version.date and version.date >= repeal.by_date:
            continue  # a text never repeals itself or a later version of the work
        ends.append(_End(repeal.on, Validity.REPEALED, f"《{repeal.by}》规定同时废止"))
    if version.expiry_date:
        expiry = version.expiry_date
        ends.append(_End(expiry, Validity.EXPIRED, f"试行期至{expiry}届满"))
    for entry in overrides:
        if entry.matches(work, version.date) and entry.validity and entry.since:
            ends.append(_End(entry.since, entry.validity, f"{entry.reason}（据{entry.source}）"))
    return sorted(ends, key=lambda e: e.date)


def _status(
    version: VersionFacts,
    start: str | None,
    start_note: str,
    ends: list[_End],
    day: str,
    overrides: Sequence[Override],
) -> VersionStatus:
    until = ends[0].date if ends else None

    def status(validity: Validity, basis: str) -> VersionStatus:
        return VersionStatus(version.key, validity, basis, start, until)

    timeless = next(
        (e for e in overrides
         if e.matches(version.work, version.date) and e.validity and e.since is None),
        None,
    )
    if timeless is not None:
        basis = f"{timeless.reason}（据{timeless.source}）"
        return status(timeless.validity or Validity.UNKNOWN, basis)
    if version.printed is not None:
        return status(version.printed, f"文本标注为{version.printed.value}")
    if start is not None and start > day:
        return status(Validity.NOT_YET_EFFECTIVE, f"{start_note}，尚未到施行日期")
    ended = next((e for e in ends if e.date <= day), None)
    if ended is not None:
        return status(ended.validity, f"{ended.basis}（{ended.date}起）")
    if version.pilot and not any(e.validity is not Validity.AMENDED for e in ends):
        return status(Validity.UNKNOWN, "试点文件，试点期限未载明，时效性需核实")
    return status(Validity.CURRENT, f"{start_note}，未见修改、废止或失效的依据")


# --- parsed documents -------------------------------------------------------------------


def resolve_validity(
    docs: Sequence[ParsedDocument],
    *,
    as_of: str | _dt.date,
    overrides: Sequence[Override] | None = None,
) -> list[ParsedDocument]:
    """``docs`` (statutes; cases are returned unchanged) with ``validity``,
    ``validity_basis`` and ``in_force_until`` set as of ``as_of``; order is kept. Repeals
    printed in any of ``docs`` count; ``overrides`` default to the bundled file."""
    entries = load_overrides() if overrides is None else overrides
    statutes = [(i, d) for i, d in enumerate(docs) if not d.doc_type.is_case]
    facts = [facts_of(d, key=str(i)) for i, d in statutes]
    repeals = [r for _, d in statutes for r in printed_repeals(d)]
    found = reconcile(facts, as_of=as_of, overrides=entries, repeals=repeals)
    out = list(docs)
    for i, doc in statutes:
        s = found[str(i)]
        fixed = override_for(entries, doc.work or work_key(doc.title), doc.date, "in_force_from")
        out[i] = replace(
            doc,
            validity=s.validity,
            validity_basis=s.basis,
            in_force_until=s.in_force_until,
            in_force_from=fixed.in_force_from if fixed else doc.in_force_from,
        )
    return out


def version_in_force(
    docs: Sequence[ParsedDocument],
    work: str,
    on: str | _dt.date,
    *,
    overrides: Sequence[Override] | None = None,
) -> ParsedDocument | None:
    """The version of ``work`` (a work key or full title) that was in force on ``on``, or
    None when none of ``docs`` was (the work was not yet in force, or the version then in
    force is not among them). A version printed in several files (民法典, one per 编) is
    returned as one of them; they share ``work`` and ``date``."""
    key = work_key(work)
    candidates = [d for d in docs if (d.work or work_key(d.title)) == key]
    resolved = resolve_validity(candidates, as_of=on, overrides=overrides)
    current = [d for d in resolved if d.validity is Validity.CURRENT]
    return max(current, key=lambda d: d.in_force_from or d.date or "") if current else None


__all__ = [
    "OVERRIDES_RESOURCE",
    "Override",
    "Repeal",
    "VersionFacts",
    "VersionStatus",
    "facts_of",
    "is_pilot",
    "load_overrides",
    "override_for",
    "parse_overrides",
    "printed_repeals",
    "printed_validity",
    "reconcile",
    "resolve_validity",
    "trial_expiry",
    "version_in_force",
]
