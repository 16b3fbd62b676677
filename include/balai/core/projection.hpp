// What a projection gives for an element of a range: the type the generic layer's
// constraints (balai::generic) are stated on, as `projected_t<Seats, Places>` for what
// `seats(place)` returns.
#pragma once

#include <ranges>
#include <type_traits>

namespace balai {

template <class Projection, class Range>
using projected_t = std::invoke_result_t<Projection&, std::ranges::range_reference_t<Range>>;

}  // namespace balai
