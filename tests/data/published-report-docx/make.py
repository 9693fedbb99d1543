"""A published Word report given to validate by mistake (a minimal .docx: a zip with document.xml)."""

import zipfile

with zipfile.ZipFile("2024年某某局政府信息公开工作年度报告.docx", "w") as archive:
    archive.writestr("word/document.xml", "<w:document/>")
