#!/usr/bin/env bash
# Mitigation task northwind-hq-2026-11-20, written by fleetaudit mitigate from the snapshot fixtures/demo
# (findings from an audit of fixtures/demo in this run).
# Review the plan first. Without --execute this script only prints each step; with --execute it
# calls AWS with the credentials of whoever runs it (the actions' roleArn is what Device Defender
# would assume; this script does not assume it). It stops at the first failed call.
set -euo pipefail

usage() { echo "usage: $0 [--execute]   (without --execute: print every step, call nothing)" >&2; }
EXECUTE=0
case "${1-}" in
  --execute) EXECUTE=1 ;;
  "") ;;
  -h | --help) usage; exit 0 ;;
  *) usage; exit 2 ;;
esac
if [[ $EXECUTE == 1 ]] && ! command -v aws >/dev/null; then
  echo "the AWS CLI (aws) is not installed" >&2
  exit 2
fi

step() { printf '\n==> %s\n' "$1"; }

# Prints a command, quoted as the shell would read it, and runs it only with --execute. Every value
# is passed as --option=value: a value that starts with "-" (a thing named --debug) stays a value.
run() {
  printf '   '
  printf ' %q' "$@"
  printf '\n'
  if [[ $EXECUTE == 1 ]]; then
    "$@"
  fi
}

# UPDATE_DEVICE_CERTIFICATE: EXECUTION CERTIFICATE_ID. Setting INACTIVE twice is harmless.
update_device_certificate() {
  printf '  [%s] deactivate device certificate %s\n' "$1" "$2"
  run aws iot update-certificate --certificate-id="$2" --new-status=INACTIVE
}

# UPDATE_CA_CERTIFICATE: EXECUTION CA_CERTIFICATE_ID.
update_ca_certificate() {
  printf '  [%s] deactivate CA certificate %s\n' "$1" "$2"
  run aws iot update-ca-certificate --certificate-id="$2" --new-status=INACTIVE
}

# ADD_THINGS_TO_THING_GROUP: EXECUTION THING GROUP OVERRIDE_DYNAMIC_GROUPS(true|false).
# Adding a thing to a group it is already in changes nothing.
add_things_to_thing_group() {
  printf '  [%s] add thing %s to thing group %s\n' "$1" "$2" "$3"
  local override=()
  if [[ $4 == true ]]; then
    override=(--override-dynamic-groups)
  fi
  run aws iot add-thing-to-thing-group --thing-name="$2" --thing-group-name="$3" "${override[@]}"
}

# REPLACE_DEFAULT_POLICY_VERSION: EXECUTION POLICY OPERATION VERSION, where OPERATION is
# create-default (a deny-all version becomes the default; VERSION is the id the plan expects) or
# delete-version. With --execute, steps already done are recognised and not repeated.
replace_default_policy_version() {
  case $3 in
    create-default)
      printf '  [%s] policy %s: make a deny-all version the default (expected version %s)\n' "$1" "$2" "$4"
      if [[ $EXECUTE == 1 ]]; then
        local current
        current=$(aws iot get-policy --policy-name="$2" --query=policyDocument --output=text | tr -d ' \n\t')
        if [[ $current == "$DENY_ALL_POLICY" ]]; then
          echo "    already the default: nothing to do"
          return 0
        fi
      fi
      run aws iot create-policy-version --policy-name="$2" --policy-document="$DENY_ALL_POLICY" --set-as-default
      ;;
    delete-version)
      printf '  [%s] policy %s: delete version %s\n' "$1" "$2" "$4"
      if [[ $EXECUTE == 1 ]] && ! aws iot get-policy-version --policy-name="$2" --policy-version-id="$4" >/dev/null 2>&1; then
        echo "    already deleted: nothing to do"
        return 0
      fi
      run aws iot delete-policy-version --policy-name="$2" --policy-version-id="$4"
      ;;
    *)
      echo "unknown policy operation $3" >&2
      return 2
      ;;
  esac
}

# ENABLE_IOT_LOGGING: EXECUTION LOGGING_ROLE_ARN LOG_LEVEL. Setting the same options twice is harmless.
enable_iot_logging() {
  printf '  [%s] enable AWS IoT v2 logging at %s\n' "$1" "$3"
  run aws iot set-v2-logging-options --role-arn="$2" --default-log-level="$3" --no-disable-all-logs
}

# PUBLISH_FINDING_TO_SNS: EXECUTION TOPIC_ARN MESSAGE (the finding, as AWS publishes it).
# Publishing is not idempotent: a second run sends the message again.
publish_finding_to_sns() {
  printf '  [%s] publish the finding to %s\n' "$1" "$2"
  run aws sns publish --topic-arn="$2" --message="$3"
}

