"""fleetaudit-publish sns: the audit-notification message Device Defender publishes when an audit
finishes (schema arn:aws:iot:::schema:auditnotification/1.0), checked and sent to an SNS topic
with message attributes that subscription filter policies can match: which checks ended in which
status, and the counts consumers already read."""

import json
import re

from .inputs import InputError, member_path, printable

# SNS's limit on a message, its attributes included (names, types and values).
MAX_MESSAGE_BYTES = 262_144
# An organization's notification file (`fleetaudit audit DIR --format notification`) is an array of
# one message per account and region; it is read whole, so it is bounded too.
MAX_MESSAGES = 4096
MAX_FILE_BYTES = 64 * 1024 * 1024
TASK_STATUSES = ("IN_PROGRESS", "COMPLETED", "FAILED", "CANCELED")
TASK_TYPES = ("ON_DEMAND_AUDIT_TASK", "SCHEDULED_AUDIT_TASK")
CHECK_RUN_STATUSES = ("IN_PROGRESS", "WAITING_FOR_DATA_COLLECTION", "CANCELED", "COMPLETED_COMPLIANT",
                      "COMPLETED_NON_COMPLIANT", "FAILED")
COUNTS = ("failedChecksCount", "canceledChecksCount", "nonCompliantChecksCount", "compliantChecksCount",
          "totalChecksCount")
# Check names go into attribute values: AWS's are upper case with underscores, and so are ours.
CHECK_NAME = re.compile(r"[A-Za-z0-9_]{1,128}")
MAX_CHECKS = 1000

# The attributes every message carries (README "Publishing"): a String.Array of check names per
# final check status, so that a filter policy such as {"nonCompliantChecks": ["CA_CERTIFICATE_EXPIRING_CHECK"]}
# or {"failedChecksCount": [{"numeric": [">", 0]}]} picks the messages a subscriber cares about.
CHECKS_ATTRIBUTE_OF_STATUS = {"COMPLETED_NON_COMPLIANT": "nonCompliantChecks", "FAILED": "failedChecks",
                              "CANCELED": "canceledChecks", "COMPLETED_COMPLIANT": "compliantChecks"}
STRING_ATTRIBUTES = ("taskStatus", "taskType", "accountId")
NUMBER_ATTRIBUTES = ("nonCompliantChecksCount", "failedChecksCount")


