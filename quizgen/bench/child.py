"""One timed build in a fresh process, so its peak memory is its own.

Usage: python -m quizgen.bench.child CORPUS_DIR OUT_DIR [--no-cache] [--workers N]
Prints one JSON line: seconds, notes, peak RSS of this process and of its largest worker,
CPU seconds of all its processes.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from ..pipeline import BuildOptions, build


def own_peak_rss_mb() -> float:
    """This process's peak resident memory. Linux carries `ru_maxrss` across exec, so a
    child started by a big parent (the benchmark, after measuring the floor) would report
    the parent's peak; the kernel's VmHWM counts this program's memory alone."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = next((row for row in status.splitlines() if row.startswith("VmHWM:")), None)
    return int(line.split()[1]) / 1024 if line else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> None:
    corpus, out = Path(argv[0]), Path(argv[1])
    workers = int(argv[argv.index("--workers") + 1]) if "--workers" in argv else None
    started = time.perf_counter()
    report = build([corpus], BuildOptions(out_dir=out, now=1_750_000_000, workers=workers, cache="--no-cache" not in argv))
    seconds = time.perf_counter() - started
    print(json.dumps({
        "seconds": seconds,
        "documents": report.documents,
        "notes": sum(d.notes for d in report.decks),
        "decks": len(report.decks),
        "problems": len(report.problems),
        "peak_rss_mb": own_peak_rss_mb(),
        "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "cpu_s": sum(r.ru_utime + r.ru_stime for r in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))),
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
