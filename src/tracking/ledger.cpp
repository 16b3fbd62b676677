#include "balai/tracking/ledger.hpp"

#include <bit>
#include <cmath>
#include <unordered_map>

#include "ledger_store.hpp"

namespace balai {
namespace detail {

std::optional<std::uint32_t> TextTable::find(std::string_view text) const {
  if (auto it = index_.find(text); it != index_.end()) return it->second;
  return std::nullopt;
}

std::uint32_t TextTable::intern(std::string_view text) {
  const auto [it, added] =
      index_.try_emplace(std::string(text), static_cast<std::uint32_t>(texts_.size()));
  if (added) texts_.emplace_back(text);
  return it->second;
}

void TextTable::truncate(std::size_t size) {
  while (texts_.size() > size) {
    index_.erase(texts_.back());
    texts_.pop_back();
  }
}

LedgerStore::LedgerStore(Roster r, LedgerOptions o)
    : roster(std::move(r)), options(o), enrolled_at(roster.registration_count(), kNoTime) {
  if (roster.module_count() >= kNoModule) {
    throw ValidationError(Problem{"roster", "modules", std::to_string(roster.module_count()),
                                  "a ledger tracks at most 65,534 modules"});
  }
}

std::optional<std::uint32_t> LedgerStore::find(EventId id, std::size_t sorted_end,
                                               std::size_t& hint) const noexcept {
  if (sorted_end > 0 && id <= ids[sorted_end - 1]) {
    // Gallop from the hint when the id lies beyond it, else search the whole prefix.
    std::size_t low = hint < sorted_end && ids[hint] <= id ? hint : 0;
    std::size_t step = 1;
    while (low + step < sorted_end && ids[low + step] <= id) {
      low += step;
      step *= 2;
    }
    const auto first = ids.begin() + static_cast<std::ptrdiff_t>(low);
    const auto last = ids.begin() + static_cast<std::ptrdiff_t>(std::min(low + step, sorted_end));
    const auto it = std::lower_bound(first, last, id);
    hint = static_cast<std::size_t>(it - ids.begin());
    if (it != last && *it == id) return static_cast<std::uint32_t>(hint);
  }
  return index.find(id, ids);
}

Event LedgerStore::event(std::size_t i) const {
  Event e;
  e.id = ids[i];
  e.kind = kind(i);
  e.registration = RegistrationIndex(registrations[i]);
  if (modules[i] != kNoModule) e.module = ModuleIndex(modules[i]);
  e.time = from_stored_time(times[i]);
  e.actor = texts[actors.at(static_cast<std::uint32_t>(i))];
  const auto value = values[i];
  switch (e.kind) {
    case EventKind::attended:
    case EventKind::absent:
    case EventKind::excused: e.session = static_cast<int>(value); break;
    case EventKind::assessed: e.score = static_cast<double>(std::bit_cast<float>(value)); break;
    case EventKind::overridden: e.result = static_cast<Status>(results[i]); [[fallthrough]];
    case EventKind::waived:
    case EventKind::withdrew:
      if (value != EventColumns::kNoText) e.reason = texts[value];
      break;
    case EventKind::voided: e.target = ids[value]; break;
    case EventKind::enrolled: break;
  }
  return e;
}

}  // namespace detail

Ledger::Ledger(Roster roster, LedgerOptions options)
    : store_(std::make_unique<detail::LedgerStore>(std::move(roster), options)) {}

Ledger::Ledger(const Ledger& other) : Ledger(other.roster(), other.options()) { *this = other; }

Ledger& Ledger::operator=(const Ledger& other) {
  if (this == &other) return *this;
  auto copy = std::make_unique<detail::LedgerStore>(other.roster(), other.options());
  const auto& from = *other.store_;
  copy->ids = from.ids;
  copy->times = from.times;
  copy->registrations = from.registrations;
  copy->values = from.values;
  copy->modules = from.modules;
  copy->kinds = from.kinds;
  copy->results = from.results;
  copy->actors = from.actors;
  copy->texts = from.texts;
  copy->sorted_prefix = from.sorted_prefix;
  copy->index = from.index;
  copy->enrolled_at = from.enrolled_at;
  copy->latest_time = from.latest_time;
  copy->largest_id = from.largest_id;
  store_ = std::move(copy);
  return *this;
}

Ledger::Ledger(Ledger&&) noexcept = default;
Ledger& Ledger::operator=(Ledger&&) noexcept = default;
Ledger::~Ledger() = default;

EventTable to_columns(std::span<const Event> events) {
  const auto n = events.size();
  EventTable table;
  table.id.reserve(n);
  table.kind.reserve(n);
  table.registration.reserve(n);
  table.time.reserve(n);
  table.actor.reserve(n);
  std::unordered_map<std::string_view, std::uint32_t> text_index;
  std::vector<std::string_view> texts;
  auto text = [&](const std::string& s) {
    const auto [it, added] = text_index.try_emplace(s, static_cast<std::uint32_t>(texts.size()));
    if (added) texts.push_back(s);
    return it->second;
  };
  // An optional column starts when the first event with the field comes, filled with
  // "none" for the events before it.
  auto fill = [n](auto& column, std::size_t i, auto value, auto none) {
    if (column.empty()) column.assign(n, none);
    column[i] = value;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const auto& e = events[i];
    table.id.push_back(e.id);
    table.kind.push_back(static_cast<std::uint8_t>(e.kind));
    table.registration.push_back(e.registration.value());
    table.time.push_back(e.time);
    table.actor.push_back(text(e.actor));
    if (e.module) {
      fill(table.module, i, static_cast<std::int32_t>(e.module->value()), EventColumns::kNone);
    }
    if (e.session) fill(table.session, i, *e.session, EventColumns::kNone);
    if (e.score) fill(table.score, i, *e.score, std::nan(""));
    if (!e.reason.empty()) fill(table.reason, i, text(e.reason), EventColumns::kNoText);
    if (e.target) fill(table.target, i, *e.target, EventId{0});
    if (e.result) {
      fill(table.result, i, static_cast<std::uint8_t>(*e.result), EventColumns::kNoResult);
    }
  }
  table.texts.assign(texts.begin(), texts.end());
  return table;
}

AppendResult Ledger::append(std::span<const Event> events) {
  return append(to_columns(events).columns());
}

std::size_t Ledger::size() const noexcept { return store_->size(); }

Event Ledger::event(std::size_t position) const {
  if (position >= size()) {
    throw ValidationError(Problem{"ledger", "position", std::to_string(position),
                                  "past the last event (" + std::to_string(size()) + " events)"});
  }
  return store_->event(position);
}

std::optional<std::size_t> Ledger::find(EventId id) const {
  std::size_t hint = 0;
  return store_->find(id, store_->sorted_prefix, hint);
}

bool Ledger::is_voided(std::size_t position) const {
  return position < size() && store_->voided(position);
}

const Roster& Ledger::roster() const noexcept { return store_->roster; }
const LedgerOptions& Ledger::options() const noexcept { return store_->options; }

Statuses Ledger::statuses(std::optional<Timestamp> as_of) const {
  if (as_of) return detail::evaluate(*store_, *as_of);
  if (!store_->maker.is_current()) {
    return detail::evaluate(*store_, detail::from_stored_time(store_->latest_time));
  }
  const std::scoped_lock lock(store_->cache_mutex);
  auto& store = *store_;
  const auto now = detail::from_stored_time(store.latest_time);
  if (!store.current) {
    store.current = detail::evaluate(store, now);
  } else if (store.current_end != store.size()) {
    store.current = detail::update(store, *store.current, store.current_end, now);
  }
  store.current_end = store.size();
  return *store.current;
}

std::vector<std::size_t> Ledger::positions_of(RegistrationIndex registration) const {
  const auto& store = *store_;
  const std::size_t count = store.roster.registration_count();
  if (registration.pos() >= count) {
    throw UnknownReferenceError("registration", std::to_string(registration.value()));
  }
  const auto scan = [&] {
    std::vector<std::size_t> positions;
    for (std::size_t i = 0; i < store.size(); ++i) {
      if (store.registrations[i] == registration.value()) positions.push_back(i);
    }
    return positions;
  };
  if (!store.maker.is_current()) return scan();  // a forked child: no shared cache
  const std::scoped_lock lock(store.cache_mutex);
  store.by_registration.resize(count);
  for (std::size_t i = store.by_registration_end; i < store.size(); ++i) {
    store.by_registration[store.registrations[i]].push_back(static_cast<std::uint32_t>(i));
  }
  store.by_registration_end = store.size();
  const auto& mine = store.by_registration[registration.pos()];
  return {mine.begin(), mine.end()};
}

std::size_t Ledger::memory_bytes() const noexcept {
  const auto& s = *store_;
  return s.ids.capacity() * sizeof(EventId) + s.times.capacity() * 4 +
         s.registrations.capacity() * 4 + s.values.capacity() * 4 + s.modules.capacity() * 2 +
         s.kinds.capacity() + s.results.capacity() + s.actors.memory_bytes() +
         s.index.memory_bytes() + s.enrolled_at.capacity() * 4;
}

bool operator==(const Ledger& a, const Ledger& b) {
  const auto& x = *a.store_;
  const auto& y = *b.store_;
  if (!(x.roster == y.roster) || x.options != y.options || x.size() != y.size()) return false;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x.kinds[i] != y.kinds[i] || x.event(i) != y.event(i)) return false;
  }
  return true;
}

}  // namespace balai
