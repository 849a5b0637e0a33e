#include "analyzer/lint/yaml_reader.h"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <unordered_map>

#include "analyzer/lint/scalar_offsets.h"

namespace fleetaudit::lint {

namespace {

constexpr size_t kMaxNodes = 100000;
// Aliases may add at most this much decoded scalar text to what the file itself holds (each byte
// costs five in the tree: the byte and its file offset).
constexpr size_t kMaxAliasedBytes = 8u << 20;
constexpr size_t kMaxYamlDepth = 512;

bool plain_null(std::string_view value) {
  return value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL";
}

// Thrown from inside the parser's callbacks to stop it at the first node past a budget.
struct BudgetExceeded {
  ReadError error;
};

// Builds the value tree from yaml-cpp's events, so that the node and byte budgets are checked as
// each node is made: yaml-cpp's own tree (YAML::Load) is never built, and an alias is charged what
// its expansion costs before it is copied.
class TreeBuilder : public YAML::EventHandler {
public:
  TreeBuilder(const SourceFile& file, std::vector<Node>& documents)
      : file_(file), documents_(documents), max_bytes_(file.text().size() + kMaxAliasedBytes) {}

  void OnDocumentStart(const YAML::Mark&) override { anchors_.clear(); }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Node node;
    node.span = {offset_of(mark), offset_of(mark)};
    charge(mark, 1, 0);
    finish(std::move(node), anchor, 1, 0);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto found = anchors_.find(anchor);
    if (found == anchors_.end())
      throw BudgetExceeded{{offset_of(mark), "an alias refers to the node that contains it"}};
    charge(mark, found->second.nodes, found->second.bytes);
    finish(Node(found->second.node), 0, 0, 0);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    charge(mark, 1, value.size());
    const uint32_t begin = offset_of(mark);
    Node out;
    if (tag != "?" && tag != "!") out.tag = tag;
    const ScalarStyle style = scalar_style_at(file_.text(), begin);
    out.kind = Node::Kind::string;
    out.text = value;
    if (style.style == ScalarStyle::plain && tag == "?") {
      if (plain_null(value)) out.kind = Node::Kind::null;
      else if (value == "true" || value == "True" || value == "false" || value == "False")
        out.kind = Node::Kind::boolean;
    }
    out.offsets = align_scalar(file_.text(), style, value);
    out.span = {begin, std::max(begin, out.offsets.back() + (style.quoted() ? 1 : 0))};
    finish(std::move(out), anchor, 1, value.size());
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, Node::Kind::sequence);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, Node::Kind::mapping);
  }
  void OnMapEnd() override { close(); }

private:
  struct Frame {
    Node node;
    std::optional<Node> key;  // a mapping's key waiting for its value
    YAML::anchor_t anchor = 0;
    size_t nodes_before = 0, bytes_before = 0;
  };
  struct Anchored {
    Node node;
    size_t nodes = 0, bytes = 0;  // what one more copy costs
  };

  uint32_t offset_of(const YAML::Mark& mark) const {
    if (mark.pos < 0) return 0;
    return std::min<uint32_t>(static_cast<uint32_t>(mark.pos), static_cast<uint32_t>(file_.text().size()));
  }

  void charge(const YAML::Mark& mark, size_t nodes, size_t bytes) {
    nodes_ += nodes;
    bytes_ += bytes;
    if (nodes_ > kMaxNodes)
      throw BudgetExceeded{{offset_of(mark), "more than 100,000 YAML nodes (after expanding aliases)"}};
    if (bytes_ > max_bytes_)
      throw BudgetExceeded{{offset_of(mark), fmt::format("aliases expand to more than {} MiB of text beyond the "
                                                         "file's own",
                                                         kMaxAliasedBytes >> 20)}};
  }

  void open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, Node::Kind kind) {
    charge(mark, 1, 0);
    if (stack_.size() >= kMaxYamlDepth) throw BudgetExceeded{{offset_of(mark), "more than 512 levels of YAML nesting"}};
    Frame frame;
    frame.node.kind = kind;
    if (tag != "?" && tag != "!") frame.node.tag = tag;
    const uint32_t begin = offset_of(mark);
    frame.node.span = {begin, begin};
    frame.anchor = anchor;
    frame.nodes_before = nodes_ - 1;
    frame.bytes_before = bytes_;
    stack_.push_back(std::move(frame));
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    finish(std::move(frame.node), frame.anchor, nodes_ - frame.nodes_before, bytes_ - frame.bytes_before);
  }

  // Records an anchored node, then hands the node to its parent (or ends the document).
  void finish(Node node, YAML::anchor_t anchor, size_t nodes, size_t bytes) {
    if (anchor != 0) anchors_[anchor] = Anchored{node, nodes, bytes};
    if (stack_.empty()) {
      documents_.push_back(std::move(node));
      return;
    }
    Frame& parent = stack_.back();
    parent.node.span.end = std::max(parent.node.span.end, node.span.end);
    if (parent.node.kind == Node::Kind::sequence) {
      parent.node.items.push_back(std::move(node));
    } else if (!parent.key) {
      parent.key = std::move(node);
    } else {
      parent.node.keys.push_back(std::move(*parent.key));
      parent.node.items.push_back(std::move(node));
      parent.key.reset();
    }
  }

  const SourceFile& file_;
  std::vector<Node>& documents_;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, Anchored> anchors_;
  size_t nodes_ = 0, bytes_ = 0;
  const size_t max_bytes_;
};

uint32_t offset_at(const YAML::Mark& mark, const SourceFile& file) {
  // yaml-cpp counts positions in bytes of the UTF-8 text.
  return mark.pos < 0 ? 0 : std::min<uint32_t>(static_cast<uint32_t>(mark.pos), static_cast<uint32_t>(file.text().size()));
}

}  // namespace

std::optional<ReadError> read_yaml(const SourceFile& file, std::vector<Node>& documents) {
  documents.clear();
  std::istringstream stream{std::string(file.text())};
  try {
    YAML::Parser parser(stream);
    TreeBuilder builder(file, documents);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const BudgetExceeded& exceeded) {
    documents.clear();
    return exceeded.error;
  } catch (const YAML::DeepRecursion& error) {
    documents.clear();
    return ReadError{offset_at(error.mark, file), fmt::format("nested more than {} levels deep", error.depth())};
  } catch (const YAML::Exception& error) {
    documents.clear();
    return ReadError{offset_at(error.mark, file), error.msg};
  }
  return std::nullopt;
}

}  // namespace fleetaudit::lint
