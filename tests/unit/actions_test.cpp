// The one IoT action catalogue (analyzer/policy/actions.h): generated from botocore, and every
// other action list in the analyzer (the data-plane evaluator's, the IAM classes) lies inside it.
#include "analyzer/policy/actions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "analyzer/policy/data_plane_breadth.h"
#include "analyzer/util/ascii.h"

namespace fleetaudit::policy {
namespace {

bool in_catalogue(std::string_view name) {
  const auto& names = iot_action_names();
  return std::any_of(names.begin(), names.end(), [&](std::string_view known) { return iequals(known, name); });
}

TEST(IotActions, CatalogueIsSortedAndDistinct) {
  const auto& names = iot_action_names();
  ASSERT_GT(names.size(), 250u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
  EXPECT_TRUE(in_catalogue("iot:CreateThing"));                 // botocore's iot model
  EXPECT_TRUE(in_catalogue("iotjobsdata:UpdateJobExecution"));  // iot-jobs-data model
  EXPECT_TRUE(in_catalogue("greengrass:Discover"));             // the Greengrass guides
  EXPECT_FALSE(in_catalogue("iot:PublishRetained"));
}

TEST(IotActions, DataPlaneEvaluatorActionsAreInTheCatalogue) {
  for (size_t i = 0; i < kDataPlaneActionCount; ++i) {
    const std::string_view name = action_name(static_cast<DataPlaneAction>(i));
    EXPECT_TRUE(in_catalogue(name)) << name;
    // Each acts on the resource type the catalogue gives it (ListRetainedMessages on "*").
    const std::string_view type = resource_type_acted_on(name);
    if (static_cast<DataPlaneAction>(i) == DataPlaneAction::list_retained_messages) EXPECT_EQ(type, "") << name;
    else EXPECT_TRUE(data_plane_resource_type(type)) << name;
  }
  EXPECT_EQ(resource_type_acted_on("IOT:CONNECT"), "client");
  EXPECT_EQ(resource_type_acted_on("iot:Subscribe"), "topicfilter");
  EXPECT_EQ(resource_type_acted_on("iot:Publish*"), "");  // a pattern names no one action
}

TEST(IotActions, DataPlaneTableIsInTheGeneratedList) {
  ASSERT_GE(data_plane_actions().size(), kDataPlaneActionCount);
  for (const DataPlaneActionFacts& action : data_plane_actions()) EXPECT_TRUE(in_catalogue(action.name)) << action.name;
  EXPECT_EQ(action_name(DataPlaneAction::subscribe), data_plane_actions()[4].name);
}

}  // namespace
}  // namespace fleetaudit::policy
