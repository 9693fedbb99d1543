"""gaigen: author the 政府信息公开工作年度报告 from a data file, checked against the official format."""

__version__ = "0.1.0"
