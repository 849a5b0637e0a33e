// libFuzzer entry: the input is a CloudFormation template (YAML or JSON, as lint reads either).
// Every resource's properties are resolved the way lint resolves them; the resolver must end with
// values or a reason (stopped()), never crash, and never make more than its budget: a resolved
// value whose text passes 16 MiB plus the template's own size traps, as does an input that takes
// more than five seconds under the sanitizers.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/lint/cfn_intrinsics.h"
#include "analyzer/lint/source_file.h"
#include "analyzer/lint/yaml_reader.h"

using namespace fleetaudit::lint;

namespace {

size_t text_size(const Node& node) {
  size_t size = node.text.size();
  for (const Node& item : node.items) size += text_size(item);
  return size;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const SourceFile file("fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size));
  std::vector<Node> documents;
  if (read_yaml(file, documents) || documents.empty()) return 0;
  const Node& root = documents.front();
  const Node* resources = root.get("Resources");
  if (resources == nullptr || !resources->is(Node::Kind::mapping)) return 0;
  const auto started = std::chrono::steady_clock::now();
  const IntrinsicResolver resolver(root);
  size_t made = 0;
  for (const Node& resource : resources->items) {
    const Node* properties = resource.get("Properties");
    if (properties == nullptr) continue;
    made += text_size(resolver.resolve(*properties));
    if (made > size + (16u << 20) + (32u << 20)) __builtin_trap();  // the budget plus stand-ins' slack
  }
  if (std::chrono::steady_clock::now() - started > std::chrono::seconds(5)) __builtin_trap();  // ASan and UBSan included
  return 0;
}
