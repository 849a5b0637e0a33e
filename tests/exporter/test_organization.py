"""fleetaudit-export --organization against an organization served by the loopback stub: many
accounts in two regions, through real boto3 (every request and response checked against
botocore's organizations, sts and iot models), with the failures an organization really has."""

import json
import os
import subprocess

import pytest
import aws_stub
from account import Account, synthetic
from conftest import EXPORTER, PYTHON, SOURCE_DIR, read_manifest, readme_policy_actions, run_audit
from organization_stub import Management, OrganizationStub, Throttling

REGIONS = ("eu-west-1", "us-east-1")
ROLE = "fleetaudit-readonly"
CLOCK = "2026-06-01T00:00:00Z"


def member_id(number):
    return f"{100000000000 + number:012d}"


def organization(accounts=21):
    """`accounts` active members (one whose role is missing, one that throttles hard, one with no
    IoT at all, one that has not enabled us-east-1) and a suspended one."""
    listed = [{"Id": member_id(n), "Name": f"member-{n}", "Status": "ACTIVE"} for n in range(accounts)]
    listed.append({"Id": member_id(99), "Name": "closed", "Status": "SUSPENDED"})
    members = {}
    for n in range(accounts):
        for region in REGIONS:
            if n == 3 and region == "us-east-1":
                continue  # not enabled
            account = Account(member_id(n), region) if n == 2 else synthetic(3 + n % 4, groups=2,
                                                                              account_id=member_id(n), region=region)
            members[(member_id(n), region)] = Throttling(account, 3) if n == 1 else account
    return Management(listed, ROLE, missing_roles={member_id(4)}), members


def management_policy_actions():
    return readme_policy_actions("### Exporting an organization")


def run_organization(stub, out_dir, env, *args, timeout=600):
    return subprocess.run([PYTHON, EXPORTER, str(out_dir), "--organization", "--endpoint-url", stub.url,
                           "--region", "eu-west-1", "--quota", "*=100000", "--no-logs", *args],
                          env=env, capture_output=True, text=True, timeout=timeout)


def called(stub, who):
    prefix = {"cognito-identity": "cognito-identity"}
    return {f"{prefix.get(service, service)}:{operation}" for service, operation in stub.calls_by_account.get(who, [])}


def audit_json(snapshot):
    result = run_audit(snapshot, "--format", "json", "--now", CLOCK)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    report.get("fleetaudit", {}).pop("snapshot", None)
    return report


def test_every_account_and_region_is_exported_and_each_failure_is_named(tmp_path, aws_env):
    management, members = organization()
    out = tmp_path / "org"
    with OrganizationStub(management, members, page_size=2) as stub:
        result = run_organization(stub, out, aws_env, "--regions", ",".join(REGIONS), "--parallel-accounts", "6")
        assert stub.bugs == []
        assert called(stub, "caller") <= management_policy_actions()
        for account_id in {key[0] for key in members}:
            assert called(stub, account_id) <= readme_policy_actions(), account_id
        throttled_listings = stub.calls_by_account[member_id(1)].count(("iot", "ListThings"))
    assert result.returncode == 1, result.stderr
    record = json.loads((out / "organization.json").read_text())
    by_id = {account["accountId"]: account for account in record["accounts"]}
    assert record["complete"] is False
    assert record["failedAccounts"] == [member_id(3), member_id(4)]
    assert "sts:AssumeRole" in by_id[member_id(4)]["reason"] and "AccessDenied" in by_id[member_id(4)]["reason"]
    assert [(r["region"], r["result"]) for r in by_id[member_id(3)]["regions"]] == \
        [("eu-west-1", "complete"), ("us-east-1", "failed")]
    assert "UnrecognizedClientException" in by_id[member_id(3)]["regions"][1]["reason"]
    assert by_id[member_id(99)]["result"] == "skipped" and "SUSPENDED" in by_id[member_id(99)]["reason"]
    assert throttled_listings > 2  # the throttled account's listings were retried, and it finished
    complete = [a for a in record["accounts"] if a["result"] == "complete"]
    assert len(complete) == 19
    for account in complete:
        for region in REGIONS:
            manifest = read_manifest(out / account["accountId"] / region)
            assert manifest["complete"] is True and manifest["accountId"] == account["accountId"]
            assert manifest["region"] == region
    assert f"failed: {member_id(3)}, {member_id(4)}" in result.stderr


