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
from typing import Callable, Sequence

from .. import compiled
from .floor import measure_floor
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
              work_dir: Path | None = None) -> BenchResult:
    base = Path(tempfile.mkdtemp(prefix="quizgen-bench-", dir=work_dir))
    try:
        small = max(1, docs // 10)
        say(f"writing {docs} synthetic documents ...")
        paths = write_corpus(base / "corpus", docs, seed=seed, sources=sources)
        small_paths = write_corpus(base / "small", small, seed=seed, sources=sources)
        say(f"scaling run: {small} documents ...")
        small_run = timed_build(base / "small", base / "small-out")  # same settings as the full run
        say(f"cold build: {docs} documents ...")
        cold = timed_build(base / "corpus", base / "out")
        edit_one(paths)
        say("warm rebuild after editing one document ...")
        warm = timed_build(base / "corpus", base / "out")
        say(f"library floor: read + CSafeLoader + mistune + genanki ({int(cold['notes'])} notes) on one core ...")
        floor = measure_floor(paths, int(cold["notes"]))
        del small_paths
        return BenchResult(
            docs=docs, cores=os.cpu_count() or 1, compiled=compiled(), notes=int(cold["notes"]), floor_s=floor.total_s,
            floor_parts={"read": floor.read_s, "yaml": floor.yaml_s, "mistune": floor.mistune_s,
                         "genanki": floor.genanki_s},
            build_s=cold["seconds"], rebuild_s=warm["seconds"], peak_rss_mb=cold["peak_rss_mb"],
            worker_peak_rss_mb=cold["worker_peak_rss_mb"], small_docs=small, small_build_s=small_run["seconds"])
    finally:
        shutil.rmtree(base, ignore_errors=True)


def report_lines(result: BenchResult) -> list[str]:
    r = result
    return [
        f"documents {r.docs}, notes {r.notes}, cores {r.cores}, quizgen "
        + ("compiled with mypyc" if r.compiled else "pure Python (an editable install; `pip install .` compiles)"),
        f"library floor (1 core): {r.floor_s:.2f} s  "
        + "  ".join(f"{k} {v:.2f}" for k, v in r.floor_parts.items()),
        f"build (cold, empty cache): {r.build_s:.2f} s   build/floor = {r.build_over_floor:.2f}  (target <= 0.75)",
        f"rebuild (1 doc edited): {r.rebuild_s:.2f} s   rebuild/build = {r.rebuild_over_build:.3f}  (target <= 0.10)",
        f"peak RSS: main {r.peak_rss_mb:.0f} MB, largest worker {r.worker_peak_rss_mb:.0f} MB  (target <= 400)",
        f"scaling: {r.small_docs} docs {r.small_build_s:.2f} s -> {r.docs} docs {r.build_s:.2f} s; "
        f"time per document x{r.scaling:.2f}  (target within 1.15)",
    ]
