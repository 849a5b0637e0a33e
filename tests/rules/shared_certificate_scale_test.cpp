// One certificate attached to 100,000 things: the index build and the shared-certificate check
// stay linear (the finding names every thing once), with no timing asserted.
#include <gtest/gtest.h>
#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "analyzer/engine/check.h"
#include "analyzer/load/snapshot_loader.h"
#include "tests/table_builders.h"

namespace fleetaudit {
namespace {

TEST(SharedCertificateScale, OneCertificateOnAHundredThousandThings) {
  constexpr uint32_t kThings = 100'000;
  auto snapshot = std::make_unique<Snapshot>();
  const std::string id(64, 'a');
  testing::add_certificate(*snapshot, id);
  const SplitArn arn = testing::certificate_arn(*snapshot, id);
  for (uint32_t i = 0; i < kThings; ++i)
    testing::add_attachment(*snapshot, snapshot->strings.intern(fmt::format("thing-{}", i)), arn);
  for (SnapshotFile file : {SnapshotFile::certificates, SnapshotFile::thing_principals})
    snapshot->present[static_cast<size_t>(file)] = true;
  Diagnostics diagnostics;
  build_indexes(*snapshot, diagnostics);
  ASSERT_EQ(snapshot->things_by_certificate.of(0).size(), kThings);

  const CheckInfo* check = CheckRegistry::instance().find("DEVICE_CERTIFICATE_SHARED_CHECK");
  ASSERT_NE(check, nullptr);
  x509::WeakKeyBlocklist no_weak_keys;
  CheckContext context{*snapshot, 0, {}, no_weak_keys};
  CheckResult result = check->run(context);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].resource.value, id);
  EXPECT_NE(result.findings[0].message.find("attached to 100000 things"), std::string::npos);
  // THING_NAMES lists every thing once.
  std::string names;
  for (const auto& [key, value] : result.findings[0].additional_info)
    if (key == "THING_NAMES") names = value;
  EXPECT_EQ(std::count(names.begin(), names.end(), ','), kThings - 1);
  EXPECT_NE(names.find("thing-99999"), std::string::npos);
}

}  // namespace
}  // namespace fleetaudit
