// Google Benchmark microbenchmarks: each loader against the floor (simdjson On Demand consuming
// every value of the same bytes with one reused parser), the interner, the policy compiler and
// the rule passes, and the report writers. Throughput is reported in bytes/s so loader and floor
// compare directly; for the checks and writers, in items (records, findings) per second.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>

#include "analyzer/engine/audit.h"
#include "analyzer/load/loaders.h"
#include "analyzer/load/snapshot_loader.h"
#include "analyzer/policy/policy_document.h"
#include "analyzer/report/reporters.h"
#include "analyzer/x509/weak_key_blocklist.h"

using namespace fleetaudit;

namespace {

constexpr int kRecords = 20000;

std::string things_json() {
  std::string out = "{\n  \"things\": [\n";
  for (int i = 0; i < kRecords; ++i)
    out += fmt::format("{}    {{\n      \"thingName\": \"sensor-{:06}\",\n      \"thingTypeName\": \"Sensor\",\n"
                       "      \"thingArn\": \"arn:aws:iot:us-east-1:123456789012:thing/sensor-{:06}\",\n"
                       "      \"attributes\": {{\"model\": \"m{}\"}},\n      \"version\": 1\n    }}",
                       i ? ",\n" : "", i, i, i % 7);
  return out + "\n  ]\n}\n";
}

std::string principals_json() {
  std::string out = "{\n  \"thingPrincipals\": [\n";
  for (int i = 0; i < kRecords; ++i)
    out += fmt::format("{}    {{\n      \"thingName\": \"sensor-{:06}\",\n      \"principals\": [\n"
                       "        \"arn:aws:iot:us-east-1:123456789012:cert/{:064x}\"\n      ]\n    }}",
                       i ? ",\n" : "", i, i);
  return out + "\n  ]\n}\n";
}

// Every certificate carries the demo gateway's real PEM: the loader decodes each one.
std::string certificates_json() {
  std::ifstream in(std::string(FLEETAUDIT_SOURCE_DIR) + "/fixtures/demo/certificates.json");
  std::stringstream demo;
  demo << in.rdbuf();
  std::string text = demo.str();
  size_t start = text.find("\"certificatePem\": \"") + 19;
  std::string pem = text.substr(start, text.find('"', start) - start);
  std::string out = "{\n  \"certificateDescriptions\": [\n";
  for (int i = 0; i < kRecords; ++i)
    out += fmt::format("{}    {{\n      \"certificateId\": \"{:064x}\",\n      \"status\": \"ACTIVE\",\n"
                       "      \"certificatePem\": \"{}\",\n      \"creationDate\": \"2024-01-02T03:04:05.123000-07:00\",\n"
                       "      \"validity\": {{\"notBefore\": 1704164645, \"notAfter\": \"2034-01-02T03:04:05+00:00\"}}\n    }}",
                       i ? ",\n" : "", i, pem);
  return out + "\n  ]\n}\n";
}

std::string policies_json() {
  const std::string document =
      R"({\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",)"
      R"(\"Resource\":\"arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}\"},)"
      R"({\"Effect\":\"Allow\",\"Action\":[\"iot:Publish\",\"iot:Receive\"],)"
      R"(\"Resource\":\"arn:aws:iot:us-east-1:123456789012:topic/$aws/things/${iot:Connection.Thing.ThingName}/*\"}]})";
  std::string out = "{\n  \"policies\": [\n";
  for (int i = 0; i < kRecords / 10; ++i)
    out += fmt::format("{}    {{\n      \"policyName\": \"policy-{}\",\n"
                       "      \"policyArn\": \"arn:aws:iot:us-east-1:123456789012:policy/policy-{}\",\n"
                       "      \"policyDocument\": \"{}\",\n      \"defaultVersionId\": \"1\"\n    }}",
                       i ? ",\n" : "", i, i, document);
  return out + "\n  ]\n}\n";
}

// The floor: every value consumed, nothing kept.
void consume(simdjson::ondemand::value value) {
  switch (value.type()) {
    case simdjson::ondemand::json_type::object:
      for (auto field : value.get_object()) consume(field.value());
      break;
    case simdjson::ondemand::json_type::array:
      for (auto element : value.get_array()) consume(element.value());
      break;
    case simdjson::ondemand::json_type::string: benchmark::DoNotOptimize(value.get_string().value()); break;
    case simdjson::ondemand::json_type::number: benchmark::DoNotOptimize(value.get_number().value()); break;
    case simdjson::ondemand::json_type::boolean: benchmark::DoNotOptimize(value.get_bool().value()); break;
    case simdjson::ondemand::json_type::null: benchmark::DoNotOptimize(value.is_null().value()); break;
  }
}

