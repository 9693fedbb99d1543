"""``gaigen app``: the report as a form in the browser, served on this computer only.

A thin skin like the command line: the pages call the library (``gaigen.api``, ``gaigen.files``,
``gaigen.importing``, ``gaigen.batch``) and add no rules of their own. ``server`` starts it,
``security`` guards every request, ``workspace`` limits it to the opened file or folder, ``form``
lays out the fields from the spec, ``store`` opens, drafts and saves, ``routes`` and ``actions``
answer the browser.
"""

from gaigen.app.server import serve

__all__ = ["serve"]
