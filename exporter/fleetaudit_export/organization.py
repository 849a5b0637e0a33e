"""fleetaudit-export --organization: one snapshot per account and region of an AWS Organization
(or of the accounts listed in --accounts FILE), each read with that account's own assumed role
into OUT_DIR/ACCOUNT/REGION/, exactly as a single-account export writes it. What happened to each
account and region is recorded in OUT_DIR/organization.json; one account that fails (its role is
missing, access is denied, a region is not enabled) is named there and does not stop the others."""

import concurrent.futures
import copy
import datetime
import json
import os
import re
import sys
import threading

from . import __version__
from .calls import AccessDenied, CallFailed, Calls
from .terminal import printable
from .export import UsageError, export, iso_utc
from .jsonout import write_json_file
from .state import STATE_DIR

ORGANIZATION_FILE = "organization.json"
ACCOUNT_ID = re.compile(r"^\d{12}$")
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
# What AWS answers for a request to an opt-in region the account has not enabled.
REGION_NOT_ENABLED = {"UnrecognizedClientException", "InvalidClientTokenId", "AuthFailure", "OptInRequired"}
# The IoT listings --all-regions makes (one item each) to tell whether a region holds an IoT fleet.
PROBES = (("ListThings", {"maxResults": 1}, "things"), ("ListCertificates", {"pageSize": 1}, "certificates"),
          ("ListPolicies", {"pageSize": 1}, "policies"))


def read_accounts_file(path):
    """The account ids of --accounts FILE: one per line; blank lines and '#' comments ignored."""
    try:
        with open(path, encoding="utf-8") as file:
            lines = file.read().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"--accounts {path}: {error}") from None
    accounts = []
    for number, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        if not ACCOUNT_ID.match(text):
            raise UsageError(f"{path}:{number}: expected a 12-digit AWS account id, got {text[:40]!r}")
        if text not in (account["Id"] for account in accounts):
            accounts.append({"Id": text, "Name": "", "Status": "ACTIVE"})
    if not accounts:
        raise UsageError(f"{path} lists no account")
    return accounts


def listed_accounts(calls):
    """Every account of the organization (organizations:ListAccounts, from the management account
    or a delegated administrator)."""
    accounts = []
    for page, _ in calls.pages("organizations", "ListAccounts", "NextToken", "NextToken"):
        accounts.extend(page.get("Accounts", []))
    return sorted(accounts, key=lambda account: account["Id"])


def parse_regions(text):
    regions = sorted({region.strip() for region in text.split(",") if region.strip()})
    for region in regions:
        if not REGION.match(region):
            raise UsageError(f"--regions: {region[:40]!r} is not an AWS Region name")
    if not regions:
        raise UsageError("--regions lists no region")
    return regions


