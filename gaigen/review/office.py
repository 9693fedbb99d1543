"""What the office does between runs: list the record, return a report with a note, accept one.

``gaigen review`` is a thin skin over these functions. Returning a report (re)writes its return
letter with the office's note, from the problems the record holds for its latest version.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gaigen.core.errors import UsageError
from gaigen.core.settings import DEFAULT_SETTINGS, Settings
from gaigen.files.output import write_atomic
from gaigen.review.letters import LETTERS_FOLDER, Letter, letter_docx, letter_name
from gaigen.review.record import ACCEPTED, RETURNED, Entry, open_record


def listing(out_dir: Path) -> list[Entry]:
    """Return every agency in the review record of ``out_dir``.

    Raise ``UsageError`` when the folder has no record (no batch was run there).
    """
    with open_record(out_dir, create=False) as record:
        return record.entries()


def set_state(
    out_dir: Path,
    agency: str,
    state: str,
    note: str = "",
    year: int | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    now: dt.datetime | None = None,
) -> tuple[Entry, Path | None]:
    """Set an agency's state to 退回 or 通过 with the office's note; return its entry and the letter written.

    Returning a report writes its return letter (with the note) into ``退回意见``. Raise
    ``UsageError`` for an unknown agency or year, or a state other than 退回 and 通过.
    """
    if state not in (RETURNED, ACCEPTED):
        raise UsageError(f"审核状态只能设为“{RETURNED}”或“{ACCEPTED}”。")
    when = now or dt.datetime.now()
    name = " ".join(agency.split())
    with open_record(out_dir, create=False) as record:
        name, chosen = record.set_state(name, year, state, note.strip(), when)
        entry = record.entry(name, chosen)
        problems = record.latest_problems(name, chosen)
    assert entry is not None
    if state != RETURNED:
        return entry, None
    target = out_dir / LETTERS_FOLDER / letter_name(name, chosen)
    target.parent.mkdir(exist_ok=True)
    letter = Letter(name, chosen, problems, note.strip(), settings.office, when.date())
    write_atomic(target, letter_docx(letter))
    return entry, target
