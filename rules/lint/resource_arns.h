#pragma once
// The IoT ARNs a file's policies name as resources, read by the one ARN parser
// (policy::parse_iot_arn) and located part by part: what the rules comparing a resource's
// partition, region and account with the rest of the stack share.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/lint/iac_model.h"

namespace fleetaudit::lint {

enum ArnPart : size_t { kPartition, kRegion, kAccount };
inline constexpr size_t kArnParts = 3;

struct ResourceArn {
  const PolicyInput* policy = nullptr;
  size_t statement = 0;  // its index in the Statement list
  const Node* value = nullptr;
  std::array<std::string, kArnParts> parts;  // as written, stand-ins (<AWS-Region>) included
  std::array<Span, kArnParts> spans;
};

// Every Resource (not NotResource) string of the file's policies that is an IoT ARN, in order.
std::vector<ResourceArn> resource_arns(const IacFile& file);

// Written out: no wildcard, variable or stand-in.
bool literal_part(std::string_view text);
// ... and not a placeholder for that part (ACCOUNT_ID, REGION: policy::ArnScope::placeholder).
bool literal_part(std::string_view text, ArnPart part);
// The stand-in for the stack's own part (<AWS-AccountId> from ${AWS::AccountId} or
// data.aws_caller_identity), and how a message names it.
std::string_view stack_stand_in(ArnPart part);
std::string_view stack_part_written(ArnPart part);
std::string_view part_name(ArnPart part);  // "partition", "region", "account"

// The literal `part` the ARNs use more often than any other literal; empty when none does.
std::string prevailing_literal(const std::vector<ResourceArn>& arns, ArnPart part);

}  // namespace fleetaudit::lint
