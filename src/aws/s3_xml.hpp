// aws: S3's XML documents for ListObjectsV2 and DeleteObjects.
// Knows nothing of HTTP or signing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aws/s3_types.hpp"

namespace aws {

ListObjectsPage parse_list_objects_v2(std::string_view body);

// <Delete><Object><Key>k</Key></Object>...<Quiet>false</Quiet></Delete>
std::string delete_objects_body(const std::vector<std::string>& keys);

DeleteObjectsResult parse_delete_objects(std::string_view body);

}  // namespace aws