# The snapshot's region, unless the caller chose one.
SNAPSHOT_REGION='eu-west-1'
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-$SNAPSHOT_REGION}"

DENY_ALL_POLICY='{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iot:*","Resource":"*"}]}'

# DEVICE_CERTIFICATE_SHARED_CHECK findings: NotifySecurityTeam (PUBLISH_FINDING_TO_SNS), 1 call
step 'NotifySecurityTeam (PUBLISH_FINDING_TO_SNS) on DEVICE_CERTIFICATE_SHARED_CHECK findings: 1 call'
while IFS=$'\t' read -r execution first second; do
  publish_finding_to_sns "$execution" "$first" "$second" </dev/null
done <<'FLEETAUDIT_ROWS'
1	arn:aws:sns:eu-west-1:123456789012:iot-audit-findings	{"findingId":"860c60bf28690773d36351fade4ae567","taskId":"fleetaudit-0b342dff656cb98bd7c6430e","checkName":"DEVICE_CERTIFICATE_SHARED_CHECK","taskStartTime":1795162542000,"findingTime":1795162542000,"severity":"CRITICAL","nonCompliantResource":{"resourceType":"DEVICE_CERTIFICATE","resourceIdentifier":{"deviceCertificateId":"c72dc03049dcbbdb86b075646bacef04eef0844b2f9fa48a3a261561019ba8d6"}},"reasonForNonComplianceCode":"CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES","reasonForNonCompliance":"Certificate c72dc03049dcbbdb86b075646bacef04eef0844b2f9fa48a3a261561019ba8d6 (ACTIVE) is attached to 3 things: nw-hq-lock-lobby-e, nw-hq-lock-lobby-w, nw-hq-lock-stair-2."}
FLEETAUDIT_ROWS

# DEVICE_CERTIFICATE_SHARED_CHECK findings: QuarantineSharedCertificateThings (ADD_THINGS_TO_THING_GROUP), 3 calls
step 'QuarantineSharedCertificateThings (ADD_THINGS_TO_THING_GROUP) on DEVICE_CERTIFICATE_SHARED_CHECK findings: 3 calls'
while IFS=$'\t' read -r execution first second third; do
  add_things_to_thing_group "$execution" "$first" "$second" "$third" </dev/null
done <<'FLEETAUDIT_ROWS'
2	nw-hq-lock-lobby-e	hq-quarantine	false
2	nw-hq-lock-lobby-w	hq-quarantine	false
2	nw-hq-lock-stair-2	hq-quarantine	false
FLEETAUDIT_ROWS

# DEVICE_CERTIFICATE_SHARED_CHECK findings: DeactivateSharedCertificate (UPDATE_DEVICE_CERTIFICATE), 1 call
step 'DeactivateSharedCertificate (UPDATE_DEVICE_CERTIFICATE) on DEVICE_CERTIFICATE_SHARED_CHECK findings: 1 call'
while IFS=$'\t' read -r execution first; do
  update_device_certificate "$execution" "$first" </dev/null
done <<'FLEETAUDIT_ROWS'
3	c72dc03049dcbbdb86b075646bacef04eef0844b2f9fa48a3a261561019ba8d6
FLEETAUDIT_ROWS

# IOT_POLICY_OVERLY_PERMISSIVE_CHECK findings: NotifySecurityTeam (PUBLISH_FINDING_TO_SNS), 3 calls
step 'NotifySecurityTeam (PUBLISH_FINDING_TO_SNS) on IOT_POLICY_OVERLY_PERMISSIVE_CHECK findings: 3 calls'
while IFS=$'\t' read -r execution first second; do
  publish_finding_to_sns "$execution" "$first" "$second" </dev/null
