#pragma once
// Which files `fleetaudit lint PATH...` reads: each file named, and under each directory (recursively)
// the *.json, *.yaml, *.yml, *.template and *.tf files, but not hidden directories, node_modules, CDK
// asset copies (cdk.out/asset.*) nor what the directory's own .gitignore ignores (its simple
// patterns: `name`, `*.ext`, `dir/`, `/anchored/path`; negations are not read).
#include <string>
#include <vector>

#include "analyzer/util/diagnostics.h"

namespace fleetaudit::lint {

// The files, in a stable order (each directory's sorted), as paths to open and to report (relative
// to the current directory when the PATH was). A PATH that does not exist is an error.
std::vector<std::string> lint_inputs(const std::vector<std::string>& paths, Diagnostics& problems);

}  // namespace fleetaudit::lint
