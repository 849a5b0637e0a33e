"""fleetaudit-publish against the loopback stub, with real boto3 in a separate process: the audit
notification and its message attributes, Security Hub imports in legal batches within the rate,
throttling, refused findings, --resume after a failure and after a kill, hostile inputs, and the
README's IAM policies, exactly."""

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from conftest import FLEETAUDIT, PYTHON, SOURCE_DIR, started_stubs
from publish_account import (PRODUCT_ARN, REGION, TOPIC_ARN, PublishAccount, TimedStub, asff_finding,
                             demo_findings, most_in_one_second, notification, numbered_findings, write_findings)

PUBLISHER = os.environ.get("FLEETAUDIT_PUBLISH", os.path.join(SOURCE_DIR, "exporter", "fleetaudit-publish"))
sys.path.insert(0, os.path.join(SOURCE_DIR, "exporter"))
from fleetaudit_export.asff import MAX_BATCH_BYTES, MAX_FINDING_BYTES, MAX_FINDINGS_PER_BATCH  # noqa: E402
from fleetaudit_export.calls import PUBLISH_OPERATIONS  # noqa: E402
from fleetaudit_export.inputs import InputError  # noqa: E402
from fleetaudit_export.export import UsageError  # noqa: E402
from fleetaudit_export.notification import read_notifications  # noqa: E402
from fleetaudit_export.publish_cli import checked_topic  # noqa: E402
from fleetaudit_export.securityhub import surveyed  # noqa: E402


@pytest.fixture
def publish_stub():
    """publish_stub(**knobs) -> a running TimedStub over a new PublishAccount; at teardown, no stub bug."""
    yield from started_stubs(lambda **knobs: TimedStub(PublishAccount(), **knobs))


def publish_command(stub, *args):
    return [PYTHON, PUBLISHER, "--endpoint-url", stub.url, "--region", REGION, *args]


def publish(stub, env, *args, timeout=120):
    return subprocess.run(publish_command(stub, *args), env=env, capture_output=True, text=True, timeout=timeout)


def readme_publish_policies():
    """{Sid: set of actions} of the IAM policies in the README's "Publishing" section."""
    with open(os.path.join(SOURCE_DIR, "README.md"), encoding="utf-8") as file:
        text = file.read()
    section = text[text.index("## Publishing findings and notifications"):]
    section = section[:section.index("\n## ", 3)]
    policies = {}
    for block in re.findall(r"```json\n(.*?)```", section, re.S):
        for statement in json.loads(block)["Statement"]:
            policies[statement["Sid"]] = set(statement["Action"])
    return policies


def called(stub):
    return {f"{service}:{operation}" for service, operation in stub.calls}


def imported_ids(*stubs):
    return [finding["Id"] for stub in stubs for finding in stub.account.imported]


# ---- SNS ----