void floor_walk(benchmark::State& state, std::string (*make)()) {
  simdjson::padded_string bytes(make());
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    auto document = parser.iterate(bytes);
    for (auto field : document.get_object()) consume(field.value());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}

using Loader = bool (*)(load::FileReader&, load::ondemand::parser&, Snapshot&);

void loader(benchmark::State& state, std::string (*make)(), Loader load_file) {
  ByteSource bytes = ByteSource::from_bytes(make());
  load::ondemand::parser parser;
  for (auto _ : state) {
    auto snapshot = std::make_unique<Snapshot>();
    Diagnostics diagnostics;
    load::FileReader reader("bench.json", bytes, diagnostics);
    benchmark::DoNotOptimize(load_file(reader, parser, *snapshot));
    if (diagnostics.has_errors()) state.SkipWithError(diagnostics.items().front().render().c_str());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}

BENCHMARK_CAPTURE(floor_walk, things, things_json);
BENCHMARK_CAPTURE(loader, things, things_json, load::load_things);
BENCHMARK_CAPTURE(floor_walk, thing_principals, principals_json);
BENCHMARK_CAPTURE(loader, thing_principals, principals_json, load::load_thing_principals);
BENCHMARK_CAPTURE(floor_walk, certificates, certificates_json);
// Wall time: the PEMs are decoded on other threads, whose CPU the reader's thread does not count.
BENCHMARK_CAPTURE(loader, certificates, certificates_json, load::load_certificates)->UseRealTime();
BENCHMARK_CAPTURE(floor_walk, policies, policies_json);
BENCHMARK_CAPTURE(loader, policies, policies_json, load::load_policies);

void interner(benchmark::State& state) {
  std::vector<std::string> names;
  for (int i = 0; i < 1'000'000; ++i) names.push_back(fmt::format("sensor-{:07}", i));
  for (auto _ : state) {
    StringInterner strings;
    for (const std::string& name : names) benchmark::DoNotOptimize(strings.intern(name));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * names.size()));
}
BENCHMARK(interner)->Unit(benchmark::kMillisecond);

// Looking up 1M certificate ids, in shuffled order, in a table of 2M strings (as the loaders do
// at 1M things): one intern() at a time against intern_batch().
void interner_lookups(benchmark::State& state) {
  const bool batched = state.range(0) != 0;
  StringInterner strings;
  std::vector<std::string> ids;
  for (int i = 0; i < 1'000'000; ++i) {
    ids.push_back(fmt::format("{:064x}", static_cast<uint64_t>(i) * 0x9e3779b97f4a7c15ULL));
    strings.intern(ids.back());
    strings.intern(fmt::format("thing-{:07}", i));
  }
  for (size_t i = ids.size() - 1; i > 0; --i) std::swap(ids[i], ids[(i * 2654435761u) % (i + 1)]);
  // The texts side by side, as in a loader's window.
  std::string window;
  for (const std::string& id : ids) window += id;
  std::vector<std::string_view> order;
  for (size_t i = 0; i < ids.size(); ++i) order.push_back(std::string_view(window).substr(i * 64, 64));
  std::vector<StringId> found(order.size());
  for (auto _ : state) {
    if (batched) {
      strings.intern_batch(order.data(), order.size(), found.data());
    } else {
      for (size_t i = 0; i < order.size(); ++i) found[i] = strings.intern(order[i]);
    }
    benchmark::DoNotOptimize(found.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * order.size()));
}
BENCHMARK(interner_lookups)->Arg(0)->Arg(1)->ArgName("batched")->Unit(benchmark::kMillisecond);

