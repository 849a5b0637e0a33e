"""The export's stages: each writes one snapshot file (or a list of names a later stage reads)
and can be resumed from its last checkpoint. A stage holds one record at a time, so memory does
not grow with the fleet; the small account-wide files (IAM, the policy list) are the exception."""

import collections
import concurrent.futures
import itertools
import json
import os
import re
import time

from .calls import AccessDenied, CallFailed, TokenGuard, describe
from .terminal import CONTROL_CHARACTERS, printable
from .jsonout import ArrayFileWriter, LineFileWriter, UnwritableLine, write_json_file

CHECKPOINT_SECONDS = 2.0
CHECKPOINT_RECORDS = 1000
LOG_GROUP = "AWSIotLogsV2"
LOG_FILE = "iot-logs/AWSIotLogsV2.jsonl"
LOG_WORK_FILE = "iot-logs.jsonl"


class Vanished(Exception):
    """The item was deleted between the listing and its own call: nothing to export for it."""


class Stage:
    def __init__(self, name, files, needs, run, plan):
        self.name, self.files, self.needs, self.run, self.plan = name, files, needs, run, plan


def count_lines(path):
    with open(path, "rb") as file:
        return sum(1 for _ in file)


# A name (thing, certificate id, policy, role alias, identity pool) goes to a names file one per
# line and back into a later call: one holding a control character or a lone surrogate could not
# come back as it was sent. AWS allows none of them in these names; only a broken or hostile
# endpoint sends one, and the export stops rather than split or lose the record.
UNWRITABLE_IN_NAMES = re.compile(CONTROL_CHARACTERS.pattern[:-1] + r"\ud800-\udfff]")


def read_lines(path):
    # Only "\n" ends a line: universal newlines would also split at "\r".
    with open(path, encoding="utf-8", newline="\n") as file:
        for line in file:
            yield line.rstrip("\n")


class Checkpointer:
    """Saves a stage's checkpoint every few seconds or records."""

    def __init__(self, ctx, stage):
        self.ctx, self.stage, self.last, self.pending = ctx, stage, time.monotonic(), 0

    def maybe(self, make):
        self.pending += 1
        if self.pending >= CHECKPOINT_RECORDS or time.monotonic() - self.last >= CHECKPOINT_SECONDS:
            self.now(make)

    def now(self, make):
        self.ctx.state.set_checkpoint(self.stage, make())
        self.last, self.pending = time.monotonic(), 0


