"""Section text of WeChat typical-case releases: broken lines joined, photo captions set apart.

The SPP's WeChat articles print photos among a case's paragraphs, each with a caption line
(庭审现场 / 检察人员现场勘查文物保护情况。 / 20  22年10月整改后，寿长河红  树林湿地生态得到
修复), and the Markdown export breaks some paragraphs inside a sentence (…猎获黑水鸡61 / 只，…;
…在“携手清四乱 / 保护母亲河”专项行动中…). A caption is not case text: it is set apart (kept
on the case, never dropped) so that search, answers and similar cases read only the case.

A caption is a plain (not bold) line that is not a numbered step (（一）…, 一是…, 1.…) and
either opens with the case's own title (…行政公益诉讼案，检察官巡查岸线侵占情况。), or is a
short line that does not end a sentence and does not continue on the next line, or is one
short sentence that describes a picture (现场, 召开…会, 勘查, 整改前后 …) without the marks of
narrative (了, 已, 以下简称, an opening 为 / 针对 / 截至 …). Keywords and 要旨 never carry
captions; a section is never emptied by this.

>>> kept, captions = split_captions(
...     [BodyLine("庭审现场", False), BodyLine("2020年5月，某县院提起诉讼。法院判决支持。", False)],
...     case_title="某县院诉某公司案", section=CaseSection.PROCESS)
>>> kept, captions
(['2020年5月，某县院提起诉讼。法院判决支持。'], ['庭审现场'])
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from pilsearch.legal.model import CaseSection


class BodyLine(NamedTuple):
    text: str
    bold: bool


#: Sections in which photos are printed (keywords and 要旨 never carry captions).
CAPTIONED_SECTIONS = frozenset({CaseSection.FACTS, CaseSection.PROCESS, CaseSection.SIGNIFICANCE})

#: A caption that does not end a sentence is at most this long; a line without an ending
#: mark that is longer is a paragraph broken inside a sentence.
MAX_OPEN_CAPTION = 70
#: A caption that ends like a sentence is at most this long (captions are one short line).
MAX_SENTENCE_CAPTION = 60
#: A one-sentence line this short without any comma is a picture's name (整改前的烈士陵园。).
MAX_BARE_CAPTION = 36
#: A caption sentence has at most this many commas (real paragraphs chain clauses).
MAX_CAPTION_COMMAS = 3
#: A caption that names what the picture shows at its end (…查看补种林木存活情况。) may be
#: this long.
MAX_SCENE_CAPTION = 70
#: A paragraph that introduces the procuratorate (（以下简称X院）) does so this early; a short
#: line right above it is the caption of a photo printed before the section's text.
INTRO_REACH = 40
#: A caption that names its case (…行政公益诉讼案，检察官巡查岸线侵占情况。) ends that name
#: with the last this many characters of the title, and adds at most this many of its own.
TITLE_TAIL = 10
MAX_AFTER_TITLE = 30
#: A caption repeating the start of the paragraph after it shares at least this many
#: characters with it (2020年5月12日，海南一中院重新组成7人合议庭…).
MIN_TEASER = 15
#: A list broken after its separator: the last 、 within this many characters of the end.
LIST_TAIL = 3

_ENDS = "。！？；;!?…"
_CLOSERS = "”」』）)》"
_OPENERS = {"《": "》", "“": "”", "（": "）", "(": ")", "「": "」"}
_STEP = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、是]|\d{1,2}\s*[.．、]|第[一二三四五六七八九十]{1,3}[，,、])"
)
_CONTINUES = re.compile(r"^[，,。、；;：:）)》”」“³²%]")
#: Words a sentence cannot stop at: the line breaks off inside it.
_OPEN_ENDINGS = ("的", "对", "向", "在", "将", "把", "被", "从", "与", "和", "及", "并", "或", "等")
_OPEN_NEAR_END = re.compile(r"(?:及|和|与|或|以及)[\u4e00-\u9fff]?$")
_SPACES = re.compile(r"\s+")
_PICTURE = re.compile(
    r"现场|视频|照片|图|庭审|开庭|出庭|整改前|整改后|整改中|修复前|修复后|修复中|拆除前|拆除后|"
    r"召开|会议|座谈|听证会|研讨会|推进会|联席会|磋商会|勘查|勘验|查看|察看|踏查|巡查|取证|"
    r"走访|检测|送达|宣告|调研|了解|核实|无人机|体验|测试|全貌|风貌|入口|对比|参观|回头看|"
    r"演示|拍摄|航拍|出席|评估|普法"
)
_SCENE_END = re.compile(r"(?:情况|现场|现状|场景|全景|全貌)$")
_PHOTO_WORD = "图为"
_INTRODUCES = re.compile(r"以下简称|下称")
_ACTOR = re.compile(
    r"^(?:\d{4}年[\d、至月日]*[，,]?)?(?:[\u4e00-\u9fff]{2,16}?(?:检察院|检察机关|院))?"
    r"(?:检察人员|检察官|干警|办案人员|办案检察官|公益诉讼检察官|办案组)"
)
_NARRATIVE = re.compile(r"了(?!解)|已|以下简称|下称|遂|决定|截至|共计|本案")
_CONNECTIVE = re.compile(
    r"^(?:为|针对|截至|同时|此外|经|根据|鉴于|因|由于|随后|其后|目前|据此|对此|最终|其中|另|但|并|且|在此基础上)"
)
_COMMAS = re.compile(r"[，,]")


def _compact(text: str) -> str:
    return _SPACES.sub("", text)


def _ends_sentence(text: str) -> bool:
    """Whether ``text`` ends a sentence (a closing quote or bracket after the mark counts)."""
    core = _compact(text).rstrip(_CLOSERS)
    return bool(core) and core[-1] in _ENDS


@dataclass
class _Run:
    """A line being re-joined, summed up piece by piece so that joining stays linear: what
    the tests below need of the whole text (length, open brackets, marks) and its tail."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    unclosed: dict[str, int] = field(default_factory=dict)  # opener → opened minus closed
    has_stop: bool = False  # 。；： inside: prose, not a one-phrase caption
    introduces: bool = False  # （以下简称…）: the opening of a narrative paragraph
    purpose: bool = False  # opens with 为: a purpose clause waiting for its main clause
    has_comma: bool = False
    tail: str = ""

    def add(self, text: str) -> None:
        if not self.parts:
            self.purpose = text.startswith("为")
        self.parts.append(text)
        self.length += len(text)
        for opener, closer in _OPENERS.items():
            self.unclosed[opener] = (
                self.unclosed.get(opener, 0) + text.count(opener) - text.count(closer)
            )
        self.has_stop = self.has_stop or any(mark in text for mark in "。；;：:")
        self.introduces = self.introduces or "以下简称" in text
        self.has_comma = self.has_comma or bool(_COMMAS.search(text))
        self.tail = (self.tail + text)[-_TAIL:]

    @property
    def open_bracket(self) -> bool:
        return any(n > 0 for n in self.unclosed.values())

    @property
    def text(self) -> str:
        return "".join(self.parts)


