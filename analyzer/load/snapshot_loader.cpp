#include "analyzer/load/snapshot_loader.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <memory>
#include <thread>

#include "analyzer/load/crls_loader.h"
#include "analyzer/load/input_gaps.h"
#include "analyzer/load/loaders.h"

namespace fleetaudit {

namespace {

using Loader = bool (*)(load::FileReader&, load::ondemand::parser&, Snapshot&);

Loader loader_for(SnapshotFile file, const LoadOptions& options) {
  switch (file) {
    case SnapshotFile::manifest: return load::load_manifest;
    case SnapshotFile::things: return load::load_things;
    case SnapshotFile::thing_principals: return load::load_thing_principals;
    case SnapshotFile::certificates:
      return options.device_certificate_pems ? load::load_certificates : load::load_certificates_without_pems;
    case SnapshotFile::ca_certificates: return load::load_ca_certificates;
    case SnapshotFile::policies: return load::load_policies;
    case SnapshotFile::policy_targets: return load::load_policy_targets;
    case SnapshotFile::thing_groups: return load::load_thing_groups;
    case SnapshotFile::logging_v1: return load::load_logging_v1;
    case SnapshotFile::logging_v2: return load::load_logging_v2;
    case SnapshotFile::audit_configuration: return load::load_audit_configuration;
    case SnapshotFile::role_aliases: return load::load_role_aliases;
    case SnapshotFile::iam_authorization_details: return load::load_iam_authorization_details;
    case SnapshotFile::cognito_identity_pool_roles: return load::load_cognito_identity_pool_roles;
    case SnapshotFile::iam_service_last_accessed: return load::load_iam_service_last_accessed;
    case SnapshotFile::audit_suppressions: return load::load_audit_suppressions;
    case SnapshotFile::iot_logs: break;  // a folder, streamed by load_iot_logs
    case SnapshotFile::count: break;
  }
  return nullptr;
}

// lstat, not stat: a dangling or looping link is found, and then reported when it cannot be read.
bool exists(const std::string& path) {
  struct stat info {};
  return lstat(path.c_str(), &info) == 0;
}

// Loads one snapshot file (not iot-logs/) into `snapshot`.
void load_file(const std::string& directory, SnapshotFile kind, load::ondemand::parser& parser, Snapshot& snapshot,
               Diagnostics& diagnostics, const LoadOptions& options) {
  const std::string path = directory + "/" + file_name(kind);
  std::string error;
  // A snapshot handed over by someone else may link a file to one of this machine's.
  const ReadBoundary boundary = ReadBoundary::around(directory, "the snapshot directory");
  std::optional<ByteSource> bytes = ByteSource::open_file(path, error, &boundary);
  if (!bytes) {
    diagnostics.error(file_name(kind), "cannot read: " + error);
    return;
  }
  load::FileReader reader(file_name(kind), *bytes, diagnostics, options.window_bytes);
  loader_for(kind, options)(reader, parser, snapshot);
  snapshot.gaps[static_cast<size_t>(kind)].records_read = reader.records_read();
  // A file that was found counts as present even if some records were bad: the checks run
  // on what could be read, and the run reports the problems (exit status 2).
  snapshot.present[static_cast<size_t>(kind)] = true;
}

bool loads_on_certificate_thread(SnapshotFile kind) {
  return kind == SnapshotFile::certificates || kind == SnapshotFile::ca_certificates;
}

// Moves a certificate table loaded into a scratch snapshot over; `remap` takes scratch string ids
// to the snapshot's.
void adopt_certificates(CertificateTable&& table, const std::vector<StringId>& remap, CertificateTable& destination) {
  for (StringId& id : table.certificate_id) id = id == kNoString ? id : remap[id];
  for (StringId& id : table.ca_certificate_id) id = id == kNoString ? id : remap[id];
  destination = std::move(table);
}

// The certificate files loaded into `scratch` on their own thread, moved into `snapshot`. The
// scratch interner holds only the certificate files' strings: all of them move over.
void adopt_certificate_files(Snapshot& scratch, Snapshot& snapshot) {
  std::vector<std::string_view> texts(scratch.strings.size());
  for (StringId id = 0; id < texts.size(); ++id) texts[id] = scratch.strings.view(id);
  std::vector<StringId> remap(texts.size());
  snapshot.strings.intern_batch(texts.data(), texts.size(), remap.data());
  adopt_certificates(std::move(scratch.certificates), remap, snapshot.certificates);
  adopt_certificates(std::move(scratch.ca_certificates), remap, snapshot.ca_certificates);
  for (SnapshotFile kind : {SnapshotFile::certificates, SnapshotFile::ca_certificates}) {
    snapshot.present[static_cast<size_t>(kind)] = scratch.has(kind);
    snapshot.gaps[static_cast<size_t>(kind)] = scratch.gaps_of(kind);
  }
}

}  // namespace

std::optional<std::string> load_snapshot(const std::string& directory, Snapshot& snapshot, Diagnostics& diagnostics,
                                         const LoadOptions& options) {
  struct stat info {};
  if (stat(directory.c_str(), &info) != 0) return fmt::format("snapshot directory {} does not exist", directory);
  if (!S_ISDIR(info.st_mode)) return fmt::format("{} is not a directory; give the snapshot directory", directory);
  snapshot.directory = directory;

  std::vector<SnapshotFile> found;
  for (size_t i = 0; i < kSnapshotFileCount; ++i)
    if (exists(directory + "/" + file_name(static_cast<SnapshotFile>(i)))) found.push_back(static_cast<SnapshotFile>(i));
  const auto started_loading = PhaseTimings::Clock::now();

  // The certificate files are most of a snapshot's bytes: with a second core they load on a
  // thread of their own, into a scratch snapshot (its own interner: interning is not
  // thread-safe), while this thread loads the rest; their strings are re-interned afterwards.
  const bool certificate_thread = std::thread::hardware_concurrency() > 1 &&
                                  std::any_of(found.begin(), found.end(), loads_on_certificate_thread) &&
                                  !std::all_of(found.begin(), found.end(), loads_on_certificate_thread);
  auto scratch = std::make_unique<Snapshot>();
  // Nearly every string there is a certificate id seen once: storing without deduplicating
  // spares hashing each into a table only to intern it again below.
  scratch->strings = StringInterner(StringInterner::Deduplication::off);
  Diagnostics scratch_diagnostics;
  double certificate_thread_milliseconds = 0;
  std::thread certificate_loader;
  if (certificate_thread)
    certificate_loader = std::thread([&] {
      load::ondemand::parser parser;
      const auto started = PhaseTimings::Clock::now();
      for (SnapshotFile kind : found)
        if (loads_on_certificate_thread(kind)) load_file(directory, kind, parser, *scratch, scratch_diagnostics, options);
      certificate_thread_milliseconds =
          std::chrono::duration<double, std::milli>(PhaseTimings::Clock::now() - started).count();
    });

  load::ondemand::parser parser;  // reused for every file: its first use allocates
  auto started = started_loading;
  for (SnapshotFile kind : found) {
    if (certificate_thread && loads_on_certificate_thread(kind)) continue;
    if (kind == SnapshotFile::iot_logs) {
      snapshot.present[static_cast<size_t>(kind)] =
          load::load_iot_logs(directory + "/" + file_name(kind), snapshot, diagnostics);
    } else {
      load_file(directory, kind, parser, snapshot, diagnostics, options);
    }
    started = record_phase(options.timings, std::string("load ") + file_name(kind), started);
  }
  if (certificate_thread) {
    certificate_loader.join();
    if (options.timings)
      options.timings->add_concurrent("load certificates.json, ca-certificates.json (on a second thread)",
                                      certificate_thread_milliseconds);
    started = record_phase(options.timings, "wait for the certificate thread", started);
    adopt_certificate_files(*scratch, snapshot);
    diagnostics.append(scratch_diagnostics);
    scratch.reset();
    started = record_phase(options.timings, "re-intern the certificate thread's strings", started);
  }
  if (found.empty())
    return fmt::format("{} holds no snapshot file (expected files such as things.json, certificates.json, "
                       "policies.json; see the README for how to export them)",
                       directory);
  build_indexes(snapshot, diagnostics);
  started = record_phase(options.timings, "build indexes", started);
  load_crls(directory + "/crls", snapshot, diagnostics);
  record_phase(options.timings, "load crls/", started);
  diagnostics.sort();
  note_input_gaps(snapshot, diagnostics);
  return std::nullopt;
}

void build_indexes(Snapshot& snapshot, Diagnostics& diagnostics) {
  CertificateTable& certificates = snapshot.certificates;
  snapshot.certificate_row_by_id.assign(snapshot.strings.size(), kNoRow);
  for (uint32_t row = 0; row < certificates.size(); ++row) {
    uint32_t& slot = snapshot.certificate_row_by_id[certificates.certificate_id[row]];
    if (slot != kNoRow) {
      diagnostics.warning(file_name(SnapshotFile::certificates),
                          fmt::format("certificate {} is described twice; the first description is used",
                                      snapshot.text(certificates.certificate_id[row])));
      continue;
    }
    slot = row;
  }

  ThingPrincipalTable& attachments = snapshot.thing_principals;
  attachments.certificate_row.assign(attachments.size(), kNoRow);
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  edges.reserve(attachments.size());
  size_t unknown = 0;
  std::string_view first_unknown;
  for (size_t i = 0; i < attachments.size(); ++i) {
    const SplitArn principal = attachments.principal[i];
    if (arn_resource_type(snapshot.strings, principal) != "cert") continue;  // a Cognito identity, say
    const uint32_t row = certificate_row_of(snapshot, principal.name);
    if (row == kNoRow) {
      if (unknown++ == 0) first_unknown = snapshot.text(principal.name);
      continue;
    }
    attachments.certificate_row[i] = row;
    edges.emplace_back(row, attachments.thing_name[i]);
  }
  if (unknown > 0 && snapshot.has(SnapshotFile::certificates))
    diagnostics.error(file_name(SnapshotFile::thing_principals),
                      fmt::format("{} attachment(s) name a certificate that certificates.json does not describe "
                                  "(first: {}); those certificates could not be evaluated",
                                  unknown, first_unknown));

  Adjacency things = Adjacency::from_edges(certificates.size(), edges);
  // A thing listed twice with one certificate is still one thing: keep each name once per row.
  Adjacency distinct;
  distinct.offsets.assign(1, 0);
  distinct.targets.reserve(things.targets.size());
  for (size_t row = 0; row < things.rows(); ++row) {
    auto begin = things.targets.begin() + things.offsets[row];
    auto end = things.targets.begin() + things.offsets[row + 1];
    if (end - begin > 1) std::sort(begin, end);
    auto last = std::unique(begin, end);
    distinct.targets.insert(distinct.targets.end(), begin, last);
    distinct.offsets.push_back(static_cast<uint32_t>(distinct.targets.size()));
  }
  snapshot.things_by_certificate = std::move(distinct);
  load::link_iam_roles(snapshot, diagnostics);
}

}  // namespace fleetaudit
