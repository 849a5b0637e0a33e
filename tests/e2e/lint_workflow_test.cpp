// The README's GitHub Actions job, run locally: its YAML is read from the README, its lint step's
// command runs as the job would (from the repository root, fleetaudit on PATH) in a scratch
// repository, and the SARIF file its upload step names must be there, schema-valid, with
// repository-relative URIs. Only the install step (network) and the upload action are not run.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>

#include "tests/test_support.h"

namespace fleetaudit {
namespace {

// The fenced YAML block of the README that defines the workflow.
std::string readme_workflow() {
  const std::string readme = testing::read_file(testing::source_dir() + "/README.md");
  const size_t section = readme.find("### Lint in CI");
  if (section == std::string::npos) return "";
  const size_t start = readme.find("```yaml\nname: fleetaudit lint", section);
  if (start == std::string::npos) return "";
  const size_t body = start + std::string("```yaml\n").size();
  return readme.substr(body, readme.find("```", body) - body);
}

const YAML::Node* step_named(const YAML::Node& steps, const std::string& name, YAML::Node& holder) {
  for (const YAML::Node& step : steps)
    if ((step["name"] && step["name"].as<std::string>() == name) ||
        (step["uses"] && step["uses"].as<std::string>().rfind(name, 0) == 0)) {
      holder = step;
      return &holder;
    }
  return nullptr;
}

TEST(LintWorkflow, TheReadmeJobLintsTheRepositoryAndLeavesSarifForTheUpload) {
  const std::string text = readme_workflow();
  ASSERT_FALSE(text.empty()) << "README has no workflow block under 'Lint in CI'";
  const YAML::Node workflow = YAML::Load(text);
  EXPECT_EQ(workflow["permissions"]["security-events"].as<std::string>(), "write");  // upload-sarif needs it
  const YAML::Node steps = workflow["jobs"]["lint"]["steps"];
  ASSERT_TRUE(steps.IsSequence());
  YAML::Node lint, upload;
  ASSERT_NE(step_named(steps, "Lint", lint), nullptr);
  ASSERT_NE(step_named(steps, "github/codeql-action/upload-sarif", upload), nullptr);
  EXPECT_EQ(upload["if"].as<std::string>(), "always()");  // findings fail the lint step; the upload still runs
  const std::string command = lint["run"].as<std::string>();
  const std::string sarif_file = upload["with"]["sarif_file"].as<std::string>();
  ASSERT_EQ(command.rfind("fleetaudit lint ", 0), 0u) << command;

  // A repository like the users': a CloudFormation stack and a policy file in subfolders.
  testing::TempDir repository;
  std::filesystem::create_directories(repository.file("infra"));
  std::filesystem::create_directories(repository.file("policies"));
  std::filesystem::copy_file(testing::source_dir() + "/fixtures/lint/cloudformation/fleet-stack.yaml",
                             repository.file("infra/fleet-stack.yaml"));
  std::filesystem::copy_file(testing::source_dir() + "/fixtures/lint/policies/typo-policy.json",
                             repository.file("policies/typo-policy.json"));
  const std::string bin = std::filesystem::path(testing::fleetaudit_binary()).parent_path().string();
  testing::CommandResult run = testing::run_command("cd '" + repository.path() + "' && PATH='" + bin +
                                                    "':\"$PATH\" sh -c '" + command + "' 2>&1");
  EXPECT_EQ(run.exit_status, 1) << run.output;  // the stack grants iot:* : CRITICAL fails --fail-on HIGH

  const std::string sarif_path = repository.file(sarif_file);
  ASSERT_TRUE(std::filesystem::is_regular_file(sarif_path)) << run.output;
  testing::CommandResult validation = testing::validate_sarif(sarif_path);
  EXPECT_EQ(validation.exit_status, 0) << validation.output;
  const std::string sarif = testing::read_file(sarif_path);
  EXPECT_NE(sarif.find("\"uri\": \"infra/fleet-stack.yaml\""), std::string::npos);  // as GitHub places it
  EXPECT_NE(sarif.find("\"uri\": \"policies/typo-policy.json\""), std::string::npos);
  EXPECT_EQ(sarif.find(repository.path()), std::string::npos);  // no absolute path leaks in
  EXPECT_NE(sarif.find("IOT_POLICY_OVERLY_PERMISSIVE_CHECK"), std::string::npos);
}

}  // namespace
}  // namespace fleetaudit
