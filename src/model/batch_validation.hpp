// The checks a batch must pass before a Dataset accepts it. They look at the batch and
// the dataset it would produce together, and collect every problem instead of stopping
// at the first.
#pragma once

#include <vector>

#include "balai/core/error.hpp"
#include "balai/model/dataset.hpp"

namespace balai::detail {

// Sorts and de-duplicates the list fields whose order carries no meaning (feature tags,
// tracks), so that equal content compares equal.
void normalise(Batch& batch);

// Every problem that adding `batch` to `dataset` would cause, but for duplicate ids, which
// Dataset::add finds while indexing the batch (one hash lookup per id instead of two);
// empty when it can be added.
[[nodiscard]] std::vector<Problem> validate(const Dataset& dataset, const Batch& batch);

}  // namespace balai::detail
