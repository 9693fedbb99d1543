"""Review speed (issue 15): similarity across a city's reports, and the review record over runs.

Run from the repository root: ``python benchmarks/bench_review.py [--reports 3000] [--pairs 60]``.

- Similarity: ``--reports`` generated narratives of report length (一 about 1,800 characters, 五
  about 450, 六 a line), a fifth of their sentences drawn from a pool of stock phrases every
  county uses (the LSH must not drown in them), with ``--pairs`` planted near-copies: half copy
  90 % of another report (to be found, R-2 at the default 80 %), half copy 60 % (not to be
  found). Measured: the time of ``find_pairs`` (sketching, the LSH bands, the exact score of each
  candidate pair; the one-off compiling of the anchor pattern shown apart), the planted
  pairs found and missed, and any pair found that was not planted. Then ``--template`` of the reports
  are rewritten from one template (about 5 % of the characters changed): the time, and that the
  answer is one group (links one fewer than its members), not every pair.
- The review record: 3,000 agencies through three runs of ``ReviewRecord.take`` (each with three
  problems; in runs 2 and 3 a third of the files changed, fixing one problem and adding one), then
  ``entries()``: time of each, and the size of the SQLite file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gaigen.core.problems import Problem, Severity  # noqa: E402
from gaigen.review.record import Received, open_record  # noqa: E402
from gaigen.rules.similarity import PART_NAMES, normalise  # noqa: E402

_CHARS = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]


def _sentence(rng: random.Random) -> str:
    return "".join(rng.choice(_CHARS) for _ in range(rng.randint(20, 40))) + "。"


def _narratives(count: int, pairs: int, rng: random.Random) -> tuple[list[dict[str, str]], set[tuple[int, int]]]:
    stock = [_sentence(rng) for _ in range(200)]

    def part(sentences: int) -> list[str]:
        return [rng.choice(stock) if rng.random() < 0.2 else _sentence(rng) for _ in range(sentences)]

    raw = [{"一": part(60), "五": part(15), "六": part(1)} for _ in range(count)]
    wanted: set[tuple[int, int]] = set()
    chosen = rng.sample(range(count), 2 * pairs)  # disjoint: no copy of a copy
    for number in range(pairs):
        source, copy = chosen[2 * number], chosen[2 * number + 1]
        share = 0.9 if number % 2 == 0 else 0.6
        raw[copy] = {
            name: [s if rng.random() < share else _sentence(rng) for s in sentences]
            for name, sentences in raw[source].items()
        }
        if share > 0.8:
            wanted.add((min(source, copy), max(source, copy)))
    texts = [{PART_NAMES[i]: normalise("".join(r[k])) for i, k in enumerate(("一", "五", "六"))} for r in raw]
    return texts, wanted


def bench_similarity(count: int, pairs: int, template: int) -> None:
    rng = random.Random(15)
    texts, wanted = _narratives(count, pairs, rng)
    started = time.perf_counter()
    from gaigen.review.similar import _anchor

    _anchor()  # the anchor pattern, compiled once

    imported = time.perf_counter() - started
    from gaigen.review.similar import find_pairs, sketch

    started = time.perf_counter()
    sketches = [sketch("".join(t.values())) for t in texts]
    sketching = time.perf_counter() - started
    started = time.perf_counter()
    found = find_pairs(texts, 0.8, sketches=sketches)
    seconds = time.perf_counter() - started
    got = {(min(p.first, p.second), max(p.first, p.second)) for p in found}
    length = sum(len("".join(t.values())) for t in texts) / len(texts)
    print(f"相似度：{count} 份报告（平均 {length:.0f} 字），埋入 {pairs} 对（其中 {len(wanted)} 对重复 90%）")
    print(
        f"  用时 {sketching + seconds:.2f} 秒：草图 {sketching:.2f} 秒（batch 中由工作进程各自计算），"
        f"比较 {seconds:.2f} 秒（另：首次编译锚字符模式 {imported:.2f} 秒）"
    )
    print(
        f"  找到埋入的 {len(wanted & got)}/{len(wanted)} 对，漏掉 {len(wanted - got)} 对，误报 {len(got - wanted)} 对"
    )
    for pair in found[:3]:
        print(f"  例：{pair.first} 与 {pair.second} {pair.describe(0.8)}")
    if not template:
        return
    # Many units fill in one template and change a few sentences: one group, not every pair.
    base = texts[0]
    for index in range(1, template + 1):
        texts[index] = {name: _edited(text, rng) for name, text in base.items()}
    started = time.perf_counter()
    found = find_pairs(texts, 0.8)
    seconds = time.perf_counter() - started
    joined = {p.first for p in found} | {p.second for p in found}
    print(
        f"相似度：其中 {template + 1} 份由同一模板改写（各改约 5% 的字）：用时 {seconds:.2f} 秒，"
        f"给出 {len(found)} 条关联，涉及 {len(joined & set(range(template + 1)))} 份模板报告"
    )


def _edited(text: str, rng: random.Random) -> str:
    """Return ``text`` with about one character in twenty replaced."""
    return "".join(rng.choice(_CHARS) if rng.random() < 0.05 else c for c in text)


def _problems(agency: int, version: int) -> list[Problem]:
    rules = [f"T3-{(agency + version + k) % 7}" for k in range(3)]
    return [Problem(rule, Severity.ERROR, "测试", table="表三", row=f"第{k}行") for k, rule in enumerate(rules)]


def bench_record(agencies: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        versions = [0] * agencies
        for run in range(1, 4):
            if run > 1:
                for index in range(run % 3, agencies, 3):
                    versions[index] += 1
            reports = [
                Received(f"某某市第{i}局", 2024, f"{i}.yaml", f"{i}-{versions[i]}", _problems(i, versions[i]))
                for i in range(agencies)
            ]
            started = time.perf_counter()
            with open_record(out) as record:
                changes = record.take(reports, dt.datetime(2025, 1, 20 + run))
            seconds = time.perf_counter() - started
            changed = sum(1 for c in changes if c.new_version)
            print(f"审核记录：第 {run} 次运行，{agencies} 个机关（{changed} 个有新版本），用时 {seconds:.2f} 秒")
        started = time.perf_counter()
        with open_record(out) as record:
            entries = record.entries()
        seconds = time.perf_counter() - started
        size = (out / "审核记录.sqlite").stat().st_size / 1024 / 1024
        print(f"审核记录：列出 {len(entries)} 个机关用时 {seconds:.2f} 秒；文件 {size:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=3000)
    parser.add_argument("--pairs", type=int, default=60)
    parser.add_argument("--agencies", type=int, default=3000)
    parser.add_argument("--template", type=int, default=500, help="reports rewritten from one template")
    args = parser.parse_args()
    bench_similarity(args.reports, args.pairs, args.template)
    bench_record(args.agencies)


if __name__ == "__main__":
    main()
