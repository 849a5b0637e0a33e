"""What fleetaudit-publish talks to, for its tests: an account whose SNS Publish and Security Hub
BatchImportFindings record what they received (arrival times included), a stub that records when
every request arrived (throttled ones too), and ASFF findings shaped as Device Defender's Security
Hub integration sends them, made from the demo fleet's expected findings."""

import json
import os
import time
import uuid

from account import Account
from aws_stub import ApiError, Stub
from conftest import SOURCE_DIR

ACCOUNT_ID, REGION = "123456789012", "eu-west-1"
PRODUCT_ARN = f"arn:aws:securityhub:{REGION}:{ACCOUNT_ID}:product/{ACCOUNT_ID}/default"
TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:fleetaudit-audits"


class PublishAccount(Account):
    """Knobs: `refused` {finding Id: (ErrorCode, ErrorMessage)} answered as FailedFindings;
    `fail_after` batches answered, after which every import is refused with a non-retryable
    error; `internal_errors` imports answered with a 500 first; `throttled_publishes` Publish
    calls answered with SNS's Throttled first."""

    def __init__(self):
        super().__init__(ACCOUNT_ID, REGION)
        self.published = []        # Publish parameters
        self.batches = []           # [finding Id] per BatchImportFindings call answered
        self.batch_bytes = []       # the request body's size, as botocore serialised it
        self.imported = []          # every finding received, in order
        self.refused, self.fail_after, self.throttled_publishes, self.internal_errors = {}, None, 0, 0

    def Publish(self, params, size):
        if self.throttled_publishes:
            self.throttled_publishes -= 1
            raise ApiError("Throttled", "Rate exceeded", 429)
        self.published.append(params)
        return {"MessageId": str(uuid.uuid4())}

    def BatchImportFindings(self, params, size):
        if self.fail_after is not None and len(self.batches) >= self.fail_after:
            raise ApiError("InvalidAccessException", "stub: Security Hub is not enabled in this account", 401)
        if self.internal_errors:
            self.internal_errors -= 1
            raise ApiError("InternalException", "stub: internal error", 500)
        findings = params["Findings"]
        self.batches.append([finding["Id"] for finding in findings])
        self.batch_bytes.append(len(json.dumps({"Findings": findings})))
        self.imported.extend(findings)
        failed = [{"Id": f["Id"], "ErrorCode": self.refused[f["Id"]][0], "ErrorMessage": self.refused[f["Id"]][1]}
                  for f in findings if f["Id"] in self.refused]
        return {"SuccessCount": len(findings) - len(failed), "FailedCount": len(failed), "FailedFindings": failed}


class TimedStub(Stub):
    """Records the arrival time of every request, before it is throttled or answered."""

    def __init__(self, account, **knobs):
        super().__init__(account, **knobs)
        self.arrivals = []

    def handle(self, request):
        with self.lock:
            self.arrivals.append(time.monotonic())
        return super().handle(request)


