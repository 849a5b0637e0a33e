#include "analyzer/util/input_identities.h"

#include <mutex>
#include <set>
#include <utility>

namespace fleetaudit {

namespace {
std::mutex& identities_mutex() {
  static std::mutex mutex;
  return mutex;
}
std::set<std::pair<dev_t, ino_t>>& identities() {
  static std::set<std::pair<dev_t, ino_t>> read;
  return read;
}
}  // namespace

void remember_input(dev_t device, ino_t inode) {
  std::lock_guard lock(identities_mutex());
  identities().insert({device, inode});
}

bool is_input(dev_t device, ino_t inode) {
  std::lock_guard lock(identities_mutex());
  return identities().contains({device, inode});
}

}  // namespace fleetaudit
