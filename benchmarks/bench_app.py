"""App speed (issue 14): from ``gaigen app`` to a usable page, and the check round trip while typing.

Run from the repository root: ``python benchmarks/bench_app.py [--rounds 300] [--starts 5]
[--bundle dist/gaigen]``. It measures, on a copy of the shipped 2024 example:

- **start**: ``gaigen app --no-browser`` as a new process, from its start to the opening URL printed
  (the server listens), and to the form page served over HTTP (token, cookie, page, script, style);
  median of ``--starts`` runs;
- **usable in a browser** (when Chromium and chromedriver are installed): from the process start to
  the form page showing its first check in headless Chromium (``document.body.dataset.checked``),
  i.e. the clerk can type and sees the problems;
- **round trip while typing**: ``--rounds`` POSTs of ``/api/check`` over HTTP, each changing one
  表三 cell as a clerk would (the server reads the form's values, runs the library's reader and every
  rule, and words each problem): median and p95, goal < 50 ms; and the same in the browser, from an
  ``input`` event to the problems shown (debounce excluded);
- with ``--bundle``: the stand-alone build's size and its start to the opening URL.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gaigen.app.form import form_for  # noqa: E402
from gaigen.spec import layout  # noqa: E402
from gaigen.spec.layout import Edition  # noqa: E402
from tests.app.running import URL, Client  # noqa: E402

EXAMPLE = ROOT / "examples" / "county-government-2024.yaml"


def start(command: list[str], folder: Path) -> tuple[subprocess.Popen[str], Client, float]:
    """Start ``command`` and return the process, its client and the seconds until it printed its URL."""
    began = time.perf_counter()
    process = subprocess.Popen(
        [*command, "app", "--no-browser", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    found = URL.search(process.stdout.readline())
    assert found, "gaigen app printed no URL"
    return process, Client(found.group(0)), time.perf_counter() - began


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.wait(20)
    if process.stdout is not None:
        process.stdout.close()


def measure_start(folder: Path, runs: int) -> dict[str, float]:
    listening, served = [], []
    for _ in range(runs):
        began = time.perf_counter()
        process, client, listen = start([sys.executable, "-c", "from gaigen.cli import run; run()"], folder)
        status, _body, _ = client.get(client.url.split(client.host, 1)[1], auth=False)
        assert status == 303
        for path in (f"/edit?file={EXAMPLE.name}", "/static/app.js", "/static/app.css"):
            assert client.get(path)[0] == 200
        served.append(time.perf_counter() - began)
        listening.append(listen)
        stop(process)
    return {"listening_s": statistics.median(listening), "form_served_s": statistics.median(served)}


def measure_round_trip(client: Client, rounds: int) -> dict[str, float]:
    form = form_for(Edition.E2021)
    cell = form.by_path[("表三", layout.NEW_REQUESTS, "自然人")].id
    times = []
    for i in range(rounds):
        began = time.perf_counter()
        status, answer = client.post("/api/check", {"file": EXAMPLE.name, "values": {cell: str(130 + i % 20)}})
        times.append((time.perf_counter() - began) * 1000)
        assert status == 200, (status, answer)
    times.sort()
    return {"median_ms": statistics.median(times), "p95_ms": times[int(len(times) * 0.95) - 1], "max_ms": times[-1]}


BROWSER_ROUND_TRIP = """
var done = arguments[arguments.length - 1], cell = document.getElementById(arguments[0]);
var before = document.body.dataset.checked, began;
var watch = new MutationObserver(function () {
  if (document.body.dataset.checked !== before) { watch.disconnect(); done(performance.now() - began); }
});
watch.observe(document.body, {attributes: true, attributeFilter: ['data-checked']});
cell.value = arguments[1];
began = performance.now();
cell.dispatchEvent(new Event('input', {bubbles: true}));
"""


def measure_browser(folder: Path, rounds: int) -> dict[str, float] | None:
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from tests.browser import CHROMIUM_FLAGS

    profile = tempfile.mkdtemp(prefix="gaigen-bench-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        driver.get("about:blank")
        began = time.perf_counter()
        process, client, _listen = start([sys.executable, "-c", "from gaigen.cli import run; run()"], folder)
        driver.get(client.url.replace("/?", f"/edit?file={EXAMPLE.name}&"))
        while driver.execute_script("return document.body.dataset.checked") is None:
            time.sleep(0.005)
        usable = time.perf_counter() - began
        cell = form_for(Edition.E2021).by_path[("表三", layout.NEW_REQUESTS, "自然人")].id
        driver.set_script_timeout(10)
        # The page debounces typing by 250 ms; measure from the check's start: fire, then wait for its answer.
        driver.execute_script("window.setTimeout = function (f) { f(); return 0; };")
        times = sorted(driver.execute_async_script(BROWSER_ROUND_TRIP, cell, str(130 + i % 20)) for i in range(rounds))
        stop(process)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return {
        "usable_in_browser_s": usable,
        "browser_median_ms": statistics.median(times),
        "browser_p95_ms": times[int(len(times) * 0.95) - 1],
    }


def measure_bundle(bundle: Path, folder: Path, runs: int) -> dict[str, Any]:
    exe = bundle / ("gaigen.exe" if (bundle / "gaigen.exe").exists() else "gaigen")
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    listening = []
    for _ in range(runs):
        process, client, listen = start([str(exe)], folder)
        assert client.get(client.url.split(client.host, 1)[1], auth=False)[0] == 303
        listening.append(listen)
        stop(process)
    return {"bundle_mb": round(size / 1e6, 1), "bundle_listening_s": statistics.median(listening)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--bundle", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        shutil.copy(EXAMPLE, folder / EXAMPLE.name)
        results: dict[str, Any] = measure_start(folder, args.starts)
        process, client, _listen = start([sys.executable, "-c", "from gaigen.cli import run; run()"], folder)
        try:
            client.get(client.url.split(client.host, 1)[1], auth=False)
            client.get(f"/edit?file={EXAMPLE.name}")
            measure_round_trip(client, 20)  # warm
            results.update(measure_round_trip(client, args.rounds))
        finally:
            stop(process)
        browser: dict[str, Any] = measure_browser(folder, min(args.rounds, 100)) or {
            "browser": "chromium not installed"
        }
        results.update(browser)
        if args.bundle is not None:
            results.update(measure_bundle(args.bundle, folder, args.starts))
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in results.items()}, indent=1))


if __name__ == "__main__":
    main()
