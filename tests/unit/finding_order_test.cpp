// compare_keys orders resource identifiers exactly as their key() strings compare.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "analyzer/engine/audit.h"
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

TEST(FindingOrder, SortedByResourceOrdersAsTheKeysDo) {
  // Values sharing their first eight bytes, shorter than eight, with versions: the quick
  // comparison of the first bytes must agree with the keys everywhere.
  std::vector<Finding> findings;
  for (const char* value : {"", "a", "ab", "ab!", "abcdefgh", "abcdefghi", "abcdefgh@", "abcdefg", "b", "ab@1"})
    for (const char* version : {"", "1", "2"})
      for (Kind kind : {Kind::policy_version, Kind::device_certificate_id, Kind::client_id})
        for (const char* reason : {"R2", "R1"}) {
          if (kind != Kind::policy_version && *version != '\0') continue;
          Finding finding;
          finding.resource = {kind, value, kind == Kind::policy_version ? version : ""};
          finding.reason_code = reason;
          findings.push_back(finding);
        }
  // Reversed, then shuffled: permutations of one long cycle and of many cycles of every length.
  std::reverse(findings.begin(), findings.end());
  std::vector<std::vector<Finding>> inputs = {findings};
  std::mt19937 random(7);
  std::shuffle(findings.begin(), findings.end(), random);
  inputs.push_back(findings);
  for (std::vector<Finding>& input : inputs) {
    const size_t count = input.size();
    const std::vector<Finding> sorted = sorted_by_resource(std::move(input));
    ASSERT_EQ(sorted.size(), count);
    // Strictly increasing over distinct (key, reason) pairs: none lost, none twice.
    for (size_t i = 1; i < sorted.size(); ++i) {
      const std::string before = sorted[i - 1].resource.key() + "\n" + sorted[i - 1].reason_code;
      const std::string after = sorted[i].resource.key() + "\n" + sorted[i].reason_code;
      EXPECT_LT(before, after) << i;
    }
  }
}

}  // namespace
}  // namespace fleetaudit
