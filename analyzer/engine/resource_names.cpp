#include "analyzer/engine/resource_names.h"

#include <fmt/format.h>

namespace fleetaudit {

std::string certificate_arn(const Snapshot& snapshot, std::string_view certificate_id) {
  std::string_view region = snapshot.text(snapshot.manifest.region);
  std::string_view account = snapshot.text(snapshot.manifest.account_id);
  if (region.empty() || account.empty()) return std::string(certificate_id);
  return fmt::format("arn:aws:iot:{}:{}:cert/{}", region, account, certificate_id);
}

std::string ca_certificate_arn(const Snapshot& snapshot, std::string_view certificate_id) {
  std::string_view region = snapshot.text(snapshot.manifest.region);
  std::string_view account = snapshot.text(snapshot.manifest.account_id);
  if (region.empty() || account.empty()) return std::string(certificate_id);
  return fmt::format("arn:aws:iot:{}:{}:cacert/{}", region, account, certificate_id);
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
