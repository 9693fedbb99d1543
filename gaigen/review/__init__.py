"""The county office's review (issue 15): what evaluators score across many reports, the review
record kept between runs, the letters and annotated workbooks sent back, and the county at a glance.

Between the library functions (``gaigen.api``) and ``gaigen.batch``: it works on plain digests of
reports, so it never needs a worker's ``Report`` object, and never prints.
"""
