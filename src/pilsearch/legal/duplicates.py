"""The same matter published more than once, so that it can be shown once with 另见.

A typical case may be written up again in a later release (大河东湿地: 2021 听证 and 2022 湿地
releases) or become a guiding case (万峰湖 → 检例第166号). Which cases are one matter is curated
in ``pilsearch/data/case_duplicates.toml``, keyed by :func:`case_key`; a text check confirms
each curated pair: two write-ups of one matter share many three-character sequences (place
names, parties, amounts) that no other case has, and each is the other's closest case by
that count. The same count proposes new pairs (:func:`duplicate_candidates`), which a person
reads before adding them (or listing them as ``distinct``).

>>> from pilsearch.legal.model import Case, CaseSections
>>> case_key(Case("万峰湖流域生态环境保护公益诉讼案", CaseSections(), date="2021-07-22"))
'2021-07-22《万峰湖流域生态环境保护公益诉讼案》'
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import combinations

from pilsearch.legal.model import Case

_RESOURCE = "case_duplicates.toml"
_SPACES = re.compile(r"\s+")

#: Length of the character sequences compared (three characters hold most place and party
#: names: 万峰湖, 下塞湖, 朝阳乡).
GRAM = 3
#: A sequence is distinctive when at most this many cases contain it (two write-ups of one
#: matter, and nobody else).
DISTINCTIVE_MAX_CASES = 2
#: Two cases are proposed as one matter when they share at least this many distinctive
#: sequences and are each other's closest case. On the shared corpus the curated pairs share
#: 47 to 165; two proposed pairs were read and are different matters (87 and 57, the
#: catalogue's ``distinct`` entries); the next closest pair shares 41.
MIN_SHARED = 45

KINDS = ("same_matter", "part_of")


@dataclass(frozen=True, slots=True)
class DuplicateMatter:
    """Cases (by :func:`case_key`) that report one matter; ``kind`` is ``same_matter`` or
    ``part_of`` (the first case is one proceeding of the second)."""

    cases: tuple[str, ...]
    kind: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class DuplicateCatalogue:
    matters: tuple[DuplicateMatter, ...]
    distinct: tuple[tuple[str, str], ...]  # pairs read and found to be different matters

    def also_see(self, key: str) -> tuple[str, ...]:
        """The other cases of ``key``'s matter (its 另见), in catalogue order."""
        for matter in self.matters:
            if key in matter.cases:
                return tuple(k for k in matter.cases if k != key)
        return ()


def case_key(case: Case) -> str:
    """A case's identity across releases and re-parses: 检例第166号 for a guiding case, the
    release date and the title without spaces for a typical case."""
    return matter_key(case.title, case.date, case.case_number)


def matter_key(title: str | None, date: str | None, case_number: str | None = None) -> str:
    """:func:`case_key` from the stored fields of a case (its number, release date, title)."""
    if case_number:
        return case_number
    return f"{date or 'undated'}《{_SPACES.sub('', title or '')}》"


def key_parts(key: str) -> tuple[str | None, str | None, str | None]:
    """(case number, date, title) of a :func:`case_key`; the title without its spaces."""
    if "《" not in key:
        return key, None, None
    date, _, rest = key.partition("《")
    return None, (None if date == "undated" else date), rest.removesuffix("》")


@cache
def load_duplicates() -> DuplicateCatalogue:
    """The curated catalogue (read once); a malformed entry raises ``ValueError``."""
    raw = resources.files("pilsearch.data").joinpath(_RESOURCE).read_text("utf-8")
    table = tomllib.loads(raw)
    matters = []
    for entry in table.get("matter", []):
        cases = tuple(entry.get("cases", ()))
        kind = entry.get("kind", "")
        if len(cases) < 2 or kind not in KINDS:
            raise ValueError(f"{_RESOURCE}: a matter needs two cases and a kind in {KINDS}")
        matters.append(DuplicateMatter(cases, kind, entry.get("note", "")))
    distinct = []
    for entry in table.get("distinct", []):
        pair = tuple(entry.get("cases", ()))
        if len(pair) != 2:
            raise ValueError(f"{_RESOURCE}: a distinct entry names exactly two cases")
        distinct.append((pair[0], pair[1]))
    keys = [k for m in matters for k in m.cases]
    if len(keys) != len(set(keys)):
        raise ValueError(f"{_RESOURCE}: a case belongs to one matter only")
    return DuplicateCatalogue(tuple(matters), tuple(distinct))


