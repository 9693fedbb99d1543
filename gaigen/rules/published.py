"""Format checks on a published report (``gaigen check``): F-1 … F-9, declared here to be listed.

They look at what a data file does not hold — the title, the headings, the preamble, the labels
and cells as printed — so the importer (``gaigen.importing``) finds them while reading the
report, and ``gaigen.api.check`` reports them beside every rule of ``check_report``.
"""

from __future__ import annotations

from gaigen.core.problems import Severity
from gaigen.rules.base import declare

E, W = Severity.ERROR, Severity.WARNING
declare("F-1", "format-spec §3.3", W, "标题应为“机关名称 + 年度 + 政府信息公开工作年度报告”，年度与统计期限一致")
declare(
    "F-2",
    "format-spec §3.1",
    W,
    "六个部分的标题齐全、顺序正确，序号和措辞与格式一致（如“五、存在的主要问题及改进情况”）",
)
declare(
    "F-3", "format-spec §2, §8.4; DECISIONS §4 (E-1)", E, "表格的版式（按行列名判断）须与报告年度相符，各表版式一致"
)
declare("F-4", "format-spec §3.3, §8.4", W, "说明段引用的格式通知须与版式相符（2021 年度起为国办公开办函〔2021〕30号）")
declare("F-5", "format-spec §4.1–4.4, §8.5", W, "表中的行名、列名应与官方标签一致（如“社会公益组织”、全角括号）")
declare("F-6", "format-spec §3.3", W, "说明段（依据、统计期限、下载网址、联系方式）应放在“一、总体情况”之前")
declare("F-7", "format-spec §3.2", W, "“一、总体情况”五个方面的小标题序号应写作“（一）”至“（五）”")
declare("F-8", "format-spec §4.1, §5.6", W, "表中数字格应只写数字，单位写在表头（如“2个”“18.078万元”）")
declare("F-10", "format-spec §5.1; DECISIONS §17", W, "表中没有发生的事项应填 0，不应留空（空白格按 0 计）")
declare("F-9", "format-spec §8.5, §8.7", W, "报告中不应有网页或 Word 残留（书签、标记、乱码），也不应是繁体字")
