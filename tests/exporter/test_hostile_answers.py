"""What a broken or hostile endpoint may answer, and the exporter never calls complete: pagination
tokens that repeat or go round a cycle, names that a names file cannot hold, calls that stall or
trickle. Each export is bounded by the exporter's own deadline flags (set small) and a subprocess
timeout, so a regression fails here instead of hanging CI."""

import json
import os
import re
import sys
import time

import pytest

from account import synthetic
from conftest import SOURCE_DIR, read_manifest, run_audit, run_export, started_stubs
from hostile_account import HostileAccount, HostileStub, rename

sys.path.insert(0, os.path.join(SOURCE_DIR, "exporter"))
from fleetaudit_export.calls import CallFailed, TokenGuard  # noqa: E402
from fleetaudit_export.jsonout import LineFileWriter  # noqa: E402
from fleetaudit_export.stages import UNWRITABLE_IN_NAMES, read_lines, write_name  # noqa: E402

# Small deadlines: every export here ends in seconds even if the exporter would wait for ever.
QUICK = ["--connect-timeout", "2", "--read-timeout", "2", "--call-timeout", "4", "--stall-notice", "1", "--no-logs"]
BOUND = 60  # seconds: the subprocess is killed (and the test fails) past this
EXPORTED = ["things.json", "thing-principals.json", "certificates.json", "ca-certificates.json", "policies.json",
            "policy-targets.json", "thing-groups.json", "logging-v1.json", "logging-v2.json",
            "logging-v2-levels.json", "role-aliases.json", "iam-authorization-details.json",
            "iam-service-last-accessed.json", "cognito-identity-pool-roles.json", "audit-configuration.json",
            "audit-suppressions.json"]


@pytest.fixture
def hostile_stub():
    yield from started_stubs(HostileStub)


def export(stub, out, env, *args):
    started = time.monotonic()
    result = run_export(stub, out, env, *QUICK, *args, timeout=BOUND)
    return result, time.monotonic() - started


def lacking(manifest):
    """Every file the manifest says the snapshot lacks because the export did not finish."""
    return {entry["file"] for entry in manifest["missingFiles"] + manifest["partialFiles"]}


def assert_honestly_incomplete(out, result, expected_lacking):
    """Exit 1; manifest complete false, listing every file not in OUT_DIR (and only those), each
    also named on standard error."""
    assert result.returncode == 1, result.stderr
    manifest = read_manifest(out)
    assert manifest["complete"] is False
    absent = {name for name in EXPORTED if not os.path.exists(out / name)}
    assert lacking(manifest) == absent
    assert expected_lacking <= absent
    for entry in manifest["missingFiles"]:
        assert f"fleetaudit-export: missing: {entry['file']}: " in result.stderr
    for entry in manifest["partialFiles"]:
        assert f"fleetaudit-export: partial: {entry['file']} ({entry['recordsKept']} record(s)" in result.stderr
    return manifest


@pytest.mark.parametrize("operation, script, name, file, repeat_page", [
    ("ListThings", ["SAME"], "nextToken", "things.json", 2),  # page 2 hands out SAME again
    ("ListCertificates", ["M1", "M2", "M1"], "nextMarker", "certificates.json", 3),  # page 3 goes back to M1
])
def test_a_token_that_repeats_or_cycles_is_an_error_naming_the_call(
        tmp_path, hostile_stub, aws_env, operation, script, name, file, repeat_page):
    stub = hostile_stub(HostileAccount(synthetic(30), tokens={operation: script}))
    out = tmp_path / "out"

    result, seconds = export(stub, out, aws_env)

    manifest = assert_honestly_incomplete(out, result, {file})
    assert f"iot:{operation}" in manifest["error"]
    assert re.search(rf"fleetaudit-export: error: iot:{operation}.*: page {repeat_page} returned a {name} that "
                     "an earlier page of this listing returned already", result.stderr), result.stderr
    assert stub.count(operation) == repeat_page  # followed until the repeat, never 200 times
    assert seconds < 30


def test_a_thing_name_with_a_newline_is_an_error_naming_the_record(tmp_path, hostile_stub, aws_env):
    account = synthetic(12)
    rename(account.things, "thingName", 4, "thing-4\nthing-5")  # page 2 (3 a page), record 2
    out = tmp_path / "out"

    result, seconds = export(hostile_stub(account), out, aws_env)

    assert_honestly_incomplete(out, result, {"things.json", "thing-principals.json"})
    error = next(line for line in result.stderr.splitlines() if line.startswith("fleetaudit-export: error: "))
    assert 'iot:ListThings (maxResults=250): record 2 of page 2 has the name "thing-4\\nthing-5", which holds ' \
           "U+000A" in error, result.stderr
    assert seconds < 30


def test_a_policy_name_with_a_nul_is_an_error_and_its_files_are_listed_missing(tmp_path, hostile_stub, aws_env):
    account = synthetic(3)
    account.policies["Sensor\x00Policy"] = account.policies.pop("SensorPolicy")
    out = tmp_path / "out"

    result, seconds = export(hostile_stub(account), out, aws_env)

    manifest = assert_honestly_incomplete(out, result, {"policies.json", "policy-targets.json"})
    assert "iot:ListPolicies (pageSize=250): record " in manifest["error"] and "U+0000" in manifest["error"]
    reasons = {entry["file"]: entry["reason"] for entry in manifest["missingFiles"]}
    assert reasons["policies.json"] == "not exported: it needs policy-names, which did not finish"
    assert "\x00" not in result.stderr
    assert seconds < 30


