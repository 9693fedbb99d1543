"""The end of a batch: the parent settles the reports and prepares the summary while the workers
write the letters, and writes nothing of the summary before the letters are done."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

from gaigen import batch
from gaigen.batch.pool import Pool, Stop
from gaigen.batch.summary import SummaryWriter
from gaigen.batch.worker import process_file
from tests.county import agency_file, copied, narrative

SUMMARY = ("汇总.xlsx", "汇总.csv", "汇总.html", "数据明细.csv", "数据明细.json")


def test_the_parent_takes_a_step_of_its_own_each_time_it_would_wait(tmp_path: Path) -> None:
    for seed in range(5):
        agency_file(tmp_path, f"{seed}.yaml", seed)
    steps: list[int] = []

    def meanwhile() -> Iterator[None]:
        for number in range(3):
            steps.append(number)
            yield

    pool = Pool(1, process_file, 60.0, Stop())
    replies: list[object] = []
    failures: list[str] = []
    try:
        pool.run(
            [("identify", p) for p in sorted(tmp_path.glob("*.yaml"))],
            lambda _task, reply: replies.append(reply),
            lambda _task, why: failures.append(why),
            meanwhile(),
        )
    finally:
        pool.close()
    # Five tasks, two at a time at one worker: at least three rounds, a step in each.
    assert steps == [0, 1, 2] and len(replies) == 5 and failures == []


def test_the_summary_is_written_only_when_it_is_finished(tmp_path: Path) -> None:
    rng = random.Random(4)
    own = narrative(rng)
    agency_file(tmp_path / "in", "a.yaml", 1, own, agency="某某县甲局")
    agency_file(tmp_path / "in", "b.yaml", 2, copied(own, 1.0, rng), agency="某某县乙局")
    result = batch.run_batch([tmp_path / "in"], tmp_path / "out", jobs=1)
    assert len(result.letters) == 2  # the two copies each get a letter
    again = tmp_path / "again"
    again.mkdir()
    for each in result.files:
        each.export = None  # its rows were spooled in the staging folder, gone with the batch
    writer = SummaryWriter(result, again / "汇总.xlsx", again / "汇总.csv")
    for _step in writer.prepare():
        pass
    assert list(again.iterdir()) == []
    result.notes.append("某某县乙局：退回意见未能写出（磁盘已满）。")  # what a letter may add after
    written = writer.finish()
    assert sorted(p.name for p in written) == sorted(SUMMARY)
    assert "磁盘已满" in (again / "汇总.html").read_text(encoding="utf-8")


def test_a_shrunk_pool_ends_its_idle_workers_and_starts_no_new_one(tmp_path: Path) -> None:
    for seed in range(4):
        agency_file(tmp_path, f"{seed}.yaml", seed)
    pool = Pool(2, process_file, 60.0, Stop())
    tasks = [("identify", p) for p in sorted(tmp_path.glob("*.yaml"))]
    try:
        pool.run(tasks, lambda _task, _reply: None, lambda _task, _why: None)
        assert len(pool.workers) == 2
        processes = [w.process for w in pool.workers]
        pool.shrink(1)
        assert len(pool.workers) == 1 and [p.is_alive() for p in processes].count(True) == 1
        replies: list[object] = []
        pool.run(tasks, lambda _task, reply: replies.append(reply), lambda _task, _why: None)
        assert len(replies) == 4 and len(pool.workers) == 1
    finally:
        pool.close()