def publish(ctx, stage_name, work_path, file_name):
    target = os.path.join(ctx.out_dir, file_name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    os.replace(work_path, target)


# ---- listings: one paginated call streamed to a file ----

def listing(ctx, stage, service, operation, input_token, output_token, params, records, array=None, lines=None):
    """Streams every page of one listing. `records(page)` yields (record, name) pairs: the record
    goes to the array file `array` = (file name, key), the name to the names file `lines`."""
    checkpoint = ctx.state.checkpoint(stage) or {}
    array_writer = line_writer = None
    if array:
        array_writer = ArrayFileWriter(ctx.state.work_path(array[0]), array[1],
                                       checkpoint.get("count", 0), checkpoint.get("offset"))
    if lines:
        line_writer = LineFileWriter(ctx.state.work_path(lines), checkpoint.get("lines", 0),
                                     checkpoint.get("lines_offset"),
                                     None if lines == LOG_WORK_FILE else UNWRITABLE_IN_NAMES)
    if checkpoint.get("finished"):
        return finish_listing(ctx, stage, array, array_writer, line_writer)
    bar = ctx.progress(stage, None, (array_writer or line_writer).count)
    saver = Checkpointer(ctx, stage)
    token, finished = checkpoint.get("token"), False

    def state():
        made = {"token": token, "finished": finished}
        if array_writer:
            made["count"], made["offset"] = array_writer.checkpoint()
        if line_writer:
            made["lines"], made["lines_offset"] = line_writer.checkpoint()
        return made

    try:
        pages = ctx.calls.pages(service, operation, input_token, output_token, token, **params)
        for page_number, (page, next_token) in enumerate(pages, 1):
            for record_number, (record, name) in enumerate(records(page), 1):
                if array_writer:
                    array_writer.write(record)
                if line_writer and name is not None:
                    write_name(line_writer, name, f"{service}:{operation}{describe(params)}", page_number,
                               record_number)
                bar.update(1)
            token, finished = next_token, next_token is None
            saver.now(state)  # a page is the unit of resumption
            if ctx.cancel.is_set():
                raise ctx.Cancelled()
    except BaseException:
        for writer in (array_writer, line_writer):
            if writer:
                writer.abandon()
        raise
    finally:
        bar.close()
    return finish_listing(ctx, stage, array, array_writer, line_writer)


def write_name(line_writer, name, what, page_number, record_number):
    try:
        line_writer.write(name)
    except UnwritableLine as error:
        raise CallFailed(f"{what}: record {record_number} of page {page_number} has the name "
                         f"{json.dumps(name[:100] + ('…' if len(name) > 100 else ''))}, which holds {error} (a character AWS never "
                         "puts in a name): a broken or hostile endpoint; the export stops rather than split or lose "
                         "the record") from None


def finish_listing(ctx, stage, array, array_writer, line_writer):
    if line_writer:
        line_writer.finish()
    if array_writer:
        array_writer.finish()
        publish(ctx, stage, array_writer.path, array[0])
    ctx.state.finish(stage)


# ---- per-item calls, concurrent, written in input order ----

def per_item(ctx, stage, file_name, key, inputs, operation, fetch):
    """Calls `fetch(item)` for each line of the names file `inputs`, up to the API's concurrency
    at once, and writes the records it returns in input order."""
    checkpoint = ctx.state.checkpoint(stage) or {}
    done = checkpoint.get("inputs", 0)
    writer = ArrayFileWriter(ctx.state.work_path(file_name), key, checkpoint.get("count", 0), checkpoint.get("offset"))
    total = count_lines(ctx.state.work_path(inputs))
    bar = ctx.progress(stage, total, done)
    saver = Checkpointer(ctx, stage)
    workers = ctx.calls.workers(operation)

    def state():
        count, offset = writer.checkpoint()
        return {"inputs": done, "count": count, "offset": offset}

    window = collections.deque()
    with concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix=stage) as pool:
        try:
            items = itertools.islice(read_lines(ctx.state.work_path(inputs)), done, None)
            for item in itertools.chain(items, [None]):
                if item is not None:
                    window.append(pool.submit(fetch_or_vanish, ctx, stage, fetch, item))
                while window and (item is None or len(window) >= workers * 4 or window[0].done()):
                    for record in window.popleft().result():
                        writer.write(record)
                    done += 1
                    bar.update(1)
                    saver.maybe(state)
                if ctx.cancel.is_set():
                    raise ctx.Cancelled()
        except BaseException:
            for future in window:
                future.cancel()
            saver.now(state)  # everything before the failed item is kept
            writer.abandon()
            raise
        finally:
            bar.close()
    writer.finish()
    publish(ctx, stage, writer.path, file_name)
    ctx.state.finish(stage)


def fetch_or_vanish(ctx, stage, fetch, item):
    if ctx.cancel.is_set():
        # Never an empty answer: per_item would count the item done, the checkpoint would skip it
        # on --resume, and the resumed file would lack its record.
        raise ctx.Cancelled()
    try:
        return fetch(item)
    except Vanished:
        ctx.note_vanished(stage, item)
        return []


def not_found(ctx, error):
    return ctx.calls.error_code(error) == "ResourceNotFoundException"


def small_file(ctx, stage, file_name, make):
    write_json_file(os.path.join(ctx.out_dir, file_name), make())
    ctx.state.finish(stage)


# ---- the stages ----

