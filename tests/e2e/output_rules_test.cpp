// Where fleetaudit writes (README "What fleetaudit reads and writes"): never over an input, never
// one path for two outputs, never a device other than a terminal or /dev/null, always a whole file
// (written beside its target and renamed into place), and a write that fails exits 2 with the reason,
// standard output included. Every run is under `timeout`: a regression that blocks fails.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "tests/test_support.h"

namespace fleetaudit {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::TempDir;

constexpr const char* kTimeout = "timeout -k 5 20 ";

// Runs fleetaudit in `directory`; `redirect` says where standard output goes (captured by default),
// standard error is captured after it.
CommandResult fleetaudit_in(const std::string& directory, const std::string& arguments,
                            const std::string& redirect = "") {
  return testing::run_command("cd '" + directory + "' && " + kTimeout + "'" + testing::fleetaudit_binary() + "' " +
                              arguments + " 2>&1 " + redirect);
}

void copy_demo(const TempDir& work) {
  fs::copy(testing::source_dir() + "/fixtures/demo", work.file("snap"));
  fs::copy(testing::source_dir() + "/fixtures/demo-mitigation/actions.json", work.file("actions.json"));
}

std::string mitigate_arguments(const std::string& outputs) { return "mitigate snap --actions actions.json " + outputs; }

mode_t mode_of(const std::string& path) {
  struct stat info {};
  stat(path.c_str(), &info);
  return info.st_mode;
}

TEST(OutputRules, AnOutputThatIsAnInputIsRefused) {
  TempDir work;
  copy_demo(work);
  work.write("policy.json", R"({"Statement": [{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}]})");
  fs::create_symlink("snap/policies.json", work.file("link-to-policies.json"));
  fs::create_hard_link(work.file("snap/things.json"), work.file("hard-link-to-things.json"));
  work.write("suppressions.json", R"({"suppressions": []})");
  ASSERT_EQ(fleetaudit_in(work.path(), "audit snap --format json --output baseline.json").exit_status, 1);
  const std::string policies = testing::read_file(work.file("snap/policies.json"));
  struct Case {
    std::string arguments, refused;
  };
  for (const Case& test : {
           Case{"audit snap --output snap/policies.json", "--output snap/policies.json"},
           Case{"audit snap --output link-to-policies.json", "--output link-to-policies.json"},
           Case{"audit snap --output hard-link-to-things.json", "--output hard-link-to-things.json"},
           Case{"audit snap --config snap/audit-configuration.json --output snap/../snap/audit-configuration.json",
                "--output snap/../snap/audit-configuration.json"},
           Case{"audit snap --baseline baseline.json --output baseline.json", "--output baseline.json"},
           Case{"audit snap --suppressions suppressions.json --output ./suppressions.json",
                "--output ./suppressions.json"},
           Case{"lint policy.json --output policy.json", "--output policy.json"},
           Case{mitigate_arguments("--plan snap/policies.json"), "--plan snap/policies.json"},
           Case{mitigate_arguments("--script actions.json"), "--script actions.json"},
       }) {
    const CommandResult run = fleetaudit_in(work.path(), test.arguments);
    EXPECT_EQ(run.exit_status, 2) << test.arguments << "\n" << run.output;
    EXPECT_NE(run.output.find("cannot write " + test.refused + ": is an input of this run"), std::string::npos)
        << test.arguments << "\n" << run.output;
  }
  EXPECT_EQ(testing::read_file(work.file("snap/policies.json")), policies);
  EXPECT_TRUE(fs::is_symlink(work.file("link-to-policies.json")));
  EXPECT_NE(testing::read_file(work.file("policy.json")).find("iot:*"), std::string::npos);
}

TEST(OutputRules, OnePathForTwoOutputsIsRefused) {
  TempDir work;
  copy_demo(work);
  work.write("x.json", "old");
  fs::create_hard_link(work.file("x.json"), work.file("y.json"));
  for (const std::string outputs : {"--plan x.json --script ./x.json", "--plan x.json --script y.json",
                                     "--script out --apply-to out"}) {
    const CommandResult run = fleetaudit_in(work.path(), mitigate_arguments(outputs));
    EXPECT_EQ(run.exit_status, 2) << outputs << "\n" << run.output;
    EXPECT_NE(run.output.find("are one file: give each output its own"), std::string::npos) << run.output;
  }
  EXPECT_EQ(testing::read_file(work.file("x.json")), "old");
}

TEST(OutputRules, DevicesAreWrittenAsTheyAreOrRefused) {
  TempDir work;
  copy_demo(work);
  const mode_t null_mode = mode_of("/dev/null");
  CommandResult run = fleetaudit_in(work.path(), mitigate_arguments("--plan /dev/null --script /dev/null"));
  EXPECT_EQ(run.exit_status, 2) << run.output;  // one file named twice
  run = fleetaudit_in(work.path(), mitigate_arguments("--script /dev/null"));
  EXPECT_EQ(run.exit_status, 0) << run.output;
  run = fleetaudit_in(work.path(), "audit snap --output /dev/null");
  EXPECT_EQ(run.exit_status, 1) << run.output;  // the demo has findings
  EXPECT_EQ(mode_of("/dev/null"), null_mode);
  EXPECT_TRUE(S_ISCHR(mode_of("/dev/null")));
  fs::create_directories(work.file("directory"));
  ASSERT_EQ(mkfifo(work.file("fifo").c_str(), 0600), 0);
  for (const auto& [output, why] : {std::pair<std::string, std::string>{"/dev/full", "is a character device other than"},
                                    {"directory", "is a directory"},
                                    {"fifo", "is a FIFO (named pipe) that nothing reads"}}) {
    run = fleetaudit_in(work.path(), "audit snap --output " + output);
    EXPECT_EQ(run.exit_status, 2) << output << "\n" << run.output;
    EXPECT_NE(run.output.find("cannot write --output " + output + ": " + why), std::string::npos) << run.output;
  }
  // A FIFO that is read is a pipe: written to.
  run = testing::run_command("cd '" + work.path() + "' && (" + kTimeout + "cat fifo > from-fifo.json &) && " +
                             kTimeout + "'" + testing::fleetaudit_binary() +
                             "' audit snap --format json --output fifo 2>&1; echo \"status $?\"; wait");
  EXPECT_NE(run.output.find("status 1"), std::string::npos) << run.output;
}

TEST(OutputRules, AFailedWriteToStandardOutputExits2) {
  TempDir work;
  copy_demo(work);
  work.write("policy.json", R"({"Statement": [{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}]})");
  for (const std::string& arguments :
       {std::string("audit snap"), std::string("audit snap --format text"), std::string("lint policy.json"),
        mitigate_arguments(""), std::string("access snap --thing nw-hq-gw-01"), std::string("checks")}) {
    const CommandResult run = fleetaudit_in(work.path(), arguments, "> /dev/full");
    EXPECT_EQ(run.exit_status, 2) << arguments << "\n" << run.output;
    EXPECT_NE(run.output.find("cannot write to standard output: No space left on device"), std::string::npos)
        << arguments << "\n" << run.output;
  }
}

TEST(OutputRules, OutputsAreWholeFilesWithTheirModes) {
  TempDir work;
  copy_demo(work);
  // Two audits writing one --output at once: the file is one whole report or the other.
  CommandResult sarif = fleetaudit_in(work.path(), "audit snap --format sarif --output sarif.ref");
  CommandResult json = fleetaudit_in(work.path(), "audit snap --format json --output json.ref");
  ASSERT_EQ(sarif.exit_status, 1) << sarif.output;
  ASSERT_EQ(json.exit_status, 1) << json.output;
  const std::string binary = "'" + testing::fleetaudit_binary() + "'";
  for (int round = 0; round < 3; ++round) {
    testing::run_command("cd '" + work.path() + "' && { " + kTimeout + binary +
                         " audit snap --format sarif --output out & " + kTimeout + binary +
                         " audit snap --format json --output out & wait; }");
    const std::string written = testing::read_file(work.file("out"));
    EXPECT_TRUE(written == testing::read_file(work.file("sarif.ref")) ||
                written == testing::read_file(work.file("json.ref")))
        << "round " << round << ": " << written.size() << " bytes";
  }
  // Written beside and renamed into place: the path names a new file (a writer that truncated in
  // place would keep the inode, and a reader or a second writer would see a half-written report).
  struct stat before {}, after {};
  ASSERT_EQ(stat(work.file("out").c_str(), &before), 0);
  ASSERT_EQ(fleetaudit_in(work.path(), "audit snap --format sarif --output out").exit_status, 1);
  ASSERT_EQ(stat(work.file("out").c_str(), &after), 0);
  EXPECT_NE(before.st_ino, after.st_ino);
  for (const auto& entry : fs::directory_iterator(work.path()))
    EXPECT_NE(entry.path().filename().string().rfind(".out.", 0), 0u) << "a temporary file left: " << entry.path();
  // A new script is executable; a plan written over an old one keeps the old one's mode.
  work.write("plan.json", "old");
  fs::permissions(work.file("plan.json"), fs::perms::owner_read | fs::perms::owner_write);
  const CommandResult run = fleetaudit_in(work.path(), mitigate_arguments("--plan plan.json --script fix.sh"));
  EXPECT_EQ(run.exit_status, 0) << run.output;
  EXPECT_EQ(mode_of(work.file("plan.json")) & 0777, 0600u);
  EXPECT_NE(mode_of(work.file("fix.sh")) & 0100, 0u);
  EXPECT_NE(testing::read_file(work.file("plan.json")), "old");
}

TEST(OutputRules, ThePreviewCopiesOnlyRegularFilesAndDirectories) {
  TempDir work;
  copy_demo(work);
  work.write("id_rsa", "-----BEGIN OPENSSH PRIVATE KEY----- secret");
  fs::create_directories(work.file("secrets"));
  work.write("secrets/token", "secret");
  fs::create_symlink(work.file("id_rsa"), work.file("snap/id_rsa"));
  fs::create_directory_symlink(work.file("secrets"), work.file("snap/secrets"));
  fs::create_directory_symlink(".", work.file("snap/self"));
  fs::create_symlink("STORY.md", work.file("snap/story-link.md"));  // inside: copied as the file
  fs::create_directories(work.file("snap/notes"));
  work.write("snap/notes/a.txt", "kept");
  CommandResult run = fleetaudit_in(work.path(), mitigate_arguments("--apply-to out"));
  ASSERT_EQ(run.exit_status, 0) << run.output;
  EXPECT_FALSE(fs::exists(fs::symlink_status(work.file("out/id_rsa"))));
  EXPECT_FALSE(fs::exists(fs::symlink_status(work.file("out/secrets"))));
  EXPECT_FALSE(fs::exists(fs::symlink_status(work.file("out/self"))));
  EXPECT_EQ(testing::read_file(work.file("out/notes/a.txt")), "kept");
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(work.file("out/story-link.md"))));
  EXPECT_EQ(testing::read_file(work.file("out/story-link.md")), testing::read_file(work.file("snap/STORY.md")));
  for (const char* skipped : {"not copied: id_rsa: a symbolic link that leads outside the snapshot directory",
                              "not copied: secrets: a symbolic link that leads outside", "not copied: self: a symbolic link to a directory"})
    EXPECT_NE(run.output.find(skipped), std::string::npos) << skipped << "\n" << run.output;
  EXPECT_EQ(run.output.find("BEGIN OPENSSH"), std::string::npos);
  // A FIFO in the snapshot is an error that names it.
  ASSERT_EQ(mkfifo(work.file("snap/pipe").c_str(), 0600), 0);
  run = fleetaudit_in(work.path(), mitigate_arguments("--apply-to out2"));
  EXPECT_EQ(run.exit_status, 2) << run.output;
  EXPECT_NE(run.output.find("cannot copy pipe: is a FIFO (named pipe)"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace fleetaudit
