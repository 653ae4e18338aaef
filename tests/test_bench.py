"""`quizgen bench` runs end to end on a small corpus (a smoke test: no timing asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import CONTENT
from quizgen.bench.synth import parse_ok, write_corpus
from quizgen.commands.bench import command


def test_synth__documents_are_valid_quicktakes_input_and_deterministic(tmp_path: Path) -> None:
    first = write_corpus(tmp_path / "a", 30, seed=5, sources=(CONTENT,))
    second = write_corpus(tmp_path / "b", 30, seed=5, sources=(CONTENT,))
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    docs = parse_ok(first)
    assert len({d.subject_key for d in docs}) >= 3
    assert all(2_000 <= p.stat().st_size <= 9_000 for p in first)
    assert "\\n" in first[0].read_text(encoding="utf-8")  # folded answers keep the literal \n


def test_bench__small_run_prints_ratios_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(command, ["--docs", "200", "--json", str(out), "--source", str(CONTENT)])
    assert result.exit_code == 0, result.output
    assert "build/floor" in result.output and "rebuild/build" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["docs"] == 200 and data["notes"] > 1000
    assert data["floor_s"] > 0 and data["build_s"] > 0 and data["rebuild_s"] > 0
    assert data["peak_rss_mb"] > 10 and data["scaling"] > 0


def test_bench__repeat_reports_medians_of_every_run(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(command, ["--docs", "100", "--repeat", "3", "--json", str(out),
                                          "--source", str(CONTENT)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    for measure in ("floor", "build", "rebuild"):
        runs = data[f"{measure}_runs"]
        assert len(runs) == 3 and all(r > 0 for r in runs)
        assert data[f"{measure}_s"] == sorted(runs)[1]
    assert data["build_cpu_s"] > 0
    assert "median of 3" in result.output


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's /proc")
def test_child_peak_memory__is_its_own_not_its_parents() -> None:
    """A big parent (the benchmark after the floor) must not show up in a build's peak."""
    parent = ("import subprocess, sys; big = bytearray(300 * 2**20); big[::4096] = b'x' * len(big[::4096]); "
              "print(subprocess.run([sys.executable, '-c', 'from quizgen.bench.child import own_peak_rss_mb; "
              "print(own_peak_rss_mb())'], capture_output=True, text=True, check=True).stdout)")
    done = subprocess.run([sys.executable, "-c", parent], capture_output=True, text=True, check=True,
                          env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent)))
    assert 5 < float(done.stdout) < 200
