#pragma once
// Where SARIF says a snapshot file is: a URI relative to the checkout root, as GitHub code
// scanning reads artifactLocation.uri (it resolves no base ids of ours).
#include <string>
#include <string_view>

namespace fleetaudit {

class ArtifactUris {
 public:
  // `root`: the directory URIs are relative to (--sarif-root; empty: the current directory).
  // Paths are compared as written, made absolute against the current directory; symbolic links
  // are not resolved.
  ArtifactUris(std::string_view snapshot_directory, std::string_view root);

  // The URI of `file` (relative to the snapshot directory, or absolute).
  std::string uri(std::string_view file) const;
  // Whether uri() of a relative file is relative to the root (%SRCROOT%); false when the snapshot
  // lies outside it and URIs are absolute file:// URIs.
  bool under_root(std::string_view file) const;

 private:
  std::string prefix_;  // "infra/snapshot/", "" (the root itself) or "file:///abs/snapshot/"
  bool relative_ = true;
};

// Percent-encodes what a URI path may not hold as is (RFC 3986: all but unreserved and "/").
std::string uri_path_escaped(std::string_view path);

}  // namespace fleetaudit
