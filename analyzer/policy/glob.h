#pragma once
// IoT policy glob patterns, used for actions and for resource ARNs.
//
//   *        any run of characters (crosses '/' and ':')
//   ?        exactly one character
//   ${*} ${?} ${$}   the literal characters * ? $
//   ${name}  a policy variable, kept as one token so the caller decides what it stands for
//
// MQTT '+' and '#' are ordinary literal characters in policy matching; only the topic-filter
// matcher below gives them (and a lone '?') their MQTT meaning.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fleetaudit::policy {

enum class GlobTokenKind : uint8_t { literal, any_run, any_one, variable };

struct GlobToken {
  GlobTokenKind kind = GlobTokenKind::literal;
  char literal = 0;       // kind == literal (lower-cased in a case-insensitive glob)
  uint32_t variable = 0;  // kind == variable: index into the glob's variable names
};

// ASCII case-insensitive equality: action names and policy variable names compare this way.
bool iequals(std::string_view a, std::string_view b);

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

// Probe subjects: a full ARN in which each kFreshName stands for a name no pattern mentions, of any
// length of one or more characters. Literals never match it; ? and * may stand for its characters.
// Fresh names must not touch each other (keep a literal between two of them).
inline constexpr std::string_view kFreshName{"\0\0", 2};

// Whether `pattern` matches `subject` for some choice of the fresh names. Variables left in the
// pattern match nothing (they are the device's own values).
bool glob_reaches(const Glob& pattern, std::string_view subject);


// Whether every string `allow` matches is also matched by `deny`, by the syntactic rule of the
// policy model: deny == allow, deny is *, or deny is a wildcard-free prefix followed by a single
// trailing * and allow starts with that prefix. Variables count as literal text (the same variable
// takes the same value on both sides).
bool glob_covers(const Glob& deny, const Glob& allow);

// Whether some string is matched by both globs. Variables may take any value (as if *).
bool globs_overlap(const Glob& a, const Glob& b);

}  // namespace fleetaudit::policy
