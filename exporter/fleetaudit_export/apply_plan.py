"""A mitigation plan as `fleetaudit mitigate --plan` writes it, read as untrusted input: every field
fleetaudit-apply uses is checked (type, AWS's name pattern, size), and a problem is reported with
its JSON path. The plan's changes come out in the safe order in which fleetaudit-apply makes them."""

import dataclasses
import hashlib
import json
import re

# The document REPLACE_DEFAULT_POLICY_VERSION installs (analyzer/mitigate/mitigation_plan.h,
# kDenyAllPolicyDocument): a plan that asks for any other document is refused.
DENY_ALL_POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iot:*","Resource":"*"}]}'

# The safe order (README, "Applying a plan"): notify first, turn logging on, quarantine, replace
# policies, and deactivate certificates last, so that a run stopped half-way leaves devices
# connected rather than half-configured. Device certificates go before CA certificates: a CA is the
# wider cut.
PHASES = ("Publish", "SetV2LoggingOptions", "AddThingToThingGroup", "policy versions", "UpdateCertificate",
          "UpdateCACertificate")
PHASE_OF = {"Publish": 0, "SetV2LoggingOptions": 1, "AddThingToThingGroup": 2, "DeletePolicyVersion": 3,
            "CreatePolicyVersion": 3, "UpdateCertificate": 4, "UpdateCACertificate": 5}

# AWS's patterns for the names a change carries (botocore's iot model), so that nothing else
# reaches an API call, a terminal or the journal as a name.
THING_NAME = re.compile(r"[a-zA-Z0-9:_-]{1,128}")
POLICY_NAME = re.compile(r"[\w+=,.@-]{1,128}")
CERTIFICATE_ID = re.compile(r"[0-9a-fA-F]{64}")
VERSION_ID = re.compile(r"[0-9]{1,20}")
ARN = re.compile(r"arn:[!-~]{1,2040}")
LOG_LEVELS = {"DEBUG", "INFO", "ERROR", "WARN"}
MAX_MESSAGE_BYTES = 256 * 1024  # SNS's limit on a message
MAX_PLAN_EXECUTIONS = 10_000_000


class PlanError(Exception):
    """The plan cannot be applied as it stands: the message names the file and JSON path."""


@dataclasses.dataclass
class Change:
    """One AWS call's worth of change. `id` is "EXECUTION.CHANGE", both counted from 1 in plan order."""
    id: str
    execution: int  # index into Plan.executions
    operation: str
    params: dict

    @property
    def resource(self):
        """What the change is about, for people and for grouping (a policy's steps run in order)."""
        p = self.params
        return (p.get("certificateId") or p.get("policyName") or p.get("thingName") or p.get("topicArn")
                or p.get("roleArn") or "")


@dataclasses.dataclass
class Execution:
    finding_id: str
    check_name: str
    action_name: str
    action_type: str
    planned_status: str  # PENDING or SKIPPED
    reason: str
    changes: list


@dataclasses.dataclass
class Plan:
    path: str
    sha256: str
    task_id: str
    account_id: str
    region: str
    snapshot_exported_at: str  # ISO 8601, or "" when the snapshot had no exportedAt
    actions: list  # [(actionName, actionType)] in the plan's order
    executions: list

    def changes(self):
        return [change for execution in self.executions for change in execution.changes]


def _string(value, path, pattern=None, max_length=4096):
    if not isinstance(value, str):
        raise PlanError(f"{path}: expected a string")
    if len(value.encode("utf-8", "surrogatepass")) > max_length:
        raise PlanError(f"{path}: longer than {max_length} bytes")
    if pattern is not None and not pattern.fullmatch(value):
        raise PlanError(f"{path}: {value!r} is not a name AWS accepts here")
    return value


def _boolean(value, path):
    if not isinstance(value, bool):
        raise PlanError(f"{path}: expected true or false")
    return value


