#include "analyzer/policy/glob.h"

#include <algorithm>
#include <bit>

namespace fleetaudit::policy {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_wildcard(const GlobToken& token) {
  return token.kind == GlobTokenKind::any_run || token.kind == GlobTokenKind::any_one;
}

bool same_token(const Glob& a, const GlobToken& x, const Glob& b, const GlobToken& y) {
  if (x.kind != y.kind) return false;
  if (x.kind == GlobTokenKind::literal) return x.literal == y.literal;
  if (x.kind == GlobTokenKind::variable) return iequals(a.variable_name(x), b.variable_name(y));
  return true;
}

// The positions 0..size of a probe subject, as a bitset.
class PositionSet {
public:
  explicit PositionSet(size_t positions) : words_((positions + 63) / 64, 0) {}
  void set(size_t i) { words_[i / 64] |= uint64_t{1} << (i % 64); }
  bool test(size_t i) const { return (words_[i / 64] >> (i % 64)) & 1; }
  void clear() {
    for (uint64_t& word : words_) word = 0;
  }
  bool empty() const {
    for (uint64_t word : words_)
      if (word != 0) return false;
    return true;
  }
  void swap(PositionSet& other) { words_.swap(other.words_); }
  template <class Visit>
  void for_each(Visit&& visit) const {
    for (size_t w = 0; w < words_.size(); ++w)
      for (uint64_t bits = words_[w]; bits != 0; bits &= bits - 1)
        visit(w * 64 + static_cast<size_t>(std::countr_zero(bits)));
  }

private:
  std::vector<uint64_t> words_;
};

// Simulates the pattern as an automaton over subject positions: O(pattern * subject), no
// backtracking. A fresh name is the two characters "\0\0": the position between them means
// "inside the name, at least one character read and at least one left".
bool reaches(const Glob& glob, std::string_view subject) {
  // Most patterns name one device's resource: their literal head already disagrees.
  const std::string_view head = glob.literal_head();
  const size_t shared = std::min(head.size(), subject.size());
  if (subject.substr(0, shared) != head.substr(0, shared)) return false;

  const std::vector<GlobToken>& tokens = glob.tokens();
  const size_t n = subject.size();
  PositionSet current(n + 1), next(n + 1);
  current.set(0);
  for (size_t j = 0; j < tokens.size(); ++j) {
    const GlobToken& token = tokens[j];
    next.clear();
    if (token.kind == GlobTokenKind::any_run) {
      bool reached = false;
      for (size_t i = 0; i <= n; ++i) {
        reached = reached || current.test(i);
        if (reached) next.set(i);
      }
    } else {
      current.for_each([&](size_t i) {
        if (i == n) return;
        const char c = subject[i];
        if (c == '\0') {
          if (token.kind != GlobTokenKind::any_one) return;  // a fresh name is no literal
          const bool first_of_name = i == 0 || subject[i - 1] != '\0';
          next.set(first_of_name ? i + 1 : i);
          next.set(first_of_name ? i + 2 : i + 1);
          return;
        }
        if (token.kind == GlobTokenKind::any_one ||
            (token.kind == GlobTokenKind::literal &&
             token.literal == (glob.case_insensitive() ? lower(c) : c)))
          next.set(i + 1);
      });
    }
    current.swap(next);
    if (current.empty()) return false;
  }
  return current.test(n);
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
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

bool glob_reaches(const Glob& pattern, std::string_view subject) { return reaches(pattern, subject); }

bool glob_covers(const Glob& deny, const Glob& allow) {
  const std::vector<GlobToken>& d = deny.tokens();
  const std::vector<GlobToken>& p = allow.tokens();
  auto same_prefix = [&](size_t length) {
    for (size_t k = 0; k < length; ++k)
      if (!same_token(deny, d[k], allow, p[k])) return false;
    return true;
  };
  if (d.size() == p.size() && same_prefix(d.size())) return true;
  if (d.empty() || d.back().kind != GlobTokenKind::any_run) return false;
  const size_t prefix = d.size() - 1;
  for (size_t k = 0; k < prefix; ++k)
    if (is_wildcard(d[k])) return false;
  return p.size() >= prefix && same_prefix(prefix);
}

bool globs_overlap(const Glob& a, const Glob& b) {
  const std::vector<GlobToken>& x = a.tokens();
  const std::vector<GlobToken>& y = b.tokens();
  auto stretches = [](const GlobToken& token) {
    return token.kind == GlobTokenKind::any_run || token.kind == GlobTokenKind::variable;
  };
  auto compatible = [](const GlobToken& s, const GlobToken& t) {
    return s.kind == GlobTokenKind::any_one || t.kind == GlobTokenKind::any_one || s.literal == t.literal;
  };
  // reach[i][j]: some string brings a to token i and b to token j together. Moves only go
  // forward, so one pass in (i, j) order settles every cell.
  const size_t width = y.size() + 1;
  std::vector<char> reach((x.size() + 1) * width, 0);
  reach[0] = 1;
  for (size_t i = 0; i <= x.size(); ++i) {
    for (size_t j = 0; j <= y.size(); ++j) {
      if (!reach[i * width + j]) continue;
      const bool x_stretches = i < x.size() && stretches(x[i]);
      const bool y_stretches = j < y.size() && stretches(y[j]);
      if (x_stretches) {
        reach[(i + 1) * width + j] = 1;                // it ends here
        if (j < y.size()) reach[i * width + j + 1] = 1;  // it swallows what y[j] produces
      }
      if (y_stretches) {
        reach[i * width + j + 1] = 1;
        if (i < x.size()) reach[(i + 1) * width + j] = 1;
      }
      if (!x_stretches && !y_stretches && i < x.size() && j < y.size() && compatible(x[i], y[j]))
        reach[(i + 1) * width + j + 1] = 1;
    }
  }
  return reach.back() != 0;
}

}  // namespace fleetaudit::policy
