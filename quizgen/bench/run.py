"""`quizgen bench`: the build measured against the library floor, in one run.

1. the library floor on one core (floor.py) for the same documents and note count;
2. a cold build (no cache) end to end;
3. a warm rebuild after editing one document;
4. peak memory, and time per document at a tenth of the size (scaling).
Each build runs in a fresh process so its time and memory are its own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from statistics import median
from typing import Callable, Sequence

from .. import compiled
from .floor import FloorTimes, measure_floor
from .synth import write_corpus


@dataclass(frozen=True)
class BenchResult:
    docs: int
    cores: int
    compiled: bool  # quizgen's hot path as mypyc extensions (a regular install) or pure Python
    notes: int
    floor_s: float
    floor_parts: dict[str, float]
    build_s: float
    rebuild_s: float
    peak_rss_mb: float
    worker_peak_rss_mb: float
    small_docs: int
    small_build_s: float
    # With --repeat N: every floor, cold build and rebuild measured (the fields above are
    # their medians), and the cold builds' CPU seconds (all processes), which a busy
    # machine disturbs far less than wall time.
    floor_runs: tuple[float, ...] = ()
    build_runs: tuple[float, ...] = ()
    rebuild_runs: tuple[float, ...] = ()
    build_cpu_s: float = 0.0

    @property
    def build_over_floor(self) -> float:
        return self.build_s / self.floor_s

    @property
    def rebuild_over_build(self) -> float:
        return self.rebuild_s / self.build_s

    @property
    def scaling(self) -> float:
        """Time per document at full size over time per document at a tenth (1.0 = linear)."""
        return (self.build_s / self.docs) / (self.small_build_s / self.small_docs)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data.update(build_over_floor=self.build_over_floor, rebuild_over_build=self.rebuild_over_build,
                    scaling=self.scaling)
        return data


def timed_build(corpus: Path, out: Path, *extra: str) -> dict[str, float]:
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run([sys.executable, "-m", "quizgen.bench.child", str(corpus), str(out), *extra],
                          capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark build failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def edit_one(paths: Sequence[Path]) -> None:
    """A small edit in the middle document: one point's text changes, as a typo fix would."""
    path = paths[len(paths) // 2]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("**: ", "**: Notably, ", 1), encoding="utf-8")


def run_bench(docs: int, seed: int, sources: Sequence[Path], say: Callable[[str], None] = lambda _: None,
              work_dir: Path | None = None, repeat: int = 1) -> BenchResult:
    """With `repeat` > 1, cold builds and floors alternate `repeat` times, then as many
    rebuilds (each after another edit); each measure is the median of its runs: on a
    shared machine one run can be off by a quarter."""
    base = Path(tempfile.mkdtemp(prefix="quizgen-bench-", dir=work_dir))
    try:
        small = max(1, docs // 10)
        say(f"writing {docs} synthetic documents ...")
        paths = write_corpus(base / "corpus", docs, seed=seed, sources=sources)
        write_corpus(base / "small", small, seed=seed, sources=sources)
        say(f"scaling run: {small} documents ...")
        small_run = timed_build(base / "small", base / "small-out")  # same settings as the full run
        colds: list[dict[str, float]] = []
        floors: list[FloorTimes] = []
        for run in range(1, repeat + 1):
            shutil.rmtree(base / "out", ignore_errors=True)
            say(f"cold build: {docs} documents{_of(run, repeat)} ...")
            colds.append(timed_build(base / "corpus", base / "out"))
            notes = int(colds[-1]["notes"])
            say(f"library floor: read + CSafeLoader + mistune + genanki ({notes} notes) on one core{_of(run, repeat)} ...")
            floors.append(measure_floor(paths, notes))
        warms = []
        for run in range(1, repeat + 1):
            edit_one(paths)
            say(f"warm rebuild after editing one document{_of(run, repeat)} ...")
            warms.append(timed_build(base / "corpus", base / "out"))
        floor = min(floors, key=lambda f: abs(f.total_s - median(f.total_s for f in floors)))  # a median run's parts
        return BenchResult(
            docs=docs, cores=os.cpu_count() or 1, compiled=compiled(), notes=int(colds[-1]["notes"]),
            floor_s=median(f.total_s for f in floors),
            floor_parts={"read": floor.read_s, "yaml": floor.yaml_s, "mistune": floor.mistune_s,
                         "genanki": floor.genanki_s},
            build_s=median(c["seconds"] for c in colds), rebuild_s=median(w["seconds"] for w in warms),
            peak_rss_mb=max(c["peak_rss_mb"] for c in colds), worker_peak_rss_mb=max(c["worker_peak_rss_mb"] for c in colds),
            small_docs=small, small_build_s=small_run["seconds"],
            floor_runs=tuple(f.total_s for f in floors), build_runs=tuple(c["seconds"] for c in colds),
            rebuild_runs=tuple(w["seconds"] for w in warms), build_cpu_s=median(c["cpu_s"] for c in colds))
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _of(run: int, repeat: int) -> str:
    return f" (run {run} of {repeat})" if repeat > 1 else ""


def _runs(values: tuple[float, ...]) -> str:
    """`  (median of 3: 20.1–22.4 s)` when a measure was taken more than once."""
    return f"  (median of {len(values)}: {min(values):.2f}–{max(values):.2f} s)" if len(values) > 1 else ""


def report_lines(result: BenchResult) -> list[str]:
    r = result
    return [
        f"documents {r.docs}, notes {r.notes}, cores {r.cores}, quizgen "
        + ("compiled with mypyc" if r.compiled else "pure Python (an editable install; `pip install .` compiles)"),
        f"library floor (1 core): {r.floor_s:.2f} s  "
        + "  ".join(f"{k} {v:.2f}" for k, v in r.floor_parts.items()) + _runs(r.floor_runs),
        f"build (cold, empty cache): {r.build_s:.2f} s ({r.build_cpu_s:.1f} CPU-s)   build/floor = "
        f"{r.build_over_floor:.2f}  (target <= 0.75)" + _runs(r.build_runs),
        f"rebuild (1 doc edited): {r.rebuild_s:.2f} s   rebuild/build = {r.rebuild_over_build:.3f}  (target <= 0.10)"
        + _runs(r.rebuild_runs),
        f"peak RSS: main {r.peak_rss_mb:.0f} MB, largest worker {r.worker_peak_rss_mb:.0f} MB  (target <= 400)",
        f"scaling: {r.small_docs} docs {r.small_build_s:.2f} s -> {r.docs} docs {r.build_s:.2f} s; "
        f"time per document x{r.scaling:.2f}  (target within 1.15)",
    ]