def most_in_one_second(times):
    """The most arrivals in any window [t, t + 1 s)."""
    times, most, first = sorted(times), 0, 0
    for last, moment in enumerate(times):
        while moment - times[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


def demo_findings():
    """(check, resource id type, resource id, reason code) of each finding in fixtures/demo/expected.txt."""
    found = []
    with open(os.path.join(SOURCE_DIR, "fixtures", "demo", "expected.txt"), encoding="utf-8") as file:
        for line in file:
            if line.startswith("finding "):
                check, resource, reason = line.split()[1:4]
                kind, _, identifier = resource.partition("=")
                found.append((check, kind, identifier, reason))
    return found


RESOURCE_TYPES = {"deviceCertificateId": "AwsIotCertificate", "caCertificateId": "AwsIotCaCertificate",
                  "policyVersionIdentifier": "AwsIotPolicy", "roleAliasArn": "AwsIotRoleAlias",
                  "cognitoIdentityPoolId": "AwsCognitoIdentityPool", "clientId": "AwsIotClientId"}


def asff_finding(check, kind, identifier, reason, record_state="ACTIVE", description_bytes=0):
    """One AuditFinding record as Device Defender's integration shapes it (Id: account / resource
    type / resource id / check / reason code), padded to a size when asked."""
    resource_type = RESOURCE_TYPES.get(kind, "Other")
    return {
        "SchemaVersion": "2018-10-08",
        "Id": f"{ACCOUNT_ID}/{resource_type}/{identifier}/{check}/{reason}",
        "ProductArn": PRODUCT_ARN,
        "GeneratorId": check,
        "AwsAccountId": ACCOUNT_ID,
        "Types": ["Software and Configuration Checks/Vulnerabilities"],
        "CreatedAt": "2026-12-07T02:00:00.000Z",
        "UpdatedAt": "2026-12-07T02:00:00.000Z",
        "Severity": {"Label": "HIGH", "Normalized": 70},
        "Title": f"{check}: {reason}",
        "Description": f"{resource_type} {identifier} is non-compliant with {check}." + " " * description_bytes,
        "Resources": [{"Type": resource_type, "Id": identifier, "Partition": "aws", "Region": REGION}],
        "ProductFields": {"CheckName": check, "ReasonForNonComplianceCode": reason},
        "RecordState": record_state,
        "Workflow": {"Status": "NEW" if record_state == "ACTIVE" else "RESOLVED"},
    }


def numbered_findings(count, large=(), large_bytes=235_000):
    """`count` findings, those whose index is in `large` padded to about `large_bytes`."""
    return [asff_finding("DEVICE_CERTIFICATE_EXPIRING_CHECK", "deviceCertificateId", f"{index:064x}",
                         "CERTIFICATE_EXPIRING", description_bytes=large_bytes if index in large else 0)
            for index in range(count)]


def write_findings(path, findings):
    with open(path, "w", encoding="utf-8") as file:
        json.dump({"Findings": findings}, file, indent=4)
    return path


def notification(**changes):
    """An audit-notification message (schema arn:aws:iot:::schema:auditnotification/1.0) of the demo."""
    message = {
        "accountId": ACCOUNT_ID, "taskId": "fa0c1d3e5b7a9f2e4d6c8b0a1e3f5d7c", "taskStatus": "COMPLETED",
        "taskType": "SCHEDULED_AUDIT_TASK", "failedChecksCount": 1, "canceledChecksCount": 1,
        "nonCompliantChecksCount": 2, "compliantChecksCount": 1, "totalChecksCount": 5,
        "taskStartTime": 1796608800000,
        "auditDetails": [
            {"checkName": "CA_CERTIFICATE_EXPIRING_CHECK", "checkRunStatus": "COMPLETED_COMPLIANT",
             "nonCompliantResourcesCount": 0, "totalResourcesCount": 2},
            {"checkName": "DEVICE_CERTIFICATE_SHARED_CHECK", "checkRunStatus": "COMPLETED_NON_COMPLIANT",
             "nonCompliantResourcesCount": 1, "totalResourcesCount": 9},
            {"checkName": "IOT_POLICY_OVERLY_PERMISSIVE_CHECK", "checkRunStatus": "COMPLETED_NON_COMPLIANT",
             "nonCompliantResourcesCount": 3, "totalResourcesCount": 5},
            {"checkName": "CONFLICTING_CLIENT_IDS_CHECK", "checkRunStatus": "FAILED",
             "nonCompliantResourcesCount": 0, "totalResourcesCount": 0, "errorCode": "INPUT_MISSING",
             "message": "iot-logs/ is not in the snapshot"},
            {"checkName": "LOGGING_DISABLED_CHECK", "checkRunStatus": "CANCELED",
             "nonCompliantResourcesCount": 0, "totalResourcesCount": 0, "errorCode": "AUDIT_CHECK_DISABLED"},
        ],
    }
    message.update(changes)
    return message
