#pragma once
// Whether a check's input files are there and whole: the part of its verdict that comes before
// running it. A check that needs a file nothing of which could be used is "not run"; one that reads
// a file with records the loader could not read is "incomplete", never "compliant".
#include <string>

#include "analyzer/engine/check.h"

namespace fleetaudit {

// auditDetails errorCodes fleetaudit uses beside AWS's own (INSUFFICIENT_PERMISSIONS, AUDIT_CHECK_DISABLED).
inline constexpr std::string_view kInputMissing = "INPUT_MISSING";        // a file the check needs is absent
inline constexpr std::string_view kInputIncomplete = "INPUT_INCOMPLETE";  // records or parts could not be read
inline constexpr std::string_view kTooComplexToDecide = "TOO_COMPLEX_TO_DECIDE";  // past the check's work bounds
inline constexpr std::string_view kInputInsufficient = "INPUT_INSUFFICIENT";  // the check found too little to decide

struct InputVerdict {
  enum class Kind : uint8_t { whole, incomplete, not_run } kind = Kind::whole;
  std::string reason;      // for incomplete and not_run
  std::string error_code;  // auditDetails errorCode
  bool unreadable = false;  // not_run because a file is unusable (an input problem), not absent
};

// Every file a check reads: its required groups, then its optional inputs.
std::vector<SnapshotFile> files_read(const CheckInfo& check);

InputVerdict assess_inputs(const CheckInfo& check, const Snapshot& snapshot);

// What could not be read of one file, in a sentence: "certificates.json: 2 record(s) could not be
// read (first: …)". Empty when the file has no gaps.
std::string describe_gaps(SnapshotFile file, const InputGaps& gaps);

}  // namespace fleetaudit
