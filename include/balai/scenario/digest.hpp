// A fingerprint of a whole Dataset: SHA-256 over a canonical text of its content
// (regencies, facilities, modules, trainees and program, in order; coordinates and
// fractions printed with fixed precision, enums by name). Equal datasets have equal
// digests on every platform, so a digest committed with a test pins a generator's output.
#pragma once

#include <string>

#include "balai/core/export.hpp"
#include "balai/model/dataset.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// 64 lowercase hexadecimal digits.
[[nodiscard]] std::string dataset_digest(const Dataset& dataset);

}  // namespace balai
BALAI_EXPORT_END
