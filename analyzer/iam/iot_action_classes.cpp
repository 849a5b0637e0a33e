#include "analyzer/iam/iot_action_classes.h"

#include <array>

#include "analyzer/util/ascii.h"

namespace fleetaudit::iam {

namespace {

// AWS's lists (DG-unauth / DG-auth); ListThings is in the write list on AWS's page, so here too.
constexpr std::array<std::string_view, 11> kThingAdminWrite{
    "AddThingToThingGroup", "AttachThingPrincipal", "CreateThing", "DeleteThing", "DetachThingPrincipal",
    "ListThings", "ListThingsInThingGroup", "RegisterThing", "RemoveThingFromThingGroup", "UpdateThing",
    "UpdateThingGroupsForThing"};
constexpr std::array<std::string_view, 4> kThingAdminRead{"DescribeThing", "ListJobExecutionsForThing",
                                                          "ListThingGroupsForThing", "ListThingPrincipals"};
// MQTT, retained messages, shadows and device-side jobs: what a device itself calls.
constexpr std::array<std::string_view, 15> kDataPlane{
    "Connect", "Publish", "Subscribe", "Receive", "RetainPublish", "GetRetainedMessage", "ListRetainedMessages",
    "GetThingShadow", "UpdateThingShadow", "DeleteThingShadow", "ListNamedShadowsForThing", "DescribeJobExecution",
    "GetPendingJobExecutions", "StartNextPendingJobExecution", "UpdateJobExecution"};

constexpr std::string_view kAllKnown[] = {
    // thing admin write
    "AddThingToThingGroup", "AttachThingPrincipal", "CreateThing", "DeleteThing", "DetachThingPrincipal",
    "ListThings", "ListThingsInThingGroup", "RegisterThing", "RemoveThingFromThingGroup", "UpdateThing",
    "UpdateThingGroupsForThing",
    // thing admin read
    "DescribeThing", "ListJobExecutionsForThing", "ListThingGroupsForThing", "ListThingPrincipals",
    // data plane
    "Connect", "Publish", "Subscribe", "Receive", "RetainPublish", "GetRetainedMessage", "ListRetainedMessages",
    "GetThingShadow", "UpdateThingShadow", "DeleteThingShadow", "ListNamedShadowsForThing", "DescribeJobExecution",
    "GetPendingJobExecutions", "StartNextPendingJobExecution", "UpdateJobExecution",
    // non-thing admin (the IoT control-plane API, the commonly used part)
    "AcceptCertificateTransfer", "AttachPolicy", "AttachPrincipalPolicy", "AttachSecurityProfile",
    "CancelAuditTask", "CancelCertificateTransfer", "CancelJob", "CancelJobExecution", "ClearDefaultAuthorizer",
    "CreateAuthorizer", "CreateBillingGroup", "CreateCertificateFromCsr", "CreateCustomMetric", "CreateDimension",
    "CreateDomainConfiguration", "CreateDynamicThingGroup", "CreateFleetMetric", "CreateJob", "CreateJobTemplate",
    "CreateKeysAndCertificate", "CreateMitigationAction", "CreateOTAUpdate", "CreatePolicy", "CreatePolicyVersion",
    "CreateProvisioningClaim", "CreateProvisioningTemplate", "CreateRoleAlias", "CreateScheduledAudit",
    "CreateSecurityProfile", "CreateStream", "CreateThingGroup", "CreateThingType", "CreateTopicRule",
    "CreateTopicRuleDestination", "DeleteAccountAuditConfiguration", "DeleteAuthorizer", "DeleteCACertificate",
    "DeleteCertificate", "DeleteJob", "DeleteJobExecution", "DeleteOTAUpdate", "DeletePolicy",
    "DeletePolicyVersion", "DeleteRegistrationCode", "DeleteRoleAlias", "DeleteThingGroup", "DeleteThingType",
    "DeleteTopicRule", "DeleteV2LoggingLevel", "DeprecateThingType", "DescribeAccountAuditConfiguration",
    "DescribeAuditFinding", "DescribeAuthorizer", "DescribeCACertificate", "DescribeCertificate",
    "DescribeDefaultAuthorizer", "DescribeEndpoint", "DescribeEventConfigurations", "DescribeIndex", "DescribeJob",
    "DescribeRoleAlias", "DescribeThingGroup", "DescribeThingRegistrationTask", "DescribeThingType", "DetachPolicy",
    "DetachPrincipalPolicy", "DisableTopicRule", "EnableTopicRule", "GetEffectivePolicies",
    "GetIndexingConfiguration", "GetLoggingOptions", "GetPolicy", "GetPolicyVersion", "GetRegistrationCode",
    "GetTopicRule", "GetV2LoggingOptions", "ListAttachedPolicies", "ListAuditFindings", "ListCACertificates",
    "ListCertificates", "ListJobs", "ListPolicies", "ListPolicyVersions", "ListPrincipalThings", "ListRoleAliases",
    "ListTargetsForPolicy", "ListThingGroups", "ListThingTypes", "ListTopicRules", "RegisterCACertificate",
    "RegisterCertificate", "RejectCertificateTransfer", "ReplaceTopicRule", "SearchIndex",
    "SetDefaultAuthorizer", "SetDefaultPolicyVersion", "SetLoggingOptions", "SetV2LoggingLevel",
    "SetV2LoggingOptions", "StartOnDemandAuditTask", "TransferCertificate", "UpdateAccountAuditConfiguration",
    "UpdateCACertificate", "UpdateCertificate", "UpdateEventConfigurations", "UpdateIndexingConfiguration",
    "UpdateRoleAlias", "UpdateThingGroup"};

template <size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view action) {
  for (std::string_view known : list)
    if (iequals(known, action)) return true;
  return false;
}

}  // namespace

IotActionClass iot_action_class(std::string_view action) {
  if (contains(kThingAdminWrite, action)) return IotActionClass::thing_admin_write;
  if (contains(kThingAdminRead, action)) return IotActionClass::thing_admin_read;
  if (contains(kDataPlane, action)) return IotActionClass::data_plane;
  return IotActionClass::non_thing_admin;
}

std::span<const std::string_view> known_iot_actions() { return kAllKnown; }

}  // namespace fleetaudit::iam
