// The boundary around untrusted input (README "What fleetaudit reads and writes"): lint reads only
// inside the PATHs it was given and only regular files, audit only inside the snapshot directory,
// and `mitigate --apply-to` copies only regular files and directories. Every hostile tree is built
// here in a temporary directory; every run is under `timeout`, so a regression that hangs fails (exit
// status 124) instead of stalling CI.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include <filesystem>
#include <string>

#include "tests/test_support.h"

namespace fleetaudit {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::TempDir;

// The bound of every run: far above what any case takes (well under a second), far below a hang.
constexpr const char* kTimeout = "timeout -k 5 10 ";

// Runs fleetaudit in `directory` with standard error (and standard output, unless redirected by
// `arguments`) captured.
CommandResult fleetaudit_in(const std::string& directory, const std::string& arguments) {
  return testing::run_command("cd '" + directory + "' && " + kTimeout + "'" + testing::fleetaudit_binary() + "' " +
                              arguments + " 2>&1");
}

// A policy document whose action names a secret: it must never appear in any output.
const std::string kSecretPolicy =
    R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:SECRET_TOKEN_7f3a", "Resource": "*"}]})";

std::string policy_resource(const std::string& name, const std::string& file_argument) {
  return "resource \"aws_iot_policy\" \"" + name + "\" {\n  name = \"" + name + "\"\n  policy = file(\"" +
         file_argument + "\")\n}\n";
}

// A listening-capable Unix socket bound at `path` (closed again: the socket file stays).
void make_socket(const std::string& path) {
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  ASSERT_LT(path.size(), sizeof address.sun_path);
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  close(fd);
}

void expect_no_secret(const std::string& text) {
  EXPECT_EQ(text.find("SECRET_TOKEN"), std::string::npos) << text;
  EXPECT_EQ(text.find("root:"), std::string::npos) << text;  // /etc/passwd's first characters
}

TEST(InputBoundary, LintNeverReadsAFileCallOutsideItsPaths) {
  TempDir work;
  work.write("secret.json", kSecretPolicy);
  fs::create_directories(work.file("repo/infra"));
  work.write("repo/infra/main.tf", policy_resource("a", "/etc/passwd") +
                                       policy_resource("b", "../../../../../../../../etc/shadow") +
                                       policy_resource("c", "${path.module}/../../secret.json") +
                                       policy_resource("d", work.file("secret.json")));
  for (const std::string format : {"text", "sarif", "json"}) {
    const CommandResult run = fleetaudit_in(work.file("repo"), "lint infra --format " + format);
    EXPECT_EQ(run.exit_status, 2) << run.output;
    expect_no_secret(run.output);
    for (const char* at : {"infra/main.tf:3:12:", "infra/main.tf:7:12:", "infra/main.tf:11:12:", "infra/main.tf:15:12:"})
      EXPECT_NE(run.output.find(at), std::string::npos) << format << " " << at << "\n" << run.output;
    EXPECT_NE(run.output.find("leads outside the paths given to lint"), std::string::npos) << run.output;
  }
}

TEST(InputBoundary, AMessageQuotesABoundedExcerptOfTheFile) {
  TempDir work;
  const std::string name(5000, 'n');
  work.write("main.tf", policy_resource(name + "\x1b[2J", "/etc/passwd"));
  const CommandResult run = fleetaudit_in(work.path(), "lint main.tf");
  EXPECT_EQ(run.exit_status, 2) << run.output;
  const size_t at = run.output.find("main.tf:3:12: aws_iot_policy.nnn");
  ASSERT_NE(at, std::string::npos) << run.output;
  const std::string line = run.output.substr(at, run.output.find('\n', at) - at);
  EXPECT_LE(line.size(), 1100u) << line.size();
  EXPECT_NE(line.find("\u2026"), std::string::npos);
  EXPECT_EQ(run.output.find('\x1b'), std::string::npos);
}

TEST(InputBoundary, LintRefusesALinkOutOfItsPaths) {
  TempDir work;
  work.write("secret.json", kSecretPolicy);
  fs::create_directories(work.file("repo/policies"));
  fs::create_symlink(work.file("secret.json"), work.file("repo/policies/leak.json"));
  fs::create_symlink(work.file("secret.json"), work.file("repo/read.json"));
  work.write("repo/main.tf", policy_resource("p", "read.json"));
  work.write("repo/inside.json", kSecretPolicy);  // a link inside the tree is read as usual
  fs::create_symlink("inside.json", work.file("repo/also-inside.json"));
  const CommandResult run = fleetaudit_in(work.file("repo"), "lint . --format sarif --output ../out.sarif");
  EXPECT_EQ(run.exit_status, 2) << run.output;
  const std::string report = testing::read_file(work.file("out.sarif"));
  EXPECT_NE(report.find("policies/leak.json"), std::string::npos) << report;
  EXPECT_NE(report.find("main.tf"), std::string::npos) << report;
  EXPECT_NE(run.output.find("read.json: leads outside the paths given to lint"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("policies/leak.json: leads outside the paths given to lint"), std::string::npos)
      << run.output;
  // What lies inside is linted: the secret policy of inside.json is reported there, and only there.
  EXPECT_NE(report.find("inside.json"), std::string::npos);
  const CommandResult outside = fleetaudit_in(work.file("repo"), "lint read.json");
  EXPECT_EQ(outside.exit_status, 2) << outside.output;
  expect_no_secret(outside.output);
}

TEST(InputBoundary, LintNeverHangsOnAFifoOrADevice) {
  TempDir work;
  fs::create_directories(work.file("fifo-ignore"));
  ASSERT_EQ(mkfifo(work.file("fifo-ignore/.gitignore").c_str(), 0600), 0);
  work.write("fifo-ignore/p.json", kSecretPolicy);
  fs::create_directories(work.file("zero-ignore"));
  fs::create_symlink("/dev/zero", work.file("zero-ignore/.gitignore"));
  work.write("zero-ignore/p.json", kSecretPolicy);
  ASSERT_EQ(mkfifo(work.file("fifo.json").c_str(), 0600), 0);
  fs::create_symlink("/dev/zero", work.file("zero.json"));
  fs::create_directories(work.file("with-socket"));
  make_socket(work.file("with-socket/s.json"));
  struct Case {
    std::string arguments, expected;
  };
  for (const Case& test : {Case{"lint fifo-ignore", "fifo-ignore/.gitignore: is a FIFO (named pipe)"},
                           Case{"lint zero-ignore", "zero-ignore/.gitignore: leads outside"},
                           Case{"lint fifo.json", "fifo.json: is a FIFO (named pipe)"},
                           Case{"lint zero.json", "zero.json: leads outside"},
                           Case{"lint /dev/zero", "/dev/zero: is a character device"},
                           Case{"lint with-socket", "with-socket/s.json: is a socket"}}) {
    const CommandResult run = fleetaudit_in(work.path(), test.arguments);
    EXPECT_EQ(run.exit_status, 2) << test.arguments << "\n" << run.output;
    EXPECT_NE(run.output.find(test.expected), std::string::npos) << test.arguments << "\n" << run.output;
  }
}

TEST(InputBoundary, AGitignoreThatIgnoresEverythingIsNoPass) {
  TempDir work;
  fs::create_directories(work.file("all/sub"));
  work.write("all/.gitignore", "*\n");
  work.write("all/policy.json", kSecretPolicy);
  work.write("all/sub/template.yaml", "Resources: {}\n");
  CommandResult run = fleetaudit_in(work.path(), "lint all");
  EXPECT_EQ(run.exit_status, 2) << run.output;
  EXPECT_NE(run.output.find("a .gitignore kept 2 file(s) named like IaC out of the lint"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("all/policy.json, all/sub/template.yaml"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("every file to lint was ignored by a .gitignore"), std::string::npos) << run.output;
  // Ignoring some is said too, and the rest is linted as before.
  work.write("all/.gitignore", "sub/\n");
  run = fleetaudit_in(work.path(), "lint all --fail-on CRITICAL");
  EXPECT_NE(run.output.find("kept 1 file(s) named like IaC out of the lint"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("all/sub/template.yaml"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("every file to lint was ignored"), std::string::npos) << run.output;
}

TEST(InputBoundary, AuditReadsOnlyRegularFilesInsideTheSnapshot) {
  TempDir work;
  fs::copy(testing::source_dir() + "/fixtures/demo", work.file("snap"));
  work.write("passwd.json", "root:x:0:0:root:/root:/bin/bash\n");
  fs::remove(work.file("snap/policies.json"));
  fs::create_symlink(work.file("passwd.json"), work.file("snap/policies.json"));
  CommandResult run = fleetaudit_in(work.path(), "audit snap --format text");
  EXPECT_EQ(run.exit_status, 2) << run.output;
  EXPECT_NE(run.output.find("policies.json: cannot read: leads outside the snapshot directory"), std::string::npos)
      << run.output;
  expect_no_secret(run.output);
  fs::remove(work.file("snap/policies.json"));
  fs::create_symlink("/dev/zero", work.file("snap/policies.json"));
  run = fleetaudit_in(work.path(), "audit snap --format text");
  EXPECT_EQ(run.exit_status, 2) << run.output;
  EXPECT_NE(run.output.find("policies.json: cannot read: leads outside the snapshot directory"), std::string::npos);
  fs::remove(work.file("snap/policies.json"));
  ASSERT_EQ(mkfifo(work.file("snap/policies.json").c_str(), 0600), 0);
  run = fleetaudit_in(work.path(), "audit snap --format text");
  EXPECT_EQ(run.exit_status, 2) << run.output;
  EXPECT_NE(run.output.find("policies.json: cannot read: is a FIFO"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace fleetaudit