def stage_things(ctx):
    listing(ctx, "things.json", "iot", "ListThings", "nextToken", "nextToken", {"maxResults": 250},
            lambda page: ((thing, thing["thingName"]) for thing in page.get("things", [])),
            array=("things.json", "things"), lines="things.names")


def stage_thing_principals(ctx):
    def fetch(thing):
        principals = []
        try:
            for page, _ in ctx.calls.pages("iot", "ListThingPrincipals", "nextToken", "nextToken",
                                           thingName=thing, maxResults=250):
                principals.extend(page.get("principals", []))
        except Exception as error:
            if not_found(ctx, error):
                raise Vanished() from None
            raise
        return [{"thingName": thing, "principals": principals}]
    per_item(ctx, "thing-principals.json", "thing-principals.json", "thingPrincipals", "things.names",
             "ListThingPrincipals", fetch)


def id_listing(operation, stage, names, field, result_key, input_token="marker", output_token="nextMarker",
               params=None, service="iot"):
    """A listing kept only for its names (ids), which the next stage describes one by one."""
    def run(ctx):
        def records(page):
            for entry in page.get(result_key, []):
                yield None, entry[field] if field else entry
        listing(ctx, stage, service, operation, input_token, output_token, params or {"pageSize": 250},
                records, lines=names)
    return run


def describe_stage(stage, file_name, key, inputs, operation, param, result, service="iot"):
    def run(ctx):
        def fetch(item):
            try:
                response = ctx.calls.call(service, operation, **{param: item})
            except Exception as error:
                if not_found(ctx, error):
                    raise Vanished() from None
                raise
            return [response[result] if result else response]
        per_item(ctx, stage, file_name, key, inputs, operation, fetch)
    return run


def stage_policies(ctx):
    def fetch(name):
        try:
            policy = ctx.calls.call("iot", "GetPolicy", policyName=name)
            versions = ctx.calls.call("iot", "ListPolicyVersions", policyName=name).get("policyVersions", [])
            others = [ctx.calls.call("iot", "GetPolicyVersion", policyName=name, policyVersionId=version["versionId"])
                      for version in versions if not version.get("isDefaultVersion")]
        except Exception as error:
            if not_found(ctx, error):
                raise Vanished() from None
            raise
        if others:
            policy["versions"] = others
        return [policy]
    per_item(ctx, "policies.json", "policies.json", "policies", "policy.names", "GetPolicy", fetch)


def stage_policy_targets(ctx):
    def fetch(name):
        targets = []
        try:
            for page, _ in ctx.calls.pages("iot", "ListTargetsForPolicy", "marker", "nextMarker",
                                           policyName=name, pageSize=250):
                targets.extend(page.get("targets", []))
        except Exception as error:
            if not_found(ctx, error):
                raise Vanished() from None
            raise
        return [{"policyName": name, "targets": targets}]
    per_item(ctx, "policy-targets.json", "policy-targets.json", "policyTargets", "policy.names",
             "ListTargetsForPolicy", fetch)


