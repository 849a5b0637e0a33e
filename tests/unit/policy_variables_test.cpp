// The one policy-variable table: where each variable resolves and whether it is the device's own.
#include "analyzer/policy/policy_variables.h"

#include <gtest/gtest.h>

namespace fleetaudit::policy {
namespace {

TEST(PolicyVariables, CredentialsProviderVariablesAreRolePolicyOnly) {
  // AWS IoT never substitutes credentials-iot: in an IoT policy: there it is unknown...
  EXPECT_FALSE(is_known_variable("credentials-iot:ThingName"));
  EXPECT_FALSE(is_known_variable("credentials-iot:AwsCertificateId"));
  // ... while in a role alias's role it is the device's own thing or certificate.
  for (std::string_view name :
       {"credentials-iot:ThingName", "CREDENTIALS-IOT:thingtypename", "credentials-iot:AwsCertificateId"}) {
    const PolicyVariable* variable = find_variable(name);
    ASSERT_NE(variable, nullptr) << name;
    EXPECT_EQ(variable->home, VariableHome::role_policy);
    EXPECT_TRUE(bound_to_the_device(name)) << name;
  }
  EXPECT_FALSE(find_variable("credentials-iot:ClientId"));
}

TEST(PolicyVariables, BoundToTheDevice) {
  EXPECT_TRUE(bound_to_the_device("iot:Connection.Thing.ThingName"));
  EXPECT_TRUE(bound_to_the_device("iot:Connection.Thing.Attributes[site]"));
  EXPECT_TRUE(bound_to_the_device("iot:Certificate.Subject.CommonName"));
  EXPECT_TRUE(bound_to_the_device("iot:CertificateId"));
  EXPECT_TRUE(bound_to_the_device("cognito-identity.amazonaws.com:sub"));
  EXPECT_FALSE(bound_to_the_device("iot:ClientId"));  // the device chooses it
  EXPECT_FALSE(bound_to_the_device("aws:SourceIp"));
  // A name AWS does not define resolves to nothing AWS vouches for: not the device's own.
  EXPECT_FALSE(bound_to_the_device("iot:Connection.Thing.Name"));
  EXPECT_FALSE(bound_to_the_device("iot:Connection.Thing.Attributes["));  // a prefix alone names nothing
}

TEST(PolicyVariables, KnownNamesForSuggestions) {
  const auto& names = known_variable_names();
  ASSERT_GE(names.size(), 4u);
  EXPECT_EQ(names[0], "*");
  EXPECT_EQ(names[3], "iot:ClientId");
  for (std::string_view name : names) EXPECT_TRUE(is_known_variable(name)) << name;
  for (const PolicyVariable& variable : policy_variables()) EXPECT_FALSE(variable.meaning.empty()) << variable.name;
}

}  // namespace
}  // namespace fleetaudit::policy
