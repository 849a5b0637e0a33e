#include "analyzer/engine/audit.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <charconv>
#include <cstring>
#include <chrono>
#include <unordered_map>

#include "analyzer/engine/check_inputs.h"
#include "analyzer/engine/check_run.h"
#include "analyzer/util/digest.h"

namespace fleetaudit {

const char* to_string(CheckStatus status) {
  switch (status) {
    case CheckStatus::compliant: return "compliant";
    case CheckStatus::non_compliant: return "non-compliant";
    case CheckStatus::incomplete: return "incomplete";
    case CheckStatus::not_run: return "not run";
    case CheckStatus::disabled: return "disabled";
  }
  return "";
}

size_t AuditReport::unsuppressed_findings() const {
  size_t count = 0;
  for (const CheckRun& run : runs) count += run.findings.unsuppressed();
  return count;
}

bool AuditReport::input_problems() const {
  return diagnostics.has_errors() || export_unfinished ||
         std::any_of(runs.begin(), runs.end(), [](const CheckRun& run) { return run.input_problem; });
}

size_t CheckRun::non_compliant_resources() const { return findings.distinct_resources(); }

namespace {

void append_identity(std::string& out, const CheckInfo& check, const Finding& finding) {
  out += check.name;
  out += '\n';
  out += finding.resource.member_name();
  out += '=';
  out += finding.resource.value;
  if (finding.resource.kind == ResourceIdentifier::Kind::policy_version) {
    out += '@';
    out += finding.resource.version_id;
  }
  // A check with several reason codes may report one resource once per code.
  if (check.reason_codes.size() > 1) {
    out += '\n';
    out += finding.reason_code;
  }
}

}  // namespace

std::string finding_identity(const CheckInfo& check, const Finding& finding) {
  std::string identity;
  append_identity(identity, check, finding);
  return identity;
}

std::string finding_identity_digest(const CheckInfo& check, const Finding& finding) {
  thread_local std::string identity;  // reports take one per finding: no allocation for it
  identity.clear();
  append_identity(identity, check, finding);
  return sha256_hex(identity);
}

std::string finding_id(const CheckInfo& check, const Finding& finding) {
  std::string digest = finding_identity_digest(check, finding);
  digest.resize(finding_id_of_digest(digest).size());
  return digest;
}

namespace {

std::string valid_check_names() {
  std::string names;
  for (const CheckInfo& check : CheckRegistry::instance().checks()) names += fmt::format("\n  {}", check.name);
  return names;
}

// The suppressions in force, by "CHECK\nmember=value[@version]"; expired and unknown-check ones are
// reported here and left out.
struct ActiveSuppressions {
  std::unordered_map<std::string, size_t> by_key;
  std::vector<const AuditSuppression*> all;
  std::vector<bool> matched;
};

std::string suppression_where(const AuditSuppression& suppression) {
  return fmt::format("suppression of {} for {}={}{}", suppression.check_name, suppression.identifier_member,
                     suppression.identifier_value,
                     suppression.policy_version_id.empty() ? "" : "@" + suppression.policy_version_id);
}

void add_suppression_note(Diagnostics& diagnostics, const AuditSuppression& suppression, std::string message) {
  diagnostics.add({DiagnosticSeverity::warning, suppression.source_file, suppression.source_line,
                   suppression.source_column, {},
                   suppression_where(suppression) + ": " + message});
}

ActiveSuppressions activate_suppressions(const std::vector<const AuditSuppression*>& suppressions, EpochMillis clock,
                                         Diagnostics& diagnostics) {
  ActiveSuppressions active;
  active.all = suppressions;
  active.matched.assign(suppressions.size(), false);
  for (size_t i = 0; i < suppressions.size(); ++i) {
    const AuditSuppression& suppression = *suppressions[i];
    const CheckInfo* check = CheckRegistry::instance().find(suppression.check_name);
    if (check == nullptr) {
      add_suppression_note(diagnostics, suppression, "no such check; remove it");
      active.matched[i] = true;  // said once is enough
      continue;
    }
    // Without suppressIndefinitely, a suppression lasts until its expirationDate (exclusive).
    if (!suppression.indefinitely && suppression.expiration && *suppression.expiration <= clock) {
      add_suppression_note(diagnostics, suppression,
                           fmt::format("expired at {}; remove or renew it", format_iso8601(*suppression.expiration)));
      active.matched[i] = true;
      continue;
    }
    std::string key = fmt::format("{}\n{}={}", check->name, suppression.identifier_member, suppression.identifier_value);
    if (suppression.identifier_member == "policyVersionIdentifier") key += "@" + suppression.policy_version_id;
    active.by_key.emplace(std::move(key), i);
  }
  return active;
}

}  // namespace

namespace {

// The suppression matching a finding of `run` (its index in active.all), or -1.
int matching_suppression(ActiveSuppressions& active, const CheckRun& run, const ResourceIdentifier& resource) {
  auto it = active.by_key.find(std::string(run.check->name) + "\n" + resource.key());
  if (it == active.by_key.end()) return -1;
  active.matched[it->second] = true;
  return static_cast<int>(it->second);
}

void apply_suppressions(ActiveSuppressions& active, CheckRun& run) {
  if (active.by_key.empty()) return;
  // A row names its suppression in 16 bits; more suppressions than that: the findings are held whole.
  if (active.all.size() >= UINT16_MAX) run.findings.hold();
  if (RowFindings* rows = run.findings.rows()) {
    std::vector<uint16_t> position(active.all.size(), 0);  // 1 + where rows->suppressions holds it
    Finding scratch;
    for (size_t i = 0; i < rows->rows.size(); ++i) {
      const int match = matching_suppression(active, run, run.findings.view(i, scratch).resource);
      if (match < 0) continue;
      if (position[match] == 0) {
        rows->suppressions.push_back(active.all[match]->description);
        position[match] = static_cast<uint16_t>(rows->suppressions.size());
      }
      rows->rows[i].suppression = position[match];
      ++run.suppressed_findings;
    }
    return;
  }
  for (Finding& finding : run.findings.whole()) {
    const int match = matching_suppression(active, run, finding.resource);
    if (match < 0) continue;
    finding.suppressed = true;
    finding.suppression_description = active.all[match]->description;
    ++run.suppressed_findings;
  }
}

}  // namespace

bool check_enabled(const AuditConfiguration* configuration, const CheckInfo& check) {
  if (configuration == nullptr) return true;
  const CheckConfigurationEntry* entry = configuration_entry(*configuration, check);
  if (entry == nullptr) return check.fleetaudit_own;
  return entry->enabled;
}

bool pems_needed(const AuditConfiguration* configuration) {
  for (const CheckInfo& check : CheckRegistry::instance().checks())
    if (check.reads_device_certificate_pems && check_enabled(configuration, check)) return true;
  return false;
}

std::vector<std::string> validate_configuration(const AuditConfiguration& configuration, bool strict,
                                                std::vector<std::string>& notes) {
  std::vector<std::string> errors;
  std::string unimplemented;
  for (const CheckConfigurationEntry& entry : configuration.checks) {
    const CheckInfo* check = CheckRegistry::instance().find(entry.check_name);
    if (check == nullptr) {
      if (strict)
        errors.push_back(fmt::format("unknown check {}; valid check names:{}", entry.check_name, valid_check_names()));
      else if (entry.enabled)  // a disabled check the account does not run either is no news
        unimplemented += (unimplemented.empty() ? "" : ", ") + entry.check_name;
      continue;
    }
    for (const auto& parameter_setting : entry.parameters) {
      const std::string& name = parameter_setting.first;
      const std::string& value = parameter_setting.second;
      auto declared = std::find_if(check->parameters.begin(), check->parameters.end(),
                                   [&](const CheckParameter& parameter) { return parameter.name == name; });
      if (declared == check->parameters.end()) {
        errors.push_back(fmt::format("{}: unknown parameter {} (this check takes {})", check->name, name,
                                     check->parameters.empty() ? std::string("no parameters")
                                                               : std::string(check->parameters.front().name)));
        continue;
      }
      if (!parameter_value(*declared, value))
        errors.push_back(fmt::format("{}: {} must be a whole number from {} to {}, got \"{}\"", check->name, name,
                                     declared->minimum, declared->maximum, value));
    }
  }
  if (!unimplemented.empty())
    notes.push_back("the audit configuration enables checks fleetaudit does not implement: " + unimplemented);
  return errors;
}

namespace {

// --now, else the export's time, else the current time (said so).
void set_clock(const Snapshot& snapshot, const AuditOptions& options, AuditReport& report) {
  if (options.now) {
    report.clock = *options.now;
    report.clock_source = "--now";
  } else if (snapshot.manifest.exported_at) {
    report.clock = *snapshot.manifest.exported_at;
    report.clock_source = "manifest.exportedAt";
  } else {
    report.clock = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
    report.clock_source = "the current time (the snapshot has no manifest.exportedAt)";
  }
}

// The active configuration: --config, else the account's own (validated here), else none (every
// check with its defaults). `source` names it in messages.
const AuditConfiguration* active_configuration(const Snapshot& snapshot, const AuditOptions& options,
                                               AuditReport& report, std::string& source) {
  if (options.configuration) {
    source = options.configuration_source;
    return &*options.configuration;
  }
  if (!snapshot.audit_configuration) return nullptr;
  source = file_name(SnapshotFile::audit_configuration);
  std::vector<std::string> notes;
  for (const std::string& error : validate_configuration(*snapshot.audit_configuration, false, notes))
    report.diagnostics.error(source, error);
  for (const std::string& note : notes) report.diagnostics.warning(source, note);
  return &*snapshot.audit_configuration;
}

void load_weak_keys(const AuditOptions& options, x509::WeakKeyBlocklist& weak_keys, AuditReport& report) {
  std::string directory =
      options.weak_key_blocklists.empty() ? x509::default_blocklist_directory() : options.weak_key_blocklists;
  for (const std::string& problem : weak_keys.load(directory)) report.diagnostics.error("", problem);
  // The shipped sample is named, not its path, so reports do not depend on where fleetaudit lives.
  report.weak_key_blocklist_directory =
      options.weak_key_blocklists.empty() ? "the shipped partial sample" : options.weak_key_blocklists;
  report.weak_key_blocklist_entries = weak_keys.entries();
  report.weak_key_blocklist_summary = weak_keys.summary();
}

struct Pending {
  size_t run_index;
  CheckResult result;
  double milliseconds = 0;
};

// The checks themselves on every core (they only read the snapshot).
void run_pending(std::vector<Pending>& pending, const Snapshot& snapshot, const AuditReport& report,
                 const x509::WeakKeyBlocklist& weak_keys, PhaseTimings* timings) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < pending.size(); i = next++) {
      Pending& job = pending[i];
      const CheckRun& run = report.runs[job.run_index];
      const auto started = PhaseTimings::Clock::now();
      job.result = run_check(run, snapshot, report.clock, weak_keys);
      job.milliseconds = std::chrono::duration<double, std::milli>(PhaseTimings::Clock::now() - started).count();
    }
  };
  const auto started = PhaseTimings::Clock::now();
  const size_t threads = std::max<size_t>(1, std::min<size_t>(std::thread::hardware_concurrency(), pending.size()));
  std::vector<std::thread> helpers;
  for (size_t i = 1; i < threads; ++i) helpers.emplace_back(work);
  work();
  for (std::thread& helper : helpers) helper.join();
  record_phase(timings, fmt::format("run {} checks on {} thread(s)", pending.size(), threads), started);
}

