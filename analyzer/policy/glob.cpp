#include "analyzer/policy/glob.h"

#include <algorithm>
#include <bit>

namespace fleetaudit::policy {

namespace {

char lower(char c) { return ascii_lower(c); }

}  // namespace

std::string variables_as_literal_text(std::string_view pattern) {
  std::string out;
  for (size_t at = 0; at < pattern.size();) {
    const size_t open = pattern.find("${", at);
    const size_t close = open == std::string_view::npos ? open : pattern.find('}', open);
    if (close == std::string_view::npos) {
      out.append(pattern.substr(at));
      break;
    }
    out.append(pattern.substr(at, open - at));
    const std::string_view name = pattern.substr(open + 2, close - open - 2);
    if (name == "*" || name == "?" || name == "$") out.append(pattern.substr(open, close - open + 1));
    else out.append("${$}{").append(name).append("}");
    at = close + 1;
  }
  return out;
}

Glob Glob::compile(std::string_view pattern, bool case_insensitive) {
  Glob glob;
  glob.case_insensitive_ = case_insensitive;
  glob.tokens_.reserve(pattern.size());
  for (size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '$' && i + 1 < pattern.size() && pattern[i + 1] == '{') {
      const size_t close = pattern.find('}', i + 2);
      if (close != std::string_view::npos && close > i + 2) {
        const std::string_view name = pattern.substr(i + 2, close - i - 2);
        if (name == "*" || name == "?" || name == "$") {
          glob.push({GlobTokenKind::literal, name[0], 0});
        } else {
          glob.push({GlobTokenKind::variable, 0, static_cast<uint32_t>(glob.variable_names_.size())});
          glob.variable_names_.emplace_back(name);
        }
        i = close + 1;
        continue;
      }
    }
    if (c == '*') {
      glob.push({GlobTokenKind::any_run, 0, 0});
    } else if (c == '?') {
      glob.push({GlobTokenKind::any_one, 0, 0});
    } else {
      glob.push({GlobTokenKind::literal, case_insensitive ? lower(c) : c, 0});
    }
    ++i;
  }
  glob.find_literal_head();
  return glob;
}

void Glob::find_literal_head() {
  literal_head_.clear();
  if (case_insensitive_) return;
  for (const GlobToken& token : tokens_) {
    if (token.kind != GlobTokenKind::literal || token.literal == '+' || token.literal == '#') break;
    literal_head_.push_back(token.literal);
  }
}

void Glob::push(GlobToken token) {
  if (token.kind == GlobTokenKind::any_run && !tokens_.empty() && tokens_.back().kind == GlobTokenKind::any_run)
    return;
  tokens_.push_back(token);
}

bool Glob::matches(std::string_view text) const {
  const size_t m = tokens_.size();
  size_t p = 0, t = 0;
  size_t star = SIZE_MAX, star_text = 0;  // the last * seen, and where its run ends now
  while (t < text.size()) {
    if (p < m && tokens_[p].kind == GlobTokenKind::any_run) {
      star = p++;
      star_text = t;
      continue;
    }
    if (p < m) {
      const GlobToken& token = tokens_[p];
      const char c = case_insensitive_ ? lower(text[t]) : text[t];
      if (token.kind == GlobTokenKind::any_one || (token.kind == GlobTokenKind::literal && token.literal == c)) {
        ++p;
        ++t;
        continue;
      }
    }
    // Only the last star needs to grow: earlier stars can never help a later mismatch.
    if (star == SIZE_MAX) return false;
    p = star + 1;
    t = ++star_text;
  }
  while (p < m && tokens_[p].kind == GlobTokenKind::any_run) ++p;
  return p == m;
}

}  // namespace fleetaudit::policy