def test_an_account_exported_in_the_organization_audits_as_it_does_alone(tmp_path, aws_env):
    management, members = organization(accounts=6)
    with OrganizationStub(management, members) as stub:
        assert run_organization(stub, tmp_path / "org", aws_env, "--regions", "eu-west-1").returncode == 1
    alone = synthetic(3 + 5 % 4, groups=2, account_id=member_id(5), region="eu-west-1")
    with aws_stub.Stub(alone) as stub:
        result = subprocess.run([PYTHON, EXPORTER, str(tmp_path / "alone"), "--endpoint-url", stub.url,
                                 "--region", "eu-west-1", "--quota", "*=100000", "--no-logs"],
                                env=aws_env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
    in_organization = audit_json(tmp_path / "org" / member_id(5) / "eu-west-1")
    assert in_organization["findings"], "the synthetic fleet is built to have findings"
    assert in_organization == audit_json(tmp_path / "alone")


def test_resume_retries_only_what_failed(tmp_path, aws_env):
    management, members = organization(accounts=6)
    out = tmp_path / "org"

    def listings(stub):
        return {account_id: calls.count(("iot", "ListThings")) for account_id, calls in stub.calls_by_account.items()}
    with OrganizationStub(management, members) as stub:
        assert run_organization(stub, out, aws_env, "--regions", "eu-west-1").returncode == 1
        first = listings(stub)
        management.missing_roles.clear()  # the role is deployed in the account that lacked it
        again = run_organization(stub, out, aws_env, "--regions", "eu-west-1")
        resumed = run_organization(stub, out, aws_env, "--regions", "eu-west-1", "--resume")
        second = listings(stub)
    assert again.returncode == 2 and "--resume" in again.stderr
    assert resumed.returncode == 0, resumed.stderr
    record = json.loads((out / "organization.json").read_text())
    assert record["complete"] is True and record["failedAccounts"] == []
    assert read_manifest(out / member_id(4) / "eu-west-1")["complete"] is True
    # Only the account that failed was read again; the complete snapshots were not.
    assert member_id(4) not in first and second[member_id(4)] > 0
    assert {k: v for k, v in second.items() if k != member_id(4)} == first


def test_all_regions_exports_the_regions_that_hold_iot(tmp_path, aws_env):
    listed = [{"Id": member_id(n), "Name": f"m{n}", "Status": "ACTIVE"} for n in range(2)]
    members = {(member_id(0), "eu-west-1"): synthetic(2, groups=1, account_id=member_id(0), region="eu-west-1"),
               (member_id(0), "us-east-1"): Account(member_id(0), "us-east-1"),
               (member_id(1), "ap-southeast-2"): synthetic(2, groups=1, account_id=member_id(1), region="ap-southeast-2")}
    with OrganizationStub(Management(listed, ROLE), members) as stub:
        result = run_organization(stub, tmp_path / "org", aws_env, "--all-regions")
        assert called(stub, member_id(0)) <= readme_policy_actions()
    assert result.returncode == 0, result.stderr
    record = json.loads((tmp_path / "org" / "organization.json").read_text())
    results = {(a["accountId"], r["region"]): r["result"] for a in record["accounts"] for r in a["regions"]}
    assert results[(member_id(0), "eu-west-1")] == "complete"
    assert results[(member_id(0), "us-east-1")] == "no-iot"
    assert results[(member_id(0), "ap-southeast-2")] == "not-enabled"
    assert results[(member_id(1), "ap-southeast-2")] == "complete"
    assert sorted(os.listdir(tmp_path / "org" / member_id(0))) == ["eu-west-1"]


def test_an_accounts_file_replaces_the_listing_and_is_checked(tmp_path, aws_env):
    management, members = organization(accounts=3)
    accounts = tmp_path / "accounts.txt"
    accounts.write_text(f"# staging and production\n{member_id(0)}\n\n{member_id(2)}  # no IoT\n")
    bad = tmp_path / "bad.txt"
    bad.write_text(f"{member_id(0)}\n12345\n")
    with OrganizationStub(management, members) as stub:
        result = run_organization(stub, tmp_path / "org", aws_env, "--accounts", str(accounts), "--regions", "eu-west-1")
        refused = run_organization(stub, tmp_path / "bad", aws_env, "--accounts", str(bad))
        assert ("organizations", "ListAccounts") not in stub.calls
    assert result.returncode == 0, result.stderr
    record = json.loads((tmp_path / "org" / "organization.json").read_text())
    assert [a["accountId"] for a in record["accounts"]] == [member_id(0), member_id(2)]
    assert refused.returncode == 2 and f"{bad}:2: expected a 12-digit AWS account id" in refused.stderr


@pytest.mark.parametrize("option", [["--regions", "eu-west-1"], ["--all-regions"], ["--accounts", "x"]])
def test_organization_options_need_organization(tmp_path, option):
    result = subprocess.run([PYTHON, EXPORTER, str(tmp_path / "out"), *option], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "goes with --organization" in result.stderr
