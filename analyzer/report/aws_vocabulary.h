#pragma once
// Names the Security Hub and OCSF reports share: partitions, resource types as Security Hub spells
// them, a resource's short display name, and bounded text for fields with length limits.
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/engine/finding.h"

namespace fleetaudit {

// "aws", "aws-cn" or "aws-us-gov", from a region name ("cn-north-1", "us-gov-west-1", …).
std::string_view aws_partition(std::string_view region);

// Security Hub's resource type for an AWS IoT audit resource: AwsIotPolicy, AwsIamRole, …
std::string_view security_hub_resource_type(ResourceType type);

// "policy:1" for a policy version, the id, ARN or account otherwise (as Device Defender writes it).
std::string resource_display_name(const ResourceIdentifier& resource);

// At most `max_bytes` of `text`, cut at a UTF-8 character boundary.
std::string_view cut_utf8(std::string_view text, size_t max_bytes);

}  // namespace fleetaudit