_TAIL = 16  # characters of a run's end that the tests below look at


def _broken_before(run: _Run, text: str) -> bool:
    """Whether ``text`` carries on the sentence that ``run`` broke off."""
    tail = run.tail
    if not tail or _ends_sentence(tail) or _STEP.match(text):
        return False
    if run.has_stop:
        return True  # prose (captions hold one phrase) that stops mid-sentence
    if _CONTINUES.match(text) or run.open_bracket:
        return True
    if tail[-1] in "，,、" or tail[-1].isdigit() or tail.endswith(_OPEN_ENDINGS):
        return True
    if _OPEN_NEAR_END.search(tail):
        return True
    last_list = tail.rfind("、")
    if last_list >= 0 and len(tail) - last_list - 1 <= LIST_TAIL:
        return True
    if run.introduces or (run.purpose and run.has_comma):
        return True
    return run.length > MAX_OPEN_CAPTION


def join_broken_lines(lines: Sequence[BodyLine]) -> list[BodyLine]:
    """Lines with every sentence that the export broke re-joined (bold lines stay alone);
    linear in the text, however many pieces a sentence was broken into."""
    out: list[BodyLine] = []
    run: _Run | None = None
    for line in lines:
        if run is not None and not line.bold and _broken_before(run, line.text):
            run.add(line.text)
            continue
        if run is not None:
            out.append(BodyLine(run.text, False))
            run = None
        if line.bold or not line.text:
            out.append(line)
        else:
            run = _Run()
            run.add(line.text)
    if run is not None:
        out.append(BodyLine(run.text, False))
    return out