def stage_thing_groups(ctx):
    """Memberships from the group side: one ListThingsInThingGroup page names up to 250 members,
    where the thing side (ListThingGroupsForThing) costs a call per thing. Each membership becomes
    one record in the shape of list-thing-groups-for-thing's output."""
    stage = "thing-groups.json"
    checkpoint = ctx.state.checkpoint(stage) or {}
    writer = ArrayFileWriter(ctx.state.work_path(stage), "thingGroupMemberships",
                             checkpoint.get("count", 0), checkpoint.get("offset"))
    groups = [json.loads(line) for line in read_lines(ctx.state.work_path("thing-group.names"))]
    group_index, token = checkpoint.get("group", 0), checkpoint.get("token")
    bar = ctx.progress(stage, len(groups), group_index)
    saver = Checkpointer(ctx, stage)

    def state():
        count, offset = writer.checkpoint()
        return {"group": group_index, "token": token, "count": count, "offset": offset}
    try:
        while group_index < len(groups):
            group = groups[group_index]
            try:
                for page, next_token in ctx.calls.pages("iot", "ListThingsInThingGroup", "nextToken", "nextToken",
                                                        token, thingGroupName=group["groupName"], maxResults=250):
                    for thing in page.get("things", []):
                        writer.write({"thingName": thing, "thingGroups": [group]})
                    # The checkpoint names the next page to read: after a group's last page, the next group.
                    token = next_token
                    if next_token is None:
                        group_index += 1
                        bar.update(1)
                    saver.now(state)
                    if ctx.cancel.is_set():
                        raise ctx.Cancelled()
            except AccessDenied:
                raise
            except Exception as error:
                if not not_found(ctx, error):
                    raise
                ctx.note_vanished(stage, group["groupName"])
                group_index, token = group_index + 1, None
                saver.now(state)
                bar.update(1)
    except BaseException:
        writer.abandon()
        raise
    finally:
        bar.close()
    writer.finish()
    publish(ctx, stage, writer.path, stage)
    ctx.state.finish(stage)


def stage_group_list(ctx):
    listing(ctx, "thing-group-list", "iot", "ListThingGroups", "nextToken", "nextToken", {"maxResults": 250},
            lambda page: ((None, json.dumps({"groupName": g["groupName"], "groupArn": g["groupArn"]}))
                          for g in page.get("thingGroups", [])),
            lines="thing-group.names")


def stage_logging_v2(ctx):
    def make():
        try:
            return ctx.calls.call("iot", "GetV2LoggingOptions")
        except Exception as error:
            if ctx.calls.error_code(error) == "NotConfiguredException":
                return {}  # v2 logging was never set up
            raise
    small_file(ctx, "logging-v2.json", "logging-v2.json", make)


def stage_logging_v2_levels(ctx):
    def make():
        levels = []
        try:
            for page, _ in ctx.calls.pages("iot", "ListV2LoggingLevels", "nextToken", "nextToken", maxResults=250):
                levels.extend(page.get("logTargetConfigurations", []))
        except Exception as error:
            if ctx.calls.error_code(error) != "NotConfiguredException":
                raise
        return {"logTargetConfigurations": levels}
    small_file(ctx, "logging-v2-levels.json", "logging-v2-levels.json", make)


def stage_audit_suppressions(ctx):
    listing(ctx, "audit-suppressions.json", "iot", "ListAuditSuppressions", "nextToken", "nextToken",
            {"maxResults": 250}, lambda page: ((s, None) for s in page.get("suppressions", [])),
            array=("audit-suppressions.json", "suppressions"))


IAM_RESULT_KEYS = ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"]


def stage_iam_authorization_details(ctx):
    def make():
        # The account's IAM (at most a few thousand entities): merged as the CLI merges pages.
        merged = {}
        for page, _ in ctx.calls.pages("iam", "GetAccountAuthorizationDetails", "Marker", "Marker"):
            for key in IAM_RESULT_KEYS:
                if key in page:
                    merged.setdefault(key, []).extend(page[key])
        return {key: merged[key] for key in IAM_RESULT_KEYS if key in merged}
    small_file(ctx, "iam-authorization-details.json", "iam-authorization-details.json", make)


LAST_ACCESSED_POLL_SECONDS = 600


