// The IAM action classes, derived from the one catalogue (policy/actions.h) by iot_action_class's
// rules, against AWS's published lists, and the verdicts on every action whose class changed when
// the hand-kept lists were replaced by the derivation.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "analyzer/iam/iot_action_classes.h"
#include "analyzer/policy/actions.h"

namespace fleetaudit::iam {
namespace {

// AWS's lists (DG-auth and DG-unauth, "manage/modify things" and "read thing admin data").
const std::set<std::string> kAwsThingAdminWrite{"AddThingToThingGroup",
                                                "AttachThingPrincipal",
                                                "CreateThing",
                                                "DeleteThing",
                                                "DetachThingPrincipal",
                                                "ListThings",
                                                "ListThingsInThingGroup",
                                                "RegisterThing",
                                                "RemoveThingFromThingGroup",
                                                "UpdateThing",
                                                "UpdateThingGroupsForThing"};
const std::set<std::string> kAwsThingAdminRead{"DescribeThing", "ListJobExecutionsForThing", "ListThingGroupsForThing",
                                               "ListThingPrincipals"};

std::set<std::string> catalogue_actions_of(IotActionClass wanted) {
  std::set<std::string> found;
  for (std::string_view action : known_iot_actions())
    if (iot_action_class(action) == wanted) found.emplace(action);
  return found;
}

TEST(IamActionClasses, DerivedThingClassesAreAwsListsExactly) {
  EXPECT_EQ(catalogue_actions_of(IotActionClass::thing_admin_write), kAwsThingAdminWrite);
  EXPECT_EQ(catalogue_actions_of(IotActionClass::thing_admin_read), kAwsThingAdminRead);
}

TEST(IamActionClasses, DataPlaneIsTheCataloguesDataPlaneFacts) {
  std::set<std::string> facts;
  for (const policy::DataPlaneActionFacts& action : policy::data_plane_actions())
    if (action.name.starts_with("iot:")) facts.emplace(action.name.substr(4));
  EXPECT_EQ(catalogue_actions_of(IotActionClass::data_plane), facts);
  // AWS's data-plane lists (MQTT; shadows and jobs) are all there.
  for (const char* action :
       {"Connect", "Publish", "Subscribe", "Receive", "DeleteThingShadow", "GetThingShadow", "UpdateThingShadow",
        "DescribeJobExecution", "GetPendingJobExecutions", "StartNextPendingJobExecution", "UpdateJobExecution"})
    EXPECT_TRUE(facts.count(action)) << action;
}

// Every action whose class the derivation changed from the former hand-kept lists, and the class
// decided by hand with AWS's documentation.
struct Verdict {
  const char* action;
  IotActionClass before, by_name_rule, decided;
  const char* why;
};
constexpr auto W = IotActionClass::thing_admin_write, R = IotActionClass::thing_admin_read,
               N = IotActionClass::non_thing_admin, D = IotActionClass::data_plane;
constexpr Verdict kVerdicts[] = {
    {"DeleteConnection", N, D, D,
     "an MQTT policy action in AWS IoT Core's policy actions page (disconnects a client); judged by the "
     "data-plane breadth check, which already asks about it"},
    {"AssumeRoleWithCertificate", N, D, D,
     "the credentials provider's action, authorized by an IoT policy on a role alias and called with a "
     "certificate: no IAM credentials can call it, so it is no admin API"},
    {"ListThings", W, R, W, "AWS lists it with the writes (DG-auth, DG-unauth)"},
    {"ListThingsInThingGroup", W, R, W, "AWS lists it with the writes (DG-auth, DG-unauth)"},
    {"AddThingToBillingGroup", N, W, N, "not on AWS's thing lists: 'every other IoT API action'"},
    {"RemoveThingFromBillingGroup", N, W, N, "not on AWS's thing lists: 'every other IoT API action'"},
    {"ListThingsInBillingGroup", N, R, N, "not on AWS's thing lists: 'every other IoT API action'"},
    {"ListPrincipalThings", N, R, N, "not on AWS's thing lists: 'every other IoT API action'"},
};

TEST(IamActionClasses, VerdictsOnEveryReclassifiedAction) {
  for (const Verdict& verdict : kVerdicts) {
    SCOPED_TRACE(verdict.action);
    EXPECT_NE(verdict.before, verdict.by_name_rule) << "listed because the derivation moved it";
    EXPECT_EQ(iot_action_class(verdict.action), verdict.decided) << verdict.why;
    bool in_catalogue = false;
    for (std::string_view action : known_iot_actions()) in_catalogue = in_catalogue || action == verdict.action;
    EXPECT_TRUE(in_catalogue);
  }
}

TEST(IamActionClasses, AnySpellingAndNamesTheCatalogueLacks) {
  EXPECT_EQ(iot_action_class("creatething"), IotActionClass::thing_admin_write);
  EXPECT_EQ(iot_action_class("LISTTHINGS"), IotActionClass::thing_admin_write);
  EXPECT_EQ(iot_action_class("describething"), IotActionClass::thing_admin_read);
  EXPECT_EQ(iot_action_class("connect"), IotActionClass::data_plane);
  EXPECT_EQ(iot_action_class("CreateThingGroup"), IotActionClass::non_thing_admin);
  EXPECT_EQ(iot_action_class("DescribeThingType"), IotActionClass::non_thing_admin);
  // A newer API the catalogue lacks is classed by its name: a thing read, or non-thing admin.
  EXPECT_EQ(iot_action_class("ListThingPrincipalsV2"), IotActionClass::thing_admin_read);
  EXPECT_EQ(iot_action_class("SomeFutureApi"), IotActionClass::non_thing_admin);
  EXPECT_GE(known_iot_actions().size(), 200u);
}

}  // namespace
}  // namespace fleetaudit::iam
