"""Write the bad-input fixture folders of ``test_cli_bad_input.py`` under ``tests/data/``.

Run ``python tests/make_cli_fixtures.py`` from the repository root after changing a case, then
``GAIGEN_REGENERATE=1 pytest tests/cli/test_cli_bad_input.py`` to write each ``expected.txt``, and
read every regenerated message before committing it.

Every data file starts from what ``gaigen init`` writes (2024 and 2020), with the ``【待填写】``
placeholders replaced by plain sentences and 发布日期 filled in, so that it validates cleanly;
each case then changes one thing, and its ``expected.txt`` pins the complete message list.

A case folder holds the input file(s), ``args.txt`` (the command line, one argument a line; the
default is ``validate`` and the one input file), optionally ``make.py`` (run in the copy of the
folder before the command, for inputs that cannot be committed: a file over the size cap, an
empty folder) and ``expected.txt`` (first line the exit code, then stdout followed by stderr).
"""

from __future__ import annotations

import codecs
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from gaigen.api.reports import init_data_file

DATA = Path(__file__).parent / "data"
AGENCY = "测试局"

_FILLED = {
    "主动公开": "本年度通过门户网站和政务新媒体主动公开政府信息，重点公开预决算和重大项目信息。",
    "依申请公开": "本年度依法办理政府信息公开申请，均在法定期限内答复。",
    "政府信息管理": "落实发布前保密审查和动态调整制度，及时清理规范性文件。",
    "平台建设": "持续优化门户网站政府信息公开专栏，提升检索和下载功能。",
    "监督保障": "将政府信息公开工作纳入年度考核，组织业务培训。",
    "五、存在的主要问题及改进情况": "主要问题是部分栏目更新不够及时；下一步将建立栏目更新台账，按月检查。",
}


def base(year: int) -> str:
    """Return the ``gaigen init`` text for ``year``, filled in so that it validates cleanly."""
    text = init_data_file(year, AGENCY)
    lines = text.splitlines()
    out = []
    key = None
    for line in lines:
        stripped = line.strip()
        if stripped.endswith(": |-"):
            key = stripped[: -len(": |-")]
        if "【待填写】" in line and not stripped.startswith("#"):
            indent = line[: len(line) - len(line.lstrip())]
            line = indent + _FILLED[key or ""]
        out.append(line)
    text = "\n".join(out) + "\n"
    text = replace_once(text, f"# 发布日期: {year + 1}-01-20  #", f"发布日期: {year + 1}-01-20  #")
    assert all("【待填写】" not in line for line in text.splitlines() if not line.startswith("#"))
    return text


def replace_once(text: str, old: str, new: str) -> str:
    """Return ``text`` with ``old`` (which must occur exactly once) replaced by ``new``."""
    count = text.count(old)
    if count != 1:
        raise ValueError(f"{old!r} occurs {count} times")
    return text.replace(old, new)


def as_json(text: str) -> str:
    """Return the YAML data file ``text`` as an equivalent JSON data file."""
    return json.dumps(yaml.safe_load(text), ensure_ascii=False, indent=2, default=str) + "\n"


B24 = base(2024)
B20 = base(2020)

ROW_2024 = "  行政许可: {本年处理决定数量: 0}\n"
APPLICANTS = "{自然人: 0, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0}"
NEW_ROW = f"  一、本年新收政府信息公开申请数量: {APPLICANTS}\n"
REVIEW_ROW = "  行政复议: {结果维持: 0, 结果纠正: 0, 其他结果: 0, 尚未审结: 0}\n"
MONEY_ROW = "  行政事业性收费: {本年收费金额（单位：万元）: 0}\n"


def cell_2024(row: str, column: str, value: str) -> str:
    """Return the 2024 base with one ``column: 0`` cell of ``row`` (a whole line) set to ``value``."""
    assert f"{column}: 0" in row, (row, column)
    return replace_once(B24, row, row.replace(f"{column}: 0", f"{column}: {value}", 1))


BILLION_LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""

OVER_CAP = '''\
"""Write a data file just over gaigen's 2 MB cap (not committed: it is generated here)."""

from pathlib import Path

head = Path("base.yaml").read_bytes()
filler = b"# " + "填充".encode() * 40 + b"\\n"
body = head + filler * ((2 * 1024 * 1024 - len(head)) // len(filler) + 2)
assert len(body) > 2 * 1024 * 1024
Path("big.yaml").write_bytes(body)
Path("base.yaml").unlink()
'''

