#pragma once
// One concrete request against policy statements (IoT policies or IAM roles): may action A be
// performed on resource R by a device whose variables are bound to its own values? The pattern
// model of pattern_language decides every match; this file only chooses what each variable stands
// for, and applies IAM's logic (an unconditional Deny wins; a conditional Allow allows "if").
//
// Variables (only in documents of Version 2012-10-17; elsewhere they are literal text):
//   ${iot:Connection.Thing.ThingName}  the thing the certificate is attached to; matches nothing
//                                      when the certificate has no thing
//   ${iot:ClientId}                    the client id, when the request fixes it (a client ARN);
//                                      otherwise any id: an Allow then depends on the client id
//   any other variable                 the device's own value, unknown here: an Allow depends on
//                                      it; a Deny is not credited (the device may not match it)
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/policy/data_plane_breadth.h"
#include "analyzer/policy/glob.h"
#include "analyzer/policy/pattern_language.h"
#include "analyzer/policy/statement_table.h"

namespace fleetaudit::policy {

// The catalogue action spelled `name` (case-insensitively), or nullopt.
std::optional<DataPlaneAction> data_plane_action_named(std::string_view name);

// Bits of StatementMatch::depends: what an Allow's match hangs on beyond the request.
enum MatchDependency : uint8_t {
  kDependsOnClientId = 1u << 0,       // ${iot:ClientId}, not fixed by the request
  kDependsOnOtherVariable = 1u << 1,  // a certificate field, thing attribute, Cognito identity id…
};

struct StatementMatch {
  bool admits = false;
  uint8_t depends = 0;  // admits only for some values of these variables
};

// A statement that allows the request: which one, and on what terms.
struct Grant {
  uint32_t statement = 0;
  bool conditional = false;  // the statement has a Condition the snapshot cannot decide
  uint8_t depends = 0;
};

struct RequestDecision {
  std::vector<Grant> allowed_by;   // statement order
  std::vector<uint32_t> denied_by;  // unconditional Deny statements that admit the request
  bool allowed() const { return !allowed_by.empty() && denied_by.empty(); }
};

// A statement range [first, end): one policy version, or one IAM role's statements.
struct StatementRange {
  uint32_t first = 0, end = 0;
};

// Compiles each pattern once. The resource and client id are the request's, fixed for the object's
// life, so a pattern without the thing-name variable is matched once however many devices ask.
// Not thread-safe.
class RequestEvaluator {
public:
  RequestEvaluator(const PolicyStatementTable& statements, DataPlaneAction action, std::string resource = {},
                   std::optional<std::string> client_id = std::nullopt);

  const PolicyStatementTable& statements() const { return statements_; }
  // Whether the statement's Action (or NotAction) list covers the request's action.
  bool names_action(uint32_t statement);
  // Whether some resource pattern of the statement reads ${iot:Connection.Thing.ThingName}.
  bool reads_thing_name(uint32_t statement);
  // Whether the statement's Resource (or NotResource) list admits the request's resource.
  StatementMatch admits(uint32_t statement, std::optional<std::string_view> thing_name);
  // The statement's resource list as a language, variables read as admits() reads them.
  StatementLanguage language(uint32_t statement, std::optional<std::string_view> thing_name, uint8_t& depends);
  // IAM logic over every statement of `ranges` that names the action.
  RequestDecision decide(std::span<const StatementRange> ranges, std::optional<std::string_view> thing_name);

  // A pattern's text with the thing-name variable replaced by `thing_name` (for display).
  std::string substituted_text(uint32_t statement, StringId pattern, std::string_view thing_name);

private:
  struct PatternMatch {
    bool matches = false;
    uint8_t depends = 0;
  };
  const Glob& glob(StringId pattern);
  VariableReading reading_of(std::string_view variable, bool deny, std::optional<std::string_view> thing_name,
                             std::vector<std::string_view>& values, uint8_t& depends) const;
  std::optional<ResourcePattern> resolve(StringId pattern, uint8_t flags, std::optional<std::string_view> thing_name,
                                         uint8_t& depends);
  PatternMatch pattern_match(StringId pattern, uint8_t flags, std::optional<std::string_view> thing_name);

  const PolicyStatementTable& statements_;
  DataPlaneAction action_;
  std::string resource_;
  std::optional<std::string> client_id_;
  Alphabet alphabet_;  // every byte mentioned: each character is its own symbol
  std::vector<Symbol> resource_symbols_;
  std::unordered_map<StringId, Glob> globs_;
  std::vector<uint8_t> names_action_;  // by action pattern id: 0 unknown, 1 no, 2 yes
  std::unordered_map<uint64_t, PatternMatch> unbound_matches_;  // by (pattern, flags): no thing name read
};

}  // namespace fleetaudit::policy
