#include "analyzer/report/artifact_uris.h"

#include <filesystem>

namespace fleetaudit {

std::string uri_path_escaped(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    const bool plain = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9') ||
                       byte == '-' || byte == '.' || byte == '_' || byte == '~' || byte == '/';
    if (plain) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    }
  }
  return out;
}

namespace {

std::filesystem::path absolute_normal(std::string_view path) {
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(std::filesystem::path(path.empty() ? "." : path), error);
  std::filesystem::path normal = (error ? std::filesystem::path(path) : absolute).lexically_normal();
  if (!normal.has_filename() && normal.has_relative_path()) normal = normal.parent_path();  // "dir/"
  return normal;
}

}  // namespace

ArtifactUris::ArtifactUris(std::string_view snapshot_directory, std::string_view root) {
  const std::filesystem::path snapshot = absolute_normal(snapshot_directory);
  const std::filesystem::path relative = snapshot.lexically_relative(absolute_normal(root));
  const std::string text = relative.generic_string();
  if (relative.empty() || text == ".." || text.rfind("../", 0) == 0) {
    relative_ = false;
    std::string absolute = snapshot.generic_string();
    if (absolute.empty() || absolute.back() != '/') absolute.push_back('/');
    prefix_ = "file://" + uri_path_escaped(absolute);
    return;
  }
  if (text != ".") prefix_ = uri_path_escaped(text) + "/";
}

bool ArtifactUris::under_root(std::string_view file) const { return relative_ && (file.empty() || file.front() != '/'); }

std::string ArtifactUris::uri(std::string_view file) const {
  if (!file.empty() && file.front() == '/') return "file://" + uri_path_escaped(file);
  std::string_view relative = file;
  while (relative.substr(0, 2) == "./") relative.remove_prefix(2);
  return prefix_ + uri_path_escaped(relative);
}

}  // namespace fleetaudit
