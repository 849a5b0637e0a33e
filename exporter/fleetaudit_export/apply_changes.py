"""Each change of a plan as AWS calls: read the resource's current state first (a change already
made is "already", not repeated), then make exactly the call fix_script.cpp's function makes; and,
for --verify, the read-only check that the change took. Retries, backoff and the stop on expired
credentials live in attempt()."""

import random
import time

from .apply_journal import ALREADY, DONE
from .apply_plan import DENY_ALL_POLICY
from .calls import CallFailed

# The API calls fleetaudit-apply makes, by service; the README's IAM policy for it lists exactly
# these (tests/exporter/test_apply.py checks both directions).
APPLY_OPERATIONS = {
    "sts": ["GetCallerIdentity"],
    "sns": ["Publish"],
    "iot": ["GetV2LoggingOptions", "SetV2LoggingOptions", "ListThingGroupsForThing", "AddThingToThingGroup",
            "GetPolicy", "GetPolicyVersion", "ListPolicyVersions", "CreatePolicyVersion", "DeletePolicyVersion",
            "DescribeCertificate", "UpdateCertificate", "DescribeCACertificate", "UpdateCACertificate"],
}

# Default requests per second per API, per account and Region: AWS IoT Core's API throttling
# table (https://docs.aws.amazon.com/general/latest/gr/iot-core.html#throttling-limits, the
# "API TPS" quotas in Service Quotas; AddThingToThingGroup L-2904683A = 100 and
# ListThingGroupsForThing L-75F129AD = 100 were cross-checked against a Service Quotas listing,
# the others are the table's values as the README records them) and Amazon SNS's Publish quota
# (https://docs.aws.amazon.com/general/latest/gr/sns.html: 30,000/s in us-east-1, 9,000/s in
# us-west-2 and eu-west-1, lower elsewhere; 300 here, the lowest regional figure, so that no Region
# is overrun). Raised quotas: --quota API=TPS.
APPLY_TPS = {
    "GetCallerIdentity": 10,
    "Publish": 300,
    "GetV2LoggingOptions": 2, "SetV2LoggingOptions": 2,
    "ListThingGroupsForThing": 100, "AddThingToThingGroup": 100,
    "GetPolicy": 10, "GetPolicyVersion": 15, "ListPolicyVersions": 10, "CreatePolicyVersion": 10,
    "DeletePolicyVersion": 10,
    "DescribeCertificate": 10, "UpdateCertificate": 10, "DescribeCACertificate": 10, "UpdateCACertificate": 10,
}

# The read each change makes before its write (its write's quota and this one's both bound a phase).
READ_BEFORE = {"UpdateCertificate": ["DescribeCertificate"], "UpdateCACertificate": ["DescribeCACertificate"],
               "AddThingToThingGroup": ["ListThingGroupsForThing"], "DeletePolicyVersion": ["GetPolicyVersion"],
               "CreatePolicyVersion": ["GetPolicy", "ListPolicyVersions"],
               "SetV2LoggingOptions": ["GetV2LoggingOptions"], "Publish": []}
SERVICE_OF = {operation: service for service, operations in APPLY_OPERATIONS.items() for operation in operations}

THROTTLED = {"ThrottlingException", "Throttling", "Throttled", "TooManyRequestsException", "RequestLimitExceeded",
             "LimitExceededException"}
EXPIRED = {"ExpiredTokenException", "ExpiredToken", "RequestExpired", "InvalidClientTokenId",
           "UnrecognizedClientException", "InvalidSignatureException", "NoCredentialsError",
           "TokenRetrievalError", "SSOTokenLoadError", "UnauthorizedSSOTokenError"}
MAX_ATTEMPTS = 8
MAX_BACKOFF_SECONDS = 20.0


class ChangeFailed(Exception):
    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


class Stopped(Exception):
    """The run cannot go on (the credentials expired, the connection is gone): stop cleanly, resume later."""


def _status(error):
    cause = error.__cause__
    response = getattr(cause, "response", None) or {}
    return response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)


def _transient(error):
    """Throttled, a 5xx, or the connection dropped: worth another attempt after a pause."""
    return error.code in THROTTLED or _status(error) >= 500 or error.code in (
        "EndpointConnectionError", "ConnectionClosedError", "ReadTimeoutError", "ConnectTimeoutError")


def attempt(calls, operation, **params):
    """One API call through the API's rate limiter; throttling and 5xx answers slow the limiter
    down and are retried with jittered exponential backoff. Raises ChangeFailed with AWS's code and
    message, or Stopped when the credentials no longer work."""
    limiter = calls.limiters[operation]
    for number in range(MAX_ATTEMPTS):
        try:
            response = calls.call(SERVICE_OF[operation], operation, **params)
        except CallFailed as error:
            if error.code in EXPIRED:
                raise Stopped(f"{operation}: {error.code}: {error.message}") from None
            if number + 1 < MAX_ATTEMPTS and _transient(error):
                if error.code in THROTTLED:
                    limiter.throttled()
                time.sleep(min(MAX_BACKOFF_SECONDS, 0.1 * 2 ** number) * (0.5 + random.random() / 2))
                continue
            raise ChangeFailed(error.code or "Error", error.message or str(error)) from None
        except Exception as error:  # credentials missing or unreadable mid-run
            if type(error).__name__ in EXPIRED:
                raise Stopped(f"{operation}: {type(error).__name__}: {error}") from None
            raise
        limiter.succeeded()
        return response
    raise AssertionError("unreachable")


def _not_found(operation, **params):
    def check(calls):
        try:
            attempt(calls, operation, **params)
        except ChangeFailed as error:
            if error.code == "ResourceNotFoundException":
                return True
            raise
        return False
    return check


