#include "analyzer/load/loaders.h"
#include "analyzer/load/window_interner.h"

#include <vector>

namespace fleetaudit::load {

// policy-targets.json: `aws iot list-targets-for-policy`, once per policy.
bool load_policy_targets(FileReader& file, ondemand::parser& parser, Snapshot& snapshot) {
  PolicyTargetTable& table = snapshot.policy_targets;
  std::vector<std::string_view> targets;
  WindowInterner interner(snapshot.strings);
  file.set_before_refill([&] { interner.flush(); });
  const bool complete = for_each_record(file, parser, "policyTargets", [&](RecordReader& record, ondemand::object object) {
    StringId policy = kNoString;
    bool has_targets = false;
    targets.clear();
    for_each_field(record, object, record.path({}), [&](std::string_view key, ondemand::value value) {
      if (key == "policyName") {
        if (auto text = record.string(value, record.path("policyName"))) policy = snapshot.strings.intern(*text);
      } else if (key == "targets") {
        auto array = record.array(value, record.path("targets"));
        if (!array) return;
        has_targets = true;
        for_each_element(record, *array, record.path("targets"), [&](int64_t index, ondemand::value element) {
          if (auto text = record.string(element, record.path("targets", index)))
            targets.push_back(*text);
        });
      } else {
        record.consume(value, record.path(key));
      }
    });
    if (record.broken()) return;
    if (record.ok() && policy == kNoString) record.fail(record.path("policyName"), "missing required field policyName");
    if (record.ok() && !has_targets) record.fail(record.path("targets"), "missing required field targets");
    if (!record.ok()) return;
    uint64_t offset = file.offset_of(record.start());
    for (std::string_view target : targets) {
      const size_t row = table.size();
      table.policy_name.push_back(policy);
      table.target.push_back({});
      table.source.push_back(offset);
      interner.add_split_arn(target, table.target, row);
    }
  });
  interner.flush();
  file.set_before_refill(nullptr);
  return complete;
}

}  // namespace fleetaudit::load
