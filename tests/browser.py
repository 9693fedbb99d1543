"""A real browser for the tests: Debian's Chromium through selenium (DECISIONS §11), and the rule for
tools that are missing (skip on a developer's machine, fail under CI: DECISIONS §16)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Flags for Debian's chromium, as root, with nothing reaching the network.
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)


def missing(what: str, how: str) -> None:
    """Skip on a developer's machine; fail under CI, which must run every test (DECISIONS §16)."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing under CI; scripts/test.sh installs it ({how})")
    pytest.skip(f"{what} is not installed ({how})")


@contextlib.contextmanager
def chromium(window: str, prefs: dict[str, Any] | None = None) -> Iterator[Any]:
    """Yield a headless Chromium driven by selenium, with a fresh profile removed afterwards."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing("selenium", "pip install -e .[test]")
    binary = shutil.which("chromium") or "/usr/bin/chromium"
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not (Path(binary).exists() and Path(driver_path).exists()):
        missing("chromium and chromium-driver", "apt-get install chromium chromium-driver")
    profile = tempfile.mkdtemp(prefix="gaigen-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={window}"):
        options.add_argument(flag)
    if prefs:
        options.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
