"""The write side of the loopback stub, for fleetaudit-apply's tests: ApplyAccount adds the IoT and
SNS operations a mitigation plan makes (and the reads it makes first), changing the account so
that a later read or export sees the change; ApplyStub adds the knobs the tests need on the wire:
it records when every request arrived, throttles an API that is called faster than a rate the test
sets, and answers ExpiredTokenException once a number of requests have been served."""

import collections
import datetime
import threading
import time

from account import Account, from_snapshot
from aws_stub import ApiError, Stub

MAX_POLICY_VERSIONS = 5


class ApplyAccount(Account):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.changes = []           # (operation, resource) of every change made, in order
        self.published = []         # (topic ARN, message)
        self.planted_failures = {}  # resource -> (code, message, status): its change fails
        self.unavailable = {}       # resource -> how many more times its change answers 503

    @classmethod
    def from_snapshot(cls, directory):
        """The account a snapshot directory describes (account.from_snapshot), writable."""
        account = from_snapshot(directory)
        account.__class__ = cls
        account.changes, account.published, account.planted_failures, account.unavailable = [], [], {}, {}
        return account

    def _planted(self, resource):
        if self.unavailable.get(resource, 0) > 0:
            self.unavailable[resource] -= 1
            raise ApiError("ServiceUnavailableException", "stub: try again", 503)
        if resource in self.planted_failures:
            raise ApiError(*self.planted_failures[resource])

    def _changed(self, operation, resource):
        self.changes.append((operation, resource))

    @staticmethod
    def _now():
        return datetime.datetime.now(datetime.timezone.utc).isoformat()

    # ---- certificates ----
    def UpdateCertificate(self, params, size):
        certificate = self.certificates.get(params["certificateId"])
        if certificate is None:
            raise ApiError("ResourceNotFoundException", "certificate not found", 404)
        self._planted(params["certificateId"])
        if certificate["status"] == "REVOKED":
            raise ApiError("CertificateStateException", "a revoked certificate's status cannot change", 406)
        certificate["status"] = params["newStatus"]
        certificate["lastModifiedDate"] = self._now()
        self._listed_certificates = None
        self._changed("UpdateCertificate", params["certificateId"])
        return {}

    def UpdateCACertificate(self, params, size):
        certificate = self.ca_certificates.get(params["certificateId"])
        if certificate is None:
            raise ApiError("ResourceNotFoundException", "CA certificate not found", 404)
        self._planted(params["certificateId"])
        certificate["status"] = params["newStatus"]
        certificate["lastModifiedDate"] = self._now()
        self._changed("UpdateCACertificate", params["certificateId"])
        return {}

    # ---- thing groups ----
    def ListThingGroupsForThing(self, params, size):
        if params["thingName"] not in {t["thingName"] for t in self.things}:
            raise ApiError("ResourceNotFoundException", f"Thing {params['thingName']} not found", 404)
        groups = [{"groupName": g["groupName"], "groupArn": g["groupArn"]} for g in self.groups.values()
                  if params["thingName"] in g["things"]]
        return {"thingGroups": groups}

    def AddThingToThingGroup(self, params, size):
        group = self.groups.get(params.get("thingGroupName"))
        if group is None:
            raise ApiError("ResourceNotFoundException", "thing group not found", 404)
        thing = params.get("thingName")
        if thing not in {t["thingName"] for t in self.things}:
            raise ApiError("ResourceNotFoundException", f"Thing {thing} not found", 404)
        self._planted(thing)
        if thing not in group["things"]:
            group["things"].append(thing)
        self._changed("AddThingToThingGroup", f"{thing}/{group['groupName']}")
        return {}

    # ---- policy versions ----
    def CreatePolicyVersion(self, params, size):
        entry = self._policy(params["policyName"])
        self._planted(params["policyName"])
        if len(entry["versions"]) >= MAX_POLICY_VERSIONS:
            raise ApiError("VersionsLimitExceededException", "The policy has too many versions", 409)
        number = str(max(int(v["policyVersionId"]) for v in entry["versions"]) + 1)
        now = self._now()
        default = bool(params.get("setAsDefault"))
        if default:
            for version in entry["versions"]:
                version["isDefaultVersion"] = False
            entry["policy"].update(policyDocument=params["policyDocument"], defaultVersionId=number,
                                   lastModifiedDate=now)
        policy = entry["policy"]
        entry["versions"].append({"policyArn": policy["policyArn"], "policyName": policy["policyName"],
                                  "policyDocument": params["policyDocument"], "policyVersionId": number,
                                  "isDefaultVersion": default, "creationDate": now, "lastModifiedDate": now,
                                  "generationId": number})
        self._changed("CreatePolicyVersion", params["policyName"])
        return {"policyArn": policy["policyArn"], "policyDocument": params["policyDocument"],
                "policyVersionId": number, "isDefaultVersion": default}

    def DeletePolicyVersion(self, params, size):
        entry = self._policy(params["policyName"])
        for version in entry["versions"]:
            if version["policyVersionId"] == params["policyVersionId"]:
                if version["isDefaultVersion"]:
                    raise ApiError("DeleteConflictException", "Cannot delete the default version of a policy", 409)
                entry["versions"].remove(version)
                self._changed("DeletePolicyVersion", f"{params['policyName']}/{params['policyVersionId']}")
                return {}
        raise ApiError("ResourceNotFoundException", "version not found", 404)

    # ---- logging ----
    def SetV2LoggingOptions(self, params, size):
        self.logging_v2 = {key: params[key] for key in ("roleArn", "defaultLogLevel", "disableAllLogs") if key in params}
        self._changed("SetV2LoggingOptions", params.get("roleArn", ""))
        return {}

    # ---- SNS ----
    def Publish(self, params, size):
        self._planted(params["TopicArn"])
        self.published.append((params["TopicArn"], params["Message"]))
        self._changed("Publish", params["TopicArn"])
        return {"MessageId": f"{len(self.published):08d}-0000-0000-0000-000000000000"}