done <<'FLEETAUDIT_ROWS'
4	arn:aws:sns:eu-west-1:123456789012:iot-audit-findings	{"findingId":"a4819f86b6fde7db484d7e8b4575660a","taskId":"fleetaudit-0b342dff656cb98bd7c6430e","checkName":"IOT_POLICY_OVERLY_PERMISSIVE_CHECK","taskStartTime":1795162542000,"findingTime":1795162542000,"severity":"CRITICAL","nonCompliantResource":{"resourceType":"IOT_POLICY","resourceIdentifier":{"policyVersionIdentifier":{"policyName":"DoorLockPolicy","policyVersionId":"1"}}},"reasonForNonComplianceCode":"ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS","reasonForNonCompliance":"Policy DoorLockPolicy version 1 (default) allows broad access to IoT data plane actions: [iot:Connect]. For example: iot:Connect on arn:aws:iot:eu-west-1:123456789012:client/x (statement 1). The policy is attached so that it reaches 2 certificates and 4 things."}
6	arn:aws:sns:eu-west-1:123456789012:iot-audit-findings	{"findingId":"5aec7b9d082658f8c374de040c65f7ce","taskId":"fleetaudit-0b342dff656cb98bd7c6430e","checkName":"IOT_POLICY_OVERLY_PERMISSIVE_CHECK","taskStartTime":1795162542000,"findingTime":1795162542000,"severity":"CRITICAL","nonCompliantResource":{"resourceType":"IOT_POLICY","resourceIdentifier":{"policyVersionIdentifier":{"policyName":"FirmwareUpdatePolicy","policyVersionId":"1"}}},"reasonForNonComplianceCode":"ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS","reasonForNonCompliance":"Policy FirmwareUpdatePolicy version 1 allows broad access to IoT data plane actions: [iot:Publish, iot:Subscribe, iotjobsdata:DescribeJobExecution, iotjobsdata:GetPendingJobExecutions, iotjobsdata:StartNextPendingJobExecution, iotjobsdata:UpdateJobExecution]. For example: iot:Publish on arn:aws:iot:eu-west-1:123456789012:topic/$aws/things/x/jobs/ (statement 1). The policy is attached so that it reaches 6 certificates and 7 things."}
8	arn:aws:sns:eu-west-1:123456789012:iot-audit-findings	{"findingId":"a8ed43d0ebf3e20aea063893fce7e17f","taskId":"fleetaudit-0b342dff656cb98bd7c6430e","checkName":"IOT_POLICY_OVERLY_PERMISSIVE_CHECK","taskStartTime":1795162542000,"findingTime":1795162542000,"severity":"CRITICAL","nonCompliantResource":{"resourceType":"IOT_POLICY","resourceIdentifier":{"policyVersionIdentifier":{"policyName":"LegacyFullAccess","policyVersionId":"1"}}},"reasonForNonComplianceCode":"ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS","reasonForNonCompliance":"Policy LegacyFullAccess version 1 (default) allows broad access to IoT data plane actions: [iot:Connect, iot:DeleteConnection, iot:Publish, iot:RetainPublish, iot:Subscribe, iot:GetRetainedMessage, iot:ListRetainedMessages, iot:GetThingShadow, iot:UpdateThingShadow, iot:DeleteThingShadow, iot:DescribeJobExecution, iot:GetPendingJobExecutions, iot:StartNextPendingJobExecution, iot:UpdateJobExecution]. For example: iot:Connect on arn:aws:iot:eu-west-1:123456789012:client/x (statement 1). The policy is attached so that it reaches 1 certificate and 1 thing."}
FLEETAUDIT_ROWS

# IOT_POLICY_OVERLY_PERMISSIVE_CHECK findings: BlankOverlyPermissivePolicy (REPLACE_DEFAULT_POLICY_VERSION), 5 calls
step 'BlankOverlyPermissivePolicy (REPLACE_DEFAULT_POLICY_VERSION) on IOT_POLICY_OVERLY_PERMISSIVE_CHECK findings: 5 calls'
while IFS=$'\t' read -r execution first second third; do
  replace_default_policy_version "$execution" "$first" "$second" "$third" </dev/null
done <<'FLEETAUDIT_ROWS'
5	DoorLockPolicy	create-default	2
5	DoorLockPolicy	delete-version	1
7	FirmwareUpdatePolicy	delete-version	1
9	LegacyFullAccess	create-default	2
9	LegacyFullAccess	delete-version	1
FLEETAUDIT_ROWS

# LOGGING_DISABLED_CHECK findings: TurnOnErrorLogging (ENABLE_IOT_LOGGING), 1 call
step 'TurnOnErrorLogging (ENABLE_IOT_LOGGING) on LOGGING_DISABLED_CHECK findings: 1 call'
while IFS=$'\t' read -r execution first second; do
  enable_iot_logging "$execution" "$first" "$second" </dev/null
done <<'FLEETAUDIT_ROWS'
10	arn:aws:iam::123456789012:role/service-role/AWSIoTLoggingRole	ERROR
FLEETAUDIT_ROWS

step 'done: 14 calls'
if [[ $EXECUTE == 0 ]]; then
  echo "dry run: nothing was changed; run again with --execute to apply"
fi
