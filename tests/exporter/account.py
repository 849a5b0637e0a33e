"""The account state the stub serves, and its API operations (one method per operation,
taking the request's parameters and the stub's page size, returning the response dict)."""

import datetime
import json
import os

from aws_stub import ApiError, page

UTC = datetime.timezone.utc


def as_datetime(value):
    """Times in a snapshot may be epoch seconds (CLI v1) or ISO strings (CLI v2)."""
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, UTC)
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def times(record, *keys):
    record = dict(record)
    for key in keys:
        if key in record:
            record[key] = as_datetime(record[key])
    return record


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
        self.last_accessed = {}          # role ARN -> [ServiceLastAccessed]
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
        items, token = page(self._certificate_list(self.certificates, ("certificateMode",)), params.get("marker"),
                            limit(params, "pageSize", size))
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
        created = datetime.datetime(2026, 11, 20, 8, 0, 0, tzinfo=UTC)
        if job["polls"] == 1:  # a real job takes a moment: the first poll says so
            return {"JobStatus": "IN_PROGRESS", "JobCreationDate": created, "ServicesLastAccessed": [],
                    "IsTruncated": False}
        items, token = page(self.last_accessed.get(job["role"], []), params.get("Marker"),
                            limit(params, "MaxItems", size))
        response = {"JobStatus": "COMPLETED", "JobType": "SERVICE_LEVEL", "JobCreationDate": created,
                    "JobCompletionDate": created + datetime.timedelta(seconds=5), "ServicesLastAccessed": items,
                    "IsTruncated": token is not None}
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


def from_snapshot(directory):
    """The account a snapshot directory describes (the demo fixture, say)."""
    def load(name):
        path = os.path.join(directory, name)
        if not os.path.exists(path):
            return None
        with open(path, encoding="utf-8") as file:
            return json.load(file)

    manifest = load("manifest.json")
    account = Account(manifest["accountId"], manifest["region"])
    account.things = load("things.json")["things"]
    for entry in load("thing-principals.json")["thingPrincipals"]:
        principals = entry.get("principals") or [o["principal"] for o in entry.get("thingPrincipalObjects", [])]
        account.thing_principals.setdefault(entry["thingName"], []).extend(principals)
    for record in load("certificates.json")["certificateDescriptions"]:
        record = times(record, "creationDate", "lastModifiedDate")
        record["validity"] = times(record["validity"], "notBefore", "notAfter")
        account.certificates[record["certificateId"]] = record
    for record in load("ca-certificates.json")["certificateDescriptions"]:
        record = times(record, "creationDate", "lastModifiedDate")
        record["validity"] = times(record["validity"], "notBefore", "notAfter")
        account.ca_certificates[record["certificateId"]] = record
    for record in load("policies.json")["policies"]:
        policy = times({k: v for k, v in record.items() if k != "versions"}, "creationDate", "lastModifiedDate")
        default = {"policyArn": policy["policyArn"], "policyName": policy["policyName"],
                   "policyDocument": policy["policyDocument"], "policyVersionId": policy["defaultVersionId"],
                   "isDefaultVersion": True, "creationDate": policy["creationDate"],
                   "lastModifiedDate": policy["lastModifiedDate"], "generationId": policy["generationId"]}
        versions = [times(v, "creationDate", "lastModifiedDate") for v in record.get("versions", [])]
        account.policies[policy["policyName"]] = {"policy": policy,
                                                  "versions": sorted(versions + [default],
                                                                     key=lambda v: int(v["policyVersionId"]))}
    for entry in load("policy-targets.json")["policyTargets"]:
        account.policy_targets[entry["policyName"]] = entry["targets"]
    for entry in load("thing-groups.json")["thingGroupMemberships"]:
        for group in entry["thingGroups"]:
            account.groups.setdefault(group["groupName"], {**group, "things": []})["things"].append(entry["thingName"])
    account.logging_v1 = load("logging-v1.json") or {}
    account.logging_v2 = load("logging-v2.json")
    audit = load("audit-configuration.json") or account.audit_configuration
    # botocore's IoT model (Debian's 1.29) knows only "enabled" per check: a member it does not
    # model would never reach boto3 or the CLI, so the stub does not send one.
    account.audit_configuration = {"auditCheckConfigurations": {
        name: {"enabled": check["enabled"]} for name, check in audit["auditCheckConfigurations"].items()}}
    return account
