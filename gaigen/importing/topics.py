"""一、总体情况 of a published report: its opening and its five topics, found by their sub-headings.

The topics are found by their sub-headings at one level (``（一）…`` or ``1、…``), the level that
names most topics; a sub-heading garbled by a web page takes the place of the topic left between
its neighbours. Without sub-headings the text of 一 is its opening (概述), and the topics are
left for rule N-1 to report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gaigen.core.problems import Severity
from gaigen.importing.clean import MOJIBAKE_START, compact
from gaigen.importing.model import Finding, Paragraph, Where
from gaigen.spec import layout

SUB_HEADING = re.compile(r"^[（(]\s*(?P<num>[一二三四五六七八九十]+|\d+)\s*[)）]\s*")  # ``（一）``, ``(1)``
_SUB3 = re.compile(r"^(?P<num>\d+)\s*[、.．]\s*")  # ``1、``
_HEAD_END = re.compile(r"[。：:]")
_HEADING_MAX = 30


@dataclass
class Topics:
    """The text of 一: before any topic (概述), and by topic, with where each topic starts."""

    opening: list[str] = field(default_factory=list)
    topics: dict[str, list[str]] = field(default_factory=dict)
    where: dict[str, Where] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class _Sub:
    index: int
    level: int
    topic: str | None  # a topic, None for another sub-heading
    garbled: bool
    body: str  # the text after an inline heading (``（一）主动公开情况。正文…``)
    marker: str  # the ordinal as written


# The words that name each topic in a sub-heading, tried in this order: the first found names it.
_TOPIC_WORDS = (
    (("依申请",), layout.TOPICS[1]),
    (("主动公开",), layout.TOPICS[0]),
    (("信息管理",), layout.TOPICS[2]),
    (("平台",), layout.TOPICS[3]),
    (("监督", "保障"), layout.TOPICS[4]),
)


def _topic_of(heading: str) -> str | None:
    return next((topic for words, topic in _TOPIC_WORDS if any(word in heading for word in words)), None)


def _sub_heading(index: int, text: str) -> _Sub | None:
    line = text.strip()
    garbled = MOJIBAKE_START.match(line)
    if garbled:
        level, marker, rest = 2, line[: garbled.end()], line[garbled.end() :]
    elif found := SUB_HEADING.match(line):
        level, marker, rest = 2, found.group(0).strip(), line[found.end() :]
    elif found := _SUB3.match(line):
        level, marker, rest = 3, found.group(0).strip(), line[found.end() :]
    else:
        return None
    end = _HEAD_END.search(rest)
    if end is not None and end.start() <= _HEADING_MAX:
        heading, body = rest[: end.start()], rest[end.end() :].strip()
    elif len(rest) <= _HEADING_MAX:
        heading, body = rest, ""
    else:
        return None
    if "，" in heading and body:
        return None  # a numbered sentence, not a heading
    return _Sub(index, level, _topic_of(heading), bool(garbled), body, marker)


def read_topics(paragraphs: list[Paragraph]) -> Topics:
    """Return the opening, the five topics and the sub-heading findings of the paragraphs of 一."""
    result = Topics()
    subs = [sub for i, p in enumerate(paragraphs) if (sub := _sub_heading(i, p.text)) is not None]
    level = _level(subs)
    chosen = {sub.index: sub for sub in subs if sub.level == level}
    _recover_by_order([sub for sub in subs if sub.level == level])
    other_headings = {
        sub.index
        for sub in subs
        if sub.level != level and not sub.body and not paragraphs[sub.index].text.strip().endswith("。")
    }
    current: str | None = None
    for i, paragraph in enumerate(paragraphs):
        sub = chosen.get(i)
        if sub is not None:
            if sub.topic is not None:
                current = sub.topic
                result.topics.setdefault(current, [])
                result.where.setdefault(current, paragraph.where)
            if sub.body:
                _add(result, current, sub.body)
            continue
        if i in other_headings:
            continue  # a heading line of the report's own structure (``（一）概述``)
        _add(result, current, paragraph.text)
    result.findings += _sub_heading_findings([chosen[i] for i in sorted(chosen)], paragraphs)
    return result


def _add(result: Topics, topic: str | None, text: str) -> None:
    if topic is None:
        result.opening.append(text)
    else:
        result.topics[topic].append(text)


def _level(subs: list[_Sub]) -> int | None:
    best, best_score = None, 0
    for level in (2, 3):
        at_level = [sub for sub in subs if sub.level == level]
        score = len({sub.topic for sub in at_level if sub.topic}) + sum(
            1 for sub in at_level if sub.garbled and not sub.topic
        )
        if score > best_score:
            best, best_score = level, score
    return best


def _recover_by_order(subs: list[_Sub]) -> None:
    """Give each garbled sub-heading the topic left between its neighbours, in order."""
    order = {topic: i for i, topic in enumerate(layout.TOPICS)}
    taken = {sub.topic for sub in subs if sub.topic}
    previous = -1
    for position, sub in enumerate(subs):
        if sub.topic is not None:
            previous = order[sub.topic]
            continue
        if not sub.garbled:
            continue
        following = next((order[s.topic] for s in subs[position + 1 :] if s.topic), len(layout.TOPICS))
        free = [i for i in range(previous + 1, following) if layout.TOPICS[i] not in taken]
        if free:
            sub.topic = layout.TOPICS[free[0]]
            taken.add(sub.topic)
            previous = free[0]


def _sub_heading_findings(subs: list[_Sub], paragraphs: list[Paragraph]) -> list[Finding]:
    odd = [
        (sub, paragraphs[sub.index])
        for sub in subs
        if sub.topic
        and not sub.garbled
        and sub.level == 2
        and not re.fullmatch(r"（[一二三四五六七八九十]+）", sub.marker)
    ]
    if not odd:
        return []
    shown = "、".join(f"“{compact(p.text)[:16]}”" for _, p in odd[:3])
    more = f"等 {len(odd)} 处" if len(odd) > 3 else ""
    return [
        Finding(
            "F-7",
            Severity.WARNING,
            f"“一、总体情况”的小标题{shown}{more}序号写法不规范（半角括号或阿拉伯数字）",
            "请统一写作“（一）”至“（五）”：全角括号、汉字数字。",
            odd[0][1].where,
        )
    ]
