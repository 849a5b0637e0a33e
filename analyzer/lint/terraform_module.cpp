#include "analyzer/lint/terraform_module.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzer/lint/utf8_text.h"

namespace fleetaudit::lint {

namespace fs = std::filesystem;

namespace {

constexpr size_t kMostSiblings = 64;
constexpr uintmax_t kMostSiblingBytes = 1 << 20;
constexpr int kSubstitutionRounds = 4;  // locals naming locals naming …: bounded
// A string is not grown past this by substitution (locals each naming many others would grow
// exponentially over the rounds): past it, its references stay named unknowns.
constexpr size_t kLongestSubstitutedString = 64 * 1024;
// Bytes substituted in all, for one linted file (its module's values and its own blocks).
constexpr size_t kMostSubstitutedBytes = 16 * 1024 * 1024;

bool literal(const Node& value) {
  if (!value.tag.empty()) return false;
  if (value.is_string() || value.is(Node::Kind::number) || value.is(Node::Kind::boolean)) return true;
  if (!value.is(Node::Kind::sequence) && !value.is(Node::Kind::mapping)) return false;
  return std::all_of(value.items.begin(), value.items.end(), literal);
}

void collect(const std::vector<HclBlock>& blocks, ModuleValues& values) {
  for (const HclBlock& block : blocks) {
    if (block.type == "variable" && block.labels.size() == 1) {
      if (const Node* fallback = block.body.get("default"); fallback != nullptr && literal(*fallback))
        values.emplace("var." + block.labels[0], *fallback);
    } else if (block.type == "locals") {
      for (size_t i = 0; i < block.body.keys.size(); ++i) values.emplace("local." + block.body.keys[i].text, block.body.items[i]);
    }
  }
}

// The sibling's blocks, or nothing when it cannot be read or parsed (it is linted on its own).
std::vector<HclBlock> sibling_blocks(const fs::path& path) {
  std::vector<HclBlock> blocks;
  std::error_code code;
  const fs::file_status status = fs::symlink_status(path, code);
  if (code || !fs::is_regular_file(status) || fs::file_size(path, code) > kMostSiblingBytes || code) return blocks;
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  for (const InvalidUtf8Run& run : invalid_utf8_runs(text, CommentSyntax::hcl))
    std::fill(text.begin() + run.begin, text.begin() + run.end, '?');
  const SourceFile source(path.string(), std::move(text));
  if (read_hcl(source, blocks)) blocks.clear();
  return blocks;
}

// Every byte and span of a value copied from elsewhere is located at `where`.
void relocate(Node& node, Span where) {
  node.span = where;
  if (!node.offsets.empty()) {
    node.offsets.assign(node.offsets.size(), where.begin);
    node.offsets.back() = where.end;
  }
  for (Node& key : node.keys) relocate(key, where);
  for (Node& item : node.items) relocate(item, where);
}

bool substitute_in_string(const ModuleValues& values, Node& node, size_t& bytes_left) {
  bool changed = false;
  std::string text;
  std::vector<uint32_t> offsets;
  const bool located = node.offsets.size() == node.text.size() + 1;
  auto offset = [&](size_t i) { return located ? node.offsets[i] : node.span.begin; };
  for (size_t i = 0; i < node.text.size();) {
    if (node.text[i] == '<') {
      const size_t close = node.text.find('>', i);
      if (close != std::string::npos) {
        auto found = values.find(node.text.substr(i + 1, close - i - 1));
        if (found != values.end() && (found->second.is_string() || found->second.is(Node::Kind::number)) &&
            text.size() + found->second.text.size() <= kLongestSubstitutedString &&
            found->second.text.size() <= bytes_left) {
          bytes_left -= found->second.text.size();
          for (char c : found->second.text) text.push_back(c), offsets.push_back(offset(i));
          i = close + 1;
          changed = true;
          continue;
        }
      }
    }
    text.push_back(node.text[i]);
    offsets.push_back(offset(i));
    ++i;
  }
  if (!changed) return false;
  offsets.push_back(located ? node.offsets.back() : node.span.end);
  node.text = std::move(text);
  node.offsets = std::move(offsets);
  return true;
}

bool substitute(const ModuleValues& values, Node& node, size_t& bytes_left) {
  if (node.tag == kHclReference) {
    auto found = values.find(node.text);
    if (found == values.end() || found->second.text.size() > bytes_left) return false;
    bytes_left -= found->second.text.size() + 1;
    const Span where = node.span;
    node = found->second;
    relocate(node, where);
    return true;
  }
  bool changed = false;
  for (Node& item : node.items) changed |= substitute(values, item, bytes_left);
  if (node.is_string() && node.tag.empty() && node.text.find('<') != std::string::npos)
    changed |= substitute_in_string(values, node, bytes_left);
  return changed;
}

}  // namespace

ModuleValues module_values(const SourceFile& file, const std::vector<HclBlock>& own) {
  ModuleValues values;
  values.bytes_left = kMostSubstitutedBytes;
  collect(own, values);
  // Siblings are parsed only for a file that reads a variable or a local (each .tf of a directory
  // of n files would otherwise parse the other n - 1).
  if (file.text().find("var.") == std::string_view::npos && file.text().find("local.") == std::string_view::npos)
    return values;
  const fs::path self(file.path());
  std::error_code code;
  std::vector<fs::path> siblings;
  for (fs::directory_iterator it(self.has_parent_path() ? self.parent_path() : fs::path("."), code), end;
       !code && it != end; it.increment(code))
    if (it->path().extension() == ".tf" && it->path().filename() != self.filename()) siblings.push_back(it->path());
  std::sort(siblings.begin(), siblings.end());  // the same values whatever order the directory lists
  if (siblings.size() > kMostSiblings) siblings.resize(kMostSiblings);
  for (const fs::path& sibling : siblings) collect(sibling_blocks(sibling), values);
  // A local may name a variable or another local: substituted among themselves, a few rounds.
  for (int round = 0; round < kSubstitutionRounds; ++round) {
    bool changed = false;
    for (auto& [name, value] : values) changed |= substitute(values, value, values.bytes_left);
    if (!changed) break;
  }
  std::erase_if(values, [](const auto& entry) { return !literal(entry.second); });
  return values;
}

void substitute_module_values(ModuleValues& values, Node& node) {
  if (!values.empty()) substitute(values, node, values.bytes_left);
}

std::optional<std::vector<std::string>> instance_keys(const Node& body) {
  std::vector<std::string> keys;
  if (const Node* count = body.get("count")) {
    if (!count->tag.empty() || !count->is(Node::Kind::number)) return std::nullopt;
    const long long n = std::atoll(count->text.c_str());
    if (n < 0 || n > 10000) return std::nullopt;
    for (long long i = 0; i < n; ++i) keys.push_back(std::to_string(i));
    return keys;
  }
  const Node* each = body.get("for_each");
  if (each == nullptr) return std::nullopt;
  // toset([...]) is the reader's unknown "<toset(…)>" whose one item is the list.
  if (each->tag == kHclUnknown && each->text.rfind("<toset(", 0) == 0 && each->items.size() == 1) each = &each->items[0];
  if (!each->tag.empty()) return std::nullopt;
  if (each->is(Node::Kind::mapping)) {
    for (const Node& key : each->keys) keys.push_back(key.text);
  } else if (each->is(Node::Kind::sequence)) {
    for (const Node& item : each->items) {
      if (!item.is_string() || !item.tag.empty()) return std::nullopt;
      if (std::find(keys.begin(), keys.end(), item.text) == keys.end()) keys.push_back(item.text);  // a set
    }
  } else {
    return std::nullopt;
  }
  return keys;
}

}  // namespace fleetaudit::lint
