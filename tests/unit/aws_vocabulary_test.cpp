// The names the Security Hub and OCSF reports share: partitions, resource types, bounded text.
#include "analyzer/report/aws_vocabulary.h"

#include <gtest/gtest.h>

#include "analyzer/report/reporters.h"

namespace fleetaudit {
namespace {

TEST(AwsVocabulary, PartitionFollowsTheRegion) {
  EXPECT_EQ(aws_partition("eu-west-1"), "aws");
  EXPECT_EQ(aws_partition("cn-northwest-1"), "aws-cn");
  EXPECT_EQ(aws_partition("us-gov-west-1"), "aws-us-gov");
  AuditReport report;
  report.account_id = "111122223333";
  report.region = "cn-north-1";
  EXPECT_EQ(default_security_hub_product_arn(report),
            "arn:aws-cn:securityhub:cn-north-1:111122223333:product/111122223333/default");
}

TEST(AwsVocabulary, EveryResourceTypeHasASecurityHubTypeAndReadsBack) {
  for (int i = 0; i <= static_cast<int>(ResourceType::issuer_certificate); ++i) {
    const auto type = static_cast<ResourceType>(i);
    EXPECT_EQ(resource_type_named(to_string(type)), type);
    EXPECT_TRUE(security_hub_resource_type(type).starts_with("Aws")) << to_string(type);
  }
  EXPECT_EQ(resource_type_named("iot_policy"), std::nullopt);
  EXPECT_EQ(security_hub_resource_type(ResourceType::iot_policy), "AwsIotPolicy");
}

TEST(AwsVocabulary, CutsAtACharacterBoundary) {
  EXPECT_EQ(cut_utf8("abc", 5), "abc");
  EXPECT_EQ(cut_utf8("ab\xC3\xBC", 3), "ab");  // never half of the two-byte ü
  EXPECT_EQ(cut_utf8("ab\xC3\xBC", 4), "ab\xC3\xBC");
  EXPECT_EQ(cut_utf8("\xE2\x82\xAC\xE2\x82\xAC", 5), "\xE2\x82\xAC");
  ResourceIdentifier policy{ResourceIdentifier::Kind::policy_version, "P", "3"};
  EXPECT_EQ(resource_display_name(policy), "P:3");
}

}  // namespace
}  // namespace fleetaudit
