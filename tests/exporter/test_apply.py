"""fleetaudit-apply against the loopback stub, run as a user runs it (its own process, real boto3):
plans written by the real `fleetaudit mitigate`, on the demo fleet and on a fleetgen fleet."""

import collections
import json
import os
import re
import signal
import subprocess
import time

import botocore.loaders
import botocore.model
import botocore.validate
import pytest

from apply_account import ApplyAccount, ApplyStub
from conftest import FLEETAUDIT, PYTHON, SOURCE_DIR, readme_policy_actions, run_audit, run_export, started_stubs

APPLY = os.environ.get("FLEETAUDIT_APPLY", os.path.join(SOURCE_DIR, "exporter", "fleetaudit-apply"))
FLEETGEN = os.environ.get("FLEETGEN", os.path.join(os.path.dirname(FLEETAUDIT), "bench", "fleetgen"))
DEMO = os.path.join(SOURCE_DIR, "fixtures", "demo")
DEMO_ACTIONS = os.path.join(SOURCE_DIR, "fixtures", "demo-mitigation", "actions.json")
IAM_PREFIX = {"iot": "iot", "sns": "sns", "sts": "sts"}


def readme_apply_policy_actions():
    return readme_policy_actions("## Applying a plan")


@pytest.fixture
def apply_stub():
    """apply_stub(account, **knobs) -> a running ApplyStub; at teardown: no stub bug, and every call
    in the README's IAM policy for fleetaudit-apply."""
    stubs = yield from started_stubs(ApplyStub)
    allowed = readme_apply_policy_actions()
    for stub in stubs:
        assert called_actions(stub) <= allowed


def called_actions(stub):
    return {f"{IAM_PREFIX[service]}:{operation}" for service, operation in stub.calls}


