// compare_keys orders resource identifiers exactly as their key() strings compare.
#include <gtest/gtest.h>

#include "analyzer/engine/finding.h"

namespace fleetaudit {
namespace {

using Kind = ResourceIdentifier::Kind;

int sign(int value) { return (value > 0) - (value < 0); }

TEST(FindingOrder, CompareKeysAgreesWithKeyStrings) {
  // Values where piecewise comparison differs from comparing the joined text: a prefix of another
  // value, characters below and above '@' and '=', empty parts, different members.
  std::vector<ResourceIdentifier> ids;
  for (const char* value : {"", "a", "ab", "ab-c", "ab@1", "abA", "b", "a=b", "Ab"})
    for (const char* version : {"", "1", "10", "2"}) {
      ids.push_back({Kind::policy_version, value, version});
      if (*version == '\0') {
        ids.push_back({Kind::device_certificate_id, value, {}});
        ids.push_back({Kind::ca_certificate_id, value, {}});
        ids.push_back({Kind::client_id, value, {}});
      }
    }
  size_t compared = 0;
  for (const ResourceIdentifier& a : ids)
    for (const ResourceIdentifier& b : ids) {
      EXPECT_EQ(sign(compare_keys(a, b)), sign(a.key().compare(b.key()))) << a.key() << " vs " << b.key();
      ++compared;
    }
  EXPECT_EQ(compared, ids.size() * ids.size());
  // "policyVersionIdentifier=ab@1" sorts after "…=ab-c@" because '@' > '-'.
  EXPECT_GT(compare_keys({Kind::policy_version, "ab", "1"}, {Kind::policy_version, "ab-c", ""}), 0);
}

}  // namespace
}  // namespace fleetaudit
