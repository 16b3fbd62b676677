// A ledger's xAPI statements as a lazy range-v3 view (balai/io/xapi.hpp says what they
// are): one statement (a JSON object) at a time, so range-v3's chunk batches them for an
// LRS without the whole export in memory.
//
//   for (const auto& batch : balai::views::xapi_statements(ledger, options)
//                                | ranges::views::chunk(1000)) {
//     post(batch);  // a range of up to 1,000 JSON objects
//   }
//
// The view is single-pass (an input range): each statement is made when it is reached,
// and copies of the view share one export. The ledger must outlive it; events appended
// meanwhile wait for the next export, as with XapiExport.
#pragma once

#include <memory>
#include <optional>
#include <range/v3/view/facade.hpp>
#include <string>
#include <utility>

#include "balai/core/export.hpp"
#include "balai/io/xapi.hpp"

BALAI_EXPORT_BEGIN
namespace balai::views {

class xapi_statements : public ranges::view_facade<xapi_statements, ranges::unknown> {
 public:
  xapi_statements() = default;
  // ValidationError for bad options, as XapiExport.
  xapi_statements(const Ledger& ledger, XapiOptions options)
      : state_(std::make_shared<State>(XapiExport(ledger, std::move(options)))) {}

  // The ledger's events the export covers: `since` for the next incremental export.
  [[nodiscard]] std::size_t position() const noexcept { return state_->statements.position(); }

 private:
  friend ranges::range_access;

  struct State {
    explicit State(XapiExport export_of) : statements(std::move(export_of)) {}
    XapiExport statements;
    std::optional<std::string> current{};
    bool started = false;
  };

  struct cursor {
    static constexpr bool single_pass = true;
    State* state = nullptr;

    [[nodiscard]] const std::string& read() const { return *state->current; }
    void next() { state->current = state->statements.next(); }
    [[nodiscard]] bool equal(ranges::default_sentinel_t) const {
      return !state->current.has_value();
    }
  };

  cursor begin_cursor() {
    if (!state_->started) {
      state_->started = true;
      state_->current = state_->statements.next();
    }
    return cursor{state_.get()};
  }

  std::shared_ptr<State> state_{};
};

}  // namespace balai::views
BALAI_EXPORT_END
