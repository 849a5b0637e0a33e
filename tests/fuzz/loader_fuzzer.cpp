// libFuzzer entry: the first byte picks a snapshot file kind, the rest is that file's bytes.
// Every loader must report problems, never crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "analyzer/load/loaders.h"
#include "analyzer/load/snapshot_loader.h"

using namespace fleetaudit;

namespace {
using Loader = bool (*)(load::FileReader&, load::ondemand::parser&, Snapshot&);
constexpr Loader kLoaders[] = {
    load::load_manifest,       load::load_things,      load::load_thing_principals, load::load_certificates,
    load::load_ca_certificates, load::load_policies,   load::load_policy_targets,   load::load_thing_groups,
    load::load_logging_v1,     load::load_logging_v2,  load::load_audit_configuration,
    load::load_role_aliases,   load::load_iam_authorization_details, load::load_cognito_identity_pool_roles,
    load::load_iam_service_last_accessed, load::load_audit_suppressions,
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const Loader loader = kLoaders[data[0] % (sizeof kLoaders / sizeof kLoaders[0])];
  ByteSource bytes = ByteSource::from_bytes(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  // Small windows, so that the fuzzer also explores records cut across windows.
  load::FileReader reader("fuzz.json", bytes, diagnostics, 64 + data[0] * 7);
  static load::ondemand::parser parser;
  loader(reader, parser, *snapshot);
  build_indexes(*snapshot, diagnostics);
  for (const Diagnostic& diagnostic : diagnostics.items()) (void)diagnostic.render();
  return 0;
}
