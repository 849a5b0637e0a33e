// fleetaudit lint on hostile files: absurd nesting in each syntax, alias bombs, NUL and invalid
// UTF-8 bytes, unterminated strings and heredocs, a FIFO and a symlink loop in the tree, and a
// thousand mutations of the fixtures. Each is a positioned error or nothing, never a crash or a
// hang (every run is under `timeout`).
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string_view>
#include <string>

#include "tests/test_support.h"

namespace fleetaudit {
namespace {

using testing::CommandResult;
using testing::TempDir;

CommandResult lint(const TempDir& work, const std::string& arguments) {
  return testing::run_command("cd '" + work.path() + "' && timeout 120 '" + testing::fleetaudit_binary() + "' lint " +
                              arguments + " 2>/dev/null");
}

TEST(LintHostileInputs, NestingBombsAndBrokenBytesAreErrorsNotCrashes) {
  TempDir work;
  const std::string deep(100000, '[');
  work.write("deep.json", "{\"Resources\": " + deep + "}");
  work.write("deep.yaml", "Resources: " + deep + "\n");
  work.write("deep.tf", "resource \"aws_iot_policy\" \"p\" {\n  policy = " + deep + "\n}\n");
  std::string bomb = "Resources:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char name = 'b'; name <= 'k'; ++name) {
    const std::string previous = std::string("*") + static_cast<char>(name - 1);
    bomb += std::string("  ") + name + ": &" + name + " [" + previous;
    for (int i = 0; i < 9; ++i) bomb += ", " + previous;
    bomb += "]\n";
  }
  work.write("bomb.yaml", bomb);
  work.write("nul.json", std::string("{\"Statement\": [{\"Action\": \"iot:\0\xff\", \"Resource\": \"*\"}]}", 50));
  work.write("heredoc.tf", "resource \"aws_iot_policy\" \"p\" {\n  policy = <<EOF\n{\"Statement\": []}\n");
  work.write("string.tf", "resource \"aws_iot_policy\" \"p\" {\n  name = \"x\n}\n");
  mkfifo(work.file("fifo.json").c_str(), 0600);
  std::filesystem::create_directory_symlink(work.path(), work.file("loop"));
  const CommandResult result = lint(work, ". --format json");
  EXPECT_EQ(result.exit_status, 2) << result.output;
  for (const char* file : {"deep.json", "deep.yaml", "deep.tf", "bomb.yaml", "heredoc.tf", "string.tf"})
    EXPECT_NE(result.output.find(std::string("\"file\": \"") + file + "\""), std::string::npos) << file << result.output;
}

TEST(LintHostileInputs, MutatedFixturesNeverCrash) {
  TempDir work;
  std::mt19937 random(14);
  const std::string_view inserts[] = {"{", "[", "\"", "\\", "${", "$${", "<<EOF\n", "\n", std::string_view("\0", 1),
                                      "\xff", "!Sub ", "*", "&a ", "*a", "#", "\t", "}"};
  size_t written = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(testing::source_dir() + "/fixtures/lint")) {
    const std::string path = entry.path().string();
    const std::string extension = entry.path().extension().string();
    if (!entry.is_regular_file() || (extension != ".json" && extension != ".yaml" && extension != ".tf")) continue;
    const std::string original = testing::read_file(path);
    for (int copy = 0; copy < 40; ++copy) {
      std::string text = original;
      for (int edit = 0; edit < 1 + static_cast<int>(random() % 8); ++edit) {
        const size_t at = text.empty() ? 0 : random() % text.size();
        switch (random() % 3) {
          case 0: text.erase(at, 1 + random() % 20); break;
          case 1: text.insert(at, inserts[random() % (sizeof inserts / sizeof *inserts)]); break;
          default: if (!text.empty()) text[at] = static_cast<char>(random() % 256); break;
        }
      }
      work.write("m" + std::to_string(written++) + extension, text);
    }
  }
  ASSERT_GT(written, 500u);
  const CommandResult result = lint(work, ". --format sarif --output out.sarif");
  EXPECT_TRUE(result.exit_status == 0 || result.exit_status == 1 || result.exit_status == 2) << result.exit_status;
  EXPECT_EQ(testing::validate_sarif(work.file("out.sarif")).exit_status, 0);
}

}  // namespace
}  // namespace fleetaudit