def stage_service_last_accessed(ctx):
    with open(os.path.join(ctx.out_dir, "role-aliases.json"), encoding="utf-8") as file:
        roles = sorted({alias["roleArn"] for alias in json.load(file)["roleAliasDescriptions"] if alias.get("roleArn")})

    def details(role):
        job = ctx.calls.call("iam", "GenerateServiceLastAccessedDetails", Arn=role)["JobId"]
        deadline, pause = time.monotonic() + LAST_ACCESSED_POLL_SECONDS, 0.5
        while True:
            response = ctx.calls.call("iam", "GetServiceLastAccessedDetails", JobId=job)
            if response.get("JobStatus") != "IN_PROGRESS":
                break
            if time.monotonic() > deadline:
                raise ctx.Failed(f"iam:GetServiceLastAccessedDetails (JobId={job}) for {role}: still IN_PROGRESS "
                                 f"after {LAST_ACCESSED_POLL_SECONDS} s")
            time.sleep(pause)
            pause = min(pause * 2, 10)
        if response.get("JobStatus") == "FAILED":
            raise ctx.Failed(f"iam:GetServiceLastAccessedDetails (JobId={job}) for {role}: job FAILED: "
                             f"{response.get('Error')}")
        services = list(response.get("ServicesLastAccessed", []))
        guard = TokenGuard(f"iam:GetServiceLastAccessedDetails (JobId={printable(job, 100)})")
        while response.get("IsTruncated"):
            guard.follow(response.get("Marker"), "Marker")
            response = ctx.calls.call("iam", "GetServiceLastAccessedDetails", JobId=job, Marker=response["Marker"])
            services.extend(response.get("ServicesLastAccessed", []))
        response["ServicesLastAccessed"] = services
        response["IsTruncated"] = False
        response.pop("Marker", None)
        return {"roleArn": role, "details": response}
    small_file(ctx, "iam-service-last-accessed.json", "iam-service-last-accessed.json",
               lambda: {"serviceLastAccessed": [details(role) for role in roles]})


def stage_iot_logs(ctx):
    stage = LOG_FILE
    end = int(ctx.started.timestamp() * 1000)
    start = end - ctx.log_days * 86400 * 1000

    def records(page):
        for event in page.get("events", []):
            message = event.get("message", "")
            if "\n" in message:  # a .jsonl line must be one line; JSON re-serialized keeps its meaning
                try:
                    message = json.dumps(json.loads(message), ensure_ascii=False, separators=(",", ":"))
                except ValueError:
                    message = message.replace("\n", " ")
            yield None, message
    try:
        listing(ctx, stage, "logs", "FilterLogEvents", "nextToken", "nextToken",
                {"logGroupName": LOG_GROUP, "startTime": start, "endTime": end}, records, lines=LOG_WORK_FILE)
    except Exception as error:
        if ctx.calls.error_code(error) != "ResourceNotFoundException":
            raise
        ctx.state.skip(stage, ["iot-logs/"], f"the log group {LOG_GROUP} does not exist in this region, so AWS IoT "
                                             "has never delivered v2 logs to CloudWatch Logs")
        return
    publish(ctx, stage, ctx.state.work_path(LOG_WORK_FILE), LOG_FILE)


