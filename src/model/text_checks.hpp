// Checks on text fields shared by the model's validators.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "balai/core/error.hpp"

namespace balai::detail {

// Ids are 1-64 characters of printable ASCII without spaces, quotes or the CSV
// separators, so that they survive CSV files, URLs and log lines unquoted.
[[nodiscard]] bool is_external_id(std::string_view id) noexcept;

// Appends a problem when `id` is not an external id.
void check_id(std::vector<Problem>& problems, const std::string& where, std::string_view field,
              std::string_view id);

// Appends a problem when `text` is empty, longer than `max_size` bytes or not clean UTF-8.
void check_text(std::vector<Problem>& problems, const std::string& where, std::string_view field,
                std::string_view text, std::size_t max_size = 200);

// Names the entity in every problem: "trainee T-1". The checks call it last, so that the
// common case of a valid entity builds no strings at all.
void locate(std::vector<Problem>& problems, std::string_view kind, std::string_view id);

// "facility BLK-1", or "facility #3" when the id itself is unusable.
[[nodiscard]] std::string describe(std::string_view kind, std::string_view id,
                                   std::size_t position);

}  // namespace balai::detail