MAKE_DIRECTORY = '''\
"""Make an empty folder named like a data file (git keeps no empty folders)."""

from pathlib import Path

Path("报告.yaml").mkdir()
'''

DEEP_NESTING = '''\
"""Write a data file nested 100 000 levels deep (200 KB, well under the size cap)."""

from pathlib import Path

Path("data.yaml").write_text("机关名称: " + "[" * 100_000 + "]" * 100_000 + "\\n", encoding="utf-8")
'''

NARRATIVE_TEMPLATE = "本年度收到意见{{ 7*7 }}条，<w:t>标签</w:t>与{% for x in y %}循环{% endfor %}均按原文保留。"

Case = tuple[dict[str, bytes], list[str] | None]


def text_case(name: str, text: str) -> Case:
    return {name: text.encode("utf-8")}, None


MAKE_PUBLISHED_DOCX = '''"""A published Word report given to validate by mistake (a minimal .docx: a zip with document.xml)."""

import zipfile

with zipfile.ZipFile("2024年某某局政府信息公开工作年度报告.docx", "w") as archive:
    archive.writestr("word/document.xml", "<w:document/>")
'''

CASES: dict[str, Callable[[], Case]] = {
    # --- the file cannot be read as YAML or JSON: exit 2 ---------------------------------------
    "yaml-unclosed-bracket": lambda: text_case(
        "data.yaml", replace_once(B24, ROW_2024, "  行政许可: {本年处理决定数量: 0\n")
    ),
    "yaml-unclosed-sequence": lambda: text_case(
        "data.yaml", replace_once(B24, "机关名称: 测试局\n", "机关名称: [测试局, 办公室\n")
    ),
    "json-trailing-comma": lambda: text_case(
        "data.json",
        replace_once(as_json(B24), '"尚未审结": 0\n    },\n    "行政诉讼"', '"尚未审结": 0,\n    },\n    "行政诉讼"'),
    ),
    "yaml-tag-python-object": lambda: text_case(
        "data.yaml", replace_once(B24, "机关名称: 测试局\n", '机关名称: !!python/object/apply:os.system ["echo hi"]\n')
    ),
    "yaml-tag-binary": lambda: text_case(
        "data.yaml", replace_once(B24, "机关名称: 测试局\n", "机关名称: !!binary 5rWL6K+V5bGA\n")
    ),
    "yaml-tab-indent": lambda: text_case("data.yaml", replace_once(B24, ROW_2024, "\t" + ROW_2024.lstrip())),
    "yaml-fullwidth-colon": lambda: text_case("data.yaml", replace_once(B24, "级别: 部门  #", "级别：部门  #")),
    "yaml-unclosed-quote": lambda: text_case(
        "data.yaml", replace_once(B24, "机关名称: 测试局\n", '机关名称: "测试局\n')
    ),
    "yaml-multi-document": lambda: text_case("data.yaml", B24 + "---\n机关名称: 测试局\n"),
    "yaml-merge-key": lambda: text_case(
        "data.yaml",
        replace_once(B24, REVIEW_ROW, "  行政复议: {<<: {结果维持: 0}, 结果纠正: 0, 其他结果: 0, 尚未审结: 0}\n"),
    ),
    "yaml-alias-bomb": lambda: text_case("data.yaml", BILLION_LAUGHS),
    "yaml-alias-in-data": lambda: text_case(
        "data.yaml",
        replace_once(
            replace_once(B24, REVIEW_ROW, "  行政复议: &zero {结果维持: 0, 结果纠正: 0, 其他结果: 0, 尚未审结: 0}\n"),
            "    未经复议直接起诉: {结果维持: 0, 结果纠正: 0, 其他结果: 0, 尚未审结: 0}\n",
            "    未经复议直接起诉: *zero\n",
        ),
    ),
    "yaml-deep-nesting": lambda: text_case("data.yaml", "机关名称: " + "[" * 100 + "]" * 100 + "\n"),
    "yaml-very-deep-nesting": lambda: text_case("data.yaml", "机关名称: " + "[" * 5000 + "]" * 5000 + "\n"),
    "yaml-nesting-stack-overflow": lambda: ({"make.py": DEEP_NESTING.encode("utf-8")}, ["validate", "data.yaml"]),
    "json-deep-nesting": lambda: text_case("data.json", '{"机关名称": ' + "[" * 5000 + "]" * 5000 + "}\n"),
    "duplicate-key-top": lambda: text_case("data.yaml", replace_once(B24, "年度: 2024\n", "年度: 2024\n年度: 2023\n")),
    "duplicate-key-table3-row": lambda: text_case("data.yaml", replace_once(B24, NEW_ROW, NEW_ROW + NEW_ROW)),
    "duplicate-key-table3-cell": lambda: text_case(
        "data.yaml", replace_once(B24, NEW_ROW, NEW_ROW.replace("{自然人: 0,", "{自然人: 0, 自然人: 3,"))
    ),
    "file-over-size-cap": lambda: (
        {"base.yaml": B24.encode("utf-8"), "make.py": OVER_CAP.encode("utf-8")},
        ["validate", "big.yaml"],
    ),
    "file-empty": lambda: ({"data.yaml": b""}, None),
    "file-only-comments": lambda: text_case(
        "data.yaml", "# 2024年测试局政府信息公开工作年度报告 数据文件\n# 尚未填写\n"
    ),
    "top-level-list": lambda: text_case("data.yaml", "- 机关名称: 测试局\n- 年度: 2024\n"),
    "top-level-scalar": lambda: text_case("data.yaml", "测试局2024年度报告\n"),
    "top-level-json-list": lambda: text_case("data.json", '[{"机关名称": "测试局"}]\n'),
    "file-missing": lambda: ({}, ["validate", "不存在.yaml"]),
    "file-is-directory": lambda: ({"make.py": MAKE_DIRECTORY.encode("utf-8")}, ["validate", "报告.yaml"]),
    "encoding-undecodable": lambda: (
        {"data.yaml": B24.encode("utf-8").replace("测试局".encode(), b"\xff\xfe\x80", 1)},
        None,
    ),
    "encoding-utf16-bad-bytes": lambda: (
        {"data.yaml": codecs.BOM_UTF16_LE + "机关名称".encode("utf-16-le") + b"\x00\xd8"},
        None,
    ),
    # --- accepted: same result as the UTF-8 file --------------------------------------------------
    "encoding-gbk": lambda: ({"data.yaml": B24.encode("gbk")}, None),
    "encoding-gb18030-2020": lambda: ({"data.yaml": B20.encode("gb18030")}, None),
    "encoding-gbk-with-error": lambda: ({"data.yaml": cell_2024(REVIEW_ROW, "结果纠正", "-1").encode("gbk")}, None),
    "encoding-utf16-with-error": lambda: (
        {"data.yaml": cell_2024(REVIEW_ROW, "结果纠正", "-1").encode("utf-16")},
        None,
    ),
    "encoding-utf8-bom": lambda: ({"data.yaml": codecs.BOM_UTF8 + B24.encode("utf-8")}, None),
    "encoding-utf16-bom": lambda: ({"data.yaml": B24.encode("utf-16")}, None),
    "encoding-utf16-be-bom": lambda: ({"data.yaml": codecs.BOM_UTF16_BE + B24.encode("utf-16-be")}, None),
    "json-valid": lambda: text_case("data.json", as_json(B24)),
    "template-syntax-in-text": lambda: text_case(
        "data.yaml", replace_once(B24, _FILLED["主动公开"], NARRATIVE_TEMPLATE)
    ),
    "template-syntax-in-name": lambda: text_case(
        "data.yaml", replace_once(B24, "机关名称: 测试局\n", '机关名称: "{{ 7*7 }}<w:t>测试局</w:t>{% for %}"\n')
    ),
    "odd-file-name": lambda: (
        {"-2024年 测试局 (终稿).yaml": B24.encode("utf-8")},
        ["validate", "--", "-2024年 测试局 (终稿).yaml"],
    ),
    "valid-2020": lambda: text_case("data.yaml", B20),
    "valid-2024": lambda: text_case("data.yaml", B24),
    # --- counts: strict integers ≥ 0 ---------------------------------------------------------------
    "count-true": lambda: text_case("data.yaml", cell_2024(ROW_2024, "本年处理决定数量", "true")),
    "count-decimal-12.0": lambda: text_case("data.yaml", cell_2024(NEW_ROW, "自然人", "12.0")),
    "count-quoted-12": lambda: text_case("data.yaml", cell_2024(NEW_ROW, "商业企业", '"12"')),
    "count-negative": lambda: text_case("data.yaml", cell_2024(REVIEW_ROW, "结果纠正", "-1")),
    "count-fullwidth-digits": lambda: text_case("data.yaml", cell_2024(NEW_ROW, "科研机构", "１２")),
    "count-with-unit": lambda: text_case("data.yaml", cell_2024(ROW_2024, "本年处理决定数量", "2个")),
    "count-null": lambda: text_case("data.yaml", cell_2024(REVIEW_ROW, "尚未审结", "null")),
    "count-empty": lambda: text_case(
        "data.yaml", replace_once(B24, "    复议后起诉: {结果维持: 0,", "    复议后起诉: {结果维持: ,")
    ),
    "count-tilde-null-table3": lambda: text_case("data.yaml", cell_2024(NEW_ROW, "其他", "~")),
    # --- money: Decimal ≥ 0 from the text as written ----------------------------------------------
    "money-quoted": lambda: text_case("data.yaml", cell_2024(MONEY_ROW, "本年收费金额（单位：万元）", '"12.5"')),
    "money-negative": lambda: text_case("data.yaml", cell_2024(MONEY_ROW, "本年收费金额（单位：万元）", "-1")),
    "money-exponent": lambda: text_case("data.yaml", cell_2024(MONEY_ROW, "本年收费金额（单位：万元）", "1e3")),
    "money-exponent-signed": lambda: text_case(
        "data.yaml", cell_2024(MONEY_ROW, "本年收费金额（单位：万元）", "1.5e+3")
    ),
    "money-exponent-json": lambda: text_case(
        "data.json", replace_once(as_json(B24), '"本年收费金额（单位：万元）": 0', '"本年收费金额（单位：万元）": 1e3')
    ),
    "money-null": lambda: text_case("data.yaml", cell_2024(MONEY_ROW, "本年收费金额（单位：万元）", "null")),
    "fee-amount-empty": lambda: text_case(
        "data.yaml", replace_once(B24, "收费通知总金额（元）: 0  #", "收费通知总金额（元）:  #")
    ),
    # --- keys ---------------------------------------------------------------------------------
    "unknown-key-did-you-mean": lambda: text_case(
        "data.yaml", replace_once(B24, REVIEW_ROW, REVIEW_ROW.replace("其他结果", "其它结果"))
    ),
    "other-edition-row-2024": lambda: text_case(
        "data.yaml",
        replace_once(
            B24,
            "  行政规范性文件: {本年制发件数: 0, 本年废止件数: 0, 现行有效件数: 0}\n",
            "  行政规范性文件: {本年制发件数: 0, 本年废止件数: 0, 现行有效件数: 0}\n"
            "  规范性文件: {本年新制作数量: 0, 本年新公开数量: 0, 对外公开总数量: 0}\n",
        ),
    ),
    "other-edition-column-2020": lambda: text_case(
        "data.yaml",
        replace_once(
            B20,
            "  规章: {本年新制作数量: 0, 本年新公开数量: 0, 对外公开总数量: 0}\n",
            "  规章: {本年新制作数量: 0, 本年新公开数量: 0, 对外公开总数量: 0, 本年制发件数: 0}\n",
        ),
    ),
    # --- render refuses the same inputs and writes nothing ------------------------------------------
    "render-yaml-tag": lambda: (
        {
            "data.yaml": replace_once(
                B24, "机关名称: 测试局\n", '机关名称: !!python/object/apply:os.system ["echo hi"]\n'
            ).encode()
        },
        ["render", "data.yaml"],
    ),
    "render-content-error": lambda: (
        {"data.yaml": cell_2024(REVIEW_ROW, "结果纠正", "-1").encode()},
        ["render", "data.yaml"],
    ),
    # --- a file that is not a data file -----------------------------------------------------------
    "published-report-docx": lambda: (
        {"make.py": MAKE_PUBLISHED_DOCX.encode("utf-8")},
        ["validate", "2024年某某局政府信息公开工作年度报告.docx"],
    ),
    "published-report-pdf": lambda: (
        {"2023年年度报告.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"},
        ["validate", "2023年年度报告.pdf"],
    ),
    "summary-csv-given": lambda: (
        {"汇总.csv": "\ufeff文件,机关名称,年度\na.yaml,某某局,2024\n".encode()},
        ["render", "汇总.csv"],
    ),
    # --- metadata -------------------------------------------------------------------------------
    "edition-2019-year-2024": lambda: text_case("data.yaml", replace_once(B24, "版式: 2021\n", "版式: 2019\n")),
    "year-2018": lambda: text_case("data.yaml", replace_once(B24, "年度: 2024\n", "年度: 2018\n")),
    "year-empty": lambda: text_case("data.yaml", replace_once(B24, "年度: 2024\n", "年度:\n")),
    "year-quoted": lambda: text_case("data.yaml", replace_once(B24, "年度: 2024\n", '年度: "2024"\n')),
    "year-with-suffix": lambda: text_case("data.yaml", replace_once(B24, "年度: 2024\n", "年度: 2024年\n")),
    "level-unknown": lambda: text_case("data.yaml", replace_once(B24, "级别: 部门  #", "级别: 局  #")),
    "date-invalid": lambda: text_case(
        "data.yaml", replace_once(B24, "发布日期: 2025-01-20  #", "发布日期: 2025-13-45  #")
    ),
    # --- issue 17: the holes an adversarial corpus found ----------------------------------------
    "meta-agency-spaces": lambda: text_case("data.yaml", replace_once(B24, "机关名称: 测试局\n", '机关名称: "   "\n')),
    "number-too-long-count": lambda: text_case("data.yaml", cell_2024(NEW_ROW, "自然人", "9" * 5000)),
    "number-too-long-year": lambda: text_case("data.yaml", replace_once(B24, "年度: 2024\n", f"年度: {'9' * 5000}\n")),
    "number-too-long-date": lambda: text_case(
        "data.yaml", replace_once(B24, "发布日期: 2025-01-20  #", f"发布日期: {'2' * 5000}  #")
    ),
    "number-too-long-json": lambda: text_case(
        "data.json", replace_once(as_json(B24), '"年度": 2024', f'"年度": {"1" * 5000}')
    ),
    "money-huge-exponent": lambda: text_case("data.yaml", cell_2024(MONEY_ROW, "本年收费金额（单位：万元）", "1e400")),
    "money-huge-exponent-json": lambda: text_case(
        "data.json",
        replace_once(as_json(B24), '"本年收费金额（单位：万元）": 0', '"本年收费金额（单位：万元）": 1e400'),
    ),
    "count-float-tag": lambda: text_case("data.yaml", cell_2024(ROW_2024, "本年处理决定数量", "!!float 12")),
    "edition-with-suffix": lambda: text_case("data.yaml", replace_once(B24, "版式: 2021\n", '版式: "2021版"\n')),
    "json-del-character": lambda: text_case("data.json", replace_once(as_json(B24), "按月检查。", "按月检查。\u007f")),
    "yaml-control-character": lambda: text_case("data.yaml", replace_once(B24, "按月检查。", "按月检查。\u007f")),
    "yaml-fullwidth-comma": lambda: text_case(
        "data.yaml", replace_once(B24, REVIEW_ROW, REVIEW_ROW.replace("结果维持: 0,", "结果维持: 0，"))
    ),
    "output-exists-render": lambda: (
        {"data.yaml": B24.encode("utf-8"), "报告/2024年测试局政府信息公开工作年度报告.docx": b"a clerk's own report"},
        ["render", "data.yaml", "-o", "报告"],
    ),
    "output-exists-batch-summary": lambda: (
        {"data.yaml": B24.encode("utf-8"), "汇总.xlsx": b"a clerk's own summary"},
        ["batch", "data.yaml", "-o", "输出", "--summary", "汇总.xlsx"],
    ),
    "usage-option-after-double-dash": lambda: (
        {"-x.yaml": B24.encode("utf-8")},
        ["render", "--", "-x.yaml", "-o", "输出"],
    ),
}


def write(case: str) -> None:
    """Write the input files of ``case`` into its folder, keeping an existing ``expected.txt``."""
    files, args = CASES[case]()
    folder = DATA / case
    expected = (folder / "expected.txt").read_bytes() if (folder / "expected.txt").exists() else None
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    if args is not None:
        (folder / "args.txt").write_text("\n".join(args) + "\n", encoding="utf-8")
    # A new case gets a stub that fails until ``GAIGEN_REGENERATE=1 pytest`` writes the output.
    (folder / "expected.txt").write_bytes(expected if expected is not None else b"?\n")


def main(names: list[str]) -> None:
    for case in names or sorted(CASES):
        write(case)


if __name__ == "__main__":
    main(sys.argv[1:])
