"""`fleetaudit audit --format notification|asff|ocsf`, checked the way their consumers read them:
the audit-notification message against Device Defender's published schema and by a consumer
written as the Device Defender workshop's Lambda reads it; every ASFF finding against botocore's
BatchImportFindings input shape and Security Hub's per-finding size limit; every OCSF event against
the Compliance Finding class's required attributes; and --baseline archiving only what checks that
ran in both audits no longer find."""

import copy
import datetime
import json
import os
import re
import shutil
import subprocess

import jsonschema
import pytest
from botocore.loaders import Loader
from botocore.model import ServiceModel
from botocore.validate import ParamValidator

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.abspath(os.path.join(HERE, "..", ".."))
FLEETAUDIT = os.environ.get("FLEETAUDIT_BINARY", os.path.join(SOURCE_DIR, "build", "fleetaudit"))
DEMO = os.path.join(SOURCE_DIR, "fixtures", "demo")
DATA = os.path.join(SOURCE_DIR, "tests", "data")
ACCOUNT = "123456789012"
# fleetaudit's own errorCode values beside AWS's two (README, "Exit status" and the formats section).
FLEETAUDIT_ERROR_CODES = ["INPUT_MISSING", "INPUT_INCOMPLETE", "INPUT_INSUFFICIENT", "TOO_COMPLEX_TO_DECIDE"]
MAX_FINDING_BYTES = 240 * 1024  # Security Hub: at most 240 KB per finding


def audit(snapshot, *arguments, statuses=(0, 1)):
    result = subprocess.run([FLEETAUDIT, "audit", snapshot, *arguments], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode in statuses, (result.returncode, result.stderr)
    return result.stdout


def copy_demo(tmp_path, name="snapshot"):
    target = tmp_path / name
    shutil.copytree(DEMO, target)
    return target


def fix_legacy_policy(snapshot):
    """LegacyFullAccess (iot:* on *) grants one client id only: its finding is fixed."""
    path = snapshot / "policies.json"
    text = path.read_text()
    broad = r'\"Action\":\"iot:*\",\"Resource\":\"*\"'
    assert broad in text
    narrow = r'\"Action\":\"iot:Connect\",\"Resource\":\"arn:aws:iot:eu-west-1:123456789012:client/c1\"'
    path.write_text(text.replace(broad, narrow))


def expected_demo_findings():
    """(check, resource key) of each finding fixtures/demo/expected.txt lists."""
    with open(os.path.join(DEMO, "expected.txt"), encoding="utf-8") as file:
        return {tuple(line.split()[1:3]) for line in file if line.startswith("finding ")}


# ---------------------------------------------------------------- the audit-notification message

def notification_schema():
    """Device Defender's published schema, with what it cannot mean as written made explicit: its
    `items` is a one-element list (draft-07 then checks only the first element), its checkName enum
    lists five check names of 2018 (AWS's own messages carry today's names, which consumers match),
    and its errorCode enum lists AWS's two codes, to which fleetaudit adds its own four."""
    with open(os.path.join(DATA, "audit-notification-schema.json"), encoding="utf-8") as file:
        schema = json.load(file)
    detail = schema["properties"]["auditDetails"]["items"][0]
    del detail["properties"]["checkName"]["enum"]
    detail["properties"]["errorCode"]["enum"] += FLEETAUDIT_ERROR_CODES
    detail["additionalProperties"] = False  # the documented members, nothing else
    schema["properties"]["auditDetails"]["items"] = detail
    schema["additionalProperties"] = False
    return schema


def test_notification_matches_the_published_schema_and_the_audit():
    message = json.loads(audit(DEMO, "--format", "notification"))
    jsonschema.validate(message, notification_schema())
    findings = json.loads(audit(DEMO, "--format", "json"))
    details = findings["auditDetails"]
    assert [d["checkName"] for d in message["auditDetails"]] == list(details)
    for entry in message["auditDetails"]:
        assert entry["checkRunStatus"] == details[entry["checkName"]]["checkRunStatus"]
        assert entry["nonCompliantResourcesCount"] == details[entry["checkName"]]["nonCompliantResourcesCount"]
    statuses = [d["checkRunStatus"] for d in message["auditDetails"]]
    assert message["nonCompliantChecksCount"] == statuses.count("COMPLETED_NON_COMPLIANT") == 3
    assert message["compliantChecksCount"] == statuses.count("COMPLETED_COMPLIANT")
    assert message["canceledChecksCount"] == statuses.count("CANCELED")
    assert message["failedChecksCount"] == statuses.count("FAILED")
    assert message["totalChecksCount"] == len(statuses)
    assert re.fullmatch(r"[a-zA-Z0-9-]{1,40}", message["taskId"])  # AWS's AuditTaskId
    assert message["taskId"] == findings["findings"][0]["taskId"]
    exported = datetime.datetime(2026, 11, 20, 8, 15, 42, tzinfo=datetime.timezone.utc)  # manifest.exportedAt
    assert message["taskStartTime"] == int(exported.timestamp() * 1000)
    assert (message["accountId"], message["taskStatus"], message["taskType"]) == (ACCOUNT, "COMPLETED",
                                                                                  "ON_DEMAND_AUDIT_TASK")


def workshop_lambda_non_compliant_checks(event):
    """Written as the Device Defender workshop's Lambda reads the SNS event: the message is the
    record's Sns.Message; nothing to do when nonCompliantChecksCount is 0; otherwise the checks whose
    checkRunStatus is COMPLETED_NON_COMPLIANT, by checkName."""
    message = json.loads(event["Records"][0]["Sns"]["Message"])
    if message["nonCompliantChecksCount"] == 0:
        return []
    return [detail["checkName"] for detail in message["auditDetails"]
            if detail["checkRunStatus"] == "COMPLETED_NON_COMPLIANT"]


def sns_event(message_text):
    return {"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0", "Sns": {
        "Type": "Notification", "TopicArn": f"arn:aws:sns:eu-west-1:{ACCOUNT}:iot-audit-findings",
        "Subject": None, "Message": message_text}}]}


