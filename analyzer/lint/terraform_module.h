#pragma once
// A Terraform module is a directory: a variable's default or a local written in one .tf file is
// known in its siblings. What the module decides as literals is substituted into the file's values
// before its resources are read; anything else stays a named unknown.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/lint/hcl_reader.h"
#include "analyzer/lint/source_file.h"

namespace fleetaudit::lint {

// "var.NAME" and "local.NAME" -> the literal value (a string, a number, a list or an object of them),
// and the bytes substitution may still add for this file (a bound: values naming many others
// would grow exponentially).
struct ModuleValues : std::map<std::string, Node> {
  size_t bytes_left = 0;
};

// The literals of `own` (the linted file's blocks) and of the other regular *.tf files of its
// directory (at most 64 of at most 1 MiB each; symbolic links are not followed).
ModuleValues module_values(const SourceFile& file, const std::vector<HclBlock>& own);

// Every `<var.X>`/`<local.X>` stand-in in a string, and every bare reference var.X / local.X, that
// `values` decides, replaced by its value, located where the reference was written.
void substitute_module_values(ModuleValues& values, Node& node);

// The instances a for_each or count makes, by key, when the file decides them: a literal list, set
// (toset([...])), map or number, or a variable default of one. nullopt otherwise.
std::optional<std::vector<std::string>> instance_keys(const Node& body);

}  // namespace fleetaudit::lint
