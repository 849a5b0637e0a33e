#!/usr/bin/python3
"""The plain-Python baseline bench/run measures fleetaudit against.

What a reviewer would otherwise write: json.load each snapshot file, then loops and dicts, for
fleetaudit's three seed checks:
  DEVICE_CERTIFICATE_SHARED_CHECK     an ACTIVE or PENDING_TRANSFER certificate attached to 2+ things
  IOT_POLICY_OVERLY_PERMISSIVE_CHECK  a policy version granting data-plane access beyond one device
  LOGGING_DISABLED_CHECK              neither v2 nor v1 logging enabled

The policy rules are the plain rules of fleetaudit's policy model (globs, policy variables, foreign
probes, Deny taking grants back), written straightforwardly; exotic edge cases may differ.

usage: baseline_audit.py SNAPSHOT_DIR [--details]
Prints "CHECK_NAME COUNT" per check; --details also lists the broad policy versions as NAME@VERSION.
Standard library only.
"""

import json
import os
import re
import sys
from functools import lru_cache

SHARED_CHECK = "DEVICE_CERTIFICATE_SHARED_CHECK"
POLICY_CHECK = "IOT_POLICY_OVERLY_PERMISSIVE_CHECK"
LOGGING_CHECK = "LOGGING_DISABLED_CHECK"

IN_USE_STATUSES = {"ACTIVE", "PENDING_TRANSFER"}


def load(snapshot, name):
    """The parsed file, or None when the snapshot does not have it."""
    path = os.path.join(snapshot, name)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as file:
        return json.load(file)


# --- DEVICE_CERTIFICATE_SHARED_CHECK ---------------------------------------------------------

def certificate_id_of(principal_arn):
    """arn:aws:iot:REGION:ACCOUNT:cert/ID -> ID; None for other principals (Cognito, IAM)."""
    _, marker, certificate_id = principal_arn.partition(":cert/")
    return certificate_id if marker else None


def shared_certificates(snapshot):
    certificates = load(snapshot, "certificates.json")
    thing_principals = load(snapshot, "thing-principals.json")
    if certificates is None or thing_principals is None:
        return None
    status_by_id = {c["certificateId"]: c["status"] for c in certificates.get("certificateDescriptions", [])}
    things_by_certificate = {}
    for attachment in thing_principals.get("thingPrincipals", []):
        principals = attachment.get("principals")
        if principals is None:  # list-thing-principals-v2 output
            principals = [entry["principal"] for entry in attachment.get("thingPrincipalObjects", [])]
        for principal in principals:
            certificate_id = certificate_id_of(principal)
            if certificate_id is not None:
                things_by_certificate.setdefault(certificate_id, set()).add(attachment["thingName"])
    return sorted(certificate_id for certificate_id, things in things_by_certificate.items()
                  if len(things) >= 2 and status_by_id.get(certificate_id) in IN_USE_STATUSES)


# --- IOT_POLICY_OVERLY_PERMISSIVE_CHECK ------------------------------------------------------

CATALOGUE = [
    "iot:Connect", "iot:Publish", "iot:Subscribe", "iot:GetRetainedMessage",
    "iot:GetThingShadow", "iot:UpdateThingShadow", "iot:DeleteThingShadow",
    "iot:DescribeJobExecution", "iot:GetPendingJobExecutions",
    "iot:StartNextPendingJobExecution", "iot:UpdateJobExecution",
    "iotjobsdata:DescribeJobExecution", "iotjobsdata:GetPendingJobExecutions",
    "iotjobsdata:StartNextPendingJobExecution", "iotjobsdata:UpdateJobExecution",
]
CONNECT, PUBLISH, SUBSCRIBE, GET_RETAINED_MESSAGE = 0, 1, 2, 3  # the rest act on things

# Names no policy mentions: only a wildcard can reach OTHER, only SELF's own variable is SELF.
OTHER = "other-device-q7z"
SELF = "self-device-k3x"
FOREIGN_TOPICS = [f"$aws/things/{OTHER}/shadow/update", f"$aws/things/{OTHER}/jobs/notify", f"{OTHER}/data"]


