#pragma once
// The finite alphabet a policy question is decided over, and resource patterns written in it.
//
// Every character some pattern (or the question itself) mentions is a symbol of its own. All other
// characters behave alike in every pattern, so one symbol, OTHER, stands for all of them. One more
// symbol, SELF, stands for the connecting device's own thing name: one opaque value no literal
// equals, which `?` and `*` may stand for like any other symbol.
#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/policy/glob.h"

namespace fleetaudit::policy {

using Symbol = uint16_t;
inline constexpr size_t kMaxSymbols = 258;  // every byte, OTHER and SELF
using SymbolSet = std::bitset<kMaxSymbols>;

enum class PatternTokenKind : uint8_t { literal, any_one, any_run, self };

struct PatternToken {
  PatternTokenKind kind = PatternTokenKind::literal;
  char literal = 0;  // kind == literal
};

// A resource pattern with its variables resolved: what the language engine compiles.
using ResourcePattern = std::vector<PatternToken>;

// What a policy variable stands for in one question.
enum class VariableReading : uint8_t {
  device_name,      // the connecting device's thing name (SELF)
  any_text,         // a value the device chooses freely: reads as *
  matches_nothing,  // no value can make the pattern match (e.g. a Deny the device can dodge)
  literal_text,     // not a variable at all: the text "${name}" (documents without Version 2012-10-17)
};

// nullopt when some variable reads as matches_nothing. `reading` is asked once per variable token.
template <class Reading>
std::optional<ResourcePattern> resolve_pattern(const Glob& glob, Reading&& reading);

// Appends a token; adjacent runs collapse into one (a variable read as * beside a *).
void push_token(ResourcePattern& pattern, PatternToken token);

class Alphabet {
public:
  // Makes every character of `text` (or every literal of `pattern`) a symbol of its own. Mention
  // everything before building automata: adding a character renumbers the symbols.
  void mention(std::string_view text);
  void mention(const ResourcePattern& pattern);

  size_t size() const;  // mentioned characters + OTHER + SELF
  Symbol of(char c) const;
  Symbol other() const;
  Symbol self() const;
  std::optional<char> character(Symbol symbol) const;  // nullopt for OTHER and SELF

  // Every symbol, OTHER first and SELF last: searches that try symbols in this order find
  // witnesses with readable placeholders where any character would do.
  std::vector<Symbol> search_order() const;

  // Every symbol but those given.
  SymbolSet all() const;
  SymbolSet all_but(std::string_view characters) const;

  // A concrete string for a symbol string: OTHER becomes one character no pattern mentions (so the
  // result matches exactly what the symbols match), SELF becomes `self_text`.
  std::string render(std::span<const Symbol> symbols, std::string_view self_text) const;
  char other_character() const;

private:
  void add(unsigned char c);

  std::array<bool, 256> mentioned_{};
  std::array<Symbol, 256> symbol_of_{};  // OTHER for unmentioned characters
  std::vector<char> characters_;         // by symbol, for the mentioned ones
};

template <class Reading>
std::optional<ResourcePattern> resolve_pattern(const Glob& glob, Reading&& reading) {
  ResourcePattern pattern;
  pattern.reserve(glob.tokens().size());
  for (const GlobToken& token : glob.tokens()) {
    switch (token.kind) {
      case GlobTokenKind::literal:
        pattern.push_back({PatternTokenKind::literal, token.literal});
        break;
      case GlobTokenKind::any_one:
        pattern.push_back({PatternTokenKind::any_one, 0});
        break;
      case GlobTokenKind::any_run:
        push_token(pattern, {PatternTokenKind::any_run, 0});
        break;
      case GlobTokenKind::variable: {
        const std::string_view name = glob.variable_name(token);
        switch (reading(name)) {
          case VariableReading::device_name:
            pattern.push_back({PatternTokenKind::self, 0});
            break;
          case VariableReading::any_text:
            push_token(pattern, {PatternTokenKind::any_run, 0});
            break;
          case VariableReading::matches_nothing:
            return std::nullopt;
          case VariableReading::literal_text:
            for (char c : "${" + std::string(name) + "}") pattern.push_back({PatternTokenKind::literal, c});
            break;
        }
        break;
      }
    }
  }
  return pattern;
}

}  // namespace fleetaudit::policy
