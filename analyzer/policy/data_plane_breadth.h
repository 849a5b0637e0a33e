#pragma once
// Which IoT data-plane actions a policy version grants broadly: on a resource of another device
// (IOT_POLICY_OVERLY_PERMISSIVE_CHECK, and the data-plane part of the Cognito and role-alias checks).
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/policy/actions.h"
#include "analyzer/policy/foreign_resources.h"
#include "analyzer/policy/glob.h"
#include "analyzer/policy/pattern_language.h"
#include "analyzer/policy/statement_table.h"

namespace fleetaudit::policy {

// AWS's limits on a policy document's length, white space not counted: an IoT policy, an IAM managed
// policy. A document past them cannot have been deployed as written.
inline constexpr size_t kIotPolicyCharacters = 2048;
inline constexpr size_t kIamManagedPolicyCharacters = 6144;
// What can reach one principal: ten IoT policies on a certificate (AWS's quota); a role's inline
// policies (10,240 together) and up to twenty managed ones (the raised quota).
inline constexpr size_t kCertificatePolicyCharacters = 10 * kIotPolicyCharacters;
inline constexpr size_t kIamRoleCharacters = 20 * kIamManagedPolicyCharacters + 10'240;

// The catalogue, in the order a finding lists the actions. The four job actions exist under both
// prefixes because AWS documents both spellings; iot:Receive is never broad (a device only
// receives on topics it may subscribe to), so it is not here. iot:DeleteConnection (disconnecting
// another client) is fleetaudit's addition to AWS's list.
enum class DataPlaneAction : uint8_t {
  connect,                 // resource type client
  delete_connection,       // client
  publish,                 // topic
  retain_publish,          // topic
  subscribe,               // topicfilter
  get_retained_message,    // topic
  list_retained_messages,  // no resource type: the resource is "*", every device's retained topics
  // The rest act on things.
  get_thing_shadow,
  update_thing_shadow,
  delete_thing_shadow,
  describe_job_execution,
  get_pending_job_executions,
  start_next_pending_job_execution,
  update_job_execution,
  jobsdata_describe_job_execution,
  jobsdata_get_pending_job_executions,
  jobsdata_start_next_pending_job_execution,
  jobsdata_update_job_execution,
};

using DataPlaneActionSet = uint32_t;  // bit i = DataPlaneAction i
constexpr DataPlaneActionSet action_bit(DataPlaneAction action) {
  return DataPlaneActionSet{1} << static_cast<unsigned>(action);
}
inline constexpr DataPlaneActionSet kAllDataPlaneActions = (DataPlaneActionSet{1} << kDataPlaneActionCount) - 1;

// "iot:Connect", "iotjobsdata:UpdateJobExecution", ...
std::string_view action_name(DataPlaneAction action);
// The catalogue actions an action pattern names (a glob, compared case-insensitively).
DataPlaneActionSet actions_matching(std::string_view action_pattern);

// The variables policy_variables.h does not know that the resources of statements [first, end) use
// (read cautiously: any text in an Allow, nothing in a Deny), as "${name}", in order of use.
std::vector<std::string> unknown_variables(const PolicyStatementTable& statements, uint32_t first_statement,
                                           uint32_t end_statement);

// The characters of the Action and Resource patterns of statements [first, end): a lower bound on
// their document's length, to compare with AWS's limits.
size_t pattern_characters(const PolicyStatementTable& statements, uint32_t first_statement, uint32_t end_statement);

// A broad action's evidence: one resource of another device it allows, the Allow statement that
// grants it and, of that statement's resources, the pattern that admits it.
struct GrantExample {
  std::string_view action;  // "iot:Publish"
  std::string witness;      // a full ARN, spelled with the variables the statement uses
  uint32_t number = 0;      // the statement's within the policy evaluated, from 1
  std::string sid;
  std::string resource;  // empty: a NotResource statement, or no one pattern singled out
};

// Decides per policy version, exactly: for each action, whether some resource of another device is
// allowed and not denied, over the regular languages of the statements' patterns (pattern_language).
// Action and resource patterns are compiled once. Not thread-safe: use one evaluator per thread.
//
// Work: each broad_actions call (one policy version, or one role) starts a WorkMeter that every
// question about it spends from, inside the automata; admits_some spends from the same meter until
// the next broad_actions or start_policy. Statements whose patterns alone pass `aws_size_limit`
// characters (AWS's own document limit) get the smaller oversized budget. All policies of one
// evaluator share a CheckWorkBudget.
class BreadthEvaluator {
public:
  explicit BreadthEvaluator(const PolicyStatementTable& statements, size_t aws_size_limit = kIotPolicyCharacters);
  ~BreadthEvaluator();
  BreadthEvaluator(const BreadthEvaluator&) = delete;
  BreadthEvaluator& operator=(const BreadthEvaluator&) = delete;

