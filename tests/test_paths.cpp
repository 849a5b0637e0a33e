// The build's paths, compiled into this file alone.
#include "tests/test_support.h"

namespace fleetaudit::testing {

std::string source_dir() { return FLEETAUDIT_SOURCE_DIR; }
std::string fleetaudit_binary() { return FLEETAUDIT_BINARY; }

}  // namespace fleetaudit::testing
