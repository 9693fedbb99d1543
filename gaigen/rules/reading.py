"""Rules enforced while the file is read (keys and value types); declared here to be listed."""

from __future__ import annotations

from gaigen.core.problems import Severity
from gaigen.rules.base import declare
from gaigen.spec.layout import Edition

E = Severity.ERROR
declare("K-1", "DECISIONS §6", E, "数据文件中不能有不认识的键（多为错别字，数据会丢失）")
declare("K-2", "DECISIONS §6", E, "同一项不能写两次（如正式名称和简称各写一次）")
declare("E-1", "format-spec §2, §8.4; DECISIONS §4", E, "版式须与年度相符，且不能使用另一版式的行或列")
declare("T2-1", "format-spec §5.3", E, "表二（2021 版）各数量为不小于 0 的整数", (Edition.E2021,))
declare("T2o-1", "format-spec §5.4", E, "表二（2019 版）各数量为不小于 0 的整数，本年增/减为整数", (Edition.E2019,))
declare("T3-4", "format-spec §5.1", E, "表三各格为不小于 0 的整数")
declare("T4-4", "format-spec §5.2", E, "表四各格为不小于 0 的整数")
