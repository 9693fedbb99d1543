"""Entry point of the stand-alone build (PyInstaller): ``gaigen …`` as usual; with no arguments
(double-clicked), ``gaigen app`` on the folder it was started in."""

from __future__ import annotations

import multiprocessing
import sys

from gaigen.cli import run

if __name__ == "__main__":
    multiprocessing.freeze_support()  # gaigen batch's worker processes in a frozen program
    if len(sys.argv) == 1:
        sys.argv.append("app")
    run()
