#include "analyzer/policy/pattern_alphabet.h"

namespace fleetaudit::policy {

void push_token(ResourcePattern& pattern, PatternToken token) {
  if (token.kind == PatternTokenKind::any_run && !pattern.empty() && pattern.back().kind == PatternTokenKind::any_run)
    return;
  pattern.push_back(token);
}

void Alphabet::add(unsigned char c) {
  if (mentioned_[c]) return;
  mentioned_[c] = true;
  characters_.clear();
  for (unsigned byte = 0; byte < 256; ++byte)
    if (mentioned_[byte]) characters_.push_back(static_cast<char>(byte));
  for (unsigned byte = 0; byte < 256; ++byte) symbol_of_[byte] = static_cast<Symbol>(characters_.size());
  for (size_t symbol = 0; symbol < characters_.size(); ++symbol)
    symbol_of_[static_cast<unsigned char>(characters_[symbol])] = static_cast<Symbol>(symbol);
}

void Alphabet::mention(std::string_view text) {
  for (char c : text) add(static_cast<unsigned char>(c));
}

void Alphabet::mention(const ResourcePattern& pattern) {
  for (const PatternToken& token : pattern)
    if (token.kind == PatternTokenKind::literal) add(static_cast<unsigned char>(token.literal));
}

size_t Alphabet::size() const { return characters_.size() + 2; }
Symbol Alphabet::of(char c) const {
  return characters_.empty() ? other() : symbol_of_[static_cast<unsigned char>(c)];
}
Symbol Alphabet::other() const { return static_cast<Symbol>(characters_.size()); }
Symbol Alphabet::self() const { return static_cast<Symbol>(characters_.size() + 1); }

std::optional<char> Alphabet::character(Symbol symbol) const {
  if (symbol >= characters_.size()) return std::nullopt;
  return characters_[symbol];
}

std::vector<Symbol> Alphabet::search_order() const {
  std::vector<Symbol> order{other()};
  for (size_t symbol = 0; symbol < characters_.size(); ++symbol) order.push_back(static_cast<Symbol>(symbol));
  order.push_back(self());
  return order;
}

SymbolSet Alphabet::all() const {
  SymbolSet set;
  for (size_t symbol = 0; symbol < size(); ++symbol) set.set(symbol);
  return set;
}

SymbolSet Alphabet::all_but(std::string_view characters) const {
  SymbolSet set = all();
  for (char c : characters)
    if (mentioned_[static_cast<unsigned char>(c)]) set.reset(of(c));
  return set;
}

char Alphabet::other_character() const {
  // Readable first; any unmentioned byte otherwise (OTHER only exists while one is left).
  for (char c : std::string_view("xyzqwkjvXYZQWKJV0123456789_"))
    if (!mentioned_[static_cast<unsigned char>(c)]) return c;
  for (unsigned byte = 1; byte < 256; ++byte)
    if (!mentioned_[byte]) return static_cast<char>(byte);
  return '\0';
}

std::string Alphabet::render(std::span<const Symbol> symbols, std::string_view self_text) const {
  std::string text;
  const char other_text = other_character();
  for (Symbol symbol : symbols) {
    if (symbol == self()) {
      text += self_text;
    } else if (symbol == other()) {
      text += other_text;
    } else {
      text += characters_[symbol];
    }
  }
  return text;
}

}  // namespace fleetaudit::policy
