"""Files in and out: safe reading of data files (YAML, JSON, workbooks), atomic writing, OOXML zips.

Imports only ``gaigen.core`` and ``gaigen.spec``.
"""
