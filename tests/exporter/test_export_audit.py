"""A new user's path: one command exports the stub account, a second audits it. The export must
hold every file of the format and audit exactly like the snapshot the stub was seeded from."""

import datetime
import json
import os

import planted
from account import from_snapshot
from conftest import read_manifest, run_audit, run_export

EVERY_FILE = ["manifest.json", "things.json", "thing-principals.json", "certificates.json", "ca-certificates.json",
              "policies.json", "policy-targets.json", "thing-groups.json", "logging-v1.json", "logging-v2.json",
              "logging-v2-levels.json", "role-aliases.json", "iam-authorization-details.json",
              "iam-service-last-accessed.json", "cognito-identity-pool-roles.json", "audit-configuration.json",
              "audit-suppressions.json", "iot-logs/AWSIotLogsV2.jsonl"]


def audit_json(snapshot, now):
    result = run_audit(snapshot, "--format", "json", "--now", now)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    for finding in report["findings"]:
        finding.pop("taskId", None)  # names the run, not the fleet
        finding.pop("sourceLocation", None)  # a byte offset in the file, which the exporter lays out its own way
    return report


def test_one_command_exports_every_file_and_the_audit_finds_the_planted_problems_only(tmp_path, make_stub, aws_env):
    source = tmp_path / "planted"
    planted.build(source, datetime.datetime.now(datetime.timezone.utc))
    stub = make_stub(from_snapshot(source), page_size=2)
    out = tmp_path / "export"

    result = run_export(stub, out, aws_env)

    assert result.returncode == 0, result.stderr
    manifest = read_manifest(out)
    assert manifest["complete"] is True and manifest["skipped"] == []
    present = sorted(os.path.relpath(os.path.join(root, name), out)
                     for root, _, names in os.walk(out) for name in names)
    assert present == sorted(EVERY_FILE)
    exported, oracle = audit_json(out, manifest["exportedAt"]), audit_json(source, manifest["exportedAt"])
    assert exported["findings"] == oracle["findings"]
    assert exported["fleetaudit"]["checks"] == oracle["fleetaudit"]["checks"]
    found = {(f["checkName"], f["reasonForNonComplianceCode"]) for f in exported["findings"]}
    assert planted.PLANTED <= found


def test_the_exported_logs_are_the_window_of_the_last_log_days(tmp_path, make_stub, aws_env):
    source = tmp_path / "planted"
    now = datetime.datetime.now(datetime.timezone.utc)
    planted.build(source, now)
    stub = make_stub(from_snapshot(source), page_size=2)
    out = tmp_path / "export"

    assert run_export(stub, out, aws_env, "--log-days", "31").returncode == 0

    exported = (out / "iot-logs" / "AWSIotLogsV2.jsonl").read_text().splitlines()
    assert exported == planted.log_lines(now)[:3]  # the others are 40 days old