def test_a_workshop_style_consumer_finds_the_non_compliant_checks(tmp_path):
    found = workshop_lambda_non_compliant_checks(sns_event(audit(DEMO, "--format", "notification")))
    assert sorted(found) == sorted({check for check, _ in expected_demo_findings()})
    # A fleet that passes what ran: nothing to act on.
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"auditCheckConfigurations": {"CA_CERTIFICATE_EXPIRING_CHECK": {"enabled": True}}}))
    quiet = audit(DEMO, "--format", "notification", "--config", str(config))
    assert json.loads(quiet)["compliantChecksCount"] >= 1
    assert workshop_lambda_non_compliant_checks(sns_event(quiet)) == []


def test_a_check_not_run_is_failed_with_its_error_code_never_compliant(tmp_path):
    snapshot = copy_demo(tmp_path)
    os.remove(snapshot / "logging-v1.json")
    os.remove(snapshot / "logging-v2.json")
    message = json.loads(audit(str(snapshot), "--format", "notification"))
    jsonschema.validate(message, notification_schema())
    logging = next(d for d in message["auditDetails"] if d["checkName"] == "LOGGING_DISABLED_CHECK")
    assert (logging["checkRunStatus"], logging["errorCode"]) == ("FAILED", "INPUT_MISSING")
    assert logging["message"]
    assert message["failedChecksCount"] >= 1
    assert "LOGGING_DISABLED_CHECK" not in workshop_lambda_non_compliant_checks(sns_event(json.dumps(message)))


# ---------------------------------------------------------------- ASFF

def batch_import_input_shape():
    loader = Loader()
    model = ServiceModel(loader.load_service_model("securityhub", "service-2"), "securityhub")
    return model.operation_model("BatchImportFindings").input_shape


