"""Protected interests and regulated activities (legal/subjects.py): what similar cases are
explained by."""

from __future__ import annotations

from pilsearch.legal.subjects import (
    ACTIVITIES,
    INTERESTS,
    case_subjects,
    detect_subjects,
    subject_cues,
)


def test_a_draft_names_its_interest_and_activity() -> None:
    draft = "某区一家无证校外培训机构在居民楼内办学，消防通道堵塞，存在安全隐患。"
    assert detect_subjects(draft, ACTIVITIES) == ["校外培训与办学"]
    assert detect_subjects(draft, INTERESTS) == ["安全生产", "消防安全"]


def test_a_case_is_about_what_its_title_keywords_and_key_points_say() -> None:
    focus = "督促保护大河东湿地生态环境行政公益诉讼案 湿地保护 填埋"
    assert "湿地保护" in case_subjects(focus, "", INTERESTS)
    assert "填埋与占用" in case_subjects(focus, "", ACTIVITIES)


def test_one_passing_mention_in_the_facts_does_not_make_a_subject() -> None:
    facts = "该湖泊周边有一所学校。"
    assert "未成年人权益" not in case_subjects("督促整治非法采砂行政公益诉讼案", facts, INTERESTS)
    twice = "多名儿童在此玩耍，儿童溺水风险高。"
    assert "未成年人权益" in case_subjects("某案", twice, INTERESTS)


def test_a_hazard_tags_safety_only_from_a_case_title() -> None:
    key_points = "食品安全监管中发现安全隐患"
    assert "安全生产" not in case_subjects(key_points, "", INTERESTS)
    title = "督促整治燃气安全隐患行政公益诉讼案"
    assert "安全生产" in case_subjects("", "", INTERESTS, title=title)


def test_cues_are_terms_not_generic_words() -> None:
    cues = subject_cues()
    assert {"无证办学", "消防", "湿地", "尾矿库"} <= cues
    assert not {"大量", "机构", "未成年", "存在"} & cues
