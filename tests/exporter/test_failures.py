"""What AWS does to a long export: small pages, throttling, access denied, a call that fails, and
a kill in the middle followed by --resume."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from account import synthetic
import aws_stub
from conftest import EXPORTER, PYTHON, SOURCE_DIR, new_aws_env, read_manifest, run_export

def snapshot_files(out_dir):
    """Every file but the manifest (whose exportedAt differs between runs), by path."""
    found = {}
    for root, _, names in os.walk(out_dir):
        for name in names:
            path = os.path.join(root, name)
            if name != "manifest.json":
                with open(path, "rb") as file:
                    found[os.path.relpath(path, out_dir)] = file.read()
    return found


@pytest.fixture(scope="module")
def clean_export(tmp_path_factory):
    """The files of an export that nothing disturbed, of the same 300-thing fleet."""
    directory = tmp_path_factory.mktemp("clean")
    with aws_stub.Stub(synthetic(300)) as stub:
        assert run_export(stub, directory / "out", new_aws_env(directory)).returncode == 0
    return snapshot_files(directory / "out")


def test_small_pages_and_throttled_calls_give_the_same_files(tmp_path, make_stub, aws_env, clean_export):
    stub = make_stub(synthetic(300), page_size=10, throttle_every=10)
    out = tmp_path / "out"

    result = run_export(stub, out, aws_env)

    assert result.returncode == 0, result.stderr
    assert snapshot_files(out) == clean_export
    # 300 things, 10 a page: 30 pages, and every 10th ListThings call throttled and asked again
    assert stub.count("ListThings") >= 33
    assert read_manifest(out)["complete"] is True


@pytest.mark.parametrize("service, files", [
    ("iam", ["iam-authorization-details.json", "iam-service-last-accessed.json"]),
    ("logs", ["iot-logs/"]),
    ("cognito-identity", ["cognito-identity-pool-roles.json"]),
])
def test_a_denied_service_leaves_its_files_out_and_says_why(tmp_path, make_stub, aws_env, service, files):
    account = synthetic(10)
    account.log_events = []  # the log group exists
    out = tmp_path / "out"

    result = run_export(make_stub(account, denied={service}), out, aws_env)

    assert result.returncode == 0, result.stderr
    manifest = read_manifest(out)
    assert manifest["complete"] is True
    assert [entry["file"] for entry in manifest["skipped"]] == files
    for entry in manifest["skipped"]:
        assert "access denied" in entry["reason"] and f"{service}:" in entry["reason"]
        assert not os.path.exists(out / entry["file"])
    assert os.path.exists(out / "things.json") and os.path.exists(out / "certificates.json")


def test_a_failing_call_is_named_and_leaves_an_incomplete_snapshot(tmp_path, make_stub, aws_env):
    out = tmp_path / "out"

    result = run_export(make_stub(synthetic(10), fail={"DescribeCertificate"}), out, aws_env)

    assert result.returncode == 1
    assert "iot:DescribeCertificate" in result.stderr and "--resume" in result.stderr
    manifest = read_manifest(out)
    assert manifest["complete"] is False and "iot:DescribeCertificate" in manifest["error"]
    assert not os.path.exists(out / "certificates.json")


def stage_operations():
    sys.path.insert(0, os.path.join(SOURCE_DIR, "exporter"))
    from fleetaudit_export.stages import stages
    return {stage.name: {operation for operation, _ in stage.plan} for stage in stages()}


def test_killed_then_resumed_gives_the_same_files_without_redoing_finished_stages(
        tmp_path, make_stub, aws_env, clean_export):
    slow = make_stub(synthetic(300), page_size=100, delay=0.01)
    out = tmp_path / "out"
    process = subprocess.Popen([PYTHON, EXPORTER, str(out), "--endpoint-url", slow.url, "--region", "eu-west-1",
                                "--quota", "*=100000"], env=aws_env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    # Late enough for a checkpoint of the certificates (one every 2 s) to have been saved.
    while slow.count("DescribeCertificate") < 250 and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    with open(out / ".fleetaudit-export" / "state.json", encoding="utf-8") as file:
        state = json.load(file)
    finished = {name for name, status in state["stages"].items() if status == "done"}
    assert "things.json" in finished and "certificates.json" not in finished
    assert state["checkpoints"]["certificates.json"]["inputs"] > 0
    assert read_manifest(out)["complete"] is False

    resumed = make_stub(synthetic(300))
    result = run_export(resumed, out, aws_env, "--resume")

    assert result.returncode == 0, result.stderr
    assert snapshot_files(out) == clean_export  # nothing lost, nothing twice
    operations = stage_operations()
    redone = {operation for stage in finished for operation in operations[stage]} & {op for _, op in resumed.calls}
    assert redone == set()
    assert 0 < resumed.count("DescribeCertificate") < 300
    assert read_manifest(out)["complete"] is True
    assert not os.path.exists(out / ".fleetaudit-export")


def test_interrupted_with_ctrl_c_exits_130_and_resumes(tmp_path, make_stub, aws_env, clean_export):
    slow = make_stub(synthetic(300), page_size=100, delay=0.005)
    out = tmp_path / "out"
    process = subprocess.Popen([PYTHON, EXPORTER, str(out), "--endpoint-url", slow.url, "--region", "eu-west-1",
                                "--quota", "*=100000"], env=aws_env, stderr=subprocess.PIPE, text=True)
    while slow.count("ListThingPrincipals") < 50:
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "--resume" in stderr

    assert run_export(make_stub(synthetic(300)), out, aws_env, "--resume").returncode == 0
    assert snapshot_files(out) == clean_export
