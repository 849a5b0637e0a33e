// Google Benchmark microbenchmarks: each loader against the floor (simdjson On Demand consuming
// every value of the same bytes with one reused parser), the interner, the policy compiler and
// the rule passes. Throughput is reported in bytes/s so loader and floor compare directly.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "analyzer/engine/audit.h"
#include "analyzer/load/loaders.h"
#include "analyzer/load/snapshot_loader.h"
#include "analyzer/policy/policy_document.h"

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

// Every rule pass over a loaded synthetic fleet (things, attachments, certificates, policies).
void rule_passes(benchmark::State& state) {
  auto snapshot = std::make_unique<Snapshot>();
  Diagnostics diagnostics;
  load::ondemand::parser parser;
  std::pair<std::string (*)(), Loader> files[] = {{things_json, load::load_things},
                                                  {principals_json, load::load_thing_principals},
                                                  {certificates_json, load::load_certificates},
                                                  {policies_json, load::load_policies}};
  for (const auto& [make, load_file] : files) {
    ByteSource bytes = ByteSource::from_bytes(make());
    load::FileReader reader("bench.json", bytes, diagnostics);
    load_file(reader, parser, *snapshot);
  }
  snapshot->present.fill(true);
  build_indexes(*snapshot, diagnostics);
  for (auto _ : state) {
    AuditReport report = run_audit(*snapshot, AuditOptions{}, Diagnostics{});
    benchmark::DoNotOptimize(report.runs.size());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRecords));
}
BENCHMARK(rule_passes)->Unit(benchmark::kMillisecond)->UseRealTime();  // the checks run on every core

}  // namespace

BENCHMARK_MAIN();