def mitigate(snapshot, actions, plan):
    result = subprocess.run([FLEETAUDIT, "mitigate", str(snapshot), "--actions", str(actions), "--plan", str(plan)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return plan


def apply_command(stub, plan, *args):
    return [PYTHON, APPLY, str(plan), "--endpoint-url", stub.url, *args]


def run_apply(stub, plan, env, *args, timeout=120):
    return subprocess.run(apply_command(stub, plan, *args), env=env, capture_output=True, text=True, timeout=timeout)


def journal_records(plan):
    with open(f"{plan}.journal.jsonl", encoding="utf-8") as file:
        return [json.loads(line) for line in file]


def demo_account():
    """The demo account as it stands before the fix, with the quarantine group the security team
    created for the plan (a snapshot lists groups only through their members)."""
    account = ApplyAccount.from_snapshot(DEMO)
    account.groups["hq-quarantine"] = {"groupName": "hq-quarantine", "groupArn": account.arn("thinggroup", "hq-quarantine"),
                                       "things": []}
    return account


_loader = botocore.loaders.Loader()
IOT_MODEL = botocore.model.ServiceModel(_loader.load_service_model("iot", "service-2"), "iot")


def assert_matches_output_shape(operation, document):
    shape = IOT_MODEL.operation_model(operation).output_shape
    report = botocore.validate.ParamValidator().validate(document, shape)
    assert not report.has_errors(), report.generate_report()


# ---- the demo plan, end to end ----

def test_the_demo_plan_is_applied_verified_and_the_next_audit_shows_the_findings_gone(tmp_path, apply_stub, make_stub,
                                                                                     aws_env):
    plan = mitigate(DEMO, DEMO_ACTIONS, tmp_path / "plan.json")
    account = demo_account()
    stub = apply_stub(account)

    dry = run_apply(stub, plan, aws_env, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert stub.calls == []  # the review step calls nothing
    assert "14 changes" in dry.stdout
    applied = run_apply(stub, plan, aws_env)
    assert applied.returncode == 0, applied.stderr + applied.stdout

    # The safe order: SNS, logging, groups, policies, and the certificate last.
    order = [operation for operation, _ in account.changes]
    assert order[:8] == ["Publish"] * 4 + ["SetV2LoggingOptions"] + ["AddThingToThingGroup"] * 3
    assert sorted(order[8:13]) == ["CreatePolicyVersion"] * 2 + ["DeletePolicyVersion"] * 3
    assert order[13:] == ["UpdateCertificate"]
    certificate = "c72dc03049dcbbdb86b075646bacef04eef0844b2f9fa48a3a261561019ba8d6"
    assert account.certificates[certificate]["status"] == "INACTIVE"
    assert sorted(account.groups["hq-quarantine"]["things"]) == ["nw-hq-lock-lobby-e", "nw-hq-lock-lobby-w",
                                                                  "nw-hq-lock-stair-2"]
    assert account.logging_v2["defaultLogLevel"] == "ERROR" and account.logging_v2["disableAllLogs"] is False
    assert len(account.published) == 4

    report = json.loads((tmp_path / "plan.json.executions.json").read_text())
    assert_matches_output_shape("ListAuditMitigationActionsExecutions", report)
    assert [e["status"] for e in report["actionsExecutions"]] == ["COMPLETED"] * 10
    task = json.loads((tmp_path / "plan.json.task.json").read_text())
    assert_matches_output_shape("DescribeAuditMitigationActionsTask", task)
    assert task["taskStatistics"]["BlankOverlyPermissivePolicy"]["succeededFindingsCount"] == 3

    verified = run_apply(stub, plan, aws_env, "--verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "verified 14 changes: 0 not in place" in verified.stdout

    # The loop closes: export the account again, audit it: the five findings are gone.
    mitigated = ("DEVICE_CERTIFICATE_SHARED_CHECK", "IOT_POLICY_OVERLY_PERMISSIVE_CHECK", "LOGGING_DISABLED_CHECK")
    before = audit_report(DEMO)
    assert {f["checkName"] for f in before["findings"]} == set(mitigated)
    exported = tmp_path / "export"
    account.log_events = []  # logging is on now: its log group exists (and has no connection yet)
    result = run_export(make_stub(account), exported, aws_env)  # the exporter's read-only stub
    assert result.returncode == 0, result.stderr
    after = audit_report(exported)
    assert after["findings"] == []
    assert {check: after["auditDetails"][check]["checkRunStatus"] for check in mitigated} == \
        dict.fromkeys(mitigated, "COMPLETED_COMPLIANT")

    # The IAM policy in the README is exactly what apply and verify call (with a CA plan's calls).
    seen = called_actions(stub) | called_actions(ca_plan_applied_and_verified(tmp_path, apply_stub, aws_env))
    assert seen == readme_apply_policy_actions()


def audit_report(snapshot):
    result = run_audit(snapshot, "--format", "json", "--now", "2026-11-20T08:00:00Z")
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_verify_reports_a_change_that_did_not_take(tmp_path, apply_stub, aws_env):
    plan = mitigate(DEMO, DEMO_ACTIONS, tmp_path / "plan.json")
    account = demo_account()
    stub = apply_stub(account)
    assert run_apply(stub, plan, aws_env, "--dry-run").returncode == 0
    assert run_apply(stub, plan, aws_env).returncode == 0
    account.certificates["c72dc03049dcbbdb86b075646bacef04eef0844b2f9fa48a3a261561019ba8d6"]["status"] = "ACTIVE"

    verified = run_apply(stub, plan, aws_env, "--verify")

    assert verified.returncode == 1
    assert re.search(r"NOT IN PLACE \[3\.1\] UpdateCertificate c72dc030\w+: certificate \w+ is ACTIVE", verified.stdout)
    assert "1 not in place" in verified.stdout


# ---- the review gate ----

def test_a_plan_without_a_dry_run_an_edited_plan_and_an_old_plan_are_refused(tmp_path, apply_stub, aws_env):
    plan = mitigate(DEMO, DEMO_ACTIONS, tmp_path / "plan.json")
    stub = apply_stub(demo_account())

    no_review = run_apply(stub, plan, aws_env)
    assert no_review.returncode == 2 and "no dry run" in no_review.stderr

    assert run_apply(stub, plan, aws_env, "--dry-run").returncode == 0
    edited = plan.read_text().replace('"hq-quarantine"', '"hq-open"', 1)
    plan.write_text(edited)
    changed = run_apply(stub, plan, aws_env)
    assert changed.returncode == 2 and "changed after its dry run" in changed.stderr

    assert run_apply(stub, plan, aws_env, "--dry-run").returncode == 0  # reviewed again: accepted
    too_old = run_apply(stub, plan, aws_env, "--max-plan-age", "24h")  # the demo snapshot is from 2026-11-20
    assert too_old.returncode == 2 and "more than --max-plan-age" in too_old.stderr
    assert stub.calls == []  # nothing was called by a refused run
    assert not (tmp_path / "plan.json.journal.jsonl").exists()


def test_a_plan_for_another_account_is_refused(tmp_path, apply_stub, aws_env):
    plan = mitigate(DEMO, DEMO_ACTIONS, tmp_path / "plan.json")
    account = demo_account()
    account.account_id = "210987654321"
    stub = apply_stub(account)
    assert run_apply(stub, plan, aws_env, "--dry-run").returncode == 0

    result = run_apply(stub, plan, aws_env)

    assert result.returncode == 2 and "for account 123456789012" in result.stderr
    assert [operation for _, operation in stub.calls] == ["GetCallerIdentity"]


# ---- failures ----

def test_a_failing_change_is_recorded_its_findings_later_actions_canceled_and_the_exit_status_is_1(
        tmp_path, apply_stub, aws_env):
    plan = mitigate(DEMO, DEMO_ACTIONS, tmp_path / "plan.json")
    account = demo_account()
    account.planted_failures["nw-hq-lock-lobby-w"] = ("InvalidRequestException", "stub: thing is locked", 400)
    stub = apply_stub(account)
    assert run_apply(stub, plan, aws_env, "--dry-run").returncode == 0

    result = run_apply(stub, plan, aws_env)

    assert result.returncode == 1
    assert "FAILED QuarantineSharedCertificateThings" in result.stdout
    states = {r["change"]: r for r in journal_records(plan) if "change" in r}
    assert states["2.2"]["state"] == "failed" and states["2.2"]["errorCode"] == "InvalidRequestException"
    assert states["2.2"]["message"] == "stub: thing is locked"
    assert "3.1" not in states  # the same finding's deactivation is not started
    entries = json.loads((tmp_path / "plan.json.executions.json").read_text())["actionsExecutions"]
    by_action = {(e["findingId"][:6], e["actionName"]): e for e in entries}
    assert by_action[("860c60", "QuarantineSharedCertificateThings")]["status"] == "FAILED"
    assert by_action[("860c60", "DeactivateSharedCertificate")]["status"] == "CANCELED"
    assert sum(e["status"] == "COMPLETED" for e in entries) == 8  # the other findings went on
    assert ("UpdateCertificate", "c72dc03049dcbbdb86b075646bacef04eef0844b2f9fa48a3a261561019ba8d6") \
        not in account.changes


def test_replacing_a_policy_that_has_five_versions_now_fails_with_the_reason(tmp_path, apply_stub, aws_env):
    plan = mitigate(DEMO, DEMO_ACTIONS, tmp_path / "plan.json")
    account = demo_account()
    entry = account.policies["LegacyFullAccess"]
    for number in range(2, 6):  # someone added versions after the snapshot: the plan deletes none
        entry["versions"].append({**entry["versions"][0], "policyVersionId": str(number), "isDefaultVersion": False})
    stub = apply_stub(account)
    assert run_apply(stub, plan, aws_env, "--dry-run").returncode == 0

    result = run_apply(stub, plan, aws_env, "--only", "BlankOverlyPermissivePolicy")

    assert result.returncode == 1
    states = {r["change"]: r for r in journal_records(plan) if "change" in r}
    assert states["9.1"]["state"] == "failed" and "five" in states["9.1"]["message"]
    assert "9.2" not in states  # the flagged version stays: it is still the default
    assert len(entry["versions"]) == 5
    assert {op for op, _ in account.changes} == {"CreatePolicyVersion", "DeletePolicyVersion"}  # --only


# ---- a fleet: thousands of certificates, throttling, kill, resume, expired credentials ----

AGE_ACTIONS = {
    "actions": [{"actionName": "DeactivateAgedCertificate",
                 "roleArn": "arn:aws:iam::123456789012:role/service-role/AWSIoTDeviceDefenderMitigation",
                 "actionParams": {"updateDeviceCertificateParams": {"action": "DEACTIVATE"}}}],
    "task": {"taskId": "retire-aged-certificates",
             "target": {"auditCheckToReasonCodeFilter": {"DEVICE_CERTIFICATE_AGE_CHECK": [
                 "CERTIFICATE_PAST_AGE_THRESHOLD"]}},
             "auditCheckToActionsMapping": {"DEVICE_CERTIFICATE_AGE_CHECK": ["DeactivateAgedCertificate"]}}}


def make_fleet(directory, things):
    """(snapshot, plan) for a fleetgen aged fleet of `things` things: deactivate every aged certificate."""
    fleet = directory / "fleet"
    result = subprocess.run([FLEETGEN, "--things", str(things), "--seed", "30", "--out", str(fleet), "--profile",
                             "aged", "--policies", "5"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    actions = directory / "actions.json"
    actions.write_text(json.dumps(AGE_ACTIONS))
    return fleet, mitigate(fleet, actions, directory / "plan.json")


@pytest.fixture(scope="module")
def small_fleet(tmp_path_factory):
    return make_fleet(tmp_path_factory.mktemp("small-fleet"), 1200)


def fleet_plan(tmp_path, fleet):
    """A fresh account for the fleet, and a copy of its plan in tmp_path (the journal goes beside it)."""
    snapshot, plan = fleet
    copy = tmp_path / "plan.json"
    copy.write_bytes(plan.read_bytes())
    return ApplyAccount.from_snapshot(snapshot), copy


def deactivations(account):
    return collections.Counter(resource for operation, resource in account.changes if operation == "UpdateCertificate")


def planned_certificates(plan):
    document = json.loads(plan.read_text())
    return [c["certificateId"] for e in document["executions"] for c in e["changes"]]


def test_thousands_of_deactivations_stay_within_the_quota_while_the_stub_throttles(tmp_path, apply_stub, aws_env):
    account, plan = fleet_plan(tmp_path, make_fleet(tmp_path, 3000))
    wanted = planned_certificates(plan)
    assert len(wanted) > 1500
    quota = 250
    # AWS's buckets allow a little above the quota; every 97th call is throttled all the same.
    stub = apply_stub(account, rate_limits={"UpdateCertificate": quota + 25, "DescribeCertificate": quota + 25},
                      throttle_every=97)
    assert run_apply(stub, plan, aws_env, "--dry-run").returncode == 0

    started = time.monotonic()
    result = run_apply(stub, plan, aws_env, "--quota", f"UpdateCertificate={quota}",
                       "--quota", f"DescribeCertificate={quota}", "--concurrency", "32")
    elapsed = time.monotonic() - started

    assert result.returncode == 0, result.stderr[-2000:] + result.stdout[-2000:]
    assert deactivations(account) == collections.Counter(wanted)  # each once, none missing
    assert all(account.certificates[c]["status"] == "INACTIVE" for c in wanted)
    assert stub.busiest_second("UpdateCertificate") <= quota
    assert stub.busiest_second("DescribeCertificate") <= quota
    throttled = sum(1 for _, operation, accepted in stub.arrivals if not accepted)
    assert stub.count("UpdateCertificate") > len(wanted)  # some were throttled (every 97th) and retried
    assert elapsed >= len(wanted) / quota * 0.9, (elapsed, throttled)
    estimate = re.search(rf"{len(wanted)} changes to make; estimated 0:(\d\d):(\d\d) at the quotas", result.stderr)
    assert estimate and abs(int(estimate[1]) * 60 + int(estimate[2]) - len(wanted) / quota) <= 1


def test_a_run_killed_half_way_resumes_without_repeating_a_change(tmp_path, apply_stub, aws_env, small_fleet):
    account, plan = fleet_plan(tmp_path, small_fleet)
    wanted = planned_certificates(plan)
    already = wanted[:5]  # deactivated by someone else before the run
    for certificate in already:
        account.certificates[certificate]["status"] = "INACTIVE"
    stub = apply_stub(account)
    assert run_apply(stub, plan, aws_env, "--dry-run").returncode == 0
    quota = ["--quota", "UpdateCertificate=200", "--quota", "DescribeCertificate=200"]

    process = subprocess.Popen(apply_command(stub, plan, *quota), env=aws_env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(deactivations(account)) < len(wanted) // 2:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    half = len(deactivations(account))
    assert 0 < half < len(wanted)

    again = run_apply(stub, plan, aws_env, *quota)
    assert "holds an earlier run" in again.stderr and again.returncode == 2
    resumed = run_apply(stub, plan, aws_env, "--resume", *quota)

    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert deactivations(account) == collections.Counter(wanted[5:])  # each once; the five never called
    states = {r["change"]: r for r in journal_records(plan) if "change" in r}
    assert [states[f"{n}.1"]["state"] for n in range(1, 6)] == ["already"] * 5
    assert all(r["state"] in ("done", "already") for r in states.values()) and len(states) == len(wanted)
    assert "done by an earlier run" in resumed.stderr
    report = json.loads((tmp_path / "plan.json.executions.json").read_text())["actionsExecutions"]
    assert [e["status"] for e in report] == ["COMPLETED"] * len(wanted)
    assert report[0]["message"] == "already in the target state: the certificate is already INACTIVE"


def test_expired_credentials_stop_the_run_cleanly_and_resume_finishes_it(tmp_path, apply_stub, aws_env, small_fleet):
    account, plan = fleet_plan(tmp_path, small_fleet)
    wanted = planned_certificates(plan)
    stub = apply_stub(account, expire_after=201)  # GetCallerIdentity, then 100 changes of two calls each
    assert run_apply(stub, plan, aws_env, "--dry-run").returncode == 0
    quota = ["--quota", "UpdateCertificate=400", "--quota", "DescribeCertificate=400"]

    stopped = run_apply(stub, plan, aws_env, *quota)

    assert stopped.returncode == 3, stopped.stderr[-2000:]
    assert "ExpiredTokenException" in stopped.stderr and "--resume" in stopped.stderr
    records = journal_records(plan)  # every line whole
    assert records[-1] == {"run": "end", "time": records[-1]["time"], "outcome": "stopped"}
    assert not any(r.get("state") == "failed" for r in records)  # an expired token is no change's failure
    assert 0 < len(deactivations(account)) < len(wanted)

    stub.expire_after = None  # fresh credentials
    resumed = run_apply(stub, plan, aws_env, "--resume", *quota)

    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert deactivations(account) == collections.Counter(wanted)


def ca_plan_applied_and_verified(tmp_path, apply_stub, aws_env):
    """The demo has no CA finding: a revoked CA still ACTIVE, deactivated. Returns the stub."""
    snapshot = os.path.join(SOURCE_DIR, "fixtures", "revoked_ca_certificate_still_active_check", "revoked-intermediate")
    actions = tmp_path / "ca-actions.json"
    actions.write_text(json.dumps({
        "actions": [{"actionName": "DeactivateCa", "roleArn": AGE_ACTIONS["actions"][0]["roleArn"],
                     "actionParams": {"updateCACertificateParams": {"action": "DEACTIVATE"}}}],
        "task": {"taskId": "ca", "target": {"auditCheckToReasonCodeFilter": {
            "REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK": ["CERTIFICATE_REVOKED_BY_ISSUER"]}},
            "auditCheckToActionsMapping": {"REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK": ["DeactivateCa"]}}}))
    plan = mitigate(snapshot, actions, tmp_path / "ca-plan.json")
    assert "UpdateCACertificate" in plan.read_text()
    account = ApplyAccount.from_snapshot(snapshot)
    stub = apply_stub(account)
    assert run_apply(stub, plan, aws_env, "--dry-run").returncode == 0
    assert run_apply(stub, plan, aws_env).returncode == 0
    assert run_apply(stub, plan, aws_env, "--verify").returncode == 0
    assert [operation for operation, _ in account.changes] == ["UpdateCACertificate"]
    return stub


def test_a_hostile_plan_is_refused_with_its_json_path(tmp_path, apply_stub, aws_env):
    plan = mitigate(DEMO, DEMO_ACTIONS, tmp_path / "plan.json")
    document = json.loads(plan.read_text())
    document["executions"][2]["changes"][0]["certificateId"] = "abc; rm -rf /"
    plan.write_text(json.dumps(document))
    stub = apply_stub(demo_account())

    result = run_apply(stub, plan, aws_env, "--dry-run")

    assert result.returncode == 2
    assert "executions[2].changes[0].certificateId" in result.stderr and "not a name AWS accepts" in result.stderr
    assert not (tmp_path / "plan.json.approval.json").exists()


def test_a_journal_line_cut_short_by_a_kill_is_reported_and_the_rest_is_kept(tmp_path):
    import sys
    sys.path.insert(0, os.path.join(SOURCE_DIR, "exporter"))
    from fleetaudit_export.apply_journal import read_journal
    journal = tmp_path / "plan.json.journal.jsonl"
    journal.write_text('{"run":"start","time":"t","planSha256":"x","resume":false}\n'
                       '{"change":"1.1","state":"pending","startTime":"a"}\n'
                       '{"change":"1.1","state":"done","startTime":"a","endTime":"b","note":""}\n'
                       '{"change":"2.1","state":"pending","startTime":"c"}\n'
                       '{"change":"2.1","state":"do')

    states, runs, problems = read_journal(str(journal))

    assert {change: record["state"] for change, record in states.items()} == {"1.1": "done", "2.1": "pending"}
    assert len(runs) == 1
    assert problems == [f"{journal}:5: not a whole JSON record (a run killed while writing?): ignored"]


def test_only_names_an_action_of_the_plan(tmp_path, apply_stub, aws_env):
    plan = mitigate(DEMO, DEMO_ACTIONS, tmp_path / "plan.json")
    stub = apply_stub(demo_account())

    result = run_apply(stub, plan, aws_env, "--dry-run", "--only", "NoSuchAction")

    assert result.returncode == 2 and "--only: the plan has no action NoSuchAction" in result.stderr


def test_an_answer_without_what_the_model_promises_fails_that_change_only(tmp_path, apply_stub, aws_env):
    class Odd(ApplyAccount):
        def DescribeCertificate(self, params, size):
            return {}  # valid for botocore's model (every member is optional), useless for the change

    plan = mitigate(DEMO, DEMO_ACTIONS, tmp_path / "plan.json")
    account = demo_account()
    account.__class__ = Odd
    stub = apply_stub(account)
    assert run_apply(stub, plan, aws_env, "--dry-run").returncode == 0

    result = run_apply(stub, plan, aws_env, "--only", "DeactivateSharedCertificate", "TurnOnErrorLogging")

    assert result.returncode == 1
    states = {r["change"]: r for r in journal_records(plan) if "change" in r}
    assert states["3.1"]["state"] == "failed" and states["3.1"]["errorCode"] == "UnexpectedResponse"
    assert states["10.1"]["state"] == "done"
    assert [op for op, _ in account.changes] == ["SetV2LoggingOptions"]


def test_a_5xx_answer_is_retried_after_a_pause_and_the_change_made_once(tmp_path, apply_stub, aws_env):
    plan = mitigate(DEMO, DEMO_ACTIONS, tmp_path / "plan.json")
    account = demo_account()
    certificate = "c72dc03049dcbbdb86b075646bacef04eef0844b2f9fa48a3a261561019ba8d6"
    account.unavailable[certificate] = 2
    stub = apply_stub(account)
    assert run_apply(stub, plan, aws_env, "--dry-run").returncode == 0

    result = run_apply(stub, plan, aws_env, "--only", "DeactivateSharedCertificate")

    assert result.returncode == 0, result.stderr
    assert stub.count("UpdateCertificate") == 3  # two 503s, then the change
    assert account.changes == [("UpdateCertificate", certificate)]
    assert account.certificates[certificate]["status"] == "INACTIVE"
