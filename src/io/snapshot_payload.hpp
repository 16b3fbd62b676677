// The payload of a snapshot: a dataset as a Boost.Serialization binary archive. The
// envelope around it (snapshot.cpp) vouches for its integrity; this part turns a dataset
// into bytes and back. Only snapshot_payload.cpp includes Boost.Serialization.
#pragma once

#include <string>
#include <string_view>

#include "balai/model/dataset.hpp"

namespace balai::detail {

[[nodiscard]] std::string encode_payload(const Dataset& dataset);

// The dataset in `payload`. Throws FormatError with a reason that does not name the
// source (the caller adds it) for bytes that are not a dataset archive or hold content
// that fails validation; never anything else.
[[nodiscard]] Dataset decode_payload(std::string_view payload);

}  // namespace balai::detail