// Problems a check met reading its inputs, each said once in the report's diagnostics.
void add_input_problems(const CheckResult& result, AuditReport& report) {
  for (const auto& problem : result.input_problems) {
    // Named, not bound: clang 14 cannot capture a structured binding in a lambda.
    const std::string& file = problem.first;
    const std::string& message = problem.second;
    // Several checks may meet the same problem (one expired CRL, say): say it once.
    bool known = std::any_of(report.diagnostics.items().begin(), report.diagnostics.items().end(),
                             [&](const Diagnostic& d) { return d.file == file && d.message == message; });
    if (!known) report.diagnostics.error(file, message);
  }
}

// A check's result into its run, in registry order.
void settle(Pending& job, AuditReport& report, ActiveSuppressions& active, PhaseTimings* timings) {
  CheckRun& run = report.runs[job.run_index];
  const CheckResult& result = job.result;
  for (const std::string& note : result.notes)
    report.diagnostics.warning("", fmt::format("{}: {}", run.check->name, note));
  add_input_problems(result, report);
  settle_check_run(run, job.result, [&](CheckRun& settled) { apply_suppressions(active, settled); });
  if (timings)
    timings->add_concurrent(fmt::format("check {} ({} findings)", run.check->name, run.findings.size()),
                            job.milliseconds);
}