def _names_case(compact: str, title: str) -> bool:
    """The line opens with the case's name (as its title ends) and adds a few words."""
    cut = compact.find("案")
    if not title or cut < TITLE_TAIL:
        return False
    return compact[cut + 1 - TITLE_TAIL : cut + 1] in title and (
        len(compact) - cut - 1 <= MAX_AFTER_TITLE
    )


def is_caption(
    text: str, *, case_title: str = "", next_text: str = "", after_step: bool = False
) -> bool:
    """Whether one plain, unnumbered line of a case section is a photo caption.

    ``next_text`` is the line after it: a caption may repeat that paragraph's opening.
    ``after_step``: the line follows a bold step heading (（一）…), whose text it is unless
    it names a picture."""
    compact = _compact(text)
    if not compact or _STEP.match(compact):
        return False
    if _names_case(compact, _compact(case_title)):
        return True
    following = _compact(next_text)
    if len(compact) < len(following) and len(compact) >= MIN_TEASER:
        if following.startswith(compact.rstrip(_ENDS)[:MIN_TEASER]):
            return True
    if _PHOTO_WORD in compact and len(compact) <= MAX_SCENE_CAPTION:
        return True
    introduces = _INTRODUCES.search(following[:INTRO_REACH])
    if introduces and len(compact) <= MAX_SENTENCE_CAPTION and not _INTRODUCES.search(compact):
        if not _CONNECTIVE.match(compact) and not _NARRATIVE.search(compact):
            return True
    if not _ends_sentence(compact):
        return len(compact) <= MAX_OPEN_CAPTION
    body = compact.rstrip(_ENDS + _CLOSERS)
    if any(mark in body for mark in "。！？；;") or len(compact) > MAX_SCENE_CAPTION:
        return False
    if _INTRODUCES.search(body) or _CONNECTIVE.match(body):
        return False
    commas = len(_COMMAS.findall(body))
    if len(compact) <= MAX_BARE_CAPTION and commas == 0 and not after_step:
        if not _NARRATIVE.search(body):
            return True
    if commas > MAX_CAPTION_COMMAS or _NARRATIVE.search(body) or not _PICTURE.search(body):
        return bool(len(compact) <= MAX_SENTENCE_CAPTION and commas <= MAX_CAPTION_COMMAS
                    and not _NARRATIVE.search(body) and _ACTOR.match(body))
    return len(compact) <= MAX_SENTENCE_CAPTION or bool(_SCENE_END.search(body))


def split_captions(
    lines: Sequence[BodyLine], *, case_title: str, section: CaseSection
) -> tuple[list[str], list[str]]:
    """(the section's lines, broken sentences re-joined; the photo captions taken out)."""
    joined = join_broken_lines(lines)
    if section not in CAPTIONED_SECTIONS:
        return [b.text for b in joined], []
    kept: list[str] = []
    captions: list[str] = []
    for i, b in enumerate(joined):
        following = joined[i + 1].text if i + 1 < len(joined) else ""
        after_step = i > 0 and joined[i - 1].bold
        if not b.bold and is_caption(
            b.text, case_title=case_title, next_text=following, after_step=after_step
        ):
            captions.append(b.text)
        else:
            kept.append(b.text)
    if not kept:  # a section is never emptied: a one-line section is text, not a caption
        return [b.text for b in joined], []
    return kept, captions


__all__ = ["BodyLine", "is_caption", "join_broken_lines", "split_captions"]
