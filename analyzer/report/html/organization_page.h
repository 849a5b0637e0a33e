#pragma once
// The HTML report of several audits (an organization's snapshots): an overview table of accounts
// and regions × checks (verdict and counts) first, the accounts that could not be exported, then
// each audit's checks and findings. Static: no script, no style from outside.
#include <cstdio>
#include <vector>

#include "analyzer/report/organization_reports.h"

namespace fleetaudit::html {

void write_organization_page(const OrganizationReport& organization, const std::vector<ReportContext>& contexts,
                             std::FILE* out);

}  // namespace fleetaudit::html
