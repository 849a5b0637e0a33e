#include "analyzer/lint/cfn_intrinsics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "analyzer/lint/iac_model.h"

namespace fleetaudit::lint {

namespace {

constexpr int kMaxIntrinsicDepth = 64;
// Nodes made plus bytes copied while resolving one template: far above what real templates need
// (a template's policies are resolved once each), far below what fills memory (each byte costs five).
constexpr size_t kMaxWork = 16u << 20;
constexpr size_t kMaxStringBytes = 32u << 20;
constexpr char kNoValueTag[] = "!fleetaudit-no-value";

void append_located(Node& out, const Node& piece) {
  if (out.text.size() > kMaxStringBytes) return;  // the resolver's budget has stopped it already
  const bool located = piece.offsets.size() == piece.text.size() + 1;
  for (size_t i = 0; i < piece.text.size(); ++i) {
    out.text.push_back(piece.text[i]);
    out.offsets.push_back(located ? piece.offsets[i] : piece.span.begin);
  }
}

Node concatenation(Span where) {
  Node out;
  out.kind = Node::Kind::string;
  out.span = where;
  return out;
}

void finish(Node& out) { out.offsets.push_back(out.offsets.empty() ? out.span.end : out.offsets.back() + 1); }

}  // namespace

Node stand_in(std::string text, Span where) {
  Node node = string_node(std::move(text), {}, where);
  node.offsets.assign(node.text.size() + 1, where.begin);
  node.offsets.back() = where.end;
  return node;
}

std::string intrinsic_of(const Node& node, Node& argument) {
  if (!node.tag.empty() && node.tag[0] == '!' && node.tag.size() > 1 && node.tag[1] != '!') {
    argument = node;
    argument.tag.clear();
    const std::string name = node.tag.substr(1);
    return name == "Ref" || name == "Condition" ? name : "Fn::" + name;
  }
  if (node.is(Node::Kind::mapping) && node.keys.size() == 1) {
    const std::string& key = node.keys[0].text;
    if (key == "Ref" || key.rfind("Fn::", 0) == 0) {
      argument = node.items[0];
      return key;
    }
  }
  return {};
}

IntrinsicResolver::IntrinsicResolver(const Node& root)
    : parameters_(root.get("Parameters")), resources_(root.get("Resources")), mappings_(root.get("Mappings")) {}

const Node* IntrinsicResolver::resource(const std::string& logical_id) const {
  return resources_ == nullptr ? nullptr : resources_->get(logical_id);
}

Node IntrinsicResolver::resolve(const Node& node) const { return resolve_at(node, 0); }

bool IntrinsicResolver::spend(size_t units) const {
  work_ += units;
  return work_ <= kMaxWork;
}

void IntrinsicResolver::stop(Span where, std::string why) const {
  if (!stopped_) stopped_ = Stopped{where, std::move(why)};
}

// Whether `node` (a declaration a reference leads to) may be resolved now: not when it is already
// being resolved further out, which is a cycle.
bool IntrinsicResolver::entering(const Node* node, Span where, const std::string& name) const {
  if (std::find(resolving_.begin(), resolving_.end(), node) == resolving_.end()) return true;
  stop(where, "the reference to " + name + " leads back to itself (an intrinsic function cycle)");
  return false;
}

Node IntrinsicResolver::ref(const std::string& name, Span where, int depth) const {
  if (name == "AWS::Partition") return stand_in(std::string(kStackPartition), where);
  if (name == "AWS::Region") return stand_in(std::string(kStackRegion), where);
  if (name == "AWS::AccountId") return stand_in(std::string(kStackAccount), where);
  if (name == "AWS::NoValue") {
    Node none;
    none.tag = kNoValueTag;
    return none;
  }
  if (name.rfind("AWS::", 0) == 0) return stand_in("<" + name.substr(5) + ">", where);
  if (parameters_ != nullptr)
    if (const Node* parameter = parameters_->get(name)) {
      // A parameter is one value; its Default is the value unless the deployment gives another.
      const Node* fallback = parameter->get("Default");
      if (fallback != nullptr && (fallback->is_string() || fallback->is(Node::Kind::number))) {
        Node value = *fallback;
        value.kind = Node::Kind::string;
        if (value.offsets.size() != value.text.size() + 1) value = stand_in(value.text, value.span);
        return value;
      }
      return stand_in("<" + name + ">", where);
    }
  if (const Node* declared = resource(name)) {
    // Ref of a thing or a policy is its name: the declared one, else a name made from the logical id.
    const Node* properties = declared->get("Properties");
    for (const char* key : {"ThingName", "PolicyName", "RoleAlias", "RoleName"})
      if (const Node* declared_name = properties != nullptr ? properties->get(key) : nullptr) {
        if (!entering(declared_name, where, name)) return stand_in("<" + name + ">", where);
        resolving_.push_back(declared_name);
        const Node value = resolve_at(*declared_name, depth + 1);
        resolving_.pop_back();
        if (value.is_string()) return stand_in(value.text, where);
      }
    return stand_in(name, where);
  }
  return stand_in("<" + name + ">", where);
}

Node IntrinsicResolver::get_att(const std::string& logical_id, const std::string& attribute, Span where) const {
  const Node* declared = resource(logical_id);
  const Node* type = declared != nullptr ? declared->get("Type") : nullptr;
  if (type != nullptr && type->text == "AWS::IoT::Certificate") {
    if (attribute == "Id") return stand_in(logical_id, where);
    if (attribute == "Arn")
      return stand_in(std::string("arn:").append(kStackPartition).append(":iot:").append(kStackRegion).append(":")
                          .append(kStackAccount).append(":cert/").append(logical_id),
                      where);
  }
  if (type != nullptr && type->text == "AWS::IAM::Role" && attribute == "Arn")  // in the stack's account
    return stand_in(std::string("arn:").append(kStackPartition).append(":iam::").append(kStackAccount).append(":role/")
                        .append(ref(logical_id, where, 0).text),
                    where);
  return stand_in("<" + logical_id + "." + attribute + ">", where);
}

Node IntrinsicResolver::sub(const Node& argument, int depth, Span where) const {
  const Node* format = &argument;
  const Node* variables = nullptr;
  if (argument.is(Node::Kind::sequence) && !argument.items.empty()) {
    format = &argument.items[0];
    if (argument.items.size() > 1) variables = &argument.items[1];
  }
  if (!format->is_string()) return stand_in("<Sub>", where);
  const std::string& text = format->text;
  const bool located = format->offsets.size() == text.size() + 1;
  auto at = [&](size_t i) { return located ? format->offsets[i] : format->span.begin; };
  Node out = concatenation(where);
  for (size_t i = 0; i < text.size();) {
    const size_t close = text.compare(i, 2, "${") == 0 ? text.find('}', i + 2) : std::string::npos;
    if (close == std::string::npos) {
      out.text.push_back(text[i]);
      out.offsets.push_back(at(i));
      ++i;
      continue;
    }
    if (i + 2 < text.size() && text[i + 2] == '!') {  // ${!Literal} is the text ${Literal}
      out.text += "${";
      out.offsets.push_back(at(i));
      out.offsets.push_back(at(i + 1));
      i += 3;
      continue;
    }
    std::string name = text.substr(i + 2, close - i - 2);
    const Span reference{at(i), at(close) + 1};
    Node value;
    if (const Node* given = variables != nullptr ? variables->get(name) : nullptr) {
      value = resolve_at(*given, depth + 1);
    } else if (name.find(':') != std::string::npos && name.rfind("AWS::", 0) != 0) {
      // An IoT policy variable: CloudFormation would look it up and fail; keep it as written.
      unescaped_policy_variables.push_back(reference);
      for (size_t k = i; k <= close; ++k) out.text.push_back(text[k]), out.offsets.push_back(at(k));
      i = close + 1;
      continue;
    } else if (const size_t dot = name.find('.'); dot != std::string::npos) {
      value = get_att(name.substr(0, dot), name.substr(dot + 1), reference);
    } else {
      value = ref(name, reference, depth + 1);
    }
    if (!value.is_string()) value = stand_in("<" + name + ">", reference);
    if (!spend(value.text.size())) {
      stop(reference, fmt::format("intrinsic functions expand to more than {} MiB (nodes and text)", kMaxWork >> 20));
      return stand_in("<too large>", where);
    }
    append_located(out, value);
    i = close + 1;
  }
  out.offsets.push_back(located ? format->offsets.back() : format->span.end);
  return out;
}

Node IntrinsicResolver::join(const Node& argument, int depth, Span where) const {
  if (!argument.is(Node::Kind::sequence) || argument.items.size() != 2 || !argument.items[0].is_string())
    return stand_in("<Join>", where);
  const std::string& delimiter = argument.items[0].text;
  const Node list = resolve_at(argument.items[1], depth + 1);
  if (!list.is(Node::Kind::sequence)) return stand_in("<Join>", where);
  Node out = concatenation(where);
  bool first = true;
  for (const Node& item : list.items) {
    if (!first) append_located(out, stand_in(delimiter, argument.items[0].span));
    first = false;
    if (!item.is_string() && !item.is(Node::Kind::number)) return stand_in("<Join>", where);
    if (!spend(item.text.size() + delimiter.size())) {
      stop(where, fmt::format("intrinsic functions expand to more than {} MiB (nodes and text)", kMaxWork >> 20));
      return stand_in("<too large>", where);
    }
    append_located(out, item);
  }
  finish(out);
  return out;
}

Node IntrinsicResolver::resolve_at(const Node& node, int depth) const {
  if (depth > kMaxIntrinsicDepth) return stand_in("<too deep>", node.span);
  if (!spend(1 + node.text.size())) {
    stop(node.span, fmt::format("intrinsic functions expand to more than {} MiB (nodes and text)", kMaxWork >> 20));
    return stand_in("<too large>", node.span);
  }
  Node argument;
  const std::string function = intrinsic_of(node, argument);
  if (function.empty()) {
    Node out = node;
    if (!out.tag.empty() && out.tag.rfind("tag:yaml.org", 0) != 0) out.tag.clear();
    out.keys.clear();
    out.items.clear();
    for (size_t i = 0; i < node.items.size(); ++i) {
      Node item = resolve_at(node.items[i], depth + 1);
      if (item.tag == kNoValueTag) continue;
      if (node.is(Node::Kind::mapping)) out.keys.push_back(node.keys[i]);
      out.items.push_back(std::move(item));
    }
    return out;
  }
  const Span where = node.span;
  if (function == "Ref") return argument.is_string() ? ref(argument.text, where, depth + 1) : stand_in("<Ref>", where);
  if (function == "Fn::Sub") return sub(argument, depth, where);
  if (function == "Fn::Join") return join(argument, depth, where);
  if (function == "Fn::GetAtt") {
    if (argument.is_string()) {
      const size_t dot = argument.text.find('.');
      if (dot != std::string::npos)
        return get_att(argument.text.substr(0, dot), argument.text.substr(dot + 1), where);
    } else if (argument.is(Node::Kind::sequence) && argument.items.size() == 2) {
      return get_att(argument.items[0].text, argument.items[1].text, where);
    }
    return stand_in("<GetAtt>", where);
  }
  if (function == "Fn::Select" && argument.is(Node::Kind::sequence) && argument.items.size() == 2) {
    const Node index = resolve_at(argument.items[0], depth + 1);
    const Node list = resolve_at(argument.items[1], depth + 1);
    char* end = nullptr;
    const unsigned long chosen = std::strtoul(index.text.c_str(), &end, 10);
    if (list.is(Node::Kind::sequence) && end != index.text.c_str() && *end == 0 && chosen < list.items.size())
      return list.items[chosen];
  }
  if (function == "Fn::FindInMap" && mappings_ != nullptr && argument.is(Node::Kind::sequence) &&
      argument.items.size() == 3) {
    const Node* found = mappings_;
    for (const Node& key : argument.items) {
      const Node name = resolve_at(key, depth + 1);
      found = found != nullptr && name.is_string() ? found->get(name.text) : nullptr;
    }
    if (found != nullptr) {
      if (!entering(found, where, "Fn::FindInMap's value")) return stand_in("<FindInMap>", where);
      resolving_.push_back(found);
      Node value = resolve_at(*found, depth + 1);
      resolving_.pop_back();
      return value;
    }
  }
  return stand_in("<" + (function.rfind("Fn::", 0) == 0 ? function.substr(4) : function) + ">", where);
}

}  // namespace fleetaudit::lint
