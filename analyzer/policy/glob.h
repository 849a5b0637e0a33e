#pragma once
// IoT policy glob patterns, used for actions and for resource ARNs.
//
//   *        any run of characters (crosses '/' and ':')
//   ?        exactly one character
//   ${*} ${?} ${$}   the literal characters * ? $
//   ${name}  a policy variable, kept as one token so the caller decides what it stands for
//
// MQTT '+' and '#' are ordinary literal characters in policy matching (mqtt_filters.h gives them
// their MQTT meaning where a subscription's filter is matched against topics).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/util/ascii.h"

namespace fleetaudit::policy {

enum class GlobTokenKind : uint8_t { literal, any_run, any_one, variable };

struct GlobToken {
  GlobTokenKind kind = GlobTokenKind::literal;
  char literal = 0;       // kind == literal (lower-cased in a case-insensitive glob)
  uint32_t variable = 0;  // kind == variable: index into the glob's variable names
};

// ASCII case-insensitive equality (util/ascii.h): action names and policy variable names compare this way.
using fleetaudit::iequals;

// `pattern` with each policy variable ${name} made the literal text "${name}" (${$}{name}), so
// that a rendered example such as client/${iot:Certificate.Subject.CommonName}-x can be matched
// against the pattern that spelled it. The escapes ${*} ${?} ${$} are kept.
std::string variables_as_literal_text(std::string_view pattern);

class Glob {
public:
  // Adjacent stars collapse into one. `case_insensitive` is for action names.
  static Glob compile(std::string_view pattern, bool case_insensitive = false);

  // Whole-text match of concrete text, linear in practice (greedy with one backtrack point).
  // A variable matches nothing: its value is not known here.
  bool matches(std::string_view text) const;

  const std::vector<GlobToken>& tokens() const { return tokens_; }
  bool case_insensitive() const { return case_insensitive_; }
  std::string_view variable_name(const GlobToken& token) const { return variable_names_[token.variable]; }
  // The literal characters every match starts with, up to the first wildcard, variable, or '+'
  // or '#' (which the topic-filter matcher may read as wildcards). Empty when case-insensitive.
  std::string_view literal_head() const { return literal_head_; }

private:
  void push(GlobToken token);
  void find_literal_head();

  std::vector<GlobToken> tokens_;
  std::vector<std::string> variable_names_;
  std::string literal_head_;
  bool case_insensitive_ = false;
};

}  // namespace fleetaudit::policy