void policy_compiler(benchmark::State& state) {
  const std::string document =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:us-east-1:1:client/${iot:Connection.Thing.ThingName}","Condition":{"Bool":{"iot:Connection.Thing.IsAttached":"true"}}},{"Effect":"Allow","Action":["iot:Publish","iot:Receive"],"Resource":"arn:aws:iot:us-east-1:1:topic/$aws/things/${iot:Connection.Thing.ThingName}/*"}]})";
  for (auto _ : state) {
    policy::PolicyStatementTable table;
    for (uint32_t version = 0; version < 1000; ++version)
      benchmark::DoNotOptimize(policy::append_policy_document(document, version, table));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 1000));
}
BENCHMARK(policy_compiler)->Unit(benchmark::kMillisecond);

// The synthetic fleet the rule passes sweep (things, attachments, certificates, policies), loaded once.
const Snapshot& bench_fleet() {
  static const std::unique_ptr<Snapshot> snapshot = [] {
    auto loaded = std::make_unique<Snapshot>();
    Diagnostics diagnostics;
    load::ondemand::parser parser;
    struct File {
      SnapshotFile kind;
      std::string (*make)();
      Loader load;
    };
    const File files[] = {{SnapshotFile::things, things_json, load::load_things},
                          {SnapshotFile::thing_principals, principals_json, load::load_thing_principals},
                          {SnapshotFile::certificates, certificates_json, load::load_certificates},
                          {SnapshotFile::policies, policies_json, load::load_policies}};
    for (const File& file : files) {
      ByteSource bytes = ByteSource::from_bytes(file.make());
      load::FileReader reader("bench.json", bytes, diagnostics);
      file.load(reader, parser, *loaded);
      loaded->present[static_cast<size_t>(file.kind)] = true;
    }
    build_indexes(*loaded, diagnostics);
    return loaded;
  }();
  return *snapshot;
}

// Every check the fleet has the files for, as an audit runs them (on every core, findings sorted).
void rule_passes(benchmark::State& state) {
  const Snapshot& snapshot = bench_fleet();
  for (auto _ : state) {
    AuditReport report = run_audit(snapshot, AuditOptions{}, Diagnostics{});
    benchmark::DoNotOptimize(report.runs.size());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRecords));
}
BENCHMARK(rule_passes)->Unit(benchmark::kMillisecond)->UseRealTime();  // the checks run on every core

// One check's own pass over the same fleet, with its parameters' defaults (registered in main).
void rule_pass(benchmark::State& state, const CheckInfo* check) {
  static const x509::WeakKeyBlocklist weak_keys = [] {
    x509::WeakKeyBlocklist loaded;
    loaded.load(x509::default_blocklist_directory());
    return loaded;
  }();
  CheckContext context{bench_fleet(), 1767225600000, {}, weak_keys};  // clock: 2026-01-01
  for (const CheckParameter& parameter : check->parameters) context.parameters.emplace_back(parameter.name, parameter.default_value);
  for (auto _ : state) {
    CheckResult result = check->run(context);
    benchmark::DoNotOptimize(result.findings.size());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRecords));
}

// One audit of the fleet, kept for the report writers: every certificate is past the age
// threshold on the bench clock, so the report holds one finding per certificate. `rows`: the
// certificate checks keep their findings as rows (engine/findings.h), worded as the writer reads
// them, as `fleetaudit audit` does; otherwise every finding is held whole.
AuditReport audit_for_writers(bool rows) {
  AuditOptions options;
  options.now = 1767225600000;                    // 2026-01-01
  options.findings_may_refer_to_snapshot = rows;  // bench_fleet() lives as long as the process
  return run_audit(bench_fleet(), options, Diagnostics{});
}

const AuditReport& bench_report(bool rows) {
  static const AuditReport whole = audit_for_writers(false);
  static const AuditReport as_rows = audit_for_writers(true);
  return rows ? as_rows : whole;
}

size_t finding_count(const AuditReport& report) {
  size_t count = 0;
  for (const CheckRun& run : report.runs) count += run.findings.size();
  return count;
}

// A report writer over the kept audit, into a null stream: items are findings, so the rate is
// findings (report lines, results) written per second.
void report_writer(benchmark::State& state, void (*write)(const ReportContext&, std::FILE*), bool rows) {
  const AuditReport& report = bench_report(rows);
  std::FILE* sink = std::fopen("/dev/null", "wb");
  for (auto _ : state) {
    ReportContext context{report, "snapshot", false, nullptr, std::nullopt, {}, nullptr};
    write(context, sink);
    std::fflush(sink);
  }
  std::fclose(sink);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * finding_count(report)));
}
BENCHMARK_CAPTURE(report_writer, json, write_aws_findings, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(report_writer, sarif, write_sarif, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(report_writer, text, write_text, false)->Unit(benchmark::kMillisecond);
// The same, the findings worded from rows as they are written.
BENCHMARK_CAPTURE(report_writer, json_rows, write_aws_findings, true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(report_writer, sarif_rows, write_sarif, true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(report_writer, text_rows, write_text, true)->Unit(benchmark::kMillisecond);

// Whether the fleet has the files the check needs (else it would measure an early return).
bool runs_on_bench_fleet(const CheckInfo& check) {
  const Snapshot& fleet = bench_fleet();
  return std::all_of(check.required_inputs.begin(), check.required_inputs.end(), [&](const auto& group) {
    return std::any_of(group.begin(), group.end(), [&](SnapshotFile file) { return fleet.has(file); });
  });
}

}  // namespace

int main(int argc, char** argv) {
  for (const CheckInfo& check : CheckRegistry::instance().checks())
    if (runs_on_bench_fleet(check))
      benchmark::RegisterBenchmark(("rule_pass/" + std::string(check.name)).c_str(), rule_pass, &check)
        ->Unit(benchmark::kMicrosecond);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