def filters_receiving(topic):
    """The filters a device would subscribe with to receive `topic`: itself, OTHER as +, and #s."""
    levels = topic.split("/")
    filters = {topic, "/".join("+" if level == OTHER else level for level in levels)}
    filters.update("/".join(levels[:depth] + ["#"]) for depth in range(len(levels) + 1))
    return sorted(filters)


FILTER_CANDIDATES = sorted({f for topic in FOREIGN_TOPICS for f in filters_receiving(topic)})

THING_VARIABLE = "iot:connection.thing.thingname"
CLIENT_ID_VARIABLE = "iot:clientid"
IS_ATTACHED_KEY = "iot:connection.thing.isattached"

# A pattern becomes tokens: ("lit", char), ("star", None) or ("one", None).
STAR = ("star", None)
ONE = ("one", None)


@lru_cache(maxsize=None)
def tokens_of(pattern, client_id_pinned):
    """Pattern tokens with the policy variables substituted for the device being probed from."""
    tokens = []
    at = 0
    while at < len(pattern):
        char = pattern[at]
        end = pattern.find("}", at) if pattern.startswith("${", at) else -1
        if end < 0:
            tokens.append(STAR if char == "*" else ONE if char == "?" else ("lit", char))
            at += 1
            continue
        name = pattern[at + 2:end]
        at = end + 1
        if name in ("*", "?", "$"):
            tokens.append(("lit", name))
        elif name.lower() == THING_VARIABLE or (name.lower() == CLIENT_ID_VARIABLE and client_id_pinned):
            tokens.extend(("lit", c) for c in SELF)
        elif name.lower() == CLIENT_ID_VARIABLE:
            tokens.append(STAR)  # any client id the device connects with
        else:
            # Certificate or thing attributes, the thing type: the device's own opaque values.
            tokens.extend(("lit", c) for c in "${" + name.lower() + "}")
    return tuple(tokens)


@lru_cache(maxsize=None)
def regex_of(pattern, client_id_pinned, case_insensitive=False):
    parts = [".*" if kind == "star" else "." if kind == "one" else re.escape(char)
             for kind, char in tokens_of(pattern, client_id_pinned)]
    return re.compile("".join(parts), re.DOTALL | (re.IGNORECASE if case_insensitive else 0))


def glob_matches(pattern, text, client_id_pinned):
    return regex_of(pattern, client_id_pinned).fullmatch(text) is not None


def actions_named(pattern):
    regex = regex_of(pattern, True, case_insensitive=True)
    return {index for index, name in enumerate(CATALOGUE) if regex.fullmatch(name)}


def filter_pattern_reaches(pattern, client_id_pinned, subject, filter_start):
    """Whether some filter string the pattern matches literally would, as an MQTT filter, receive
    the topic subject[filter_start:]. A lone ? can write + or (last) #; lone + and # are MQTT's."""
    tokens = tokens_of(pattern, client_id_pinned)
    count, length = len(tokens), len(subject)

    def lone(i):  # the token is a whole level of the pattern
        return i > 0 and tokens[i - 1] == ("lit", "/") and (i + 1 == count or tokens[i + 1] == ("lit", "/"))

    def level_start(j):
        return filter_start <= j <= length and subject[j - 1] == "/"

    def level_end(j):
        slash = subject.find("/", j)
        return length if slash < 0 else slash

    @lru_cache(maxsize=None)
    def match(i, j):
        if i == count:
            return j == length
        kind, char = tokens[i]
        if kind == "star":
            return any(match(i + 1, k) for k in range(j, length + 1))
        rest_of_topic = lone(i) and i + 1 == count and level_start(j)
        if kind == "one":
            if j < length and match(i + 1, j + 1):
                return True
            return lone(i) and level_start(j) and (rest_of_topic or match(i + 1, level_end(j)))
        if char == "+" and lone(i) and level_start(j):
            return match(i + 1, level_end(j))
        if char == "#" and rest_of_topic:
            return True
        # "a/#" also receives "a": the slash before a final lone # (or ?) may match the end.
        if char == "/" and j == length and j > filter_start and i + 2 == count and lone(i + 1) \
                and tokens[i + 1] in (ONE, ("lit", "#")):
            return True
        return j < length and subject[j] == char and match(i + 1, j + 1)

    return match(0, 0)


