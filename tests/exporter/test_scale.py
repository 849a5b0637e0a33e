"""A large export against the stub, timed, with the exporter's peak memory: run when
FLEETAUDIT_EXPORT_SCALE_THINGS is set (ctest's exporter_scale test sets 50000); prints the figures."""

import json
import os
import resource
import time

import pytest
from account import synthetic
from conftest import read_manifest, run_export

THINGS = int(os.environ.get("FLEETAUDIT_EXPORT_SCALE_THINGS", "0"))


@pytest.mark.skipif(THINGS == 0, reason="set FLEETAUDIT_EXPORT_SCALE_THINGS (ctest -L scale)")
def test_a_large_export_streams_every_record_in_flat_memory(tmp_path, make_stub, aws_env, capsys):
    # Validating every response against the model would time the stub, not the exporter; the
    # other tests validate every response.
    stub = make_stub(synthetic(THINGS), page_size=250, validate=False, lifetime=1800)
    out = tmp_path / "out"

    started = time.monotonic()
    result = run_export(stub, out, aws_env, "--no-logs", timeout=1800)
    seconds = time.monotonic() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    assert result.returncode == 0, result.stderr
    assert read_manifest(out)["complete"] is True
    with open(out / "certificates.json", encoding="utf-8") as file:
        assert len(json.load(file)["certificateDescriptions"]) == THINGS
    size_mib = sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(out) for name in names) / 2**20
    with capsys.disabled():
        print(f"\nexport of {THINGS:,} things: {seconds:.1f} s, {len(stub.calls):,} calls "
              f"({len(stub.calls) / seconds:.0f}/s), snapshot {size_mib:.0f} MiB, exporter peak RSS {peak_mib:.0f} MiB")
    assert peak_mib < 200  # flat: the fleet is never held in memory
