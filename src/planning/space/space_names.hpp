// How shared-space problems name a resource: "resource 12 (BLK-3201-004 workshop:kitchen)".
#pragma once

#include <cstddef>
#include <string>

#include "balai/planning/space/space.hpp"

namespace balai::detail {

[[nodiscard]] std::string describe_resource(const SpaceInventory& inventory, std::size_t r);

}  // namespace balai::detail
