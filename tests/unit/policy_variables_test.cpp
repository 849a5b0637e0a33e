// The one policy-variable table: where each variable resolves and whether it is the device's own.
#include "analyzer/policy/policy_variables.h"

#include <gtest/gtest.h>

#include <string>

#include "analyzer/lint/lint_rule.h"

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

// FLEETAUDIT_UNKNOWN_POLICY_VARIABLE's help lists the table, row by row with its meaning, the
// role-policy-only rows apart: a row added to the table appears in the help without a word written.
TEST(PolicyVariables, TheUnknownVariableRulesHelpIsMadeFromTheTable) {
  const lint::LintRule* rule = lint::LintRuleRegistry::instance().find("FLEETAUDIT_UNKNOWN_POLICY_VARIABLE");
  ASSERT_NE(rule, nullptr);
  const std::string help(rule->info.help);
  const size_t role_only = help.find("only the IAM policies of the role a role alias names");
  ASSERT_NE(role_only, std::string::npos) << help;
  size_t lines = 0;
  for (size_t at = help.find("\n- `${"); at != std::string::npos; at = help.find("\n- `${", at + 1)) ++lines;
  EXPECT_EQ(lines, policy_variables().size()) << help;
  for (const PolicyVariable& variable : policy_variables()) {
    const size_t at = help.find("- `${" + std::string(variable.name));
    ASSERT_NE(at, std::string::npos) << variable.name;
    EXPECT_EQ(help.find(std::string(variable.meaning), at) - help.find("`: ", at), 3u) << variable.name;
    EXPECT_EQ(at > role_only, variable.home == VariableHome::role_policy) << variable.name;
  }
}

}  // namespace
}  // namespace fleetaudit::policy