def test_the_notification_is_published_with_attributes_per_check_status(tmp_path, publish_stub, aws_env):
    stub = publish_stub()
    path = tmp_path / "report.notification.json"
    path.write_text(json.dumps(notification(), indent=2))

    # the shared options after the subcommand, as fleetaudit-export users may write them
    result = subprocess.run([PYTHON, PUBLISHER, "sns", "--topic-arn", TOPIC_ARN, str(path), "--region", REGION,
                             "--endpoint-url", stub.url], env=aws_env, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert "MessageId" in result.stdout
    [sent] = stub.account.published
    assert sent["TopicArn"] == TOPIC_ARN
    assert json.loads(sent["Message"]) == notification()
    attributes = {name: (value["DataType"], value["StringValue"]) for name, value in sent["MessageAttributes"].items()}
    assert attributes == {
        "taskStatus": ("String", "COMPLETED"), "taskType": ("String", "SCHEDULED_AUDIT_TASK"),
        "accountId": ("String", "123456789012"),
        "nonCompliantChecksCount": ("Number", "2"), "failedChecksCount": ("Number", "1"),
        "nonCompliantChecks": ("String.Array",
                               '["DEVICE_CERTIFICATE_SHARED_CHECK", "IOT_POLICY_OVERLY_PERMISSIVE_CHECK"]'),
        "failedChecks": ("String.Array", '["CONFLICTING_CLIENT_IDS_CHECK"]'),
        "canceledChecks": ("String.Array", '["LOGGING_DISABLED_CHECK"]'),
        "compliantChecks": ("String.Array", '["CA_CERTIFICATE_EXPIRING_CHECK"]'),
    }
    assert called(stub) == readme_publish_policies()["FleetauditPublishSns"]


def test_sns_throttled_is_retried(tmp_path, publish_stub, aws_env):
    stub = publish_stub()
    stub.account.throttled_publishes = 1  # botocore's standard mode would give up at once on "Throttled"
    path = tmp_path / "report.notification.json"
    path.write_text(json.dumps(notification()))

    result = publish(stub, aws_env, "sns", "--topic-arn", TOPIC_ARN, str(path))

    assert result.returncode == 0, result.stderr
    assert stub.count("Publish") == 2 and len(stub.account.published) == 1


@pytest.mark.parametrize("change, named", [
    ({"taskStatus": "DONE"}, "$.taskStatus"),
    ({"nonCompliantChecksCount": -1}, "$.nonCompliantChecksCount"),
    ({"auditDetails": [{"checkName": "X\u001b[31m", "checkRunStatus": "FAILED", "nonCompliantResourcesCount": 0,
                        "totalResourcesCount": 0}]}, "$.auditDetails[0].checkName"),
    ({"auditDetails": [{"checkName": "X", "checkRunStatus": "FAILED"}]}, "$.auditDetails[0].totalResourcesCount"),
])
def test_a_bad_notification_is_refused_by_path(tmp_path, change, named):
    path = tmp_path / "report.notification.json"
    path.write_text(json.dumps(notification(**change)))

    with pytest.raises(InputError) as refused:
        read_notifications(str(path))  # what the sns subcommand reads before its one call

    assert f"{path}: {named}" in str(refused.value)
    assert "\u001b" not in str(refused.value)


def test_a_bad_notification_exits_2_and_sends_nothing(tmp_path, publish_stub, aws_env):
    stub = publish_stub()
    path = tmp_path / "report.notification.json"
    path.write_text(json.dumps(notification(taskStatus="DONE")))

    result = publish(stub, aws_env, "sns", "--topic-arn", TOPIC_ARN, str(path))

    assert result.returncode == 2 and f"{path}: $.taskStatus" in result.stderr
    assert stub.calls == []


@pytest.mark.parametrize("content, named", [
    (b"[" * 100000, "nested too deeply"),
    (b'{"accountId": "' + b"x" * 300000 + b'"}', "over 262,144 bytes"),
    (b'{"accountId": "\xff"}', "not UTF-8"),
    (b'{"taskStartTime": NaN}', "not JSON"),
    (b"[]", "$: expected an audit-notification object, or an array of 1 to 4,096"),
    (b"[" + b"{}," * 4096 + b"{}]", "$: expected an audit-notification object, or an array of 1 to 4,096"),
])
def test_a_hostile_notification_is_refused(tmp_path, content, named):
    path = tmp_path / "report.notification.json"
    path.write_bytes(content)

    with pytest.raises(InputError) as refused:
        read_notifications(str(path))

    assert str(refused.value).startswith(f"{path}: ") and named in str(refused.value)


def test_an_organizations_notifications_are_published_one_per_account_in_order(tmp_path, publish_stub, aws_env):
    """`fleetaudit audit DIR --format notification` writes an array, one message per account and
    region, as Device Defender sends one per account: each is its own Publish, in order."""
    stub = publish_stub()
    path = tmp_path / "organization.notification.json"
    messages = [notification(accountId="111111111111"), notification(accountId="222222222222")]
    path.write_text(json.dumps(messages))

    result = publish(stub, aws_env, "sns", "--topic-arn", TOPIC_ARN, str(path))

    assert result.returncode == 0, result.stderr
    assert [json.loads(sent["Message"]) for sent in stub.account.published] == messages
    assert [sent["MessageAttributes"]["accountId"]["StringValue"] for sent in stub.account.published] == \
        ["111111111111", "222222222222"]
    assert "account 111111111111" in result.stdout and "account 222222222222" in result.stdout


def test_one_bad_message_of_an_organizations_sends_none(tmp_path, publish_stub, aws_env):
    stub = publish_stub()
    path = tmp_path / "organization.notification.json"
    path.write_text(json.dumps([notification(accountId="111111111111"), notification(taskStatus="DONE")]))

    result = publish(stub, aws_env, "sns", "--topic-arn", TOPIC_ARN, str(path))

    assert result.returncode == 2 and f"{path}: $[1].taskStatus" in result.stderr
    assert stub.calls == []


# ---- Security Hub ----

def test_demo_findings_are_imported(tmp_path, publish_stub, aws_env):
    findings = [asff_finding(*finding) for finding in demo_findings()]
    findings.append(asff_finding("CA_CERTIFICATE_EXPIRING_CHECK", "caCertificateId", "ca0ld", "CERTIFICATE_EXPIRING",
                                 record_state="ARCHIVED"))  # fixed since the baseline
    path = write_findings(tmp_path / "report.asff.json", findings)
    stub = publish_stub()

    result = publish(stub, aws_env, "securityhub", str(path))

    assert result.returncode == 0, result.stderr
    assert stub.account.imported == findings
    assert f"{len(findings)} of {len(findings)} findings imported" in result.stdout
    assert "findings sent" in result.stderr  # plain progress lines: standard error is not a terminal
    assert not os.path.exists(f"{path}.fleetaudit-publish.json")
    assert called(stub) == readme_publish_policies()["FleetauditPublishSecurityHub"]


def test_a_large_report_goes_in_legal_batches_within_the_rate(tmp_path, publish_stub, aws_env):
    # 2,500 findings; 60 of them near the 240 KB limit, together, so that batches are cut by size too
    findings = numbered_findings(2500, large=range(1000, 1060))
    path = write_findings(tmp_path / "report.asff.json", findings)
    stub = publish_stub()

    result = publish(stub, aws_env, "securityhub", str(path))

    assert result.returncode == 0, result.stderr
    assert imported_ids(stub) == [finding["Id"] for finding in findings]  # each once, in order
    sizes = [len(batch) for batch in stub.account.batches]
    assert max(sizes) == MAX_FINDINGS_PER_BATCH and max(stub.account.batch_bytes) <= MAX_BATCH_BYTES
    assert any(size < MAX_FINDINGS_PER_BATCH for size in sizes[:-1])  # some batch was cut by its bytes
    assert max(stub.account.batch_bytes) > MAX_BATCH_BYTES - 300_000  # ... and filled close to the limit
    assert most_in_one_second(stub.arrivals) <= 10
    assert len(stub.arrivals) == len(sizes) >= 27


def test_throttled_and_failed_imports_are_retried_within_the_rate(tmp_path, publish_stub, aws_env):
    findings = numbered_findings(250)
    path = write_findings(tmp_path / "report.asff.json", findings)
    stub = publish_stub(throttle_every=2)
    stub.account.internal_errors = 1  # a 5xx, retried as well

    result = publish(stub, aws_env, "securityhub", str(path))

    assert result.returncode == 0, result.stderr
    assert imported_ids(stub) == [finding["Id"] for finding in findings]
    assert stub.count("BatchImportFindings") > len(stub.account.batches) == 3
    assert stub.account.internal_errors == 0
    assert most_in_one_second(stub.arrivals) <= 10


def test_refused_findings_are_named_and_the_exit_status_says_so(tmp_path, publish_stub, aws_env):
    findings = numbered_findings(150)
    path = write_findings(tmp_path / "report.asff.json", findings)
    stub = publish_stub()
    stub.account.refused = {findings[3]["Id"]: ("InvalidInput", "Finding does not adhere to ASFF"),
                            findings[120]["Id"]: ("FindingSizeExceeded", "Finding\u001b[2J is too large")}

    result = publish(stub, aws_env, "securityhub", str(path))

    assert result.returncode == 1
    assert f'finding "{findings[3]["Id"]}" was not imported: InvalidInput: Finding does not adhere' in result.stderr
    assert f'finding "{findings[120]["Id"]}" was not imported: FindingSizeExceeded' in result.stderr
    assert "\u001b" not in result.stderr  # AWS's words are escaped too
    assert "148 of 150 findings imported" in result.stdout and "2 failed" in result.stdout
    assert len(imported_ids(stub)) == 150


def test_resume_after_a_failed_call_imports_each_finding_once(tmp_path, publish_stub, aws_env):
    findings = numbered_findings(500)
    path = write_findings(tmp_path / "report.asff.json", findings)
    failing = publish_stub()
    failing.account.fail_after = 3

    first = publish(failing, aws_env, "securityhub", str(path))

    assert first.returncode == 1
    assert "securityhub:BatchImportFindings failed: InvalidAccessException" in first.stderr
    assert "--resume" in first.stderr
    assert len(failing.account.batches) == 3
    journal = json.loads((tmp_path / "report.asff.json.fleetaudit-publish.json").read_text())
    assert journal["nextFinding"] == 300 and journal["inFlight"] is None

    again = publish(publish_stub(), aws_env, "securityhub", str(path))
    assert again.returncode == 2 and "--resume" in again.stderr  # not from the start by mistake

    resumed = publish_stub()
    result = publish(resumed, aws_env, "securityhub", str(path), "--resume")

    assert result.returncode == 0, result.stderr
    assert imported_ids(failing, resumed) == [finding["Id"] for finding in findings]
    assert not os.path.exists(tmp_path / "report.asff.json.fleetaudit-publish.json")


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGKILL])
def test_resume_after_a_kill_imports_each_finding_once(tmp_path, publish_stub, aws_env, stop_signal):
    findings = numbered_findings(1000)
    path = write_findings(tmp_path / "report.asff.json", findings)
    slow = publish_stub(delay=0.05)
    process = subprocess.Popen(publish_command(slow, "securityhub", str(path)), env=aws_env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while len(slow.account.batches) < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(stop_signal)
    _, stderr = process.communicate(timeout=30)
    journal = json.loads((tmp_path / "report.asff.json.fleetaudit-publish.json").read_text())
    if stop_signal == signal.SIGTERM:  # the batch in flight is finished and recorded, then it stops
        assert process.returncode == 130 and "--resume" in stderr
        assert journal["inFlight"] is None
    assert 4 <= len(slow.account.batches) < 10

    resumed = publish_stub()
    result = publish(resumed, aws_env, "securityhub", str(path), "--resume")

    assert result.returncode == 0, result.stderr
    ids = imported_ids(slow, resumed)
    assert sorted(set(ids)) == sorted(finding["Id"] for finding in findings)
    twice = sorted({identifier for identifier in ids if ids.count(identifier) > 1})
    if journal["inFlight"] is None:
        assert twice == []
    else:  # killed during a call: only that batch may have reached Security Hub before, and is sent again
        assert set(twice) <= {finding["Id"] for finding in findings[journal["inFlight"]:journal["inFlight"] + 100]}
        assert "sending it again" in result.stderr


def hostile_files():
    large = asff_finding("X_CHECK", "clientId", "big-one", "R", description_bytes=MAX_FINDING_BYTES)
    return {
        "not-json.json": (b'{"Findings": [{"Id": ', "1:22: $.Findings[0]: Expecting value"),
        "top-level-array.json": (b"[]", "1:1: expected {"),
        "deep.json": (b'{"Findings": [' + b'{"a": ' * 50000, "$.Findings[0]: nested too deeply"),
        "not-utf8.json": (b'{"Findings": ["\xff"]}', "not UTF-8"),
        "nan.json": (b'{"Findings": [{"Id": NaN}]}', "$.Findings[0]: NaN"),
        "wrong-type.json": (json.dumps({"Findings": [dict(asff_finding("A", "clientId", "a", "R"),
                                                          Severity={"Normalized": "70"})]}).encode(),
                            "$.Findings[0].Severity.Normalized: expected an integer"),
        "missing.json": (json.dumps({"Findings": [{"Id": "x"}]}).encode(),
                         "$.Findings[0]: required member SchemaVersion is missing"),
        "too-large.json": (json.dumps({"Findings": [asff_finding("A", "clientId", "a", "R"), large]}).encode(),
                           f'$.Findings[1]: the finding "{large["Id"]}" is'),
        "other-region.json": (json.dumps({"Findings": [dict(asff_finding("A", "clientId", "a", "R"),
                                                            ProductArn=PRODUCT_ARN.replace(REGION, "us-east-1"))]}
                                         ).encode(), "findings for us-east-1"),
    }


@pytest.mark.parametrize("name", sorted(hostile_files()))
def test_hostile_or_wrong_inputs_are_refused_by_name(tmp_path, name):
    content, named = hostile_files()[name]
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(InputError) as refused:
        surveyed(str(path), REGION)  # the first pass, which every import makes before its first call

    assert str(refused.value).startswith(f"{path}") and named in str(refused.value)


def test_a_refused_file_exits_2_and_sends_nothing(tmp_path, publish_stub, aws_env):
    stub = publish_stub()
    content, named = hostile_files()["too-large.json"]
    path = tmp_path / "report.asff.json"
    path.write_bytes(content)

    result = publish(stub, aws_env, "securityhub", str(path))

    assert result.returncode == 2 and named in result.stderr and "nothing was imported" in result.stderr
    assert stub.calls == [] and not os.path.exists(f"{path}.fleetaudit-publish.json")


# ---- the IAM policies ----

def test_the_readme_policies_list_exactly_the_operations_each_subcommand_may_call():
    policies = readme_publish_policies()
    assert policies == {"FleetauditPublishSns": {f"sns:{op}" for op in PUBLISH_OPERATIONS["sns"]["sns"]},
                        "FleetauditPublishSecurityHub": {f"securityhub:{op}" for op in
                                                         PUBLISH_OPERATIONS["securityhub"]["securityhub"]}}


def test_the_version_is_the_projects():
    with open(os.path.join(SOURCE_DIR, "CMakeLists.txt"), encoding="utf-8") as file:
        project_version = re.search(r"project\(fleetaudit VERSION (\S+)", file.read()).group(1)
    result = subprocess.run([PYTHON, PUBLISHER, "--version"], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == f"fleetaudit-publish {project_version}"


@pytest.mark.parametrize("topic_arn, named", [
    (TOPIC_ARN + ".fifo", "not FIFO"),
    (TOPIC_ARN.replace(REGION, "us-east-1"), "give --region us-east-1"),
    ("arn:aws:sns:eu-west-1:123456789012:a\nb", "expected arn:aws:sns:REGION:ACCOUNT:TOPIC"),
])
def test_a_topic_that_cannot_take_the_message_is_refused_before_any_call(topic_arn, named):
    with pytest.raises(UsageError) as refused:
        checked_topic(topic_arn, REGION)
    assert named in str(refused.value)


# ---- the analyzer's own reports, end to end ----

def test_the_analyzers_notification_and_findings_are_published_as_they_are(tmp_path, publish_stub, aws_env):
    """fleetaudit audit --format notification / asff on the demo, sent by fleetaudit-publish: the
    message SNS receives is the report, and Security Hub receives every finding of the report."""
    demo = os.path.join(SOURCE_DIR, "fixtures", "demo")
    reports = {}
    for report_format in ("notification", "asff"):
        path = tmp_path / f"demo.{report_format}.json"
        audit = subprocess.run([FLEETAUDIT, "audit", demo, "--format", report_format, "--output", str(path)],
                               capture_output=True, text=True, timeout=120)
        assert audit.returncode == 1, audit.stderr  # the demo is built to fail
        reports[report_format] = path
    stub = publish_stub()
    sent = publish(stub, aws_env, "sns", "--topic-arn", TOPIC_ARN, str(reports["notification"]))
    imported = publish(stub, aws_env, "securityhub", str(reports["asff"]))
    assert sent.returncode == 0, sent.stderr
    assert imported.returncode == 0, imported.stderr
    notification = json.loads(reports["notification"].read_text())
    assert [json.loads(p["Message"]) for p in stub.account.published] == [notification]
    attributes = stub.account.published[0]["MessageAttributes"]
    assert attributes["nonCompliantChecksCount"]["StringValue"] == str(notification["nonCompliantChecksCount"])
    findings = json.loads(reports["asff"].read_text())["Findings"]
    assert len(findings) > 3 and stub.account.imported == findings