def _change_params(record, path):
    """The call's parameters, exactly as fix_script.cpp passes them to the AWS CLI."""
    if not isinstance(record, dict):
        raise PlanError(f"{path}: expected an object")
    operation = _string(record.get("operation"), f"{path}.operation", max_length=64)
    if operation in ("UpdateCertificate", "UpdateCACertificate"):
        if record.get("newStatus") != "INACTIVE":
            raise PlanError(f"{path}.newStatus: fleetaudit-apply only deactivates certificates (expected INACTIVE)")
        return operation, {"certificateId": _string(record.get("certificateId"), f"{path}.certificateId",
                                                     CERTIFICATE_ID), "newStatus": "INACTIVE"}
    if operation == "AddThingToThingGroup":
        return operation, {"thingName": _string(record.get("thingName"), f"{path}.thingName", THING_NAME),
                           "thingGroupName": _string(record.get("thingGroupName"), f"{path}.thingGroupName",
                                                     THING_NAME),
                           "overrideDynamicGroups": _boolean(record.get("overrideDynamicGroups"),
                                                             f"{path}.overrideDynamicGroups")}
    if operation == "DeletePolicyVersion":
        return operation, {"policyName": _string(record.get("policyName"), f"{path}.policyName", POLICY_NAME),
                           "policyVersionId": _string(record.get("policyVersionId"), f"{path}.policyVersionId",
                                                      VERSION_ID)}
    if operation == "CreatePolicyVersion":
        if record.get("policyDocument") != DENY_ALL_POLICY or record.get("setAsDefault") is not True:
            raise PlanError(f"{path}: a CreatePolicyVersion change must install fleetaudit's deny-all document "
                            "as the default version")
        return operation, {"policyName": _string(record.get("policyName"), f"{path}.policyName", POLICY_NAME),
                           "policyDocument": DENY_ALL_POLICY, "setAsDefault": True,
                           "expectedPolicyVersionId": _string(record.get("expectedPolicyVersionId"),
                                                              f"{path}.expectedPolicyVersionId", VERSION_ID)}
    if operation == "SetV2LoggingOptions":
        level = _string(record.get("defaultLogLevel"), f"{path}.defaultLogLevel", max_length=16)
        if level not in LOG_LEVELS or record.get("disableAllLogs") is not False:
            raise PlanError(f"{path}: expected defaultLogLevel one of {sorted(LOG_LEVELS)} and disableAllLogs false")
        return operation, {"roleArn": _string(record.get("roleArn"), f"{path}.roleArn", ARN, 2048),
                           "defaultLogLevel": level, "disableAllLogs": False}
    if operation == "Publish":
        return operation, {"topicArn": _string(record.get("topicArn"), f"{path}.topicArn", ARN, 2048),
                           "message": _string(record.get("message"), f"{path}.message", max_length=MAX_MESSAGE_BYTES)}
    raise PlanError(f"{path}.operation: unknown operation {operation!r}")


def _execution(record, index, path):
    if not isinstance(record, dict):
        raise PlanError(f"{path}: expected an object")
    status = record.get("status")
    if status not in ("PENDING", "SKIPPED"):
        raise PlanError(f"{path}.status: expected PENDING or SKIPPED")
    changes = record.get("changes")
    if not isinstance(changes, list):
        raise PlanError(f"{path}.changes: expected an array")
    execution = Execution(
        finding_id=_string(record.get("findingId"), f"{path}.findingId", max_length=128),
        check_name=_string(record.get("checkName"), f"{path}.checkName", max_length=128),
        action_name=_string(record.get("actionName"), f"{path}.actionName", re.compile(r"[a-zA-Z0-9_-]{1,128}")),
        action_type=_string(record.get("actionType"), f"{path}.actionType", max_length=64),
        planned_status=status, reason=_string(record.get("reason", ""), f"{path}.reason"), changes=[])
    if status == "SKIPPED" and changes:
        raise PlanError(f"{path}.changes: a SKIPPED execution makes no change")
    for number, change in enumerate(changes):
        operation, params = _change_params(change, f"{path}.changes[{number}]")
        execution.changes.append(Change(f"{index + 1}.{number + 1}", index, operation, params))
    return execution


def read_plan(path):
    """The plan at `path`, checked; raises PlanError (or OSError)."""
    with open(path, "rb") as file:
        data = file.read()
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise PlanError(f"{path}: not JSON: {error}") from None
    if not isinstance(document, dict):
        raise PlanError(f"{path}: expected a JSON object (the output of fleetaudit mitigate --plan)")
    executions = document.get("executions")
    if not isinstance(executions, list) or len(executions) > MAX_PLAN_EXECUTIONS:
        raise PlanError(f"{path}: executions: expected an array (of at most {MAX_PLAN_EXECUTIONS})")
    actions = document.get("actions")
    if not isinstance(actions, list):
        raise PlanError(f"{path}: actions: expected an array")
    try:
        plan = Plan(path=path, sha256=hashlib.sha256(data).hexdigest(),
                    task_id=_string(document.get("taskId"), "taskId", max_length=128),
                    account_id=_string(document.get("accountId", ""), "accountId", re.compile(r"[0-9]{12}|")),
                    region=_string(document.get("region", ""), "region", re.compile(r"[a-z0-9-]{0,64}")),
                    snapshot_exported_at=_string(document.get("snapshotExportedAt", ""), "snapshotExportedAt",
                                                 max_length=64),
                    actions=[(_string(a.get("actionName") if isinstance(a, dict) else None, f"actions[{n}].actionName",
                                      max_length=128),
                              _string(a.get("actionType"), f"actions[{n}].actionType", max_length=64))
                             for n, a in enumerate(actions)],
                    executions=[_execution(record, index, f"executions[{index}]")
                                for index, record in enumerate(executions)])
    except PlanError as error:
        raise PlanError(f"{path}: {error}") from None
    return plan


def ordered_units(changes):
    """The changes in the safe order, as units of work: a policy's steps are one unit run in plan
    order (delete the oldest version, create the new default, delete the flagged version); every
    other change is a unit of its own. Returns [(phase index, [Change])] sorted by phase, plan
    order within a phase."""
    units, policy_units = [], {}
    for change in changes:
        phase = PHASE_OF[change.operation]
        if phase == PHASE_OF["CreatePolicyVersion"]:
            name = change.params["policyName"]
            if name not in policy_units:
                policy_units[name] = (phase, [])
                units.append(policy_units[name])
            policy_units[name][1].append(change)
        else:
            units.append((phase, [change]))
    units.sort(key=lambda unit: unit[0])  # stable: plan order within a phase
    return units
