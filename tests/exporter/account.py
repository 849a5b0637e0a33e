"""The account state the stub serves, and its API operations (one method per operation,
taking the request's parameters and the stub's page size, returning the response dict). Records
are kept as a snapshot holds them (times as ISO strings or epoch seconds, IAM documents as JSON
objects); the stub turns them into the model's types on the way out."""

import datetime
import glob
import json
import os

from aws_stub import ApiError, page

UTC = datetime.timezone.utc


def limit(params, name, size):
    return min(int(params.get(name) or size), size)


class Account:
    def __init__(self, account_id="123456789012", region="eu-west-1"):
        self.account_id, self.region = account_id, region
        self.things = []                 # ThingAttribute
        self.thing_principals = {}       # thing name -> [principal ARN]
        self.certificates = {}           # id -> CertificateDescription
        self.ca_certificates = {}        # id -> CACertificateDescription
        self.policies = {}               # name -> {"policy": GetPolicy fields, "versions": [GetPolicyVersion]}
        self.policy_targets = {}         # name -> [targets]
        self.groups = {}                 # name -> {"groupName", "groupArn", "things": [...]}
        self.logging_v1 = {}
        self.logging_v2 = None           # None: NotConfiguredException
        self.logging_levels = []
        self.role_aliases = {}           # alias -> RoleAliasDescription
        self.iam = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}
        self.last_accessed = {}          # role ARN -> GetServiceLastAccessedDetails response
        self.jobs = {}
        self.identity_pools = {}         # id -> GetIdentityPoolRoles response
        self.audit_configuration = {"auditCheckConfigurations": {}}
        self.suppressions = []
        self.log_events = None           # None: the log group does not exist

    def arn(self, kind, name):
        return f"arn:aws:iot:{self.region}:{self.account_id}:{kind}/{name}"

    # ---- STS ----
    def GetCallerIdentity(self, params, size):
        return {"UserId": "AIDAEXAMPLE", "Account": self.account_id,
                "Arn": f"arn:aws:sts::{self.account_id}:assumed-role/auditor/test"}

    # ---- IoT ----
    def ListThings(self, params, size):
        items, token = page(self.things, params.get("nextToken"), limit(params, "maxResults", size))
        return {"things": items, **({"nextToken": token} if token else {})}

    def ListThingPrincipals(self, params, size):
        name = params["thingName"]
        if name not in self.thing_principals:
            if getattr(self, "_thing_names", None) is None:
                self._thing_names = {t["thingName"] for t in self.things}
            if name not in self._thing_names:
                raise ApiError("ResourceNotFoundException", f"Thing {name} not found", 404)
        items, token = page(self.thing_principals.get(name, []), params.get("nextToken"),
                            limit(params, "maxResults", size))
        return {"principals": items, **({"nextToken": token} if token else {})}

    def _certificate_list(self, table, extra=()):
        return [{"certificateArn": c["certificateArn"], "certificateId": c["certificateId"], "status": c["status"],
                 "creationDate": c["creationDate"], **{k: c[k] for k in extra if k in c}} for c in table.values()]

    def ListCertificates(self, params, size):
        if getattr(self, "_listed_certificates", None) is None:  # a large fleet lists in many pages
            self._listed_certificates = self._certificate_list(self.certificates, ("certificateMode",))
        items, token = page(self._listed_certificates, params.get("marker"), limit(params, "pageSize", size))
        return {"certificates": items, **({"nextMarker": token} if token else {})}

    def DescribeCertificate(self, params, size):
        found = self.certificates.get(params["certificateId"])
        if found is None:
            raise ApiError("ResourceNotFoundException", "certificate not found", 404)
        return {"certificateDescription": found}

    def ListCACertificates(self, params, size):
        items, token = page(self._certificate_list(self.ca_certificates), params.get("marker"),
                            limit(params, "pageSize", size))
        return {"certificates": items, **({"nextMarker": token} if token else {})}

    def DescribeCACertificate(self, params, size):
        found = self.ca_certificates.get(params["certificateId"])
        if found is None:
            raise ApiError("ResourceNotFoundException", "CA certificate not found", 404)
        return {"certificateDescription": found}

    def ListPolicies(self, params, size):
        listed = [{"policyName": n, "policyArn": p["policy"]["policyArn"]} for n, p in self.policies.items()]
        items, token = page(listed, params.get("marker"), limit(params, "pageSize", size))
        return {"policies": items, **({"nextMarker": token} if token else {})}

    def _policy(self, name):
        if name not in self.policies:
            raise ApiError("ResourceNotFoundException", f"policy {name} not found", 404)
        return self.policies[name]

    def GetPolicy(self, params, size):
        return dict(self._policy(params["policyName"])["policy"])

    def ListPolicyVersions(self, params, size):
        entry = self._policy(params["policyName"])
        return {"policyVersions": [{"versionId": v["policyVersionId"], "isDefaultVersion": v["isDefaultVersion"],
                                    "createDate": v["creationDate"]} for v in entry["versions"]]}

    def GetPolicyVersion(self, params, size):
        for version in self._policy(params["policyName"])["versions"]:
            if version["policyVersionId"] == params["policyVersionId"]:
                return dict(version)
        raise ApiError("ResourceNotFoundException", "version not found", 404)

    def ListTargetsForPolicy(self, params, size):
        self._policy(params["policyName"])
        items, token = page(self.policy_targets.get(params["policyName"], []), params.get("marker"),
                            limit(params, "pageSize", size))
        return {"targets": items, **({"nextMarker": token} if token else {})}

    def ListThingGroups(self, params, size):
        listed = [{"groupName": g["groupName"], "groupArn": g["groupArn"]} for g in self.groups.values()]
        items, token = page(listed, params.get("nextToken"), limit(params, "maxResults", size))
        return {"thingGroups": items, **({"nextToken": token} if token else {})}

    def ListThingsInThingGroup(self, params, size):
        group = self.groups.get(params["thingGroupName"])
        if group is None:
            raise ApiError("ResourceNotFoundException", "group not found", 404)
        items, token = page(group["things"], params.get("nextToken"), limit(params, "maxResults", size))
        return {"things": items, **({"nextToken": token} if token else {})}

    def GetLoggingOptions(self, params, size):
        return dict(self.logging_v1)

    def GetV2LoggingOptions(self, params, size):
        if self.logging_v2 is None:
            raise ApiError("NotConfiguredException", "v2 logging is not configured", 404)
        return dict(self.logging_v2)

    def ListV2LoggingLevels(self, params, size):
        if self.logging_v2 is None:
            raise ApiError("NotConfiguredException", "v2 logging is not configured", 404)
        items, token = page(self.logging_levels, params.get("nextToken"), limit(params, "maxResults", size))
        return {"logTargetConfigurations": items, **({"nextToken": token} if token else {})}

    def ListRoleAliases(self, params, size):
        items, token = page(list(self.role_aliases), params.get("marker"), limit(params, "pageSize", size))
        return {"roleAliases": items, **({"nextMarker": token} if token else {})}

    def DescribeRoleAlias(self, params, size):
        found = self.role_aliases.get(params["roleAlias"])
        if found is None:
            raise ApiError("ResourceNotFoundException", "role alias not found", 404)
        return {"roleAliasDescription": found}

    def DescribeAccountAuditConfiguration(self, params, size):
        return dict(self.audit_configuration)

    def ListAuditSuppressions(self, params, size):
        items, token = page(self.suppressions, params.get("nextToken"), limit(params, "maxResults", size))
        return {"suppressions": items, **({"nextToken": token} if token else {})}

    # ---- IAM ----
    def GetAccountAuthorizationDetails(self, params, size):
        flat = [(key, item) for key in ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")
                for item in self.iam[key]]
        items, token = page(flat, params.get("Marker"), limit(params, "MaxItems", size))
        response = {key: [item for k, item in items if k == key]
                    for key in ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")}
        response["IsTruncated"] = token is not None
        if token:
            response["Marker"] = token
        return response

    def GenerateServiceLastAccessedDetails(self, params, size):
        job = f"job-{len(self.jobs) + 1:04d}-0000-0000-0000-000000000000"
        self.jobs[job] = {"role": params["Arn"], "polls": 0}
        return {"JobId": job}

    def GetServiceLastAccessedDetails(self, params, size):
        job = self.jobs[params["JobId"]]
        job["polls"] += 1
        details = self.last_accessed.get(job["role"], {
            "JobStatus": "COMPLETED", "JobType": "SERVICE_LEVEL", "JobCreationDate": "2026-11-20T08:00:00Z",
            "JobCompletionDate": "2026-11-20T08:00:05Z", "ServicesLastAccessed": []})
        if job["polls"] == 1:  # a real job takes a moment: the first poll says so
            # (botocore's model requires a completion date even then)
            return {"JobStatus": "IN_PROGRESS", "JobCreationDate": details["JobCreationDate"],
                    "JobCompletionDate": details["JobCreationDate"], "ServicesLastAccessed": [], "IsTruncated": False}
        items, token = page(details.get("ServicesLastAccessed", []), params.get("Marker"),
                            limit(params, "MaxItems", size))
        response = {**details, "ServicesLastAccessed": items, "IsTruncated": token is not None}
        response.pop("Marker", None)
        if token:
            response["Marker"] = token
        return response

    # ---- Cognito Identity ----
    def ListIdentityPools(self, params, size):
        listed = [{"IdentityPoolId": pool_id, "IdentityPoolName": pool_id.split(":")[1][:8]}
                  for pool_id in self.identity_pools]
        items, token = page(listed, params.get("NextToken"), limit(params, "MaxResults", size))
        return {"IdentityPools": items, **({"NextToken": token} if token else {})}

    def GetIdentityPoolRoles(self, params, size):
        found = self.identity_pools.get(params["IdentityPoolId"])
        if found is None:
            raise ApiError("ResourceNotFoundException", "pool not found", 400)
        return dict(found)

    # ---- CloudWatch Logs ----
    def FilterLogEvents(self, params, size):
        if self.log_events is None or params["logGroupName"] != "AWSIotLogsV2":
            raise ApiError("ResourceNotFoundException", "The specified log group does not exist.", 400)
        chosen = [e for e in self.log_events if params.get("startTime", 0) <= e["timestamp"] <= params.get("endTime", 2**62)]
        items, token = page(chosen, params.get("nextToken"), limit(params, "limit", size))
        return {"events": items, "searchedLogStreams": [], **({"nextToken": token} if token else {})}




# ---- an account from a snapshot directory (a fixture), each file optional ----

def _load(directory, name, default=None):
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        return default
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def _load_things(account, directory):
    account.things = _load(directory, "things.json", {"things": []})["things"]
    for entry in _load(directory, "thing-principals.json", {"thingPrincipals": []})["thingPrincipals"]:
        principals = entry.get("principals") or [o["principal"] for o in entry.get("thingPrincipalObjects", [])]
        account.thing_principals.setdefault(entry["thingName"], []).extend(principals)
    for entry in _load(directory, "thing-groups.json", {"thingGroupMemberships": []})["thingGroupMemberships"]:
        for group in entry["thingGroups"]:
            account.groups.setdefault(group["groupName"], {**group, "things": []})["things"].append(entry["thingName"])


def _load_certificates(account, directory):
    for name, table in (("certificates.json", account.certificates), ("ca-certificates.json", account.ca_certificates)):
        for record in _load(directory, name, {"certificateDescriptions": []})["certificateDescriptions"]:
            table[record["certificateId"]] = record


def _load_policies(account, directory):
    for record in _load(directory, "policies.json", {"policies": []})["policies"]:
        policy = {key: value for key, value in record.items() if key != "versions"}
        default = {"policyArn": policy["policyArn"], "policyName": policy["policyName"],
                   "policyDocument": policy["policyDocument"], "policyVersionId": policy["defaultVersionId"],
                   "isDefaultVersion": True, "creationDate": policy["creationDate"],
                   "lastModifiedDate": policy["lastModifiedDate"], "generationId": policy.get("generationId", "1")}
        versions = sorted(record.get("versions", []) + [default], key=lambda v: int(v["policyVersionId"]))
        account.policies[policy["policyName"]] = {"policy": policy, "versions": versions}
    for entry in _load(directory, "policy-targets.json", {"policyTargets": []})["policyTargets"]:
        account.policy_targets[entry["policyName"]] = entry["targets"]


def _load_logging_and_audit(account, directory):
    account.logging_v1 = _load(directory, "logging-v1.json", {})
    account.logging_v2 = _load(directory, "logging-v2.json") or None
    account.logging_levels = _load(directory, "logging-v2-levels.json", {"logTargetConfigurations": []})[
        "logTargetConfigurations"]
    audit = _load(directory, "audit-configuration.json", account.audit_configuration)
    # botocore's IoT model (Debian's 1.29) knows only "enabled" per check: a member it does not
    # model would never reach boto3 or the CLI, so the stub does not send one.
    account.audit_configuration = {"auditCheckConfigurations": {
        name: {"enabled": check["enabled"]} for name, check in audit["auditCheckConfigurations"].items()}}
    account.suppressions = _load(directory, "audit-suppressions.json", {"suppressions": []})["suppressions"]


def _load_identity(account, directory):
    for record in _load(directory, "role-aliases.json", {"roleAliasDescriptions": []})["roleAliasDescriptions"]:
        account.role_aliases[record["roleAlias"]] = record
    account.iam.update(_load(directory, "iam-authorization-details.json", {}))
    for entry in _load(directory, "iam-service-last-accessed.json", {"serviceLastAccessed": []})["serviceLastAccessed"]:
        account.last_accessed[entry["roleArn"]] = entry["details"]
    for record in _load(directory, "cognito-identity-pool-roles.json", {"identityPoolRoles": []})["identityPoolRoles"]:
        account.identity_pools[record["IdentityPoolId"]] = record


def log_event(message_text):
    """A CloudWatch Logs event for one IoT log entry (its timestamp is "YYYY-MM-DD HH:MM:SS.mmm" UTC)."""
    moment = datetime.datetime.strptime(json.loads(message_text)["timestamp"], "%Y-%m-%d %H:%M:%S.%f")
    milliseconds = int(moment.replace(tzinfo=UTC).timestamp() * 1000)
    return {"logStreamName": "stub", "timestamp": milliseconds, "message": message_text,
            "ingestionTime": milliseconds + 500, "eventId": f"{milliseconds:020d}"}


def _load_logs(account, directory):
    paths = sorted(glob.glob(os.path.join(directory, "iot-logs", "*.jsonl")))
    if not paths:
        return
    account.log_events = []
    for path in paths:
        with open(path, encoding="utf-8") as file:
            account.log_events.extend(log_event(line.rstrip("\n")) for line in file if line.strip())
    account.log_events.sort(key=lambda event: event["timestamp"])


def from_snapshot(directory):
    """The account a snapshot directory describes (a fixture, say): the stub then serves it."""
    manifest = _load(directory, "manifest.json")
    account = Account(manifest["accountId"], manifest["region"])
    for load in (_load_things, _load_certificates, _load_policies, _load_logging_and_audit, _load_identity,
                 _load_logs):
        load(account, directory)
    return account


# ---- a synthetic fleet of any size (for resumption and scale) ----

PEM_FILE = os.path.join(os.path.dirname(__file__), "..", "data", "x509", "roca-safe-cert06-2048bit.pem")


def synthetic(things, groups=20, account_id="123456789012", region="eu-west-1"):
    """`things` things with one certificate each (every one the same real PEM), in `groups` groups,
    two policies (one with an older version) and v1 logging: the shape of a plain large fleet."""
    account = Account(account_id, region)
    with open(PEM_FILE, encoding="utf-8") as file:
        pem = file.read()
    for number in range(groups):
        name = f"group-{number:03d}"
        account.groups[name] = {"groupName": name, "groupArn": account.arn("thinggroup", name), "things": []}
    group_list = list(account.groups.values())
    for number in range(things):
        name = f"thing-{number:07d}"
        certificate_id = f"{number:064x}"
        account.things.append({"thingName": name, "thingArn": account.arn("thing", name), "thingTypeName": "sensor",
                               "attributes": {"site": f"site-{number % 50}"}, "version": 1})
        account.thing_principals[name] = [account.arn("cert", certificate_id)]
        account.certificates[certificate_id] = {
            "certificateArn": account.arn("cert", certificate_id), "certificateId": certificate_id,
            "status": "ACTIVE", "certificatePem": pem, "ownedBy": account.account_id,
            "creationDate": 1735689600 + number, "lastModifiedDate": 1735689600 + number, "customerVersion": 1,
            "generationId": "1", "validity": {"notBefore": 1735689600, "notAfter": 2051222400},
            "certificateMode": "DEFAULT"}
        group_list[number % groups]["things"].append(name)
    document = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"}]})
    for name in ("SensorPolicy", "OldPolicy"):
        arn = account.arn("policy", name)
        versions = [{"policyArn": arn, "policyName": name, "policyDocument": document, "policyVersionId": str(v),
                     "isDefaultVersion": v == 2, "creationDate": 1735689600 + v, "lastModifiedDate": 1735689600 + v,
                     "generationId": str(v)} for v in (1, 2)]
        account.policies[name] = {"policy": {"policyName": name, "policyArn": arn, "policyDocument": document,
                                             "defaultVersionId": "2", "creationDate": 1735689600,
                                             "lastModifiedDate": 1735689602, "generationId": "2"},
                                  "versions": versions}
        account.policy_targets[name] = [account.arn("cert", f"{0:064x}")]
    account.logging_v1 = {"roleArn": f"arn:aws:iam::{account.account_id}:role/IoTLogging", "logLevel": "ERROR"}
    role = f"arn:aws:iam::{account.account_id}:role/SensorUpload"
    account.role_aliases["sensor-upload"] = {
        "roleAlias": "sensor-upload", "roleAliasArn": account.arn("rolealias", "sensor-upload"), "roleArn": role,
        "owner": account.account_id, "credentialDurationSeconds": 3600, "creationDate": 1735689600,
        "lastModifiedDate": 1735689600}
    account.iam["RoleDetailList"] = [{
        "Path": "/", "RoleName": "SensorUpload", "RoleId": "AROAEXAMPLESENSORUPLOAD", "Arn": role,
        "CreateDate": "2025-01-01T00:00:00Z", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "credentials.iot.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "RolePolicyList": [{"PolicyName": "upload", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::sensor-uploads/*"}]}}],
        "AttachedManagedPolicies": [], "InstanceProfileList": [], "Tags": []}]
    return account
