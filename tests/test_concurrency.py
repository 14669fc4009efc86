"""Writers in separate processes: concurrent ingests both land; a killed writer harms nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from deltalake.exceptions import CommitFailedError, DeltaError
from synthetic_datasets import PIPELINE_VERSION, make_datasets, sha_of

from csrextract import contract, read_dataset, storage
from csrextract.errors import StageError

TESTS_DIR = Path(__file__).parent

WRITER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {tests_dir!r})
    from synthetic_datasets import make_datasets, sha_of, PIPELINE_VERSION
    from csrextract import storage

    output, company, year, rounds, start = sys.argv[1:6]
    while time.time() < float(start):  # both writers begin together: creation races too
        time.sleep(0.001)
    for r in range(int(rounds)):
        frames = make_datasets(company, int(year), run_id=f"{{company}}-{{r}}")
        storage.write_report(
            frames, output, report_id=f"{{company}}-{{year}}",
            source_sha256=sha_of(company + year), run_id=f"{{company}}-{{r}}",
            pipeline_version=PIPELINE_VERSION, force=True,
        )
    print("done", flush=True)
    """
)

STALLED_WRITER = textwrap.dedent(
    """
    import sys, time
    import pyarrow as pa
    sys.path.insert(0, {tests_dir!r})
    from synthetic_datasets import make_datasets, sha_of, PIPELINE_VERSION
    from csrextract import storage

    output, stall_in = sys.argv[1:3]
    real_write = storage.write_deltalake

    def stalling_write(target, data, **kwargs):
        # Feed the writer batch by batch and stop for good in the middle of one dataset:
        # Parquet data is being written, the commit has not happened.
        name = getattr(target, "table_uri", str(target)).rstrip("/").rsplit("/", 1)[-1]
        if name != stall_in:
            return real_write(target, data, **kwargs)
        def batches():
            for i, batch in enumerate(data.to_batches(max_chunksize=2)):
                if i == 1:
                    print("mid-write", flush=True)
                    time.sleep(600)
                yield batch
        reader = pa.RecordBatchReader.from_batches(data.schema, batches())
        return real_write(target, reader, **kwargs)

    storage.write_deltalake = stalling_write
    frames = make_datasets(sha=sha_of("edited"), run_id="killed-run")
    frames["metrics"]["value"] = -1.0
    frames["sdg_responses"]["response"] = "改写"
    storage.write_report(
        frames, output, report_id="bytedance-2021", source_sha256=sha_of("edited"),
        run_id="killed-run", pipeline_version=PIPELINE_VERSION, replace=True,
    )
    print("finished", flush=True)
    """
)


def _child_env() -> dict[str, str]:
    src = str(TESTS_DIR.parent / "src")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}


def _script(template: str) -> str:
    return template.format(tests_dir=str(TESTS_DIR))


def test_two_processes_writing_different_reports_both_land(tmp_path: Path) -> None:
    start = str(time.time() + 2.0)  # after both interpreters have imported everything
    rounds = "2"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _script(WRITER), str(tmp_path), company, year, rounds, start],
            env=_child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for company, year in (("bytedance", "2021"), ("tencent", "2022"))
    ]
    outputs = [p.communicate(timeout=120) for p in procs]

    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "done" in out
    for name in contract.DATASETS:
        rows = read_dataset(name, output=tmp_path)
        expected = {"bytedance-2021", "tencent-2022"}
        assert set(rows["report_id"]) == expected, name
        per_report = rows.groupby("report_id").size().to_dict()
        single = {
            rid: len(make_datasets(rid.split("-")[0], int(rid.split("-")[1]))[name])
            for rid in expected
        }
        assert per_report == single, name  # replaced each round, never duplicated
        assert storage.current_version(name, tmp_path) == 2 * int(rounds) - 1


def test_a_writer_killed_mid_write_leaves_readable_tables(tmp_path: Path) -> None:
    original = make_datasets()
    storage.write_report(
        original,
        tmp_path,
        report_id="bytedance-2021",
        source_sha256=sha_of("bytedance2021"),
        run_id="run-1",
        pipeline_version=PIPELINE_VERSION,
    )
    before = {name: read_dataset(name, output=tmp_path) for name in contract.DATASETS}

    proc = subprocess.Popen(
        [sys.executable, "-c", _script(STALLED_WRITER), str(tmp_path), "metrics"],
        env=_child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # blocks until the child is inside the metrics write
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert line.strip() == "mid-write", proc.stderr.read() if proc.stderr else ""
    assert proc.returncode == -signal.SIGKILL

    order = list(contract.DATASETS)
    staged = order[: order.index("metrics")]  # committed before the kill, not yet marked
    for name in contract.DATASETS:
        now = read_dataset(name, output=tmp_path)
        # Readers see the whole earlier report in every dataset: the killed run never wrote
        # its reports marker, so its rows (already in the staged tables) stay invisible.
        pd.testing.assert_frame_equal(now, before[name])
        assert storage.current_version(name, tmp_path) == (1 if name in staged else 0), name
    assert not storage.already_ingested(
        tmp_path, "bytedance-2021", sha_of("edited"), PIPELINE_VERSION
    )

    # The next run completes the job: nothing was left locked or half-written.
    retry = make_datasets(sha=sha_of("edited"), run_id="retry-run")
    storage.write_report(
        retry,
        tmp_path,
        report_id="bytedance-2021",
        source_sha256=sha_of("edited"),
        run_id="retry-run",
        pipeline_version=PIPELINE_VERSION,
        replace=True,
    )
    assert storage.already_ingested(tmp_path, "bytedance-2021", sha_of("edited"), PIPELINE_VERSION)
    assert read_dataset("metrics", output=tmp_path)["run_id"].unique().tolist() == ["retry-run"]


def test_racing_writers_create_one_table_and_all_land(tmp_path: Path) -> None:
    """Threads (Delta releases the GIL) make writers collide on creating version 0 itself."""
    companies = ("a", "b", "c", "d")
    barrier = threading.Barrier(len(companies))
    versions: dict[str, int] = {}

    def write(company: str) -> None:
        frames = make_datasets(company, 2021, run_id=f"run-{company}")
        barrier.wait()
        result = storage.write_report(
            frames,
            tmp_path,
            report_id=f"{company}-2021",
            source_sha256=sha_of(f"{company}2021"),
            run_id=f"run-{company}",
            pipeline_version=PIPELINE_VERSION,
        )
        versions[company] = result.datasets["metrics"].version or 0

    threads = [threading.Thread(target=write, args=(c,)) for c in companies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(versions.values()) == [0, 1, 2, 3]  # each writer reports its own commit
    history = storage.history("metrics", tmp_path)
    assert {versions[c]: f"{c}-2021" for c in companies} == dict(
        zip(history["version"], history["report_id"], strict=True)
    )
    rows = read_dataset("metrics", output=tmp_path)
    assert rows.groupby("report_id").size().to_dict() == {f"{c}-2021": 12 for c in companies}


def test_commit_conflicts_are_retried_and_other_errors_are_not() -> None:
    calls: list[int] = []

    def conflicting_twice() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise CommitFailedError("Failed to commit transaction: concurrent transaction")
        return "landed"

    assert storage._with_retries(conflicting_twice, "metrics") == "landed"
    assert len(calls) == 3

    def broken() -> str:
        raise DeltaError("Invalid data: schema mismatch")

    with pytest.raises(StageError, match="metrics: Invalid data"):
        storage._with_retries(broken, "metrics")
