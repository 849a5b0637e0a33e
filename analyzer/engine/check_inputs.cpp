#include "analyzer/engine/check_inputs.h"

#include <fmt/format.h>

#include <algorithm>

namespace fleetaudit {

std::vector<SnapshotFile> files_read(const CheckInfo& check) {
  std::vector<SnapshotFile> files;
  auto add = [&](SnapshotFile file) {
    if (std::find(files.begin(), files.end(), file) == files.end()) files.push_back(file);
  };
  for (const auto& group : check.required_inputs)
    for (SnapshotFile file : group) add(file);
  for (SnapshotFile file : check.optional_inputs) add(file);
  return files;
}

std::string describe_gaps(SnapshotFile file, const InputGaps& gaps) {
  if (!gaps.unreadable_reason.empty()) return gaps.unreadable_reason;
  if (!gaps.any()) return {};
  std::string what;
  if (gaps.records_unreadable > 0) what = fmt::format("{} record(s) could not be read", gaps.records_unreadable);
  if (gaps.file_problem) what += what.empty() ? "part of the file could not be read" : ", nor part of the file outside them";
  return fmt::format("{}: {} (first: {})", file_name(file), what, gaps.first_problem);
}

namespace {

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : std::string(separator)) + part;
  return out;
}

}  // namespace

InputVerdict assess_inputs(const CheckInfo& check, const Snapshot& snapshot) {
  InputVerdict verdict;
  // A required group none of whose files is usable: not run, saying for each file why.
  std::vector<std::string> absent, unusable;
  for (const auto& group : check.required_inputs) {
    if (std::any_of(group.begin(), group.end(), [&](SnapshotFile file) { return snapshot.has(file); })) continue;
    std::vector<std::string> names;
    for (SnapshotFile file : group) {
      const InputGaps& gaps = snapshot.gaps_of(file);
      if (gaps.unreadable_reason.empty()) {
        names.push_back(file_name(file));
      } else {
        unusable.push_back(gaps.unreadable_reason);
        if (verdict.error_code.empty()) verdict.error_code = gaps.error_code;
        verdict.unreadable |= !gaps.skipped_by_exporter;
      }
    }
    if (!names.empty()) absent.push_back(join(names, " or "));
  }
  if (!absent.empty() || !unusable.empty()) {
    verdict.kind = InputVerdict::Kind::not_run;
    if (unusable.empty()) verdict.error_code = std::string(kInputMissing);
    if (!absent.empty()) unusable.insert(unusable.begin(), fmt::format("the snapshot has no {}", join(absent, ", ")));
    verdict.reason = join(unusable, "; ");
    return verdict;
  }
  // Every file it reads that has gaps (an unusable optional file included) leaves it incomplete.
  std::vector<std::string> gaps;
  std::string first_unusable_code;  // of an optional file nothing of which could be used
  for (SnapshotFile file : files_read(check)) {
    const InputGaps& file_gaps = snapshot.gaps_of(file);
    if (std::string gap = describe_gaps(file, file_gaps); !gap.empty()) gaps.push_back(gap);
    if (first_unusable_code.empty()) first_unusable_code = file_gaps.error_code;
  }
  // An export that did not finish may have cut any file short.
  if (snapshot.manifest.complete == false)
    gaps.push_back("the export did not finish (manifest.json: complete is false" +
                   (snapshot.manifest.export_error.empty() ? std::string() : ": " + snapshot.manifest.export_error) + ")");
  if (!gaps.empty()) {
    verdict.kind = InputVerdict::Kind::incomplete;
    verdict.reason = join(gaps, "; ");
    verdict.error_code = first_unusable_code.empty() ? std::string(kInputIncomplete) : first_unusable_code;
  }
  return verdict;
}

}  // namespace fleetaudit
