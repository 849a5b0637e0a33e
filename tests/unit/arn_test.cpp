// The one ARN reader (analyzer/policy/arn.h), on every ARN form its callers read: IoT
// topic/topicfilter/client/thing/thinggroup/rolealias/cert/policy, IAM roles with paths, S3's empty
// region and account, wildcards, policy variables and template placeholders inside.
#include "analyzer/policy/arn.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace fleetaudit::policy {
namespace {

// The five parts as "partition|service|region|account|resource", each checked against its offset.
std::string parts_of(std::string_view text) {
  const std::optional<Arn> arn = parse_arn(text);
  if (!arn) return "none";
  std::string out;
  for (const ArnPart& part : {arn->partition, arn->service, arn->region, arn->account, arn->resource}) {
    EXPECT_EQ(text.substr(part.at, part.text.size()), part.text) << text;
    out += (out.empty() ? "" : "|") + std::string(part.text);
  }
  return out;
}

std::string type_and_name(std::string_view text) {
  const std::optional<Arn> arn = parse_arn(text);
  if (!arn) return "none";
  const ArnPart type = arn->resource_type(), name = arn->resource_name();
  EXPECT_EQ(text.substr(type.at, type.text.size()), type.text);
  EXPECT_EQ(text.substr(name.at, name.text.size()), name.text);
  return std::string(type.text) + " " + std::string(name.text);
}

TEST(Arn, IotResourceForms) {
  EXPECT_EQ(parts_of("arn:aws:iot:eu-west-1:123456789012:topic/dt/a/b"), "aws|iot|eu-west-1|123456789012|topic/dt/a/b");
  EXPECT_EQ(type_and_name("arn:aws:iot:eu-west-1:123456789012:topic/dt/a/b"), "topic dt/a/b");
  EXPECT_EQ(type_and_name("arn:aws:iot:eu-west-1:123456789012:topicfilter/cmd/+/#"), "topicfilter cmd/+/#");
  EXPECT_EQ(type_and_name("arn:aws:iot:eu-west-1:123456789012:client/gw-01"), "client gw-01");
  EXPECT_EQ(type_and_name("arn:aws:iot:eu-west-1:123456789012:thing/gw-01"), "thing gw-01");
  EXPECT_EQ(type_and_name("arn:aws:iot:eu-west-1:123456789012:thinggroup/site-a"), "thinggroup site-a");
  EXPECT_EQ(type_and_name("arn:aws:iot:eu-west-1:123456789012:rolealias/uploader"), "rolealias uploader");
  EXPECT_EQ(type_and_name("arn:aws-cn:iot:cn-north-1:123456789012:cert/ab12"), "cert ab12");
  EXPECT_EQ(type_and_name("arn:aws:iot:eu-west-1:123456789012:policy/p"), "policy p");
  // An MQTT topic may hold ':' after the type: it is the resource's.
  EXPECT_EQ(parts_of("arn:aws:iot:r:a:topic/a:b"), "aws|iot|r|a|topic/a:b");
  // Empty type name and no '/' at all.
  EXPECT_EQ(type_and_name("arn:aws:iot:r:a:topic/"), "topic ");
  EXPECT_EQ(type_and_name("arn:aws:iot:r:a:*"), " ");
}

TEST(Arn, IamAndOtherServices) {
  EXPECT_EQ(parts_of("arn:aws:iam::123456789012:role/service/device-role"),
            "aws|iam||123456789012|role/service/device-role");
  EXPECT_EQ(arn_role_name("arn:aws:iam::123456789012:role/service/device-role"), "device-role");
  EXPECT_EQ(arn_role_name("arn:aws:iam::123456789012:role/plain"), "plain");
  EXPECT_FALSE(arn_role_name("arn:aws:iam::123456789012:user/plain"));
  EXPECT_FALSE(arn_role_name("role/plain"));
  EXPECT_EQ(parts_of("arn:aws:s3:::bucket/key"), "aws|s3|||bucket/key");
  EXPECT_EQ(arn_resource_name("arn:aws:iot:us-east-1:123456789012:cert/abc", "cert"), "abc");
  EXPECT_FALSE(arn_resource_name("arn:aws:iot:us-east-1:123456789012:cacert/abc", "cert"));
  EXPECT_FALSE(arn_resource_name("abc", "cert"));
}

TEST(Arn, WildcardsAndVariablesInside) {
  EXPECT_EQ(parts_of("arn:aws:iot:*:*:topic/*"), "aws|iot|*|*|topic/*");
  EXPECT_EQ(parts_of("arn:aws:iot:us-east-?:123456789012:client/${iot:ClientId}"),
            "aws|iot|us-east-?|123456789012|client/${iot:ClientId}");
  // A ':' inside ${…} is the placeholder's, not a separator, in any field.
  EXPECT_EQ(
      parts_of("arn:${AWS::Partition}:iot:${aws:region}:${AWS::AccountId}:thing/${iot:Connection.Thing.ThingName}"),
      "${AWS::Partition}|iot|${aws:region}|${AWS::AccountId}|thing/${iot:Connection.Thing.ThingName}");
  EXPECT_EQ(parts_of("arn:aws:iot:<region>:{{account}}:topic/x"), "aws|iot|<region>|{{account}}|topic/x");
  // A placeholder never closed leaves no field end.
  EXPECT_EQ(parts_of("arn:aws:iot:${aws:region:123:topic/x"), "none");
}

TEST(Arn, NotArns) {
  EXPECT_EQ(parts_of(""), "none");
  EXPECT_EQ(parts_of("*"), "none");
  EXPECT_EQ(parts_of("DevicePolicy"), "none");
  EXPECT_EQ(parts_of("ARN:aws:iot:r:a:topic/x"), "none");  // AWS spells the prefix in lower case
  EXPECT_EQ(parts_of("arn:aws:iot:r:a"), "none");          // four fields, no resource
  EXPECT_EQ(parts_of("arn:aws:iot:r:a:"), "aws|iot|r|a|");
}

TEST(Arn, IotScope) {
  EXPECT_FALSE(parse_iot_arn("arn:aws:iam::123456789012:role/r"));
  EXPECT_FALSE(parse_iot_arn("arn:aws:iot::123456789012:topic/x"));  // empty region
  EXPECT_FALSE(parse_iot_arn("arn:aws:iot:eu/west:123456789012:topic/x"));
  EXPECT_FALSE(parse_iot_arn(std::string_view("arn:aws:iot:eu-west-1:1\0:topic/x", 31)));
  const std::optional<ArnScope> scope = ArnScope::of_iot_arn("arn:aws-us-gov:iot:us-gov-west-1:123456789012:policy/p");
  ASSERT_TRUE(scope);
  EXPECT_EQ(*scope, (ArnScope{"aws-us-gov", "us-gov-west-1", "123456789012"}));
  EXPECT_EQ(ArnScope{}.partition, "aws");  // the default scope: any region, any account
}

TEST(Arn, PlaceholderFields) {
  using Field = ArnScope::Field;
  EXPECT_TRUE(ArnScope::placeholder(Field::account, "ACCOUNT_ID"));
  EXPECT_TRUE(ArnScope::placeholder(Field::account, "<AWS_ACCOUNT_ID>"));
  EXPECT_TRUE(ArnScope::placeholder(Field::region, "REGION"));
  EXPECT_TRUE(ArnScope::placeholder(Field::region, "${AWS_REGION}"));
  EXPECT_TRUE(ArnScope::placeholder(Field::partition, "PARTITION"));
  EXPECT_FALSE(ArnScope::placeholder(Field::account, "123456789012"));
  EXPECT_FALSE(ArnScope::placeholder(Field::account, "*"));  // a pattern, judged as one
  EXPECT_FALSE(ArnScope::placeholder(Field::region, "ap-southeast-5"));
  EXPECT_FALSE(ArnScope::placeholder(Field::region, ""));  // IAM's global ARNs
  EXPECT_FALSE(ArnScope::placeholder(Field::partition, "aws-cn"));
  const ArnScope own{"aws", "eu-west-1", "123456789012"};
  EXPECT_EQ(own.with_own_fields("arn:aws:iot:REGION:ACCOUNT_ID:topic/a:b"),
            "arn:aws:iot:eu-west-1:123456789012:topic/a:b");
  EXPECT_EQ(own.with_own_fields("arn:aws:iot:us-east-1:*:topic/x"), "arn:aws:iot:us-east-1:*:topic/x");
  EXPECT_EQ(own.with_own_fields("arn:aws:s3:::REGION"), "arn:aws:s3:::REGION");
}

}  // namespace
}  // namespace fleetaudit::policy
