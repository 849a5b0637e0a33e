#pragma once
// The potential-misconfiguration question (IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK): Deny
// statements that do not deny what they seem to, because policies match MQTT '+' and '#'
// literally and a wider filter still receives the subtree. The check only calls this.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/policy/arn.h"
#include "analyzer/policy/statement_table.h"

namespace fleetaudit::policy {

struct MisconfigurationFindings {
  std::vector<std::string> wildcard_denies;  // "Statement[1] (…/topicfilter/a/#)"
  std::vector<std::string> bypassed_denies;
  std::vector<std::string> undecided;
};

// Decides one policy version at a time, exactly (subscribe_bypass), within a work budget per
// version and a bounded number of questions. Not thread-safe.
class MisconfigurationEvaluator {
public:
  explicit MisconfigurationEvaluator(const PolicyStatementTable& statements);
  ~MisconfigurationEvaluator();
  // The statements [first, end) of one version, whose resources live in `scope`.
  MisconfigurationFindings evaluate(uint32_t first, uint32_t end, const ArnScope& scope);

private:
  class Versions;
  std::unique_ptr<Versions> versions_;
};

}  // namespace fleetaudit::policy
