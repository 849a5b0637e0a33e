#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "analyzer/load/loaders.h"

namespace fleetaudit::load {

namespace {

struct PendingService {
  StringId service_namespace;
  EpochMillis last_authenticated;
};

std::string lower_case(std::string_view text) {
  std::string result(text);
  for (char& c : result)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return result;
}

}  // namespace

// iam-service-last-accessed.json: `aws iam get-service-last-accessed-details` for the role behind
// each role alias. A report whose job did not complete is ignored (with a warning): that role is
// treated as having no usage data.
bool load_iam_service_last_accessed(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  std::vector<PendingService> pending;
  IamTables& iam = snapshot.iam;
  const bool read = for_each_record(file, parser, "serviceLastAccessed", [&](RecordReader& record, ondemand::object object) {
    pending.clear();
    StringId role = kNoString;
    bool has_details = false, has_list = false;
    std::string status;
    const char* status_at = nullptr;
    for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
      if (key == "roleArn") {
        if (auto text = record.string(value, record.path("roleArn"))) role = snapshot.strings.intern(*text);
      } else if (key == "details") {
        auto details = record.object(value, record.path("details"));
        if (!details) return;
        has_details = true;
        for_each_field(record, *details, record.path("details"), [&](std::string_view detail_key, ondemand::value d) {
          if (detail_key == "JobStatus") {
            status_at = location_of(d);
            if (auto text = record.string(d, record.path("details.JobStatus"))) status.assign(*text);
          } else if (detail_key == "ServicesLastAccessed") {
            auto list = record.array(d, record.path("details.ServicesLastAccessed"));
            if (!list) return;
            has_list = true;
            for_each_element(record, *list, record.path("details.ServicesLastAccessed"), [&](int64_t index, ondemand::value element) {
              auto service = record.object(element, record.path("details.ServicesLastAccessed", index));
              if (!service) return;
              StringId name_space = kNoString;
              EpochMillis last = INT64_MIN;
              for_each_field(record, *service, record.path("details.ServicesLastAccessed", index), [&](std::string_view field, ondemand::value s) {
                const JsonPath path = record.path("details.ServicesLastAccessed", index, field);
                if (field == "ServiceNamespace") {
                  if (auto text = record.string(s, path)) name_space = snapshot.strings.intern(lower_case(*text));
                } else if (field == "LastAuthenticated") {
                  if (auto time = record.time(s, path)) last = *time;
                } else {
                  record.consume(s, path);
                }
              });
              if (record.broken()) return;
              if (name_space == kNoString) {
                record.fail_at(location_of(element), record.path("details.ServicesLastAccessed", index, "ServiceNamespace"),
                               "missing required field ServiceNamespace");
                return;
              }
              pending.push_back({name_space, last});
            });
          } else {
            record.consume(d, record.path("details." + std::string(detail_key)));
          }
        });
      } else {
        record.consume(value, record.path(key));
      }
    });
    if (record.broken()) return;
    if (record.ok() && role == kNoString) record.fail(record.path("roleArn"), "missing required field roleArn");
    if (record.ok() && !has_details) record.fail(record.path("details"), "missing required field details");
    if (record.ok() && !has_list)
      record.fail(record.path("details.ServicesLastAccessed"), "missing required field ServicesLastAccessed");
    if (!record.ok()) return;
    if (!status.empty() && status != "COMPLETED") {
      record.warn_at(status_at, record.path("details.JobStatus"),
                     fmt::format("the access report of role {} is {}, not COMPLETED: its usage is treated as unknown",
                                 snapshot.text(role), status));
      return;
    }
    const uint32_t first_row = static_cast<uint32_t>(iam.services_last_accessed.size());
    for (const PendingService& service : pending) {
      iam.services_last_accessed.role_arn.push_back(role);
      iam.services_last_accessed.service_namespace.push_back(service.service_namespace);
      iam.services_last_accessed.last_authenticated.push_back(service.last_authenticated);
    }
    iam.usage_reports.push_back({role, first_row, static_cast<uint32_t>(iam.services_last_accessed.size())});
  });
  // A role reported twice keeps its first report.
  std::stable_sort(iam.usage_reports.begin(), iam.usage_reports.end(),
                   [](const IamTables::UsageReport& a, const IamTables::UsageReport& b) { return a.role_arn < b.role_arn; });
  return read;
}

}  // namespace fleetaudit::load