def read_notifications(path):
    """The messages of `path`: its one object, or each of an organization's array (one per account
    and region), each checked; else InputError naming the file and the JSON path."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise InputError(f"{path}: {error.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{path}: over {MAX_FILE_BYTES:,} bytes")
    if len(data) > MAX_MESSAGE_BYTES and not data.lstrip().startswith(b"["):  # one message: not parsed at all
        raise InputError(f"{path}: over {MAX_MESSAGE_BYTES:,} bytes, SNS's limit on a message")
    try:
        message = json.loads(data.decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: byte {error.start:,}: not UTF-8 text") from None
    except RecursionError:
        raise InputError(f"{path}: nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, or a number Python will not read
        raise InputError(f"{path}: not JSON: {printable(error)}") from None
    messages, at = (message, "$[{}]") if isinstance(message, list) else ([message], "$")
    if not messages or len(messages) > MAX_MESSAGES:
        raise InputError(f"{path}: $: expected an audit-notification object, or an array of 1 to {MAX_MESSAGES:,}")
    problems = [problem.replace("$", at.format(index), 1)
                for index, each in enumerate(messages) for problem in notification_problems(each)]
    if problems:
        raise InputError("\n".join(f"{path}: {problem}" for problem in problems))
    for index, each in enumerate(messages):
        size = message_size(message_body(each), message_attributes(each))
        if size > MAX_MESSAGE_BYTES:
            raise InputError(f"{path}: {at.format(index)}: the message and its attributes are {size:,} bytes, over "
                             f"{MAX_MESSAGE_BYTES:,} bytes, SNS's limit on a message")
    return messages


def _refuse_constant(text):
    raise ValueError(f"{text} is not JSON")


def notification_problems(message):
    """Every way `message` departs from the audit-notification schema, by JSON path."""
    if not isinstance(message, dict):
        return ["$: expected the audit-notification object"]
    problems = []
    _expect_string(message, "$", "accountId", problems)
    _expect_string(message, "$", "taskId", problems)
    _expect_string(message, "$", "taskStatus", problems, TASK_STATUSES)
    _expect_string(message, "$", "taskType", problems, TASK_TYPES)
    for name in COUNTS + ("taskStartTime",):
        _expect_count(message, "$", name, problems)
    details = message.get("auditDetails")
    if not isinstance(details, list):
        problems.append("$.auditDetails: expected an array of checks")
    elif len(details) > MAX_CHECKS:
        problems.append(f"$.auditDetails: more than {MAX_CHECKS} checks")
    else:
        for index, check in enumerate(details):
            _check_problems(check, f"$.auditDetails[{index}]", problems)
    return problems


def _check_problems(check, path, problems):
    if not isinstance(check, dict):
        problems.append(f"{path}: expected an object")
        return
    _expect_string(check, path, "checkName", problems)
    if isinstance(check.get("checkName"), str) and not CHECK_NAME.fullmatch(check["checkName"]):
        problems.append(f"{path}.checkName: \"{printable(check['checkName'])}\" is not a check name "
                        "(letters, digits and _, at most 128)")
    _expect_string(check, path, "checkRunStatus", problems, CHECK_RUN_STATUSES)
    _expect_count(check, path, "nonCompliantResourcesCount", problems)
    _expect_count(check, path, "totalResourcesCount", problems)
    for optional in ("errorCode", "message"):
        if optional in check:
            _expect_string(check, path, optional, problems)


def _expect_string(record, path, name, problems, allowed=None):
    value = record.get(name)
    where = member_path(path, name)
    if not isinstance(value, str) or not value:
        problems.append(f"{where}: expected a non-empty string" + (" (missing)" if name not in record else ""))
    elif allowed and value not in allowed:
        problems.append(f"{where}: \"{printable(value)}\" is not one of {', '.join(allowed)}")


def _expect_count(record, path, name, problems):
    value = record.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        problems.append(f"{member_path(path, name)}: expected a whole number >= 0"
                        + (" (missing)" if name not in record else ""))


def message_attributes(message):
    """SNS message attributes of a checked notification (see CHECKS_ATTRIBUTE_OF_STATUS)."""
    attributes = {name: {"DataType": "String", "StringValue": message[name]} for name in STRING_ATTRIBUTES}
    for name in NUMBER_ATTRIBUTES:
        attributes[name] = {"DataType": "Number", "StringValue": str(message[name])}
    for status, name in CHECKS_ATTRIBUTE_OF_STATUS.items():
        checks = [check["checkName"] for check in message["auditDetails"] if check["checkRunStatus"] == status]
        attributes[name] = {"DataType": "String.Array", "StringValue": json.dumps(checks)}
    return attributes


def message_body(message):
    """The message as sent: the notification's JSON, compact, members in the file's order."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def message_size(body, attributes):
    """Bytes SNS counts against its limit: the body and every attribute's name, type and value."""
    return len(body.encode()) + sum(len(name.encode()) + len(value["DataType"].encode())
                                    + len(value["StringValue"].encode()) for name, value in attributes.items())


def publish_notifications(calls, topic_arn, path):
    """Publishes each notification in `path`, in order, as Device Defender sends one per account and
    region; yields (account, SNS's MessageId). Every message is checked before any is sent."""
    for message in read_notifications(path):
        body, attributes = message_body(message), message_attributes(message)
        response = calls.call("sns", "Publish", TopicArn=topic_arn, Message=body, MessageAttributes=attributes)
        yield message.get("accountId"), response["MessageId"]
