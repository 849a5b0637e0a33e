#include "analyzer/load/loaders.h"

namespace fleetaudit::load {

// audit-configuration.json: `aws iot describe-account-audit-configuration`, verbatim; also the
// shape of the --config file (the body of update-account-audit-configuration).
bool load_audit_configuration(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  AuditConfiguration configuration;
  bool ok = with_top_object(file, parser, [&](RecordReader& record, ondemand::object object) {
    for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
      if (key != "auditCheckConfigurations") {
        record.consume(value, record.path(key));
        return;
      }
      auto checks = record.object(value, record.path(key));
      if (!checks) return;
      for_each_field(record, *checks, record.path(key), [&](std::string_view check_name, ondemand::value check_value) {
        CheckConfigurationEntry entry;
        entry.check_name.assign(check_name);
        entry.source = file.offset_of(location_of(check_value));
        JsonPath check_path{"auditCheckConfigurations", -1, entry.check_name};
        auto check = record.object(check_value, check_path);
        if (!check) return;
        for_each_field(record, *check, check_path, [&](std::string_view member, ondemand::value member_value) {
          JsonPath member_path{"auditCheckConfigurations", -1, entry.check_name, -1, member};
          if (member == "enabled") {
            if (auto flag = record.boolean(member_value, member_path)) entry.enabled = *flag;
          } else if (member == "configuration") {
            auto parameters = record.object(member_value, member_path);
            if (!parameters) return;
            for_each_field(record, *parameters, member_path, [&](std::string_view name, ondemand::value parameter) {
              // AWS passes every parameter value as a string.
              if (auto text = record.string(parameter, member_path))
                entry.parameters.emplace_back(std::string(name), std::string(*text));
            });
          } else {
            record.consume(member_value, member_path);
          }
        });
        configuration.checks.push_back(std::move(entry));
      });
    });
  });
  if (ok) snapshot.audit_configuration = std::move(configuration);
  return ok;
}

}  // namespace fleetaudit::load