def _grams(case: Case) -> set[str]:
    """The case's own text (要旨, 基本案情, 履职过程; not titles, which follow a template)."""
    parts = (case.sections.key_points, case.sections.facts, case.sections.process)
    text = _SPACES.sub("", "".join(p for p in parts if p))
    return {text[i : i + GRAM] for i in range(len(text) - GRAM + 1)}


def shared_distinctive(cases: Mapping[str, Case]) -> Counter[tuple[str, str]]:
    """For every pair of cases (keys in sorted order), how many distinctive sequences they
    share. Linear in the text: each distinctive sequence touches one pair."""
    holders: defaultdict[str, list[str]] = defaultdict(list)
    for key, case in cases.items():
        for gram in _grams(case):
            holders[gram].append(key)
    counts: Counter[tuple[str, str]] = Counter()
    for keys in holders.values():
        if 2 <= len(keys) <= DISTINCTIVE_MAX_CASES:
            for a, b in combinations(sorted(keys), 2):
                counts[(a, b)] += 1
    return counts


def _closest(counts: Counter[tuple[str, str]]) -> dict[str, tuple[int, str]]:
    best: dict[str, tuple[int, str]] = {}
    for (a, b), n in sorted(counts.items()):
        for mine, other in ((a, b), (b, a)):
            if n > best.get(mine, (0, ""))[0]:
                best[mine] = (n, other)
    return best


def duplicate_candidates(
    cases: Mapping[str, Case], *, min_shared: int = MIN_SHARED
) -> list[tuple[str, str, int]]:
    """Pairs (a, b, shared) that look like one matter: each the other's closest case, sharing
    at least ``min_shared`` distinctive sequences; strongest first. To be read, not trusted."""
    counts = shared_distinctive(cases)
    best = _closest(counts)
    found = [
        (a, b, n)
        for (a, b), n in counts.items()
        if n >= min_shared and best[a][1] == b and best[b][1] == a
    ]
    return sorted(found, key=lambda t: (-t[2], t[0], t[1]))


@dataclass(frozen=True, slots=True)
class Confirmation:
    pair: tuple[str, str]
    shared: int  # distinctive sequences the two share
    mutual_closest: bool
    missing: tuple[str, ...] = ()  # keys not among the cases given

    @property
    def confirmed(self) -> bool:
        return not self.missing and self.mutual_closest and self.shared >= MIN_SHARED


def confirm(
    matters: Iterable[DuplicateMatter], cases: Mapping[str, Case]
) -> list[Confirmation]:
    """Check each curated pair against the texts: both present, each the other's closest
    case, enough distinctive text in common."""
    counts = shared_distinctive(cases)
    best = _closest(counts)
    out = []
    for matter in matters:
        for a, b in combinations(matter.cases, 2):
            missing = tuple(k for k in (a, b) if k not in cases)
            pair = (min(a, b), max(a, b))
            mutual = not missing and best.get(a, (0, ""))[1] == b and best.get(b, (0, ""))[1] == a
            out.append(Confirmation((a, b), counts.get(pair, 0), mutual, missing))
    return out


__all__ = [
    "MIN_SHARED",
    "Confirmation",
    "DuplicateCatalogue",
    "DuplicateMatter",
    "case_key",
    "confirm",
    "duplicate_candidates",
    "key_parts",
    "load_duplicates",
    "matter_key",
    "shared_distinctive",
]
