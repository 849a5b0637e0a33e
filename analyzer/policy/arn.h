#pragma once
// The one ARN reader: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE split once, each part with
// where it starts (lint places findings on a part), and the one scope type, the partition, region
// and account that resources live in. Every room that reads an ARN reads it here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fleetaudit::policy {

struct ArnPart {
  std::string_view text;
  size_t at = 0;  // offset of `text` in the ARN
  size_t end() const { return at + text.size(); }
};

struct Arn {
  ArnPart partition, service, region, account, resource;

  // "topic" of topic/a/b, "role" of role/path/name; empty when the resource has no '/'.
  ArnPart resource_type() const;
  // What follows the type's '/' ("a/b" of topic/a/b); empty when the resource has no '/'.
  ArnPart resource_name() const;
};

// nullopt unless `text` is "arn:" and five ':'-ended fields (the resource may hold more ':').
// A ':' inside ${…} (${aws:region} of a Serverless template, ${AWS::Region}) belongs to the
// placeholder, not a separator; a '${' never closed leaves no ARN.
std::optional<Arn> parse_arn(std::string_view text);
// An ARN of the iot service whose partition, region and account are each non-empty and hold no
// '/' or '\0' (they become part of resource ARNs: '/' would shift MQTT levels); else nullopt.
std::optional<Arn> parse_iot_arn(std::string_view text);

// The name an ARN gives its resource when the resource type is `type`: ID of …:cert/ID, PATH/NAME
// of …:role/PATH/NAME (role_name() takes the NAME); nullopt when `text` is no ARN of that type.
std::optional<std::string_view> arn_resource_name(std::string_view text, std::string_view type);
// The NAME of an IAM role ARN's role/PATH/NAME; nullopt when `text` is no role ARN.
std::optional<std::string_view> arn_role_name(std::string_view text);

// Where resources live: a policy's own partition, region and account, so that a resource
// elsewhere is never another device's. An empty region or account admits any (IAM is global).
struct ArnScope {
  std::string partition = "aws";
  std::string region, account;
  bool operator==(const ArnScope&) const = default;

  // From arn:PARTITION:iot:REGION:ACCOUNT:… (parse_iot_arn); nullopt when that is no IoT ARN.
  static std::optional<ArnScope> of_iot_arn(std::string_view arn);

  // The rule for what an ARN's partition, region or account written as a placeholder means: AWS's
  // documents and samples write <region>, <AWS_ACCOUNT_ID>, {{account}}, ${var} or ACCOUNT_ID where
  // the reader puts their own. Such a field decides nothing, as ${AWS::AccountId} decides nothing:
  // the resource is the policy's own partition, region or account and is judged on its resource
  // part. A wildcard is not a placeholder (it is a pattern), nor is a value AWS could have
  // (aws-cn, eu-west-1, 123456789012).
  enum class Field : uint8_t { partition, region, account };
  static bool placeholder(Field field, std::string_view text);
  // `arn` with each placeholder field of an IoT ARN replaced by this scope's own; other text unchanged.
  std::string with_own_fields(std::string_view arn) const;
};

}  // namespace fleetaudit::policy
