"""What the app may touch: the one file or the one folder it was opened on, nothing else.

Every file name that comes from the browser goes through ``Workspace.resolve``: a name relative to
the folder, with a data-file suffix, that stays inside the folder once symbolic links are followed
(and, for an app opened on one file, is that file). Anything else is refused before any disk access.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gaigen.core.errors import GaigenError
from gaigen.files.inputs import DATA_SUFFIXES, collect_inputs

OUTPUT_FOLDER = "报告"  # where "render all" writes, inside the folder


class Refused(GaigenError):
    """Raised when the browser names a file outside what the app was opened on (HTTP 403)."""

    exit_code = 2


@dataclass(frozen=True)
class Workspace:
    """The folder the app serves, and the one file when it was opened on a file."""

    root: Path
    single: Path | None = None

    @classmethod
    def open(cls, target: Path | None) -> Workspace:
        """Return the workspace of ``gaigen app [target]``: a file, a folder, or the current folder."""
        if target is None:
            return cls(Path.cwd().resolve())
        resolved = target.resolve()
        if resolved.is_dir():
            return cls(resolved)
        return cls(resolved.parent, resolved)

    @property
    def is_folder(self) -> bool:
        return self.single is None

    def name_of(self, path: Path) -> str:
        """Return the name the browser uses for ``path``: relative to the folder, with ``/``."""
        return path.resolve().relative_to(self.root).as_posix()

    def resolve(self, name: str, must_exist: bool = True) -> Path:
        """Return the path of the data file ``name``; raise ``Refused`` for anything else."""
        if not name or "\x00" in name or "\\" in name or len(name) > 1024:
            raise Refused("文件名不合规。")
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts or pure.suffix.lower() not in DATA_SUFFIXES:
            raise Refused(f"“{name}”不是本文件夹中的数据文件，不能打开。")
        path = (self.root / pure).resolve()
        if not path.is_relative_to(self.root) or (self.single is not None and path != self.single):
            raise Refused(f"“{name}”不在打开的文件夹中，不能读写。")
        if must_exist and not path.is_file():
            raise Refused(f"“{name}”不存在。")
        return path

    def files(self) -> list[str]:
        """Return the names of the data files and workbooks in the folder (subfolders too), sorted."""
        if self.single is not None:
            return [self.name_of(self.single)]
        found, _notes = collect_inputs([self.root], exclude=[self.root / OUTPUT_FOLDER])
        names = []
        for path in found:
            try:
                names.append(self.name_of(path))
            except ValueError:  # a link that leads out of the folder
                continue
        return [n for n in names if not PurePosixPath(n).name.startswith("~$")]
