#include "analyzer/engine/resource_names.h"

#include <fmt/format.h>

namespace fleetaudit {

void assign_certificate_arn(std::string& out, const Snapshot& snapshot, std::string_view certificate_id, bool ca) {
  std::string_view region = snapshot.text(snapshot.manifest.region);
  std::string_view account = snapshot.text(snapshot.manifest.account_id);
  out.clear();
  if (!region.empty() && !account.empty()) {
    out += "arn:aws:iot:";
    out += region;
    out += ':';
    out += account;
    out += ca ? ":cacert/" : ":cert/";
  }
  out += certificate_id;
}

std::string certificate_arn(const Snapshot& snapshot, std::string_view certificate_id) {
  std::string arn;
  assign_certificate_arn(arn, snapshot, certificate_id, false);
  return arn;
}

std::string ca_certificate_arn(const Snapshot& snapshot, std::string_view certificate_id) {
  std::string arn;
  assign_certificate_arn(arn, snapshot, certificate_id, true);
  return arn;
}

std::string join_names(const std::vector<std::string_view>& names, size_t limit) {
  std::string out;
  size_t bytes = 0;  // a key-reuse finding lists ~15,000 ids: one allocation, not twenty
  for (size_t i = 0; i < names.size() && i < limit; ++i) bytes += names[i].size() + 2;
  out.reserve(bytes + 32);
  for (size_t i = 0; i < names.size() && i < limit; ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  if (names.size() > limit) out += fmt::format(" and {} more", names.size() - limit);
  return out;
}

}  // namespace fleetaudit
