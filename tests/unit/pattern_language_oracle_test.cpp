// The language engine against brute force: random small policies over a tiny alphabet, every
// resource string up to a length bound enumerated and judged by the obvious matcher.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/policy/foreign_resources.h"
#include "analyzer/policy/pattern_language.h"

namespace fleetaudit::policy {
namespace {

constexpr size_t kLengthBound = 5;
constexpr int kCasesPerScope = 1000;
// Oracle strings: 'a', 'b', '/' as themselves, 'S' for the device's thing name, 'x' for a character
// no pattern mentions.
constexpr std::string_view kOracleCharacters = "ab/Sx";
constexpr std::string_view kSelfVariable = "${iot:Connection.Thing.ThingName}";

struct Statement {
  bool deny = false;
  bool not_resource = false;
  std::vector<std::string> patterns;  // over a, b, /, *, ? and the thing-name variable
};
using Policy = std::vector<Statement>;

enum class Scope { everything, client_ids, thing_names, custom_topics };

// --- The oracle ---------------------------------------------------------------------------------

bool oracle_match(std::string_view pattern, std::string_view text) {
  if (pattern.empty()) return text.empty();
  if (pattern.starts_with(kSelfVariable))
    return !text.empty() && text[0] == 'S' && oracle_match(pattern.substr(kSelfVariable.size()), text.substr(1));
  if (pattern[0] == '*')
    for (size_t skip = 0; skip <= text.size(); ++skip)
      if (oracle_match(pattern.substr(1), text.substr(skip))) return true;
  if (text.empty()) return false;
  if (pattern[0] == '?' || pattern[0] == text[0]) return oracle_match(pattern.substr(1), text.substr(1));
  return false;
}

bool oracle_admits(const Statement& statement, std::string_view text) {
  const bool any = std::any_of(statement.patterns.begin(), statement.patterns.end(),
                               [&](const std::string& pattern) { return oracle_match(pattern, text); });
  return any != statement.not_resource;
}

// The characters the policy's patterns spell out, plus '/', which the scopes spell out.
std::string mentioned_by(const Policy& policy) {
  std::string mentioned = "/";
  for (const Statement& statement : policy)
    for (const std::string& pattern : statement.patterns)
      for (size_t i = 0; i < pattern.size(); ++i) {
        if (std::string_view(pattern).substr(i).starts_with(kSelfVariable)) {
          i += kSelfVariable.size() - 1;
        } else if (pattern[i] != '*' && pattern[i] != '?') {
          mentioned += pattern[i];
        }
      }
  return mentioned;
}

// Another device's name: it starts with a character no pattern mentions (a wildcard chose it), or
// it is the device's name and more. A name after a literal prefix is the fleet owner's scoping.
bool oracle_foreign_name(std::string_view name, const std::string& mentioned) {
  if (name.empty()) return false;
  const bool unpinned = name[0] != 'S' && mentioned.find(name[0]) == std::string::npos;
  return unpinned || (name.size() >= 2 && name[0] == 'S');
}

bool oracle_in_scope(Scope scope, std::string_view text, const std::string& mentioned) {
  switch (scope) {
    case Scope::everything:
      return true;
    case Scope::client_ids:
      return oracle_foreign_name(text, mentioned);
    case Scope::thing_names:
      return text.find('/') == std::string_view::npos && oracle_foreign_name(text, mentioned);
    case Scope::custom_topics:
      return oracle_foreign_name(text.substr(0, text.find('/')), mentioned);
  }
  return false;
}

bool oracle_witness(const Policy& policy, Scope scope, std::string_view text, const std::string& mentioned) {
  bool allowed = false, denied = false;
  for (const Statement& statement : policy)
    if (oracle_admits(statement, text)) (statement.deny ? denied : allowed) = true;
  return allowed && !denied && oracle_in_scope(scope, text, mentioned);
}

// The length of a shortest witness up to the bound, every string enumerated.
std::optional<size_t> oracle_shortest(const Policy& policy, Scope scope) {
  const std::string mentioned = mentioned_by(policy);
  std::vector<std::string> strings{""};
  for (size_t length = 0; length <= kLengthBound; ++length) {
    for (const std::string& text : strings)
      if (oracle_witness(policy, scope, text, mentioned)) return length;
    std::vector<std::string> longer;
    for (const std::string& text : strings)
      for (char c : kOracleCharacters) longer.push_back(text + c);
    strings.swap(longer);
  }
  return std::nullopt;
}

// --- The evaluator ------------------------------------------------------------------------------

struct Evaluation {
  LanguageAnswer answer = LanguageAnswer::empty;
  std::string witness;  // in oracle characters
  uint32_t allowed_by = 0;
};

Evaluation evaluate(const Policy& policy, Scope scope) {
  Alphabet alphabet;
  alphabet.mention("/+#$");  // what the scope languages spell out
  std::vector<StatementLanguage> allowed, denied;
  auto read = [](std::string_view) { return VariableReading::device_name; };
  for (const Statement& statement : policy) {
    StatementLanguage language;
    language.complement = statement.not_resource;
    for (const std::string& text : statement.patterns) {
      language.patterns.push_back(*resolve_pattern(Glob::compile(text), read));
      alphabet.mention(language.patterns.back());
    }
    (statement.deny ? denied : allowed).push_back(std::move(language));
  }
  std::optional<Dfa> within;
  switch (scope) {
    case Scope::everything: {
      Nfa nfa(alphabet);
      within = nfa.determinize(nfa.any_number(nfa.one_of(alphabet.all())), 100);
      break;
    }
    case Scope::client_ids:
      within = foreign_client_ids(alphabet);
      break;
    case Scope::thing_names:
      within = foreign_thing_names(alphabet);
      break;
    case Scope::custom_topics:
      within = foreign_topics(alphabet);
      break;
  }
  const WitnessResult result = find_allowed_not_denied(alphabet, allowed, denied, *within);
  Evaluation evaluation{result.answer, "", result.allowed_by};
  for (Symbol symbol : result.witness) {
    const std::optional<char> c = alphabet.character(symbol);
    evaluation.witness += symbol == alphabet.self() ? 'S' : (c && std::string_view("ab/").find(*c) != std::string_view::npos) ? *c : 'x';
  }
  return evaluation;
}

// --- Comparison, shrinking, generation ----------------------------------------------------------

std::string describe(const Policy& policy, Scope scope) {
  std::ostringstream out;
  out << "scope " << static_cast<int>(scope) << "\n";
  for (const Statement& statement : policy) {
    out << "  " << (statement.deny ? "Deny " : "Allow ") << (statement.not_resource ? "NotResource [" : "Resource [");
    for (const std::string& pattern : statement.patterns) out << " \"" << pattern << "\"";
    out << " ]\n";
  }
  return out.str();
}

// Why the evaluator and the oracle disagree on the policy; nullopt when they agree.
std::optional<std::string> disagreement(const Policy& policy, Scope scope) {
  const std::optional<size_t> expected = oracle_shortest(policy, scope);
  const Evaluation got = evaluate(policy, scope);
  const std::string mentioned = mentioned_by(policy);
  if (got.answer == LanguageAnswer::too_complex) return "too complex";
  if (got.answer == LanguageAnswer::empty) {
    if (expected) return "evaluator: none; oracle: a witness of length " + std::to_string(*expected);
    return std::nullopt;
  }
  if (!oracle_witness(policy, scope, got.witness, mentioned)) return "witness \"" + got.witness + "\" is no witness";
  std::vector<const Statement*> allows;
  for (const Statement& statement : policy)
    if (!statement.deny) allows.push_back(&statement);
  if (!oracle_admits(*allows.at(got.allowed_by), got.witness)) return "the allowing statement does not admit it";
  if (expected ? got.witness.size() != *expected : got.witness.size() <= kLengthBound)
    return "witness \"" + got.witness + "\" is not shortest (oracle: " +
           (expected ? std::to_string(*expected) : std::string("none")) + ")";
  return std::nullopt;
}

// Drops statements, patterns and pattern characters while the disagreement remains.
Policy shrink(Policy policy, Scope scope) {
  for (bool smaller = true; smaller;) {
    smaller = false;
    std::vector<Policy> candidates;
    for (size_t s = 0; s < policy.size(); ++s) {
      Policy without = policy;
      without.erase(without.begin() + static_cast<long>(s));
      candidates.push_back(without);
      for (size_t p = 0; p < policy[s].patterns.size(); ++p) {
        Policy fewer = policy;
        fewer[s].patterns.erase(fewer[s].patterns.begin() + static_cast<long>(p));
        candidates.push_back(fewer);
        const std::string& pattern = policy[s].patterns[p];
        for (size_t c = 0; c < pattern.size(); ++c) {
          Policy shorter = policy;
          const bool variable = std::string_view(pattern).substr(c).starts_with(kSelfVariable);
          shorter[s].patterns[p].erase(c, variable ? kSelfVariable.size() : 1);
          candidates.push_back(shorter);
        }
      }
    }
    for (const Policy& candidate : candidates) {
      const bool has_allow = std::any_of(candidate.begin(), candidate.end(), [](const Statement& s) { return !s.deny; });
      if (has_allow && disagreement(candidate, scope)) {
        policy = candidate;
        smaller = true;
        break;
      }
    }
  }
  return policy;
}

Policy random_policy(std::mt19937& random) {
  auto chance = [&](int percent) { return static_cast<int>(random() % 100) < percent; };
  auto pattern = [&] {
    std::string text;
    const int tokens = static_cast<int>(random() % 5);
    for (int t = 0; t < tokens; ++t) {
      const int pick = static_cast<int>(random() % 100);
      if (pick < 25) text += 'a';
      else if (pick < 40) text += 'b';
      else if (pick < 60) text += '/';
      else if (pick < 80) text += '*';
      else if (pick < 90) text += '?';
      else text += kSelfVariable;
    }
    return text;
  };
  Policy policy;
  const int allows = 1 + static_cast<int>(random() % 3), denies = static_cast<int>(random() % 4);
  for (int s = 0; s < allows + denies; ++s) {
    Statement statement;
    statement.deny = s >= allows;
    statement.not_resource = chance(statement.deny ? 25 : 15);
    const int patterns = 1 + static_cast<int>(random() % 2);
    for (int p = 0; p < patterns; ++p) statement.patterns.push_back(pattern());
    policy.push_back(statement);
  }
  return policy;
}

TEST(PatternLanguageOracle, AgreesWithBruteForceOnRandomPolicies) {
  std::mt19937 random(20240611);
  int found = 0, empty = 0;
  for (Scope scope : {Scope::everything, Scope::client_ids, Scope::thing_names, Scope::custom_topics}) {
    for (int i = 0; i < kCasesPerScope; ++i) {
      const Policy policy = random_policy(random);
      if (const auto why = disagreement(policy, scope)) {
        const Policy minimal = shrink(policy, scope);
        FAIL() << *disagreement(minimal, scope) << "\nminimal policy:\n" << describe(minimal, scope);
      }
      ++(evaluate(policy, scope).answer == LanguageAnswer::found ? found : empty);
    }
  }
  std::cout << "oracle: " << 4 * kCasesPerScope << " policies, " << found << " with a witness, " << empty
            << " without, strings up to length " << kLengthBound << " over {" << kOracleCharacters << "}\n";
  // Both answers are exercised, not just one.
  EXPECT_GT(found, kCasesPerScope / 4);
  EXPECT_GT(empty, kCasesPerScope / 4);
}

}  // namespace
}  // namespace fleetaudit::policy