def deny_covers(deny, allow_pattern):
    """Deny compares filter strings literally, so it takes a Subscribe grant back only when it
    matches every filter the Allow pattern matches."""
    if deny["not_resource"]:
        return not any(excluded == allow_pattern
                       or glob_matches(excluded, allow_pattern, True)
                       or glob_matches(allow_pattern, excluded, True) for excluded in deny["resources"])
    for denied in deny["resources"]:
        if denied in (allow_pattern, "*"):
            return True
        head = denied[:-1]
        if denied.endswith("*") and "*" not in head and "?" not in head and allow_pattern.startswith(head):
            return True
    return False


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def has_is_attached_condition(condition):
    for operator, tests in (condition or {}).items():
        if operator not in ("Bool", "StringEquals") or not isinstance(tests, dict):
            continue
        for key, value in tests.items():
            values = as_list(value)
            if key.lower() == IS_ATTACHED_KEY and values and all(v is True or v == "true" for v in values):
                return True
    return False


def parse_statements(document_text):
    document = json.loads(document_text)
    statements = []
    for raw in as_list(document.get("Statement")):
        named = set()
        for pattern in as_list(raw.get("Action", raw.get("NotAction"))):
            named |= actions_named(pattern)
        actions = set(range(len(CATALOGUE))) - named if "NotAction" in raw else named
        statements.append({
            "allow": raw.get("Effect") == "Allow",
            "actions": actions,
            "not_resource": "NotResource" in raw,
            "resources": as_list(raw.get("Resource", raw.get("NotResource"))),
            "conditional": bool(raw.get("Condition")),
            "is_attached": has_is_attached_condition(raw.get("Condition")),
        })
    return statements


def reaches(statement, probe, client_id_pinned):
    hit = any(glob_matches(pattern, probe, client_id_pinned) for pattern in statement["resources"])
    return hit != statement["not_resource"]


def broad_actions(statements, arn_prefix):
    """The catalogue indexes this policy version grants broadly."""
    client_probes = [arn_prefix + "client/" + OTHER]
    thing_probes = [arn_prefix + "thing/" + OTHER, arn_prefix + f"thing/{OTHER}/{OTHER}"]
    topic_probes = [arn_prefix + "topic/" + topic for topic in FOREIGN_TOPICS]
    filter_probes = [arn_prefix + "topicfilter/" + f for f in FILTER_CANDIDATES]
    probes_by_action = [client_probes, topic_probes, filter_probes, topic_probes] + [thing_probes] * 11

    allows = [s for s in statements if s["allow"]]
    denies = [s for s in statements if not s["allow"] and not s["conditional"]]  # a condition may not apply

    def probe_is_broad(action, probe, client_id_pinned):
        allowed = any(action in s["actions"] and reaches(s, probe, client_id_pinned) for s in allows)
        # In a Deny, ${iot:ClientId} is the device's own id except when connecting as that very id.
        return allowed and not any(action in s["actions"] and reaches(s, probe, action != CONNECT) for s in denies)

    broad = set()
    connect_allowed = any(CONNECT in s["actions"] and reaches(s, client_probes[0], s["is_attached"]) for s in allows)
    connect_denied = any(CONNECT in s["actions"] and reaches(s, client_probes[0], False) for s in denies)
    if connect_allowed and not connect_denied:
        broad.add(CONNECT)
    # ${iot:ClientId} is the device's own only if it cannot connect as another device.
    pinned = CONNECT not in broad

    for action in range(1, len(CATALOGUE)):
        if action == SUBSCRIBE:
            continue
        if any(probe_is_broad(action, probe, pinned) for probe in probes_by_action[action]):
            broad.add(action)

    # Subscribe: a Resource pattern is judged by what filters it lets the device write; a
    # NotResource grant by the concrete filters it does not exclude.
    filter_start = len(arn_prefix + "topicfilter/")
    topic_subjects = [arn_prefix + "topicfilter/" + topic for topic in FOREIGN_TOPICS]
    subscribe_denies = [s for s in denies if SUBSCRIBE in s["actions"]]
    for statement in allows:
        if SUBSCRIBE not in statement["actions"]:
            continue
        if statement["not_resource"]:
            if any(probe_is_broad(SUBSCRIBE, probe, pinned) and reaches(statement, probe, pinned)
                   for probe in filter_probes):
                broad.add(SUBSCRIBE)
            continue
        for pattern in statement["resources"]:
            if any(filter_pattern_reaches(pattern, pinned, subject, filter_start) for subject in topic_subjects) \
                    and not any(deny_covers(deny, pattern) for deny in subscribe_denies):
                broad.add(SUBSCRIBE)
    return broad


