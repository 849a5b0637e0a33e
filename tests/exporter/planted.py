"""A snapshot with every file of the format and planted problems, for the stub to serve: the demo
fleet (fixtures/demo), a role alias fixture and a Cognito fixture moved into its region, v2
logging levels, one suppression, and connection logs of the last days in which two certificates
share one client id. Auditing it directly is the oracle an exported copy must match."""

import datetime
import json
import os
import shutil

from conftest import SOURCE_DIR

FIXTURES = os.path.join(SOURCE_DIR, "fixtures")
DEMO = os.path.join(FIXTURES, "demo")
ROLE_ALIASES = os.path.join(FIXTURES, "iot_role_alias_overly_permissive_check", "used-services-and-deny")
COGNITO = os.path.join(FIXTURES, "authenticated_cognito_role_overly_permissive_check", "role-mapping")

# What the extra parts plant (the demo's own findings are in fixtures/demo/expected.txt).
PLANTED = {
    ("IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK", "ALLOWS_BROAD_ACCESS_TO_IOT_THING_ADMIN_READ_ACTIONS"),
    ("AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK", "ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS"),
    ("CONFLICTING_CLIENT_IDS_CHECK", "DUPLICATE_CLIENT_ID_ACROSS_CONNECTIONS"),
    ("DEVICE_CERTIFICATE_SHARED_CHECK", "CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES"),
    ("IOT_POLICY_OVERLY_PERMISSIVE_CHECK", "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS"),
}


def read(directory, name):
    with open(os.path.join(directory, name), encoding="utf-8") as file:
        return file.read()


def moved(directory, name):
    """A fixture file of us-east-1 moved to the demo's region."""
    return json.loads(read(directory, name).replace("us-east-1", "eu-west-1"))


def write(directory, name, value):
    with open(os.path.join(directory, name), "w", encoding="utf-8") as file:
        json.dump(value, file, indent=2)


def log_lines(now):
    def entry(days_ago, event, client, principal, **extra):
        moment = (now - datetime.timedelta(days=days_ago)).strftime("%Y-%m-%d %H:%M:%S.000")
        return json.dumps({"timestamp": moment, "logLevel": "INFO", "eventType": event, "protocol": "MQTT",
                           "clientId": client, "principalId": principal, "status": "Success", **extra})
    first, second = "a" * 63 + "1", "b" * 63 + "2"
    return [entry(3, "Connect", "nw-hq-sensor-7", first),
            entry(2.9, "Disconnect", "nw-hq-sensor-7", first, disconnectReason="CLIENT_INITIATED_DISCONNECT"),
            entry(2, "Connect", "nw-hq-sensor-7", second),
            # A connection closed before the 31-day window: not exported, and no finding either way.
            entry(40, "Connect", "nw-hq-sensor-8", first),
            entry(39.9, "Disconnect", "nw-hq-sensor-8", first, disconnectReason="CLIENT_INITIATED_DISCONNECT")]


def build(directory, now):
    """Writes the planted snapshot into `directory`; `now` places the connection logs."""
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(DEMO):
        if name.endswith(".json"):
            shutil.copy(os.path.join(DEMO, name), directory)
    audit = json.loads(read(DEMO, "audit-configuration.json"))
    for check in audit["auditCheckConfigurations"].values():
        check["enabled"] = True
        check.pop("configuration", None)  # botocore's model has only "enabled" (see account.py)
    write(directory, "audit-configuration.json", audit)
    iam = moved(ROLE_ALIASES, "iam-authorization-details.json")
    iam["RoleDetailList"] += moved(COGNITO, "iam-authorization-details.json")["RoleDetailList"]
    write(directory, "iam-authorization-details.json", iam)
    for name in ("role-aliases.json", "iam-service-last-accessed.json"):
        write(directory, name, moved(ROLE_ALIASES, name))
    write(directory, "cognito-identity-pool-roles.json", moved(COGNITO, "cognito-identity-pool-roles.json"))
    write(directory, "logging-v2-levels.json", {"logTargetConfigurations": [
        {"logTarget": {"targetType": "THING_GROUP", "targetName": "nw-hq-locks"}, "logLevel": "ERROR"}]})
    write(directory, "audit-suppressions.json", {"suppressions": [{
        "checkName": "LOGGING_DISABLED_CHECK", "resourceIdentifier": {"account": "123456789012"},
        "expirationDate": (now + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "suppressIndefinitely": False, "description": "logging is being rolled out"}]})
    os.makedirs(os.path.join(directory, "iot-logs"), exist_ok=True)
    with open(os.path.join(directory, "iot-logs", "connections.jsonl"), "w", encoding="utf-8") as file:
        file.write("\n".join(log_lines(now)) + "\n")
