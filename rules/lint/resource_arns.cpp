#include "rules/lint/resource_arns.h"

#include <map>

#include "analyzer/lint/policy_statements.h"
#include "analyzer/policy/arn.h"

namespace fleetaudit::lint {

std::vector<ResourceArn> resource_arns(const IacFile& file) {
  std::vector<ResourceArn> arns;
  for (const PolicyInput& policy : file.policies)
    for (const StatementView& statement : statements_of(policy.document)) {
      if (statement.not_resource) continue;
      for (const Node* value : strings_of(statement.resources)) {
        const auto parsed = policy::parse_iot_arn(value->text);
        if (!parsed) continue;
        ResourceArn arn{&policy, statement.index, value, {}, {}};
        size_t part = 0;
        for (const policy::ArnPart& field : {parsed->partition, parsed->region, parsed->account}) {
          arn.parts[part] = std::string(field.text);
          arn.spans[part++] = value->text_span(field.at, field.end());
        }
        arns.push_back(std::move(arn));
      }
    }
  return arns;
}

bool literal_part(std::string_view text) {
  return !text.empty() && text.find_first_of("<>*?$") == std::string_view::npos;
}

bool literal_part(std::string_view text, ArnPart part) {
  return literal_part(text) && !policy::ArnScope::placeholder(static_cast<policy::ArnScope::Field>(part), text);
}

std::string_view stack_stand_in(ArnPart part) {
  static constexpr std::string_view kStandIns[] = {kStackPartition, kStackRegion, kStackAccount};
  return kStandIns[part];
}

std::string_view stack_part_written(ArnPart part) {
  static constexpr std::string_view kWritten[] = {"${AWS::Partition}, data.aws_partition",
                                                  "${AWS::Region}, data.aws_region",
                                                  "${AWS::AccountId}, data.aws_caller_identity"};
  return kWritten[part];
}

std::string_view part_name(ArnPart part) {
  static constexpr std::string_view kNames[] = {"partition", "region", "account"};
  return kNames[part];
}

std::string prevailing_literal(const std::vector<ResourceArn>& arns, ArnPart part) {
  std::map<std::string, size_t> uses;
  for (const ResourceArn& arn : arns)
    if (literal_part(arn.parts[part], part)) ++uses[arn.parts[part]];
  std::string best;
  size_t most = 0, ties = 0;
  for (const auto& [value, count] : uses) {
    if (count > most) best = value, most = count, ties = 0;
    else if (count == most) ++ties;
  }
  return ties == 0 ? best : std::string();
}

}  // namespace fleetaudit::lint