class Organization:
    """The run: management-side calls, then one export per account and region."""

    def __init__(self, args, management):
        self.args, self.management = args, management
        self.lock = threading.Lock()
        self.records = {}  # account id -> record in organization.json

    def credentials(self, account_id):
        partition = self.management.session.get_partition_for_region(self.management.region)
        params = {"RoleArn": f"arn:{partition}:iam::{account_id}:role/{self.args.role_name}",
                  "RoleSessionName": "fleetaudit-export", "DurationSeconds": 3600}
        if self.args.external_id:
            params["ExternalId"] = self.args.external_id
        return self.management.call("sts", "AssumeRole", **params)["Credentials"]

    def account_calls(self, credentials, region):
        return Calls(region, None, self.args.endpoint_url, self.args.concurrency or 64, self.args.quotas,
                     credentials=credentials, deadlines=self.args.deadlines)

    def probe(self, credentials, region):
        """'iot' when the region holds IoT things, certificates or policies; 'no-iot' when it
        holds none; 'not-enabled' when the account has not enabled the region."""
        calls = self.account_calls(credentials, region)
        try:
            for operation, params, key in PROBES:
                if calls.call("iot", operation, **params).get(key):
                    return "iot", ""
        except (CallFailed, AccessDenied) as error:
            code = calls.error_code(error)
            if code in REGION_NOT_ENABLED:
                return "not-enabled", f"{code}: the account has not enabled {region}"
            raise
        return "no-iot", "no things, certificates or policies"

    def regions_of(self, credentials):
        """(region, status, reason) for each region to consider."""
        if self.args.regions:
            return [(region, "iot", "") for region in self.args.regions]
        found = []
        for region in self.management.session.get_available_regions("iot"):
            status, reason = self.probe(credentials, region)
            found.append((region, status, reason))
        return found

    def export_region(self, account_id, credentials, region):
        """(status, reason) of one account and region's export into OUT_DIR/ACCOUNT/REGION/."""
        out_dir = os.path.join(self.args.out_dir, account_id, region)
        state = region_state(out_dir)
        if state == "complete":
            return "complete", "exported before (--resume)"
        args = copy.copy(self.args)
        args.out_dir, args.resume = out_dir, state == "unfinished"
        args.progress = False  # several accounts at once: one line per account and region instead
        try:
            status = export(args, self.account_calls(credentials, region))
        except (CallFailed, UsageError) as error:
            return "failed", str(error)
        if status == 0:
            return "complete", ""
        return ("interrupted" if status == 130 else "incomplete"), read_error(out_dir)

    def export_account(self, account):
        account_id = account["Id"]
        record = {"accountId": account_id, "name": account.get("Name", ""), "status": account.get("Status", ""),
                  "regions": []}
        if account.get("Status") != "ACTIVE":
            record["result"], record["reason"] = "skipped", f"the account is {account.get('Status')}"
            return self.finish(record)
        try:
            credentials = self.credentials(account_id)
            regions = self.regions_of(credentials)
        except (CallFailed, AccessDenied) as error:
            record["result"], record["reason"] = "failed", str(error)
            return self.finish(record)
        for region, status, reason in regions:
            entry = {"region": region, "directory": f"{account_id}/{region}"}
            if status == "iot":
                status, reason = self.export_region(account_id, credentials, region)
            else:
                entry.pop("directory")
            entry["result"] = status
            if reason:
                entry["reason"] = reason
            record["regions"].append(entry)
            say(f"{account_id} {region}: {status}{': ' + reason if reason else ''}")
        failed = [entry for entry in record["regions"] if entry["result"] not in ("complete", "no-iot", "not-enabled")]
        record["result"] = "failed" if failed else "complete"
        return self.finish(record)

    def finish(self, record):
        if record["result"] != "complete" or not record["regions"]:
            say(f"{record['accountId']}: {record['result']}{': ' + record['reason'] if 'reason' in record else ''}")
        with self.lock:
            self.records[record["accountId"]] = record
            self.write(complete=False)
        return record

    def write(self, complete):
        accounts = [self.records[key] for key in sorted(self.records)]
        write_json_file(os.path.join(self.args.out_dir, ORGANIZATION_FILE), {
            "formatVersion": 1,
            "exporter": {"name": "fleetaudit-export", "version": __version__},
            "startedAt": self.args.started,
            "managementAccountId": self.args.management_account,
            "source": self.args.source,
            "roleName": self.args.role_name,
            "regions": self.args.regions or "all regions holding IoT resources",
            "complete": complete,
            "failedAccounts": [record["accountId"] for record in accounts if record["result"] == "failed"],
            "accounts": accounts,
        })


def region_state(out_dir):
    """'complete', 'unfinished' (resumable) or 'new'."""
    if os.path.isdir(os.path.join(out_dir, STATE_DIR)):
        return "unfinished"
    manifest = os.path.join(out_dir, "manifest.json")
    if os.path.isfile(manifest):
        with open(manifest, encoding="utf-8") as file:
            return "complete" if json.load(file).get("complete") is True else "unfinished"
    return "new"


def read_error(out_dir):
    try:
        with open(os.path.join(out_dir, "manifest.json"), encoding="utf-8") as file:
            return str(json.load(file).get("error", "the export did not finish"))
    except (OSError, ValueError):
        return "the export did not finish"


def say(line):
    print(f"fleetaudit-export: {printable(line)}", file=sys.stderr, flush=True)


def prepare(args):
    if os.path.isfile(os.path.join(args.out_dir, ORGANIZATION_FILE)):
        if not args.resume:
            raise UsageError(f"{args.out_dir} holds an organization export: continue it with --resume, "
                             "or choose another directory")
    elif args.resume:
        raise UsageError(f"{args.out_dir} holds no organization export to resume (no {ORGANIZATION_FILE})")
    elif os.path.isdir(args.out_dir) and os.listdir(args.out_dir):
        raise UsageError(f"{args.out_dir} is not empty: choose a new or empty directory")
    os.makedirs(args.out_dir, exist_ok=True)


def export_organization(args, management):
    """Returns the exit status: 0 every account and region exported completely, 1 any failed."""
    prepare(args)
    identity = management.call("sts", "GetCallerIdentity")
    args.management_account = identity["Account"]
    args.started = iso_utc(datetime.datetime.now(datetime.timezone.utc))
    if args.accounts:
        accounts, args.source = read_accounts_file(args.accounts), f"--accounts {os.path.basename(args.accounts)}"
    else:
        accounts, args.source = listed_accounts(management), "organizations:ListAccounts"
    run = Organization(args, management)
    run.write(complete=False)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.parallel_accounts) as pool:
        records = list(pool.map(run.export_account, accounts))
    failed = [record["accountId"] for record in records if record["result"] == "failed"]
    run.write(complete=not failed)
    say(f"{len(records) - len(failed)} of {len(records)} account(s) exported into {args.out_dir}"
        + (f"; failed: {', '.join(failed)} (see {ORGANIZATION_FILE}; continue with --resume)" if failed else ""))
    return 1 if failed else 0
