#include "analyzer/jobs/job_plan_output.h"

#include <fmt/format.h>

#include <algorithm>

#include "analyzer/util/json_writer.h"

namespace fleetaudit {

namespace {

// The container's script. Snapshot folders are data: read from the ConfigMap into a variable and
// always quoted, never part of the script. Exit status 1 of audit (findings) is the job's success.
constexpr const char* kAuditScript =
    "index=\"$JOB_COMPLETION_INDEX\"\n"
    "snapshot=$(cat \"/plan/$index\") || exit 2\n"
    "fleetaudit audit \"/organization/$snapshot\" --format json --output \"/reports/job-$index.json\"\n"
    "status=$?\n"
    "[ \"$status\" -le 1 ] || exit \"$status\"\n";

bool is_dns_label(const std::string& text, size_t max_length) {
  if (text.empty() || text.size() > max_length || text.front() == '-' || text.back() == '-') return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

bool is_image_reference(const std::string& text) {
  if (text.empty() || text.size() > 255 || text.front() == '-') return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-' || c == '/' || c == ':' || c == '@';
  });
}

void write_labels(JsonWriter& json, const std::string& name) {
  json.key("labels").begin_object().key("app.kubernetes.io/name").value("fleetaudit");
  json.key("app.kubernetes.io/instance").value(name).end_object();
}

void write_config_map(JsonWriter& json, const JobPlan& plan, const KubernetesJobOptions& options) {
  json.begin_object().key("apiVersion").value("v1").key("kind").value("ConfigMap");
  json.key("metadata").begin_object().key("name").value(options.name + "-plan");
  write_labels(json, options.name);
  json.end_object();
  json.key("data").begin_object();
  for (size_t index = 0; index < plan.snapshots.size(); ++index)
    json.key(std::to_string(index)).value(plan.snapshots[index].folder);
  json.end_object().end_object();
}

void write_container(JsonWriter& json, const KubernetesJobOptions& options) {
  json.begin_object().key("name").value("audit").key("image").value(options.image);
  json.key("command").begin_array().value("/bin/sh").value("-c").value(kAuditScript).end_array();
  json.key("volumeMounts").begin_array();
  json.begin_object().key("name").value("organization").key("mountPath").value("/organization");
  json.key("readOnly").value(true).end_object();
  json.begin_object().key("name").value("organization").key("mountPath").value("/reports");
  json.key("subPath").value("reports").end_object();
  json.begin_object()
      .key("name")
      .value("plan")
      .key("mountPath")
      .value("/plan")
      .key("readOnly")
      .value(true)
      .end_object();
  json.end_array().end_object();
}

void write_job(JsonWriter& json, const JobPlan& plan, const KubernetesJobOptions& options) {
  const size_t completions = plan.snapshots.size();
  json.begin_object().key("apiVersion").value("batch/v1").key("kind").value("Job");
  json.key("metadata").begin_object().key("name").value(options.name);
  write_labels(json, options.name);
  json.end_object();
  json.key("spec").begin_object().key("completionMode").value("Indexed");
  json.key("completions").value(completions).key("parallelism").value(std::min(options.parallelism, completions));
  // A few pods lost with their nodes are run again; an audit is deterministic, so a failing one is
  // not retried without end.
  json.key("backoffLimit").value(static_cast<int64_t>(std::min<size_t>(completions, 6)));
  json.key("template").begin_object().key("spec").begin_object().key("restartPolicy").value("Never");
  json.key("containers").begin_array();
  write_container(json, options);
  json.end_array();
  json.key("volumes").begin_array();
  json.begin_object().key("name").value("organization").key("persistentVolumeClaim").begin_object();
  json.key("claimName").value(options.volume_claim).end_object().end_object();
  json.begin_object().key("name").value("plan").key("configMap").begin_object();
  json.key("name").value(options.name + "-plan").end_object().end_object();
  json.end_array();
  json.end_object().end_object().end_object().end_object();
}

}  // namespace

void write_github_matrix(const JobPlan& plan, size_t max_jobs, std::FILE* out) {
  JsonWriter json(out, 0);
  json.begin_object().key("include").begin_array();
  const size_t count = plan.snapshots.size();
  if (count <= max_jobs) {
    for (const PlannedSnapshot& snapshot : plan.snapshots) {
      json.begin_object().key("account").value(snapshot.account).key("region").value(snapshot.region);
      json.key("snapshot").value(snapshot.folder).end_object();
    }
  } else {
    const size_t per_job = (count + max_jobs - 1) / max_jobs;
    for (size_t first = 0, job = 1; first < count; first += per_job, ++job) {
      std::string folders;
      for (size_t i = first; i < std::min(count, first + per_job); ++i)
        folders += (folders.empty() ? "" : " ") + plan.snapshots[i].folder;
      json.begin_object().key("job").value(job).key("snapshots").value(folders).end_object();
    }
  }
  json.end_array().end_object();
  json.flush();
}

std::optional<std::string> refused_kubernetes_option(const KubernetesJobOptions& options) {
  // The Job's name becomes its pods' names with the index appended: 52 characters leave room.
  if (!is_dns_label(options.name, 52))
    return fmt::format(
        "--name must be a DNS label of at most 52 characters ([a-z0-9-], not starting or ending with "
        "'-')");
  if (!is_dns_label(options.volume_claim, 63))
    return fmt::format("--volume-claim must name a PersistentVolumeClaim: a DNS label ([a-z0-9-], at most 63)");
  if (!is_image_reference(options.image))
    return fmt::format(
        "--image must be an image reference ([A-Za-z0-9._/:@-], such as "
        "registry.example.com/fleetaudit:1.0)");
  if (options.parallelism == 0) return std::string("--parallelism must be at least 1");
  return std::nullopt;
}

size_t kubernetes_plan_bytes(const JobPlan& plan) {
  size_t bytes = 0;
  for (size_t index = 0; index < plan.snapshots.size(); ++index)
    bytes += std::to_string(index).size() + plan.snapshots[index].folder.size();
  return bytes;
}

void write_kubernetes_job(const JobPlan& plan, const KubernetesJobOptions& options, std::FILE* out) {
  JsonWriter json(out, 2);
  json.begin_object().key("apiVersion").value("v1").key("kind").value("List");
  json.key("items").begin_array();
  write_config_map(json, plan, options);
  write_job(json, plan, options);
  json.end_array().end_object();
  json.flush();
}

}  // namespace fleetaudit