  // The broad actions of the version whose statements are [first_statement, end_statement).
  // `client_id_pinned` says whether ${iot:ClientId} is the device's own id outside Connect; by
  // default these statements decide it (no Connect to another device's client id).
  DataPlaneActionSet broad_actions(uint32_t first_statement, uint32_t end_statement, const ArnScope& context,
                                   std::optional<bool> client_id_pinned = std::nullopt);
  // Starts the meter of the policy made of statements [first_statement, end_statement).
  void start_policy(uint32_t first_statement, uint32_t end_statement);
  // Whether the statements let the device connect under another device's client id.
  bool lets_connect_as_another(uint32_t first_statement, uint32_t end_statement, const ArnScope& context);
  // The catalogue actions a statement names (NotAction: those it does not name).
  DataPlaneActionSet statement_actions(uint32_t statement);
  // Whether some resource of `family` in `scope` is admitted by a statement of `allows` and by none
  // of `denies` (rows of this table, chosen by the caller for one action; variables read as for an
  // action other than Connect). The IAM role questions ask this. Answers are cached by question.
  // A statement's resource language, variables read as for an action other than Connect.
  StatementLanguage statement_language(uint32_t statement);
  // One pattern text read as a statement with `flags` would read it; nullopt when it matches nothing.
  std::optional<ResourcePattern> read_pattern(std::string_view text, uint8_t flags) const;
  LanguageAnswer admits_some(std::span<const uint32_t> allows, std::span<const uint32_t> denies, ResourceFamily family,
                             const ArnScope& scope);
  // "[iot:Connect, iot:Publish]", in catalogue order.
  static std::string describe(DataPlaneActionSet actions);
  // The actions the last broad_actions call could not decide within the work budget (never
  // counted as broad or as compliant), and why: "iot:Publish: more than 8000000 stored pattern positions".
  DataPlaneActionSet undecided_actions() const { return undecided_; }
  struct UndecidedAction {
    std::string_view action;  // "iot:Publish"
    std::string reason;       // "more than 8000000 stored pattern positions"
  };
  std::vector<UndecidedAction> undecided_reasons() const;
  // For each of `actions` the last broad_actions call found broad, in catalogue order, one resource
  // of another device it allows and the statement (and its resource pattern) that allows it.
  std::vector<GrantExample> examples(DataPlaneActionSet actions) const;

private:
  struct Answer {
    bool broad = false;
    std::string witness;             // broad: a full ARN of another device's resource
    std::string too_complex_reason;  // undecided: what ran out
    uint32_t allowed_by = 0;         // index among the question's Allow statements
  };
  Answer answer(const std::vector<uint32_t>& relevant, const ArnScope& arn, unsigned action, bool client_id_pinned);
  std::string in_the_policys_words(const std::string& witness, const std::vector<uint32_t>& relevant,
                                  uint32_t allowed_by) const;
  GrantExample example_of(const Answer& answer, const std::vector<uint32_t>& relevant, uint32_t first_statement,
                          unsigned action) const;
  std::string granting_resource(uint32_t statement, const std::string& witness) const;
  VariableReading reading_of(std::string_view variable, uint8_t flags, unsigned action, bool client_id_pinned) const;
  StatementLanguage language_of(uint32_t statement, unsigned action, bool client_id_pinned);
  bool grants_foreign(uint32_t first_statement, uint32_t end_statement, const ArnScope& arn, unsigned action,
                      bool client_id_pinned);
  const Glob& glob(StringId pattern);

  const PolicyStatementTable& statements_;
  std::vector<DataPlaneActionSet> action_sets_;  // by pattern id; kUnknownActions until computed
  std::unordered_map<StringId, Glob> globs_;     // by pattern id, compiled once
  std::unordered_map<std::string, Answer> answers_;  // by question (grants_foreign's key)
  std::unordered_map<std::string, LanguageAnswer> admitted_;  // by question (admits_some's key)
  std::array<std::optional<GrantExample>, kDataPlaneActionCount> examples_;  // of the last broad_actions call
  std::array<std::string, kDataPlaneActionCount> undecided_reasons_;
  DataPlaneActionSet undecided_ = 0;
  size_t aws_size_limit_;
  CheckWorkBudget check_budget_;
  WorkMeter meter_;
};

}  // namespace fleetaudit::policy