def test_a_stalled_call_is_reported_as_it_happens_and_ends_at_the_call_deadline(tmp_path, hostile_stub, aws_env):
    stub = hostile_stub(synthetic(3), stall={"ListThings"})
    out = tmp_path / "out"

    result, seconds = export(stub, out, aws_env)

    manifest = assert_honestly_incomplete(out, result, {"things.json", "thing-principals.json"})
    assert "fleetaudit-export: still waiting for iot:ListThings (maxResults=250) after 1 s" in result.stderr
    assert "after 3 s" in result.stderr
    assert "iot:ListThings (maxResults=250): no complete answer within 4 s" in manifest["error"]
    assert os.path.exists(out / "certificates.json")  # the other stages finished
    assert stub.stalled >= 2  # the 2 s read timeout fired and botocore retried within the deadline
    assert seconds < 20


def test_a_trickling_answer_ends_at_the_call_deadline_though_no_read_times_out(tmp_path, hostile_stub, aws_env):
    stub = hostile_stub(synthetic(3), trickle={"ListThings"}, trickle_interval=0.2)
    out = tmp_path / "out"

    result, seconds = export(stub, out, aws_env)

    manifest = assert_honestly_incomplete(out, result, {"things.json", "thing-principals.json"})
    assert "no complete answer within 4 s" in manifest["error"]
    assert "still waiting for iot:ListThings" in result.stderr
    assert stub.count("ListThings") == 1  # one trickling answer: no read timeout, so no retry
    assert seconds < 20


def test_every_call_failing_lists_every_file_missing_at_once(tmp_path, make_stub, aws_env):
    every_operation = {"ListThings", "ListCertificates", "ListCACertificates", "ListPolicies", "ListThingGroups",
                       "GetLoggingOptions", "GetV2LoggingOptions", "ListV2LoggingLevels", "ListRoleAliases",
                       "GetAccountAuthorizationDetails", "ListIdentityPools", "DescribeAccountAuditConfiguration",
                       "ListAuditSuppressions"}
    out = tmp_path / "out"

    result, seconds = export(make_stub(synthetic(3), fail=every_operation), out, aws_env)

    manifest = assert_honestly_incomplete(out, result, set(EXPORTED))
    assert manifest["partialFiles"] == []
    assert len(manifest["errors"]) >= 1 and manifest["error"] == manifest["errors"][0]
    assert seconds < 30


def test_a_failed_export_audited_exits_2_and_names_the_missing_file(tmp_path, make_stub, aws_env):
    account = synthetic(10)
    enabled = ["DEVICE_CERTIFICATE_EXPIRING_CHECK", "DEVICE_CERTIFICATE_SHARED_CHECK", "LOGGING_DISABLED_CHECK"]
    account.audit_configuration = {"auditCheckConfigurations": {name: {"enabled": True} for name in enabled}}
    out = tmp_path / "out"
    result, _ = export(make_stub(account, fail={"DescribeCertificate"}), out, aws_env)
    assert_honestly_incomplete(out, result, {"certificates.json"})

    audit = run_audit(out, "--format", "json")

    assert audit.returncode == 2, audit.stderr
    checks = {check["checkName"]: check for check in json.loads(audit.stdout)["fleetaudit"]["checks"]}
    expiring = checks["DEVICE_CERTIFICATE_EXPIRING_CHECK"]
    assert expiring["status"] == "not run", expiring
    assert expiring["reason"].startswith("certificates.json was not exported: iot:DescribeCertificate ("), expiring
    # Its own files are whole, but the audit is of part of the account.
    assert checks["LOGGING_DISABLED_CHECK"]["status"] == "incomplete", checks["LOGGING_DISABLED_CHECK"]
    assert not any(check["status"] == "compliant" for check in checks.values())


@pytest.mark.parametrize("name, character", [("a\rb", "U+000D"), ("a\x00b", "U+0000"), ("a\x1b[2Jb", "U+001B"),
                                             ("a\u2028b", "U+2028"), ("a\x85b", "U+0085"), ("a\ud800b", "U+D800")])
def test_every_character_a_names_file_cannot_hold_is_refused_and_the_others_kept(tmp_path, name, character):
    path = str(tmp_path / "names")
    writer = LineFileWriter(path, refuse=UNWRITABLE_IN_NAMES)
    writer.write("thing-1")
    with pytest.raises(CallFailed, match=re.escape("record 7 of page 3 has the name ") + '"a[^"]+b", which holds ' +
                       re.escape(character)):
        write_name(writer, name, "iot:ListThings", 3, 7)
    writer.write("Thing:2_b-c\u00e9")  # what AWS allows is kept as it is
    writer.finish()
    assert list(read_lines(path)) == ["thing-1", "Thing:2_b-c\u00e9"]


def test_the_token_guard_lets_new_tokens_pass_and_stops_at_the_first_repeat():
    guard = TokenGuard("iam:GetServiceLastAccessedDetails (JobId=j)", "resumed-at")
    for token in ("A", "B", "C", None):
        guard.follow(token, "Marker")
    with pytest.raises(CallFailed, match=r"JobId=j\): page 5 returned a Marker that an earlier page"):
        guard.follow("A", "Marker")
    with pytest.raises(CallFailed, match="page 6"):
        guard.follow("resumed-at", "Marker")  # the token a resumed listing started from counts too
