"""An AWS Organization behind the loopback stub: a management account that lists the member
accounts and hands out credentials for their role (sts:AssumeRole), and member accounts served
per region, told apart by the access key and the region of each request's SigV4 credential."""

import datetime
import itertools
import re
import threading

import aws_stub
from account import Account
from aws_stub import ApiError


def credential_of(request):
    """(access key id, region) of a SigV4-signed request."""
    match = re.search(r"Credential=([^/]+)/\d+/([^/]+)/", request.headers.get("Authorization", ""))
    return (match.group(1), match.group(2)) if match else ("", "")


class Management(Account):
    """The management account: ListAccounts over `accounts` ({"Id", "Name", "Status"}), and
    AssumeRole of `role_name` in any of them but those in `missing_roles`."""

    def __init__(self, accounts, role_name, missing_roles=(), account_id="999999999999"):
        super().__init__(account_id)
        self.accounts, self.role_name, self.missing_roles = accounts, role_name, set(missing_roles)
        self.keys = {}  # access key id -> member account id
        self.numbers = itertools.count(1)
        self.lock = threading.Lock()

    def ListAccounts(self, params, size):
        start = int(params.get("NextToken") or 0)
        listed = [{"Id": a["Id"], "Arn": f"arn:aws:organizations::{self.account_id}:account/o-example/{a['Id']}",
                   "Email": f"{a['Id']}@example.com", "Name": a["Name"], "Status": a["Status"],
                   "JoinedMethod": "CREATED", "JoinedTimestamp": 1700000000} for a in self.accounts[start:start + size]]
        response = {"Accounts": listed}
        if start + size < len(self.accounts):
            response["NextToken"] = str(start + size)
        return response

    def AssumeRole(self, params, size):
        account_id, role = params["RoleArn"].split(":")[4], params["RoleArn"].split(":role/", 1)[-1]
        if account_id in self.missing_roles or role != self.role_name:
            raise ApiError("AccessDenied", f"User: arn:aws:sts::{self.account_id}:assumed-role/auditor/test is not "
                                           f"authorized to perform: sts:AssumeRole on resource: {params['RoleArn']}", 403)
        with self.lock:
            key = f"ASIA{account_id}{next(self.numbers):06d}"
            self.keys[key] = account_id
        expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        return {"Credentials": {"AccessKeyId": key, "SecretAccessKey": "secret-" + key, "SessionToken": "token-" + key,
                                "Expiration": expires},
                "AssumedRoleUser": {"AssumedRoleId": f"AROAEXAMPLE:{params['RoleSessionName']}",
                                    "Arn": f"arn:aws:sts::{account_id}:assumed-role/{role}/{params['RoleSessionName']}"}}


class Throttling:
    """An account that answers every `every`-th call of each operation with its service's
    throttling error (AWS's rate limits are per account)."""

    def __init__(self, account, every):
        self.account, self.every, self.counts, self.lock = account, every, {}, threading.Lock()

    def __getattr__(self, name):
        value = getattr(self.account, name)
        if not callable(value) or not name[:1].isupper():
            return value

        def throttled(params, size):
            with self.lock:
                self.counts[name] = self.counts.get(name, 0) + 1
                number = self.counts[name]
            if number % self.every == 0:
                service = next(s for s, model in aws_stub.MODELS.items() if name in model.operation_names)
                raise ApiError(aws_stub.THROTTLE_CODES[service][0], "Rate exceeded", aws_stub.THROTTLE_CODES[service][1])
            return value(params, size)
        return throttled


class OrganizationStub(aws_stub.Stub):
    """Serves `management` to the caller's own credentials and `members[(account id, region)]` to
    the credentials AssumeRole handed out; a member region that is not in `members` answers as an
    opt-in region the account has not enabled. `calls_by_account` records who called what."""

    def __init__(self, management, members, **knobs):
        super().__init__(management, **knobs)
        self.members = members
        self.calls_by_account = {}

    def account_for(self, request, service, operation):
        key, region = credential_of(request)
        account_id = self.account.keys.get(key)
        with self.lock:
            self.calls_by_account.setdefault(account_id or "caller", []).append((service, operation))
        if account_id is None:
            return self.account
        member = self.members.get((account_id, region))
        if member is None:
            raise ApiError("UnrecognizedClientException", "The security token included in the request is invalid.", 403)
        return member
