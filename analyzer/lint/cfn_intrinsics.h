#pragma once
// CloudFormation intrinsic functions, resolved as far as the template itself decides them:
// Fn::Sub (with ${!Literal} escapes), Fn::Join, Fn::Select, Fn::FindInMap, Ref and Fn::GetAtt, in
// the long form and as YAML short tags. What only deployment decides (pseudo parameters, a
// parameter without a Default, an attribute, an import, a condition) becomes a named stand-in.
#include <optional>
#include <string>
#include <vector>

#include "analyzer/lint/value_tree.h"

namespace fleetaudit::lint {

class IntrinsicResolver {
public:
  explicit IntrinsicResolver(const Node& template_root);

  // A copy of `node` with every intrinsic replaced by its value. Strings built from pieces keep
  // each byte's file offset; a stand-in's bytes are located at the reference.
  Node resolve(const Node& node) const;

  // `${iot:…}` written in an Fn::Sub without the `!` escape: CloudFormation reads it as a template
  // variable. Collected while resolving (the span of the `${…}`).
  mutable std::vector<Span> unescaped_policy_variables;

  // What stopped resolution, if anything: a reference that leads back to itself (a Ref, Fn::Sub or
  // Fn::FindInMap cycle), or output past the work budget (nested Fn::Sub that doubles at each level).
  // The values affected became stand-ins; the caller reports this as an error, never as clean.
  struct Stopped {
    Span where;
    std::string why;
  };
  const std::optional<Stopped>& stopped() const { return stopped_; }

private:
  // Charges `units` (nodes made, bytes copied); false once the template's budget is spent.
  bool spend(size_t units) const;
  void stop(Span where, std::string why) const;
  bool entering(const Node* node, Span where, const std::string& name) const;
  Node resolve_at(const Node& node, int depth) const;
  Node ref(const std::string& name, Span where, int depth) const;
  Node get_att(const std::string& resource, const std::string& attribute, Span where) const;
  Node sub(const Node& argument, int depth, Span where) const;
  Node join(const Node& argument, int depth, Span where) const;
  const Node* resource(const std::string& logical_id) const;

  const Node* parameters_ = nullptr;
  const Node* resources_ = nullptr;
  const Node* mappings_ = nullptr;
  mutable size_t work_ = 0;
  mutable std::vector<const Node*> resolving_;  // declarations being resolved, outermost first
  mutable std::optional<Stopped> stopped_;
};

// The intrinsic function a node calls ("Ref", "Fn::Sub", …) and its argument; empty when it is
// not a call. Short tags (!Sub) are read as the long form.
std::string intrinsic_of(const Node& node, Node& argument);

// A stand-in string for an unknown value, located at `where`.
Node stand_in(std::string text, Span where);

}  // namespace fleetaudit::lint
