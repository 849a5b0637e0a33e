"""A large export against the stub, timed, with the exporter's own peak memory and how much it
grows as the export goes on: run when FLEETAUDIT_EXPORT_SCALE_THINGS is set (ctest's
exporter_scale test sets 50000); prints the figures."""

import json
import os
import subprocess
import threading
import time

import pytest
from account import synthetic
from conftest import export_command, read_manifest

THINGS = int(os.environ.get("FLEETAUDIT_EXPORT_SCALE_THINGS", "0"))
SAMPLE_SECONDS = 0.1
# Memory is compared between the point where this share of the calls is made (20k of 50k things,
# every stage long under way) and the end: holding the fleet would grow it by kilobytes a thing.
EARLY_SHARE = 0.4
ALLOWED_GROWTH = 0.10


def peak_kib(pid):
    """The process's own resident high-water mark (VmHWM), or None once it has exited. Not the
    child's ru_maxrss: Linux counts in it the parent's pages at the moment the child started, and
    this process holds the whole fleet in the stub."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as file:
            for line in file:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def sample_peaks(pid, stub, samples, exited):
    """Appends (calls the stub has served, the exporter's peak KiB so far) until `exited`."""
    while not exited.is_set():
        peak = peak_kib(pid)
        if peak is not None:
            samples.append((len(stub.calls), peak))
        time.sleep(SAMPLE_SECONDS)


def run_sampled(command, env, stub):
    """Runs the exporter; returns (completed process, samples of its peak memory)."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples, exited = [], threading.Event()
    sampler = threading.Thread(target=sample_peaks, args=(process.pid, stub, samples, exited), daemon=True)
    sampler.start()
    try:
        stdout, stderr = process.communicate(timeout=1800)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    finally:
        exited.set()
        sampler.join()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr), samples


@pytest.mark.skipif(THINGS == 0, reason="set FLEETAUDIT_EXPORT_SCALE_THINGS (ctest -L scale)")
def test_a_large_export_streams_every_record_in_flat_memory(tmp_path, make_stub, aws_env, capsys):
    # Validating every response against the model would time the stub, not the exporter; the
    # other tests validate every response.
    stub = make_stub(synthetic(THINGS), page_size=250, validate=False, lifetime=1800)
    out = tmp_path / "out"

    started = time.monotonic()
    result, samples = run_sampled(export_command(stub, out, "--no-logs"), aws_env, stub)
    seconds = time.monotonic() - started

    assert result.returncode == 0, result.stderr
    assert read_manifest(out)["complete"] is True
    with open(out / "certificates.json", encoding="utf-8") as file:
        assert len(json.load(file)["certificateDescriptions"]) == THINGS
    size_mib = sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(out) for name in names) / 2**20
    early_kib = next(peak for calls, peak in samples if calls >= EARLY_SHARE * len(stub.calls))
    final_kib = samples[-1][1]
    later_things = (1 - EARLY_SHARE) * THINGS
    with capsys.disabled():
        print(f"\nexport of {THINGS:,} things: {seconds:.1f} s, {len(stub.calls):,} calls "
              f"({len(stub.calls) / seconds:.0f}/s), snapshot {size_mib:.0f} MiB, exporter peak RSS "
              f"{final_kib / 1024:.0f} MiB ({early_kib / 1024:.0f} MiB at {EARLY_SHARE:.0%} of the calls: "
              f"{(final_kib - early_kib) * 1024 / later_things:.0f} bytes per thing since)")
    assert final_kib <= early_kib * (1 + ALLOWED_GROWTH), "memory grows with the fleet"
