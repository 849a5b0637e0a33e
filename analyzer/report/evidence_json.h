#pragma once
// A finding's typed evidence (finding.h's Evidence) as named members: "evidence": {"statements":
// [...], "roles": [...]} in the JSON report (beside the AuditFinding shape, for `merge`, which
// baseline.cpp reads back) and in OCSF (under `unmapped`), and the same members as ASFF's
// ProductFields: one list of members and their names, not one a format.
#include <array>
#include <cstdint>
#include <string_view>

#include "analyzer/engine/finding.h"
#include "analyzer/util/json_writer.h"

namespace fleetaudit {

// One member of a statement's or a role's evidence: its name in JSON ("number") and in ASFF
// ("Statement"), and its value, text or a number.
struct EvidenceMember {
  std::string_view json_name;
  std::string_view field_name;
  std::string_view text;
  uint32_t number = 0;
  bool is_number = false;
};

// The members present, in the order every report writes them: a text only when not empty (the
// kind and a role's ARN always), the statement's number always, `through` only when there is one.
class EvidenceMembers {
public:
  explicit EvidenceMembers(const StatementEvidence& statement);
  explicit EvidenceMembers(const RoleEvidence& role);
  const EvidenceMember* begin() const { return members_.data(); }
  const EvidenceMember* end() const { return members_.data() + count_; }
  size_t size() const { return count_; }

private:
  void add_text(std::string_view json_name, std::string_view field_name, std::string_view text, bool always = false);
  void add_number(std::string_view json_name, std::string_view field_name, uint32_t number);
  std::array<EvidenceMember, 9> members_{};
  size_t count_ = 0;
};

void write_evidence_json(JsonWriter& json, const Evidence& evidence);

}  // namespace fleetaudit