def stages():
    """Every stage, in an order that satisfies `needs`; all whose needs are met run at once."""
    return [
        Stage("things.json", ["things.json"], [], stage_things,
              [("ListThings", "things/250")]),
        Stage("thing-principals.json", ["thing-principals.json"], ["things.json"], stage_thing_principals,
              [("ListThingPrincipals", "things")]),
        Stage("certificate-ids", [], [], id_listing("ListCertificates", "certificate-ids", "certificate.names",
                                                    "certificateId", "certificates"),
              [("ListCertificates", "certificates/250")]),
        Stage("certificates.json", ["certificates.json"], ["certificate-ids"],
              describe_stage("certificates.json", "certificates.json", "certificateDescriptions", "certificate.names",
                             "DescribeCertificate", "certificateId", "certificateDescription"),
              [("DescribeCertificate", "certificates")]),
        Stage("ca-certificate-ids", [], [], id_listing("ListCACertificates", "ca-certificate-ids", "ca-certificate.names",
                                                       "certificateId", "certificates"),
              [("ListCACertificates", "ca_certificates/250")]),
        Stage("ca-certificates.json", ["ca-certificates.json"], ["ca-certificate-ids"],
              describe_stage("ca-certificates.json", "ca-certificates.json", "certificateDescriptions",
                             "ca-certificate.names", "DescribeCACertificate", "certificateId",
                             "certificateDescription"),
              [("DescribeCACertificate", "ca_certificates")]),
        Stage("policy-names", [], [], id_listing("ListPolicies", "policy-names", "policy.names", "policyName", "policies"),
              [("ListPolicies", "policies/250")]),
        Stage("policies.json", ["policies.json"], ["policy-names"], stage_policies,
              [("GetPolicy", "policies"), ("ListPolicyVersions", "policies"),
               ("GetPolicyVersion", "policy_versions - policies")]),
        Stage("policy-targets.json", ["policy-targets.json"], ["policy-names"], stage_policy_targets,
              [("ListTargetsForPolicy", "policies")]),
        Stage("thing-group-list", [], [], stage_group_list, [("ListThingGroups", "thing_groups/250")]),
        Stage("thing-groups.json", ["thing-groups.json"], ["thing-group-list"], stage_thing_groups,
              [("ListThingsInThingGroup", "thing_groups + memberships/250")]),
        Stage("logging-v1.json", ["logging-v1.json"], [],
              lambda ctx: small_file(ctx, "logging-v1.json", "logging-v1.json",
                                     lambda: ctx.calls.call("iot", "GetLoggingOptions")),
              [("GetLoggingOptions", "1")]),
        Stage("logging-v2.json", ["logging-v2.json"], [], stage_logging_v2, [("GetV2LoggingOptions", "1")]),
        Stage("logging-v2-levels.json", ["logging-v2-levels.json"], [], stage_logging_v2_levels,
              [("ListV2LoggingLevels", "1")]),
        Stage("role-alias-names", [], [], id_listing("ListRoleAliases", "role-alias-names", "role-alias.names", None,
                                                     "roleAliases"),
              [("ListRoleAliases", "role_aliases/250")]),
        Stage("role-aliases.json", ["role-aliases.json"], ["role-alias-names"],
              describe_stage("role-aliases.json", "role-aliases.json", "roleAliasDescriptions", "role-alias.names",
                             "DescribeRoleAlias", "roleAlias", "roleAliasDescription"),
              [("DescribeRoleAlias", "role_aliases")]),
        Stage("iam-authorization-details.json", ["iam-authorization-details.json"], [],
              stage_iam_authorization_details, [("GetAccountAuthorizationDetails", "iam_pages")]),
        Stage("iam-service-last-accessed.json", ["iam-service-last-accessed.json"], ["role-aliases.json"],
              stage_service_last_accessed,
              [("GenerateServiceLastAccessedDetails", "role_aliases"), ("GetServiceLastAccessedDetails", "3 * role_aliases")]),
        Stage("identity-pool-ids", [], [], id_listing("ListIdentityPools", "identity-pool-ids", "identity-pool.names",
                                                      "IdentityPoolId", "IdentityPools", "NextToken", "NextToken",
                                                      {"MaxResults": 60}, service="cognito-identity"),
              [("ListIdentityPools", "identity_pools/60")]),
        Stage("cognito-identity-pool-roles.json", ["cognito-identity-pool-roles.json"], ["identity-pool-ids"],
              describe_stage("cognito-identity-pool-roles.json", "cognito-identity-pool-roles.json", "identityPoolRoles",
                             "identity-pool.names", "GetIdentityPoolRoles", "IdentityPoolId", None,
                             service="cognito-identity"),
              [("GetIdentityPoolRoles", "identity_pools")]),
        Stage("audit-configuration.json", ["audit-configuration.json"], [],
              lambda ctx: small_file(ctx, "audit-configuration.json", "audit-configuration.json",
                                     lambda: ctx.calls.call("iot", "DescribeAccountAuditConfiguration")),
              [("DescribeAccountAuditConfiguration", "1")]),
        Stage("audit-suppressions.json", ["audit-suppressions.json"], [], stage_audit_suppressions,
              [("ListAuditSuppressions", "suppressions/250")]),
        Stage(LOG_FILE, ["iot-logs/"], [], stage_iot_logs, [("FilterLogEvents", "log_pages")]),
    ]