class ApplyStub(Stub):
    """`rate_limits` {operation: requests per second}: a request that would make more than that many
    of one operation within any one second is answered ThrottlingException (counted over accepted
    requests, as AWS's token buckets count). `expire_after`: requests past this many (all
    operations) are answered ExpiredTokenException until `expire_after` is set to None.
    `arrivals` records (monotonic time, operation, accepted) for every request."""

    def __init__(self, account, rate_limits=None, expire_after=None, **knobs):
        super().__init__(account, **knobs)
        self.rate_limits = dict(rate_limits or {})
        self.expire_after = expire_after
        self.arrivals = []
        self.recent = collections.defaultdict(collections.deque)
        self.served = 0
        self.gate = threading.Lock()

    def _parse(self, service, request):
        operation, params = super()._parse(service, request)
        with self.gate:
            now = time.monotonic()
            self.served += 1
            if self.expire_after is not None and self.served > self.expire_after:
                self.arrivals.append((now, operation, False))
                raise ApiError("ExpiredTokenException" if service != "sns" else "ExpiredToken",
                               "The security token included in the request is expired", 403)
            limit = self.rate_limits.get(operation)
            window = self.recent[operation]
            while window and now - window[0] >= 1.0:
                window.popleft()
            if limit is not None and len(window) >= limit:
                self.arrivals.append((now, operation, False))
                raise ApiError("ThrottlingException" if service != "sns" else "Throttled", "Rate exceeded", 429)
            window.append(now)
            self.arrivals.append((now, operation, True))
        return operation, params

    def busiest_second(self, operation):
        """The most requests of `operation` (accepted or not) that arrived within any one second."""
        times = sorted(t for t, op, _ in self.arrivals if op == operation)
        best, start = 0, 0
        for end in range(len(times)):
            while times[end] - times[start] >= 1.0:
                start += 1
            best = max(best, end - start + 1)
        return best
