#pragma once
// The IAM side of a template's snapshot: its roles with their policies' statements (as
// iam-authorization-details.json gives them to `audit`), the role aliases and identity pools
// that hand them out.
#include "analyzer/lint/template_snapshot.h"

namespace fleetaudit::lint {

// After the stack context is known. A role use whose role the template does not declare, or
// declares with policies it does not give, is a warning of the file and left out.
void add_roles(IacFile& file, TemplateSnapshot& built);

}  // namespace fleetaudit::lint
