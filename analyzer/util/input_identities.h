#pragma once
// Every file this process has opened for reading, by device and inode: an output is refused when it
// is one of them, whatever path (a symbolic or hard link, "..") names it. Filled by
// open_regular_file (input_files.h), the one way input files are opened; thread-safe.
#include <sys/types.h>

namespace fleetaudit {

void remember_input(dev_t device, ino_t inode);
bool is_input(dev_t device, ino_t inode);

}  // namespace fleetaudit