def arn_prefix_of(policy_arn, manifest):
    """arn:PARTITION:iot:REGION:ACCOUNT: of the policy's own ARN, else of the manifest."""
    fields = (policy_arn or "").split(":")
    if len(fields) >= 6 and fields[0] == "arn" and fields[2] == "iot" and all(fields[i] for i in (1, 3, 4)):
        return ":".join(fields[:5]) + ":"
    return f"arn:aws:iot:{manifest.get('region', '')}:{manifest.get('accountId', '')}:"


def overly_permissive_policy_versions(snapshot):
    policies = load(snapshot, "policies.json")
    if policies is None:
        return None
    manifest = load(snapshot, "manifest.json") or {}
    findings = []
    for policy in policies.get("policies", []):
        prefix = arn_prefix_of(policy.get("policyArn"), manifest)
        versions = [(policy.get("defaultVersionId"), policy["policyDocument"])]
        versions += [(v.get("policyVersionId"), v["policyDocument"]) for v in policy.get("versions", [])]
        for version_id, document in versions:
            if broad_actions(parse_statements(document), prefix):
                findings.append(f"{policy['policyName']}@{version_id}")
    return sorted(findings)


# --- LOGGING_DISABLED_CHECK ------------------------------------------------------------------

def logging_disabled(snapshot):
    v2 = load(snapshot, "logging-v2.json")
    v1 = load(snapshot, "logging-v1.json")
    if v2 is None and v1 is None:
        return None
    # {} is what get-v2-logging-options answers when v2 logging was never configured.
    v2_enabled = bool(v2) and not v2.get("disableAllLogs", False) \
        and v2.get("defaultLogLevel") not in (None, "DISABLED")
    v1_enabled = bool(v1) and bool(v1.get("roleArn")) and v1.get("logLevel") not in (None, "DISABLED")
    return not (v2_enabled or v1_enabled)


def main(argv):
    arguments = [a for a in argv[1:] if a != "--details"]
    if len(arguments) != 1 or not os.path.isdir(arguments[0]):
        print("usage: baseline_audit.py SNAPSHOT_DIR [--details]", file=sys.stderr)
        return 2
    snapshot = arguments[0]
    shared = shared_certificates(snapshot)
    policies = overly_permissive_policy_versions(snapshot)
    logging = logging_disabled(snapshot)

    def count(result):
        return "not-run" if result is None else len(result) if isinstance(result, list) else int(result)

    print(f"{SHARED_CHECK} {count(shared)}")
    print(f"{POLICY_CHECK} {count(policies)}")
    print(f"{LOGGING_CHECK} {count(logging)}")
    if "--details" in argv and policies:
        for version in policies:
            print(f"  {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
