"""The text of a published report: title, the six part headings, preamble, topics, 五 and 六.

Part headings are recognised by their wording, with the variants of format-spec §3.1 (the
《条例》 第五十条 wording, ``1、``/``5、`` ordinals, half-width brackets), and must come in order: a
sub-heading such as ``（二）主动公开政府信息情况`` inside 一 is never taken for part 二. The five
topics of 一 are read by ``gaigen.importing.topics``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from gaigen.core.problems import Severity
from gaigen.importing.clean import compact
from gaigen.importing.model import Finding, Paragraph, Where
from gaigen.importing.topics import SUB_HEADING, read_topics
from gaigen.spec import layout
from gaigen.spec.layout import Edition

W = Severity.WARNING
_CN = "一二三四五六七八九十"
_PART_ORDINAL = re.compile(
    r"^(?:(?P<cn>[一二三四五六七八九十]+)\s*[、.．，,]|(?P<ar>\d+)\s*[、.．，,]|第(?P<nth>[一二三四五六])部分[、:：]?)?\s*"
)
PART_WORDING = (
    re.compile(r"(?:政府信息公开工作)?总体情况"),
    re.compile(r"(?:行政机关)?主动公开政府信息的?情况"),
    re.compile(r"(?:行政机关)?收到和处理政府信息公开申请的?情况"),
    re.compile(r"因?政府信息公开(?:工作)?(?:被申请)?行政复议[、和及与,，]?(?:提起)?行政诉讼的?情况"),
    re.compile(r"(?:政府信息公开工作)?存在的?(?:主要)?问题(?:及|和|与)(?:改进|整改)(?:情况|措施)"),
    re.compile(r"其他需要报告的?事项"),
)
_REGULATION_WORDING = ("行政机关主动公开", "行政机关收到", "因政府信息公开工作", "政府信息公开工作存在")
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_BLANK_DATE = re.compile(r"^年\s*月\s*日$")
_TITLE_AGENCY_FIRST = re.compile(r"^(?P<agency>.+?)(?P<year>(?:19|20)\d{2})\s*年度?(?P<rest>.*?报告)$")
_TITLE_YEAR_FIRST = re.compile(r"^(?P<year>(?:19|20)\d{2})\s*年度?(?P<agency>.+?)(?P<rest>(?:政府)?信息公开.*?报告)$")
_PERIOD = re.compile(
    r"(?:统计期限|统计时限|统计期间|统计区间|统计时间)[^。]{0,12}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日"
)
_NOTICES = {
    Edition.E2019: re.compile(r"2019\s*[〕\]］)）]\s*60\s*号"),
    Edition.E2021: re.compile(r"2021\s*[〕\]］)）]\s*30\s*号"),
}
_WEBSITE = re.compile(
    r"(?:可在|可以在|可从|可以从|可登录|可以登录|可通过|可以通过)(?P<site>[^。；]{2,80}?)上?(?:查阅|查询|下载|查看|浏览)"
)
_CONTACT = re.compile(r"请与(?P<who>[^。；]{2,120})联系\s*(?P<paren>[（(][^）)]{2,160}[）)])?")
_FEE_NONE = re.compile(
    r"(?:未|没有|无|不)(?:向申请人)?(?:产生|收取|收到|发生|发出)[^。，,；;]{0,12}?处理费|处理费[^。]{0,8}?(?:为|共计|合计)?\s*0(?:\.0+)?\s*元"
)
_FEE_NOTICES = re.compile(r"发出(?:收费|缴费)通知[书单]?\s*(\d+)\s*[件份次]")
_FEE_BILLED = re.compile(r"收费通知(?:书)?总?金额(?:合计|共计|为)?\s*(\d+(?:\.\d+)?)\s*元")
_FEE_COLLECTED = re.compile(r"收取(?:信息处理费|处理费|费用)?(?:合计|共计|为)?\s*(\d+(?:\.\d+)?)\s*元")
_PREAMBLE_SIGNS = (
    "统计期限",
    "统计时限",
    "统计期间",
    "六个部分",
    "六部分",
    "查询下载",
    "下载",
    "如对本报告",
    "如对报告",
)


@dataclass
class Heading:
    part: int  # 1 … 6
    text: str
    where: Where
    index: int  # position among the paragraphs


@dataclass
class Narrative:
    title: str | None = None
    title_where: Where | None = None
    agency: str | None = None
    year: int | None = None
    period_year: int | None = None
    headings: dict[int, Heading] = field(default_factory=dict)
    preamble: list[Paragraph] = field(default_factory=list)
    preamble_misplaced: Paragraph | None = None
    opening: list[str] = field(default_factory=list)
    topics: dict[str, list[str]] = field(default_factory=dict)
    topic_where: dict[str, Where] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    fees: dict[str, int | Decimal] | None = None  # 2021 六 信息处理费, only the figures the text states
    fee_where: Where | None = None
    website: str | None = None
    contact: str | None = None
    published: dt.date | None = None
    notice: tuple[Edition, Where, str] | None = None
    findings: list[Finding] = field(default_factory=list)


def part_of(text: str) -> tuple[int, str] | None:
    """Return (part number, ordinal as written) when ``text`` is one of the six part headings."""
    line = text.strip()
    if len(compact(line)) > 45 or line.endswith("。"):
        return None
    found = _PART_ORDINAL.match(line)
    assert found is not None
    wording = compact(line[found.end() :]).rstrip("：:")
    for number, pattern in enumerate(PART_WORDING, start=1):
        if pattern.fullmatch(wording):
            if found.group("ar") and int(found.group("ar")) != number:
                return None  # ``1、主动公开…`` is an item of 一, not part 二
            return number, compact(found.group(0))
    return None


def read_narrative(paragraphs: list[Paragraph], edition: Edition) -> Narrative:
    """Return the narrative parts found among ``paragraphs`` (in document order)."""
    result = Narrative()
    start = _title(paragraphs, result)
    last = 0
    for index in range(start, len(paragraphs)):
        found = part_of(paragraphs[index].text)
        if found is not None and found[0] > last:
            last = found[0]
            result.headings[last] = Heading(last, paragraphs[index].text.strip(), paragraphs[index].where, index)
    spans = _spans(result, start, len(paragraphs))
    result.preamble = paragraphs[spans[0][0] : spans[0][1]]
    overview = paragraphs[spans[1][0] : spans[1][1]] if 1 in result.headings else []
    if overview and not result.preamble and _is_preamble(overview[0].text):
        result.preamble_misplaced = overview[0]
        result.preamble = [overview[0]]
        overview = overview[1:]
    _preamble(result)
    topics = read_topics(overview)
    result.opening, result.topics, result.topic_where = topics.opening, topics.topics, topics.where
    result.findings += topics.findings
    if 5 in result.headings:
        result.problems = [p.text for p in paragraphs[spans[5][0] : spans[5][1]]]
    if 6 in result.headings:
        other = paragraphs[spans[6][0] : spans[6][1]]
        other = _signature(other, result)
        _other_matters(other, result, edition)
    result.findings += _heading_findings(result)
    return result


_NO_AGENCY = re.compile(r"^(?:19|20)\d{2}\s*年度?(?:政府)?信息公开")  # ``2024年政府信息公开工作年度报告``
_TITLE_SEARCH = 40  # a web page may open with its site's menus before the report's title


def _title(paragraphs: list[Paragraph], result: Narrative) -> int:
    """Read the title; return the index of the paragraph after it.

    The title is the first line naming a report (preferably with a year) among the lines before
    the first part heading; a title broken over lines (``…政府信息公开工作`` / ``年度报告``) is joined,
    and lines above it (a web site's menus) are skipped.
    """
    candidates: list[tuple[int, int, str]] = []  # (first line, line after, title)
    for index, paragraph in enumerate(paragraphs[:_TITLE_SEARCH]):
        if part_of(paragraph.text) is not None:
            break
        text = compact(paragraph.text)
        if "报告" not in text or len(text) > 80:
            continue
        start = index
        while start > 0 and index - start < 2 and "信息公开" not in text:
            previous = compact(paragraphs[start - 1].text)
            if re.search(r"[。：:；]", previous) or len(previous + text) > 80:
                break
            text, start = previous + text, start - 1
        if start > 0 and (_NO_AGENCY.match(text) or not re.search(r"(?:19|20)\d{2}", text)):
            # the agency (and year) on the line above the rest of the title
            previous = compact(paragraphs[start - 1].text)
            if len(previous) <= 30 and not re.search(r"[。：:；，,]", previous) and part_of(previous) is None:
                text, start = previous + text, start - 1
        candidates.append((start, index + 1, text))
    if not candidates:
        return 0
    start, after, title = next((c for c in candidates if re.search(r"(?:19|20)\d{2}", c[2])), candidates[0])
    result.title = re.sub(r"^(?:标题|题目)[:：]\s*", "", title)  # a web crawler's field name
    result.title_where = paragraphs[start].where
    _agency_and_year(title, result)
    return after


def _agency_and_year(title: str, result: Narrative) -> None:
    title = re.sub(r"^(?:标题|题目)[:：]", "", title.strip('《》“”"'))
    found = _TITLE_YEAR_FIRST.match(title) or _TITLE_AGENCY_FIRST.match(title)
    if found is None:
        years = re.findall(r"(?:19|20)\d{2}", title)
        result.year = int(years[0]) if years else None
        return
    result.year = int(found.group("year"))
    agency = found.group("agency").strip('《》“”"，,、 ')
    agency = re.sub(r"^关于", "", agency)
    result.agency = agency or None


def _spans(result: Narrative, start: int, end: int) -> dict[int, tuple[int, int]]:
    """Return the paragraph range of the preamble (0) and of each part found (1 … 6)."""
    marks = sorted((heading.index, part) for part, heading in result.headings.items())
    spans = {0: (start, marks[0][0] if marks else start)}
    for position, (index, part) in enumerate(marks):
        spans[part] = (index + 1, marks[position + 1][0] if position + 1 < len(marks) else end)
    return spans


def _is_preamble(text: str) -> bool:
    return ("条例" in text or "报告" in text) and sum(sign in text for sign in _PREAMBLE_SIGNS) >= 2


def _preamble(result: Narrative) -> None:
    text = "".join(p.text for p in result.preamble)
    period = _PERIOD.search(text)
    result.period_year = int(period.group(1)) if period else None
    if result.year is None:
        result.year = result.period_year
    site = _WEBSITE.search(text)
    if site:
        result.website = _full_width_parens(site.group("site").strip())
    contact = _CONTACT.search(text)
    if contact:
        who = contact.group("who").strip()
        result.contact = _full_width_parens(who + (contact.group("paren") or ""))
    for paragraph in result.preamble:
        for edition, pattern in _NOTICES.items():
            cited = pattern.search(paragraph.text)
            if cited:
                result.notice = (edition, paragraph.where, edition.notice)


def _full_width_parens(text: str) -> str:
    """Return ``text`` with a bracket pair made full-width when one half of it already is."""
    if "（" in text or "）" in text:
        text = text.replace("(", "（").replace(")", "）")
    return text


# --- 五、六 and the end of the report -------------------------------------------------------------


_PAGE_CHROME = re.compile(
    r"^(?:[【\[]?(?:打印本页|打印|关闭窗口|关闭|返回顶部|收藏|分享到?|字号[:：]?.{0,6}|上一篇.*|下一篇.*|扫一扫.*)[】\]]?\s*)+$"
)


def _signature(paragraphs: list[Paragraph], result: Narrative) -> list[Paragraph]:
    """Remove the signature and date lines at the end; the date is the publication date.

    A web page's own links after the report (``打印本页``, ``关闭窗口``) are dropped first.
    """
    rest = list(paragraphs)
    while rest and _PAGE_CHROME.match(compact(rest[-1].text)):
        rest.pop()
    if rest and (_DATE.match(compact(rest[-1].text)) or _BLANK_DATE.match(compact(rest[-1].text))):
        found = _DATE.match(compact(rest[-1].text))
        if found:
            try:
                result.published = dt.date(*(int(part) for part in found.groups()))
            except ValueError:
                result.published = None
        rest.pop()
        if rest and len(compact(rest[-1].text)) <= 40 and "。" not in rest[-1].text:
            rest.pop()
    elif rest and result.agency and compact(rest[-1].text) == compact(result.agency):
        rest.pop()
    return rest


def _other_matters(paragraphs: list[Paragraph], result: Narrative, edition: Edition) -> None:
    if edition is Edition.E2019:
        result.other = [p.text for p in paragraphs]
        return
    for paragraph in paragraphs:
        text = paragraph.text
        facts = _fee_facts(text)
        if facts is not None:
            result.fees = {**(result.fees or {}), **facts}
            result.fee_where = result.fee_where or paragraph.where
            continue
        sub = SUB_HEADING.match(text.strip())
        if sub and len(compact(text)) <= 30 and "。" not in text:
            continue  # ``（一）收取信息处理费的情况`` and the like: a heading
        result.other.append(text)


def _fee_facts(text: str) -> dict[str, int | Decimal] | None:
    """Return the 信息处理费 figures a sentence of 六 states, or None when it states none."""
    if "处理费" not in text:
        return None
    facts: dict[str, int | Decimal] = {}
    if found := _FEE_NOTICES.search(text):
        facts[layout.FEE_NOTICES] = int(found.group(1))
    if found := _FEE_BILLED.search(text):
        facts[layout.FEE_BILLED] = Decimal(found.group(1))
    if found := _FEE_COLLECTED.search(text):
        facts[layout.FEE_COLLECTED] = Decimal(found.group(1))
    if not facts and _FEE_NONE.search(text):
        return {layout.FEE_NOTICES: 0, layout.FEE_BILLED: Decimal(0), layout.FEE_COLLECTED: Decimal(0)}
    return facts or None


# --- findings on the headings (F-2) ---------------------------------------------------------------


def _heading_findings(result: Narrative) -> list[Finding]:
    findings = []
    for part, official in enumerate(layout.PART_HEADINGS, start=1):
        heading = result.headings.get(part)
        if heading is None:
            findings.append(
                Finding(
                    "F-2",
                    W,
                    f"没有找到标题“{official}”",
                    f"报告应有六个部分，请按顺序加上“{official}”。",
                    subject=official,
                )
            )
            continue
        written = compact(heading.text)
        if written == official:
            continue
        details = []
        ordinal = _PART_ORDINAL.match(written)
        marker = compact(ordinal.group(0)) if ordinal else ""
        if marker != f"{_CN[part - 1]}、":
            details.append(f"序号应为“{_CN[part - 1]}、”")
        wording = written[len(marker) :]
        if wording != official[2:]:
            if any(wording.startswith(words) for words in _REGULATION_WORDING):
                details.append("措辞用的是《条例》第五十条的写法")
            else:
                details.append("措辞不同")
        findings.append(
            Finding(
                "F-2",
                W,
                f"与格式规定的标题“{official}”不一致（{'，'.join(details)}）",
                f"请改为“{official}”。",
                heading.where,
                subject=heading.text.strip(),
            )
        )
    return findings
