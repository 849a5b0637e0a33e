#pragma once
// One lint result: a check's finding, placed at the span of the value that causes it.
#include <string>
#include <vector>

#include "analyzer/engine/check.h"
#include "analyzer/lint/iac_model.h"

namespace fleetaudit::lint {

struct LintFinding {
  const CheckInfo* check = nullptr;  // an AWS check of the registry, or a lint rule's metadata
  std::string reason_code;
  std::string message;
  Origin origin;
  // Other template resources the finding is about (a shared certificate's own resource): a
  // suppression in their Metadata applies too.
  std::vector<std::string> other_resources;
  const SourceFile* source = nullptr;  // the file `where` and `related` are in; null: the linted file
  Span where;                 // the offending value, as narrow as it can be said
  std::vector<Span> related;  // other values that take part (further culprits, the other attachments)
  std::string identity;       // check, resource and what is wrong, never the line: the fingerprint's source
  bool suppressed = false;
  std::string justification;  // the suppression's reason
};

}  // namespace fleetaudit::lint
