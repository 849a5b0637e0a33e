#pragma once
// The potential-misconfiguration question (IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK): Deny
// statements that do not deny what they seem to, because policies match MQTT '+' and '#'
// literally and a wider filter still receives the subtree. The check only calls this.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/engine/finding.h"
#include "analyzer/policy/arn.h"
#include "analyzer/policy/statement_table.h"

namespace fleetaudit::policy {

// What one version's Deny statements do not deny, as evidence (the check words it).
struct MisconfigurationFindings {
  std::vector<StatementEvidence> wildcard_denies;  // kind wildcard_deny: the Deny and its MQTT-wildcard resource
  std::vector<StatementEvidence> bypassed_denies;  // kind bypassed_deny: with the bypassing filter and Allow
  // Subscribe Denies whose bypass question ran past the work budget, with the reason.
  std::vector<std::pair<StatementEvidence, std::string>> undecided_denies;
  std::vector<std::string> undecided;  // the version as a whole: questions not asked past the bound
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