def _thing_groups(calls, thing_name):
    """The thing's groups (AWS allows a thing at most 10; the listing is paged all the same)."""
    names, token = set(), None
    for _ in range(100):
        response = attempt(calls, "ListThingGroupsForThing", thingName=thing_name,
                           **({"nextToken": token} if token else {}))
        names.update(group.get("groupName") for group in response.get("thingGroups", []))
        token = response.get("nextToken")
        if not token:
            break
    return names


def _compact(document):
    """The policy document without whitespace, as the script compares it (tr -d ' \\n\\t')."""
    return "".join(str(document).split())


def _logging_matches(calls, params):
    try:
        current = attempt(calls, "GetV2LoggingOptions")
    except ChangeFailed as error:
        if error.code == "NotConfiguredException":
            return False
        raise
    return (current.get("roleArn") == params["roleArn"] and current.get("defaultLogLevel") == params["defaultLogLevel"]
            and not current.get("disableAllLogs", False))


def _certificate_status(calls, change):
    if change.operation == "UpdateCertificate":
        return attempt(calls, "DescribeCertificate", certificateId=change.params["certificateId"])[
            "certificateDescription"].get("status")
    return attempt(calls, "DescribeCACertificate", certificateId=change.params["certificateId"])[
        "certificateDescription"].get("status")


def apply_change(calls, change):
    """Makes one change: returns (DONE or ALREADY, a note) or raises ChangeFailed / Stopped."""
    p, operation = change.params, change.operation
    if operation in ("UpdateCertificate", "UpdateCACertificate"):
        status = _certificate_status(calls, change)
        if status in ("INACTIVE", "REVOKED"):
            return ALREADY, f"the certificate is already {status}"
        attempt(calls, operation, certificateId=p["certificateId"], newStatus="INACTIVE")
        return DONE, f"{status} -> INACTIVE"
    if operation == "AddThingToThingGroup":
        if p["thingGroupName"] in _thing_groups(calls, p["thingName"]):
            return ALREADY, "the thing is already in the group"
        attempt(calls, operation, thingName=p["thingName"], thingGroupName=p["thingGroupName"],
                overrideDynamicGroups=p["overrideDynamicGroups"])
        return DONE, ""
    if operation == "DeletePolicyVersion":
        if _not_found("GetPolicyVersion", policyName=p["policyName"], policyVersionId=p["policyVersionId"])(calls):
            return ALREADY, "the version is already deleted"
        attempt(calls, operation, policyName=p["policyName"], policyVersionId=p["policyVersionId"])
        return DONE, ""
    if operation == "CreatePolicyVersion":
        return _create_default_version(calls, p)
    if operation == "SetV2LoggingOptions":
        if _logging_matches(calls, p):
            return ALREADY, "v2 logging already has these options"
        attempt(calls, operation, roleArn=p["roleArn"], defaultLogLevel=p["defaultLogLevel"], disableAllLogs=False)
        return DONE, ""
    if operation == "Publish":  # not idempotent: the journal is what keeps it from being sent twice
        response = attempt(calls, "Publish", TopicArn=p["topicArn"], Message=p["message"])
        return DONE, f"message id {str(response.get('MessageId', ''))[:100]}"
    raise AssertionError(operation)


def _create_default_version(calls, p):
    current = attempt(calls, "GetPolicy", policyName=p["policyName"])
    if _compact(current.get("policyDocument", "")) == _compact(DENY_ALL_POLICY):
        return ALREADY, "the deny-all version is already the default"
    versions = attempt(calls, "ListPolicyVersions", policyName=p["policyName"]).get("policyVersions", [])
    if len(versions) >= 5:
        # The plan deletes the oldest non-default version first when the snapshot had five; if the
        # account has five now, it changed since: deleting another version is not this plan's call.
        raise ChangeFailed("VersionsLimitExceededException",
                           f"policy {p['policyName']} has {len(versions)} versions, AWS's limit is five, and the plan "
                           "deletes none to make room for the new one (the account changed after the snapshot): "
                           "export again and plan from the new snapshot")
    response = attempt(calls, "CreatePolicyVersion", policyName=p["policyName"], policyDocument=p["policyDocument"],
                       setAsDefault=True)
    created = str(response.get("policyVersionId", ""))[:20]
    note = f"version {created} is the default"
    if created != p["expectedPolicyVersionId"]:
        note += f" (the plan expected version {p['expectedPolicyVersionId']})"
    return DONE, note


def verify_change(calls, change):
    """None when the change is in place, else what is wrong. Read-only calls only."""
    p, operation = change.params, change.operation
    if operation in ("UpdateCertificate", "UpdateCACertificate"):
        status = _certificate_status(calls, change)
        return None if status in ("INACTIVE", "REVOKED") else f"certificate {p['certificateId']} is {status}"
    if operation == "AddThingToThingGroup":
        return None if p["thingGroupName"] in _thing_groups(calls, p["thingName"]) else \
            f"thing {p['thingName']} is not in thing group {p['thingGroupName']}"
    if operation == "DeletePolicyVersion":
        gone = _not_found("GetPolicyVersion", policyName=p["policyName"], policyVersionId=p["policyVersionId"])(calls)
        return None if gone else f"policy {p['policyName']} still has version {p['policyVersionId']}"
    if operation == "CreatePolicyVersion":
        current = attempt(calls, "GetPolicy", policyName=p["policyName"])
        return None if _compact(current.get("policyDocument", "")) == _compact(DENY_ALL_POLICY) else \
            f"policy {p['policyName']}'s default version is not the deny-all document"
    if operation == "SetV2LoggingOptions":
        return None if _logging_matches(calls, p) else "v2 logging does not have the plan's options"
    raise AssertionError(operation)
