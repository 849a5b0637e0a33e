#include "analyzer/lint/yaml_reader.h"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>

#include "analyzer/lint/scalar_offsets.h"

namespace fleetaudit::lint {

namespace {

constexpr size_t kMaxNodes = 100000;
constexpr int kMaxDepth = 512;

bool plain_null(std::string_view value) {
  return value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL";
}

class TreeBuilder {
public:
  explicit TreeBuilder(const SourceFile& file) : file_(file) {}

  std::optional<ReadError> convert(const YAML::Node& node, Node& out, int depth) {
    if (++nodes_ > kMaxNodes) return ReadError{offset_of(node), "more than 100,000 YAML nodes (after expanding aliases)"};
    if (depth > kMaxDepth) return ReadError{offset_of(node), "more than 512 levels of YAML nesting"};
    const uint32_t begin = offset_of(node);
    const std::string& tag = node.Tag();
    if (tag != "?" && tag != "!") out.tag = tag;
    out.span = {begin, begin};
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out.kind = Node::Kind::null;
        return std::nullopt;
      case YAML::NodeType::Scalar: {
        const std::string& value = node.Scalar();
        const ScalarStyle style = scalar_style_at(file_.text(), begin);
        out.kind = Node::Kind::string;
        out.text = value;
        if (style.style == ScalarStyle::plain && tag == "?") {
          if (plain_null(value)) out.kind = Node::Kind::null;
          else if (value == "true" || value == "True" || value == "false" || value == "False")
            out.kind = Node::Kind::boolean;
        }
        out.offsets = align_scalar(file_.text(), style, value);
        out.span.end = std::max(begin, out.offsets.back() + (style.quoted() ? 1 : 0));
        return std::nullopt;
      }
      case YAML::NodeType::Sequence:
        out.kind = Node::Kind::sequence;
        for (const YAML::Node& item : node) {
          out.items.emplace_back();
          if (auto error = convert(item, out.items.back(), depth + 1)) return error;
          out.span.end = std::max(out.span.end, out.items.back().span.end);
        }
        return std::nullopt;
      case YAML::NodeType::Map:
        out.kind = Node::Kind::mapping;
        for (auto it = node.begin(); it != node.end(); ++it) {
          Node key, value;
          if (auto error = convert(it->first, key, depth + 1)) return error;
          if (auto error = convert(it->second, value, depth + 1)) return error;
          out.span.end = std::max({out.span.end, key.span.end, value.span.end});
          out.keys.push_back(std::move(key));
          out.items.push_back(std::move(value));
        }
        return std::nullopt;
    }
    return std::nullopt;
  }

private:
  uint32_t offset_of(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    if (mark.pos < 0) return 0;
    return std::min<uint32_t>(static_cast<uint32_t>(mark.pos), static_cast<uint32_t>(file_.text().size()));
  }

  const SourceFile& file_;
  size_t nodes_ = 0;
};

}  // namespace

std::optional<ReadError> read_yaml(const SourceFile& file, std::vector<Node>& documents) {
  documents.clear();
  std::vector<YAML::Node> parsed;
  try {
    parsed = YAML::LoadAll(std::string(file.text()));
  } catch (const YAML::DeepRecursion& error) {
    const uint32_t at = error.mark.pos < 0 ? 0 : std::min<uint32_t>(static_cast<uint32_t>(error.mark.pos),
                                                                    static_cast<uint32_t>(file.text().size()));
    return ReadError{at, fmt::format("nested more than {} levels deep", error.depth())};
  } catch (const YAML::Exception& error) {
    // yaml-cpp counts positions in bytes of the UTF-8 text.
    const uint32_t at = error.mark.pos < 0 ? 0 : std::min<uint32_t>(static_cast<uint32_t>(error.mark.pos),
                                                                    static_cast<uint32_t>(file.text().size()));
    return ReadError{at, error.msg};
  }
  TreeBuilder builder(file);
  for (const YAML::Node& document : parsed) {
    documents.emplace_back();
    if (auto error = builder.convert(document, documents.back(), 0)) {
      documents.clear();
      return error;
    }
  }
  return std::nullopt;
}

}  // namespace fleetaudit::lint
