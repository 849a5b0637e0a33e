"""Each exported file is byte for byte what Debian's AWS CLI v2 prints for the same calls against
the same stub, assembled as the snapshot format says (pages merged, per-item outputs wrapped)."""

import concurrent.futures
import datetime
import json
import re
import subprocess

import planted
from account import from_snapshot
from conftest import AWS_CLI, read_manifest, run_export


def cli_json(value):
    return json.dumps(value, indent=4, ensure_ascii=False) + "\n"


class Cli:
    def __init__(self, stub, env):
        self.base = [AWS_CLI, "--endpoint-url", stub.url, "--region", stub.account.region, "--output", "json"]
        self.env = env

    def __call__(self, *args, allow_error=None):
        result = subprocess.run(self.base + list(args), env=self.env, capture_output=True, text=True, timeout=120)
        if allow_error and allow_error in result.stderr:
            return None
        assert result.returncode == 0, f"aws {' '.join(args)}: {result.stderr}"
        if result.stdout == "":
            return {}  # the CLI prints nothing for an empty response
        value = json.loads(result.stdout)
        assert cli_json(value) == result.stdout  # so re-wrapping the parsed output loses nothing
        return value

    def each(self, args_list, **options):
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            return list(pool.map(lambda args: self(*args, **options), args_list))


def per_item_files(cli):
    things = cli("iot", "list-things")
    names = [thing["thingName"] for thing in things["things"]]
    principals = cli.each([("iot", "list-thing-principals", "--thing-name", name) for name in names])
    certificates = [c["certificateId"] for c in cli("iot", "list-certificates")["certificates"]]
    cas = [c["certificateId"] for c in cli("iot", "list-ca-certificates")["certificates"]]
    groups = cli("iot", "list-thing-groups")["thingGroups"]
    members = cli.each([("iot", "list-things-in-thing-group", "--thing-group-name", g["groupName"]) for g in groups])
    aliases = cli("iot", "list-role-aliases")["roleAliases"]
    described_aliases = cli.each([("iot", "describe-role-alias", "--role-alias", alias) for alias in aliases])
    pools = [p["IdentityPoolId"] for p in cli("cognito-identity", "list-identity-pools", "--max-results", "60")["IdentityPools"]]
    return {
        "things.json": things,
        "thing-principals.json": {"thingPrincipals": [{"thingName": name, "principals": p["principals"]}
                                                      for name, p in zip(names, principals)]},
        "certificates.json": {"certificateDescriptions": [d["certificateDescription"] for d in cli.each(
            [("iot", "describe-certificate", "--certificate-id", c) for c in certificates])]},
        "ca-certificates.json": {"certificateDescriptions": [d["certificateDescription"] for d in cli.each(
            [("iot", "describe-ca-certificate", "--certificate-id", c) for c in cas])]},
        "thing-groups.json": {"thingGroupMemberships": [
            {"thingName": thing, "thingGroups": [{"groupName": g["groupName"], "groupArn": g["groupArn"]}]}
            for g, listed in zip(groups, members) for thing in listed["things"]]},
        "role-aliases.json": {"roleAliasDescriptions": [d["roleAliasDescription"] for d in described_aliases]},
        "cognito-identity-pool-roles.json": {"identityPoolRoles": cli.each(
            [("cognito-identity", "get-identity-pool-roles", "--identity-pool-id", p) for p in pools])},
        "iam-service-last-accessed.json": last_accessed(cli, described_aliases),
    }


def policy_files(cli):
    names = [p["policyName"] for p in cli("iot", "list-policies")["policies"]]
    policies = cli.each([("iot", "get-policy", "--policy-name", name) for name in names])
    for name, policy in zip(names, policies):
        versions = cli("iot", "list-policy-versions", "--policy-name", name)["policyVersions"]
        others = [("iot", "get-policy-version", "--policy-name", name, "--policy-version-id", v["versionId"])
                  for v in versions if not v["isDefaultVersion"]]
        if others:
            policy["versions"] = cli.each(others)
    targets = cli.each([("iot", "list-targets-for-policy", "--policy-name", name) for name in names])
    return {"policies.json": {"policies": policies},
            "policy-targets.json": {"policyTargets": [{"policyName": name, "targets": t["targets"]}
                                                      for name, t in zip(names, targets)]}}


def last_accessed(cli, described_aliases):
    roles = sorted({d["roleAliasDescription"]["roleArn"] for d in described_aliases})
    entries = []
    for role in roles:
        job = cli("iam", "generate-service-last-accessed-details", "--arn", role)["JobId"]
        details = cli("iam", "get-service-last-accessed-details", "--job-id", job)
        while details["JobStatus"] == "IN_PROGRESS":
            details = cli("iam", "get-service-last-accessed-details", "--job-id", job)
        entries.append({"roleArn": role, "details": details})
    return {"serviceLastAccessed": entries}


def account_files(cli):
    v2 = cli("iot", "get-v2-logging-options", allow_error="NotConfiguredException")
    return {
        "logging-v1.json": cli("iot", "get-logging-options"),
        "logging-v2.json": {} if v2 is None else v2,
        "logging-v2-levels.json": cli("iot", "list-v2-logging-levels"),
        "audit-configuration.json": cli("iot", "describe-account-audit-configuration"),
        "audit-suppressions.json": cli("iot", "list-audit-suppressions"),
        "iam-authorization-details.json": cli("iam", "get-account-authorization-details"),
    }


def log_lines(cli, exported_at, days=31):
    end = int(datetime.datetime.fromisoformat(exported_at.replace("Z", "+00:00")).timestamp() * 1000)
    events = cli("logs", "filter-log-events", "--log-group-name", "AWSIotLogsV2",
                 "--start-time", str(end - days * 86400 * 1000), "--end-time", str(end))["events"]
    return "".join(event["message"] + "\n" for event in events)


def test_every_file_is_what_the_aws_cli_prints_for_the_same_calls(tmp_path, make_stub, aws_env):
    # The CLI prints times in the machine's offset, so the machine is not on UTC here.
    aws_env["TZ"] = "America/Los_Angeles"
    source = tmp_path / "planted"
    planted.build(source, datetime.datetime.now(datetime.timezone.utc))
    # Small pages everywhere but the last-accessed details, which the CLI does not paginate.
    stub = make_stub(from_snapshot(source), page_size=2, page_sizes={"GetServiceLastAccessedDetails": 1000})
    out = tmp_path / "export"
    assert run_export(stub, out, aws_env).returncode == 0
    cli = Cli(stub, aws_env)

    expected = {**per_item_files(cli), **policy_files(cli), **account_files(cli)}

    for name, value in sorted(expected.items()):
        assert (out / name).read_text(encoding="utf-8") == cli_json(value), name
    assert (out / "iot-logs" / "AWSIotLogsV2.jsonl").read_text() == log_lines(cli, read_manifest(out)["exportedAt"])
    assert re.search(r'"creationDate": "[^"]*-0[78]:00"', (out / "certificates.json").read_text())
