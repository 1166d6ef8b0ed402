"""The dates of one version of a text: its history (题注), 公布日期 and the day it took effect.

A statute prints its history under the title ("1991年9月4日…通过 … 2020年10月17日…第二次
修订"), an interpretation its adoption by one or two committees and its 施行 date, a rule the
SPP's notice ("…通过，现予公布，自2021年7月1日起施行"). Three facts are read from them:

- :func:`history_events`: every dated step, classified by the verb after the date
  (:class:`~pilsearch.legal.model.EventKind`);
- :func:`promulgation_date`: the 公布日期 of this version, only where it is printed or the
  source states it (a law is promulgated by 主席令 on the day it is adopted or amended, so
  for laws and administrative regulations the latest step is the 公布日期);
- :func:`in_force_from`: the 施行日期 *of this version*. A law amended by a decision keeps
  printing the original "本法自1994年1月1日起施行"; that date is the work's, not the version's,
  so it only counts when it is not older than the version itself. Otherwise the version's
  施行日期 is not in the text (None), and :mod:`pilsearch.legal.validity` falls back to the
  公布日期 and says so.

>>> [(e.date, e.kind.value) for e in history_events(["2018年2月11日最高人民检察院第十二届检察委员会"
...     "第73次会议通过，根据2020年12月23日最高人民法院审判委员会第1823次会议修正）"])]
[('2018-02-11', '通过'), ('2020-12-23', '修正')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pilsearch.legal.dates import find_date_spans
from pilsearch.legal.model import EventKind, HistoryEvent, Level

#: Titles inside a clause (《关于修改…的决定》) name other acts; their verbs are not this text's.
_QUOTED = re.compile(r"《[^《》]*(?:《[^《》]*》[^《》]*)*》")
#: Verbs in order of precedence: "修订通过" is a revision, "通过，现予公布" an adoption.
_VERBS: tuple[tuple[re.Pattern[str], EventKind], ...] = (
    (re.compile(r"修订"), EventKind.REVISED),
    (re.compile(r"修正|修改"), EventKind.AMENDED),
    (re.compile(r"通过"), EventKind.ADOPTED),
    (re.compile(r"批准"), EventKind.APPROVED),
    (re.compile(r"公布|发布|印发|颁布"), EventKind.PROMULGATED),
    (re.compile(r"施行"), EventKind.EFFECTIVE),
    (re.compile(r"会议"), EventKind.ADOPTED),  # "…审判委员会第1734次会议" with 通过 further on
)
#: What may follow a date printed alone under a title or a signature (its issue date).
_BARE_REST = re.compile(r"[\s（(）)、，,。]*(?:[\u4e00-\u9fff\s]{0,40}[（(])?\s*")
#: A committee session that shares the verb of the next clause (joint adoption by two bodies).
_JOINT = re.compile(r"会议\s*[、和及]\s*$")
#: Kinds of text promulgated on the day they are adopted or amended (主席令 / 国务院令).
_PROMULGATED_ON_ADOPTION = frozenset(
    {Level.CONSTITUTION, Level.LAW, Level.ADMINISTRATIVE_REGULATION}
)


def _kind(clause: str, before: str) -> EventKind | None:
    if before == "自" and "施行" in clause[:12]:
        return EventKind.EFFECTIVE  # 自2021年7月1日起施行
    own = _QUOTED.sub("", clause)
    for pattern, kind in _VERBS:
        if pattern.search(own):
            return kind
    return EventKind.PROMULGATED if _BARE_REST.fullmatch(own) else None


def history_events(lines: Iterable[str], *, effective_date: str | None = None) -> tuple[
    HistoryEvent, ...
]:
    """Every dated step printed in ``lines`` (promulgation lines, a notice), oldest first.

    Each date is classified by the clause after it, up to the next date. ``effective_date``
    (the 施行 date the parser found in the closing articles or the source metadata) is added
    as a 施行 step when the lines do not print it.
    """
    events: list[HistoryEvent] = []
    for line in lines:
        spans = find_date_spans(line)
        kinds: list[EventKind | None] = []
        for i, (start, end, _) in enumerate(spans):
            stop = spans[i + 1][0] if i + 1 < len(spans) else len(line)
            kinds.append(_kind(line[end:stop], line[max(0, start - 1) : start]))
        for i, (start, end, iso) in enumerate(spans):
            stop = spans[i + 1][0] if i + 1 < len(spans) else len(line)
            clause = line[end:stop]
            kind = kinds[i]
            if _JOINT.search(clause) and i + 1 < len(kinds) and kinds[i + 1] is not None:
                kind = kinds[i + 1]  # "…第1823次会议、2020年12月28日…会议修正": one joint step
            if kind is None:
                continue
            text = line[start:stop].strip(" ，,、；;（()）")
            events.append(HistoryEvent(iso, kind, text))
    if effective_date and not any(
        e.kind is EventKind.EFFECTIVE and e.date == effective_date for e in events
    ):
        events.append(HistoryEvent(effective_date, EventKind.EFFECTIVE, "施行（正文所载）"))
    unique = {(e.date, e.kind): e for e in events}
    return tuple(sorted(unique.values(), key=lambda e: (e.date, list(EventKind).index(e.kind))))


def version_made_on(history: Sequence[HistoryEvent]) -> str | None:
    """The date of the latest step that made this version (adoption, amendment, revision,
    approval or publication); None when the history prints none."""
    dates = [e.date for e in history if e.kind.makes_version]
    return max(dates) if dates else None


def promulgation_date(
    history: Sequence[HistoryEvent],
    level: Level | None,
    *,
    stated: str | None = None,
) -> str | None:
    """公布日期 of this version, or None when neither the text nor the source gives it.

    ``stated`` is a date the source itself gives as the version's date (laws-data
    ``pub_date``, a JSON Lines ``date``, a file name such as 未成年人保护法(2024-04-26).md).
    A printed 公布/发布 date after the latest adoption wins over it, unless the stated date
    is later than every printed step (the printed history is cut short); for laws and
    administrative regulations the latest adoption or amendment is the 公布日期.
    """
    made = version_made_on(history)
    if stated and made and stated > made:
        return stated  # the printed history stops before this version (a truncated 题注)
    published = [e.date for e in history if e.kind is EventKind.PROMULGATED]
    if published and (made is None or max(published) >= made):
        return max(published)
    if level in _PROMULGATED_ON_ADOPTION and made is not None:
        return made
    return stated


_ON_PUBLICATION = re.compile(
    r"本(?:法|条例|办法|规定|解释|规则|细则|指引|决定|意见)[^。；]{0,10}自(?:公布|发布|印发)之日起施行"
)


def in_force_from(
    history: Sequence[HistoryEvent],
    effective_date: str | None,
    promulgated: str | None,
    *,
    closing: Iterable[str] = (),
) -> str | None:
    """施行日期 of this version: ``effective_date`` when it is not older than the version
    (its latest step, or its 公布日期); None when the printed date is the original's.

    A text never amended whose closing articles (``closing``) say "本办法自发布之日起施行"
    took effect on its 公布日期."""
    if effective_date is None:
        amended = any(e.kind in (EventKind.AMENDED, EventKind.REVISED) for e in history)
        if promulgated and not amended and any(_ON_PUBLICATION.search(t) for t in closing):
            return promulgated
        return None
    made = max((d for d in (version_made_on(history), promulgated) if d), default=None)
    if made is not None and effective_date < made:
        return None
    return effective_date


__all__ = ["history_events", "in_force_from", "promulgation_date", "version_made_on"]