// Suppressions that matched nothing are worth a note: the resource may be gone, or the check not run.
void note_unmatched_suppressions(const ActiveSuppressions& active, AuditReport& report) {
  for (size_t i = 0; i < active.all.size(); ++i) {
    if (active.matched[i]) continue;
    const CheckInfo* check = CheckRegistry::instance().find(active.all[i]->check_name);
    const CheckRun& run = report.runs[CheckRegistry::instance().index_of(*check)];
    const bool decided = run.status == CheckStatus::compliant || run.status == CheckStatus::non_compliant ||
                         run.status == CheckStatus::incomplete;
    add_suppression_note(report.diagnostics, *active.all[i],
                         decided ? "matches no finding of this audit; remove it if the resource is gone or fixed"
                                 : fmt::format("matches nothing: the check is {} in this audit", to_string(run.status)));
  }
}

}  // namespace

AuditReport run_audit(const Snapshot& snapshot, const AuditOptions& options, Diagnostics diagnostics) {
  AuditReport report;
  report.diagnostics = std::move(diagnostics);
  set_clock(snapshot, options, report);
  report.account_id = std::string(snapshot.text(snapshot.manifest.account_id));
  report.export_unfinished = snapshot.manifest.complete == false;
  report.region = std::string(snapshot.text(snapshot.manifest.region));
  std::string configuration_source;
  const AuditConfiguration* configuration = active_configuration(snapshot, options, report, configuration_source);

  std::vector<const AuditSuppression*> suppressions;
  for (const AuditSuppression& suppression : snapshot.suppressions) suppressions.push_back(&suppression);
  for (const AuditSuppression& suppression : options.suppressions) suppressions.push_back(&suppression);
  ActiveSuppressions active = activate_suppressions(suppressions, report.clock, report.diagnostics);
  x509::WeakKeyBlocklist weak_keys;
  load_weak_keys(options, weak_keys, report);

  // First what runs (configuration, inputs), then the checks themselves on every core, then their
  // results in registry order, so the report does not depend on which thread ran what.
  std::vector<Pending> pending;
  for (const CheckInfo& check : CheckRegistry::instance().checks()) {
    CheckRun run;
    if (prepare_check_run(check, snapshot, configuration, configuration_source, run))
      pending.push_back({report.runs.size(), {}});
    report.runs.push_back(std::move(run));
  }
  run_pending(pending, snapshot, report, weak_keys, options.timings);
  for (Pending& job : pending) settle(job, report, active, options.timings);
  note_unmatched_suppressions(active, report);
  report.diagnostics.sort();
  if (!options.findings_may_refer_to_snapshot)
    for (CheckRun& run : report.runs) run.findings.hold();
  return report;
}

}  // namespace fleetaudit