def blank_strings(value, path="$"):
    """Paths of strings Security Hub's NonEmptyString (.*\\S.*) refuses; botocore does not check patterns."""
    if isinstance(value, str):
        return [] if re.search(r"\S", value) else [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in blank_strings(k, path + ".key") + blank_strings(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in blank_strings(v, f"{path}[{i}]")]
    return []


def assert_importable(findings):
    shape = batch_import_input_shape()
    validator = ParamValidator()
    for finding in findings:
        report = validator.validate({"Findings": [finding]}, shape)
        assert not report.has_errors(), report.generate_report()
        assert len(json.dumps(finding).encode()) <= MAX_FINDING_BYTES
        assert blank_strings(finding) == [], finding["Id"]
        assert len(finding["Id"]) <= 512 and len(finding["Title"]) <= 256 and len(finding["Description"]) <= 1024
        assert len(finding["ProductFields"]) <= 50 and len(finding["Resources"]) <= 32
    ids = [f["Id"] for f in findings]
    assert len(ids) == len(set(ids)), "each record's Id is its own: a re-import updates, never merges two"


def asff(snapshot, *arguments):
    text = audit(str(snapshot), "--format", "asff", *arguments)
    document = json.loads(text)
    assert list(document) == ["Findings"]
    return document["Findings"]


def by_report_type(findings, kind):
    return [f for f in findings if f["ProductFields"]["ReportType"] == kind]


def test_every_asff_finding_is_a_valid_batch_import_finding_shaped_as_device_defender_sends_it():
    findings = asff(DEMO)
    assert_importable(findings)
    audit_findings = by_report_type(findings, "AuditFinding")
    assert {(f["ProductFields"]["CheckName"], f["ProductFields"]["FindingId"]) for f in audit_findings} == {
        (f["checkName"], f["findingId"]) for f in json.loads(audit(DEMO, "--format", "json"))["findings"]}
    assert len(audit_findings) == len(expected_demo_findings())
    details = json.loads(audit(DEMO, "--format", "json"))["auditDetails"]
    summaries = by_report_type(findings, "CheckSummary")
    assert sorted(f["ProductFields"]["CheckName"] for f in summaries) == sorted(
        name for name, d in details.items() if d["checkRunStatus"] != "CANCELED")
    for finding in findings:
        assert finding["ProductArn"] == f"arn:aws:securityhub:eu-west-1:{ACCOUNT}:product/{ACCOUNT}/default"
        assert (finding["AwsAccountId"], finding["Region"], finding["SchemaVersion"]) == (ACCOUNT, "eu-west-1",
                                                                                          "2018-10-08")
        assert finding["CreatedAt"] == finding["UpdatedAt"] == "2026-11-20T08:15:42.000Z"
        assert finding["Severity"]["Label"] == finding["FindingProviderFields"]["Severity"]["Label"]
    legacy = next(f for f in audit_findings if f["ProductFields"].get("PolicyName") == "LegacyFullAccess")
    assert legacy["Id"] == (f"{ACCOUNT}/IOT_POLICY/LegacyFullAccess/1/IOT_POLICY_OVERLY_PERMISSIVE_CHECK/"
                            "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS")
    assert legacy["Resources"][0]["Type"] == "AwsIotPolicy"
    assert legacy["Resources"][0]["Details"]["Other"]["PolicyVersionId"] == "1"
    assert (legacy["Resources"][0]["Partition"], legacy["Resources"][0]["Region"]) == ("aws", "eu-west-1")
    assert legacy["Types"] == ["Software and Configuration Checks/Vulnerabilities"]
    assert (legacy["RecordState"], legacy["Workflow"]["Status"]) == ("ACTIVE", "NEW")
    shared = next(f for f in audit_findings if f["ProductFields"]["CheckName"] == "DEVICE_CERTIFICATE_SHARED_CHECK")
    assert shared["Types"] == ["Unusual Behaviors"] and shared["Severity"] == {"Label": "CRITICAL", "Normalized": 90}
    states = {f["ProductFields"]["CheckName"]: f["RecordState"] for f in summaries}
    assert states["LOGGING_DISABLED_CHECK"] == "ACTIVE"
    assert "ARCHIVED" in states.values()  # a compliant check's summary


def test_asff_ids_do_not_depend_on_the_clock_and_the_product_arn_is_the_users_choice():
    first = asff(DEMO)
    later = asff(DEMO, "--now", "2027-01-01T00:00:00Z")
    assert [f["Id"] for f in by_report_type(first, "AuditFinding")] == [
        f["Id"] for f in by_report_type(later, "AuditFinding")]
    partner = "arn:aws:securityhub:eu-west-1:123456789012:product/northwind/fleet-audit"
    assert {f["ProductArn"] for f in asff(DEMO, "--asff-product-arn", partner)} == {partner}
    refused = subprocess.run([FLEETAUDIT, "audit", DEMO, "--format", "asff", "--asff-product-arn", "northwind"],
                             capture_output=True, text=True, timeout=60, check=False)
    assert refused.returncode == 2 and "--asff-product-arn" in refused.stderr and refused.stdout == ""


def test_hostile_names_keep_the_id_parts_apart_and_the_findings_importable(tmp_path):
    snapshot = copy_demo(tmp_path)
    policies = json.loads((snapshot / "policies.json").read_text())
    legacy = next(p for p in policies["policies"] if p["policyName"] == "LegacyFullAccess")
    hostile = copy.deepcopy(legacy)
    hostile["policyName"] = "a/b c\u00fc%" + "x" * 600
    hostile["policyArn"] = legacy["policyArn"] + "2"
    policies["policies"].append(hostile)
    (snapshot / "policies.json").write_text(json.dumps(policies))
    findings = asff(snapshot)
    assert_importable(findings)
    ids = [f["Id"] for f in by_report_type(findings, "AuditFinding") if "sha256-" in f["Id"]]
    assert len(ids) == 1 and ids[0].startswith(f"{ACCOUNT}/IOT_POLICY/sha256-")
    short = dict(hostile, policyName="a/b c\u00fc%", policyArn=legacy["policyArn"] + "3")
    policies["policies"].append(short)
    (snapshot / "policies.json").write_text(json.dumps(policies))
    ids = [f["Id"] for f in by_report_type(asff(snapshot), "AuditFinding")]
    assert f"{ACCOUNT}/IOT_POLICY/a%2Fb%20c%C3%BC%25/1/IOT_POLICY_OVERLY_PERMISSIVE_CHECK/" \
           "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS" in ids


def test_baseline_archives_what_was_fixed_only_where_the_check_ran_both_times(tmp_path):
    baseline = tmp_path / "first.json"
    audit(DEMO, "--format", "json", "--output", str(baseline))
    first_ids = {f["ProductFields"]["PolicyName"]: f["Id"] for f in by_report_type(asff(DEMO), "AuditFinding")
                 if "PolicyName" in f["ProductFields"]}
    fixed = copy_demo(tmp_path, "fixed")
    fix_legacy_policy(fixed)
    findings = asff(fixed, "--baseline", str(baseline))
    assert_importable(findings)
    archived = [f for f in findings if f["RecordState"] == "ARCHIVED" and f["ProductFields"]["ReportType"] == "AuditFinding"]
    assert [f["Id"] for f in archived] == [first_ids["LegacyFullAccess"]]  # the same Id: Security Hub updates it
    assert archived[0]["ProductFields"]["fleetaudit/BaselineState"] == "fixed"
    assert archived[0]["Workflow"]["Status"] == "RESOLVED"
    active = by_report_type([f for f in findings if f["RecordState"] == "ACTIVE"], "AuditFinding")
    assert {f["ProductFields"]["fleetaudit/BaselineState"] for f in active} == {"unchanged"}
    # The same fix, but the policy checks could not run (policies.json missing): nothing is archived.
    partial = copy_demo(tmp_path, "partial")
    os.remove(partial / "policies.json")
    findings = asff(partial, "--baseline", str(baseline))
    assert [f for f in findings if f["RecordState"] == "ARCHIVED" and f["ProductFields"]["ReportType"] == "AuditFinding"] == []
    policy_summary = next(f for f in by_report_type(findings, "CheckSummary")
                          if f["ProductFields"]["CheckName"] == "IOT_POLICY_OVERLY_PERMISSIVE_CHECK")
    assert (policy_summary["RecordState"], policy_summary["ProductFields"]["CheckRunStatus"]) == ("ACTIVE", "FAILED")


def test_a_suppressed_finding_says_so_in_asff_and_ocsf(tmp_path):
    suppressions = tmp_path / "suppressions.json"
    suppressions.write_text(json.dumps({"suppressions": [{
        "checkName": "LOGGING_DISABLED_CHECK", "resourceIdentifier": {"account": ACCOUNT},
        "description": "logging is enabled by the landing zone next week"}]}))
    findings = asff(DEMO, "--suppressions", str(suppressions))
    logging = next(f for f in by_report_type(findings, "AuditFinding")
                   if f["ProductFields"]["CheckName"] == "LOGGING_DISABLED_CHECK")
    assert (logging["ProductFields"]["IsSuppressed"], logging["Workflow"]["Status"]) == ("true", "SUPPRESSED")
    events = ocsf(DEMO, "--suppressions", str(suppressions))
    event = next(e for e in events if e["finding_info"]["uid"] == logging["ProductFields"]["FindingId"])
    assert (event["status_id"], event["status"]) == (3, "Suppressed")
    assert event["status_detail"] == "logging is enabled by the landing zone next week"


# ---------------------------------------------------------------- OCSF

def ocsf_required():
    with open(os.path.join(DATA, "ocsf-1.6-compliance-finding-required.json"), encoding="utf-8") as file:
        return json.load(file)


JSON_TYPES = {"integer": int, "string": str, "object": dict}


def assert_ocsf_event(event, required):
    for name, kind in required["required"].items():
        assert name in event, name
        assert isinstance(event[name], JSON_TYPES[kind]) and not isinstance(event[name], bool), name
    for parent, members in required["required_in_objects"].items():
        if parent in event:
            for name, kind in members.items():
                assert isinstance(event[parent].get(name), JSON_TYPES[kind]), f"{parent}.{name}"
    assert any(name in event["metadata"]["product"] for name in required["at_least_one_in_objects"]["metadata.product"])
    assert (event["class_uid"], event["category_uid"]) == (required["class_uid"], required["category_uid"])
    assert event["metadata"]["version"] == required["version"]
    assert event["type_uid"] == event["class_uid"] * 100 + event["activity_id"]
    for path, allowed in required["enums"].items():
        value = event
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        assert value is None or value in allowed, path


def ocsf(snapshot, *arguments, statuses=(0, 1)):
    text = audit(str(snapshot), "--format", "ocsf", *arguments, statuses=statuses)
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def check_events(events):
    return {e["compliance"]["control"]: e for e in events if e["finding_info"]["types"] == ["Check verdict"]}


def test_every_ocsf_event_carries_the_required_attributes():
    required = ocsf_required()
    events = ocsf(DEMO)
    for event in events:
        assert_ocsf_event(event, required)
    details = json.loads(audit(DEMO, "--format", "json"))["auditDetails"]
    assert len(events) == len(expected_demo_findings()) + len(details)
    verdicts = check_events(events)
    expected = {"COMPLETED_COMPLIANT": "Pass", "COMPLETED_NON_COMPLIANT": "Fail", "CANCELED": "Disabled"}
    assert {name: e["compliance"]["status"] for name, e in verdicts.items()} == {
        name: expected[d["checkRunStatus"]] for name, d in details.items()}
    fails = [e for e in events if e["finding_info"]["types"] != ["Check verdict"]]
    assert all(e["compliance"]["status_id"] == 3 and e["status"] == "New" for e in fails)


def test_ocsf_keeps_not_run_incomplete_and_fixed_apart(tmp_path):
    required = ocsf_required()
    snapshot = copy_demo(tmp_path)
    os.remove(snapshot / "logging-v1.json")
    os.remove(snapshot / "logging-v2.json")
    certificates = json.loads((snapshot / "certificates.json").read_text())
    certificates["certificateDescriptions"].append({"certificateId": 7})  # unreadable: the checks reading it are incomplete
    (snapshot / "certificates.json").write_text(json.dumps(certificates))
    events = ocsf(snapshot, statuses=(2,))
    for event in events:
        assert_ocsf_event(event, required)
    verdicts = check_events(events)
    logging = verdicts["LOGGING_DISABLED_CHECK"]["compliance"]
    assert (logging["status_id"], logging["status"], logging["status_code"]) == (2, "Warning", "INPUT_MISSING")
    incomplete = [e["compliance"] for e in verdicts.values() if e["compliance"]["status"] == "Incomplete"]
    assert incomplete and all(c["status_id"] == 99 and c["status_code"] == "INPUT_INCOMPLETE" for c in incomplete)
    # Fixed since the baseline: a Close event with the finding's own uid, compliance Pass.
    baseline = tmp_path / "first.json"
    audit(DEMO, "--format", "json", "--output", str(baseline))
    fixed = copy_demo(tmp_path, "fixed")
    fix_legacy_policy(fixed)
    closed = [e for e in ocsf(fixed, "--baseline", str(baseline)) if e["activity_id"] == 3]
    legacy_id = next(f["findingId"] for f in json.loads(baseline.read_text())["findings"]
                     if f["nonCompliantResource"]["resourceIdentifier"].get("policyVersionIdentifier", {}).get(
                         "policyName") == "LegacyFullAccess")
    assert [(e["finding_info"]["uid"], e["status"], e["compliance"]["status"]) for e in closed] == [
        (legacy_id, "Resolved", "Pass")]


def test_a_finding_on_a_new_policy_version_archives_the_old_versions_record(tmp_path):
    """Security Hub Ids carry the policy version: when the baseline's finding comes back as
    "updated" on another version, the old version's record is archived, not left open."""
    baseline = tmp_path / "first.json"
    audit(DEMO, "--format", "json", "--output", str(baseline))
    snapshot = copy_demo(tmp_path)
    policies = json.loads((snapshot / "policies.json").read_text())
    next(p for p in policies["policies"] if p["policyName"] == "LegacyFullAccess")["defaultVersionId"] = "2"
    (snapshot / "policies.json").write_text(json.dumps(policies))
    findings = asff(snapshot, "--baseline", str(baseline))
    assert_importable(findings)
    legacy = {(f["RecordState"], f["ProductFields"]["fleetaudit/BaselineState"]): f["Id"]
              for f in by_report_type(findings, "AuditFinding") if "LegacyFullAccess" in f["Id"]}
    assert legacy == {
        ("ACTIVE", "updated"): f"{ACCOUNT}/IOT_POLICY/LegacyFullAccess/2/IOT_POLICY_OVERLY_PERMISSIVE_CHECK/"
                               "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS",
        ("ARCHIVED", "superseded"): f"{ACCOUNT}/IOT_POLICY/LegacyFullAccess/1/IOT_POLICY_OVERLY_PERMISSIVE_CHECK/"
                                    "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS"}
