// libFuzzer entry: the input is a YAML file for lint. The reader must report problems, never crash,
// and never build past its budgets: a tree of more than 100,000 nodes or with more decoded text
// than the file's own plus 8 MiB (what aliases may add) traps, as does any input that makes the
// reader spend more than five seconds under the sanitizers (libFuzzer's -timeout catches a hang; this catches slowness).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/lint/source_file.h"
#include "analyzer/lint/yaml_reader.h"

using namespace fleetaudit::lint;

namespace {

struct TreeSize {
  size_t nodes = 0, bytes = 0;
};

void measure(const Node& node, TreeSize& size) {
  ++size.nodes;
  size.bytes += node.text.size();
  for (const Node& key : node.keys) measure(key, size);
  for (const Node& item : node.items) measure(item, size);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const SourceFile file("fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size));
  std::vector<Node> documents;
  const auto started = std::chrono::steady_clock::now();
  const auto error = read_yaml(file, documents);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  if (error && !documents.empty()) __builtin_trap();  // an error leaves no half tree behind
  TreeSize tree;
  for (const Node& document : documents) measure(document, tree);
  if (tree.nodes > 100'000 || tree.bytes > size + (8u << 20)) __builtin_trap();
  if (elapsed > std::chrono::seconds(5)) __builtin_trap();  // ASan and UBSan included
  return 0;
}
