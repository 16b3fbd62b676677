// Ledger::append: validates a batch into the tail of the columns and either commits it or
// undoes every trace of it (index slots, texts, enrolment times, columns).
#include <bit>
#include <cmath>
#include <string>

#include "balai/core/calendar.hpp"
#include "balai/core/text.hpp"
#include "balai/model/nik.hpp"
#include "ledger_store.hpp"

namespace balai {
namespace {

using detail::kNoModule;
using detail::kNoTime;
using detail::LedgerStore;

// Which optional fields a kind takes; every other field must be absent.
struct Fields {
  bool module = false;
  bool session = false;
  bool score = false;
  bool reason = false;  // allowed
  bool reason_required = false;
  bool target = false;
  bool result = false;
};

constexpr Fields fields_of(EventKind kind) noexcept {
  switch (kind) {
    case EventKind::enrolled: return {};
    case EventKind::attended:
    case EventKind::absent:
    case EventKind::excused: return {.module = true, .session = true};
    case EventKind::assessed: return {.module = true, .score = true};
    case EventKind::waived: return {.module = true, .reason = true, .reason_required = true};
    case EventKind::withdrew: return {.reason = true};
    case EventKind::voided: return {.target = true};
    case EventKind::overridden:
      return {.module = true, .reason = true, .reason_required = true, .result = true};
  }
  return {};
}

// The results an override may set: a module cannot be withdrawn or registered on its own,
// a program cannot be passed or waived.
bool allowed_result(Status status, bool for_module) noexcept {
  switch (status) {
    case Status::in_progress:
    case Status::completed:
    case Status::failed: return true;
    case Status::passed:
    case Status::waived: return for_module;
    case Status::withdrew: return !for_module;
    case Status::registered:
    case Status::enrolled: return false;
  }
  return false;
}

class BatchAppend {
 public:
  BatchAppend(LedgerStore& store, const EventColumns& batch)
      : store_(store),
        batch_(batch),
        n_(batch.size()),
        old_size_(store.size()),
        old_texts_(store.texts.size()),
        texts_(batch.texts.size(), kUnmapped) {}

  AppendResult run() {
    check_columns();
    if (store_.size() + n_ >= 0xffffffffu) {
      throw ValidationError(Problem{"batch", "size", std::to_string(n_),
                                    "a ledger holds fewer than 2^32 - 1 events"});
    }
    ascending_ = ids_ascending();
    extends_prefix_ = ascending_ && store_.sorted_prefix == old_size_;
    if (!extends_prefix_) {
      store_.index.reserve(old_size_ - store_.sorted_prefix + n_, store_.ids, store_.sorted_prefix);
    }
    resize_columns(old_size_ + n_);
    actors_.resize(n_);
    note_enrolments();
    for (std::size_t i = 0; i < n_; ++i) {
      // The index is far larger than the caches: fetch what an event's lookup reads while
      // the events before it are checked.
      if (!extends_prefix_) {
        if (i + 2 * kPrefetch < n_) store_.index.prefetch(batch_.id[i + 2 * kPrefetch]);
        if (i + kPrefetch < n_) {
          store_.index.prefetch_candidates(batch_.id[i + kPrefetch], store_.ids);
        }
      }
      stage(i);
    }
    if (!problems_.empty()) {
      undo();
      const bool only_conflicts = conflicts_ == problems_.size();
      if (only_conflicts) throw ConflictError(ValidationError(std::move(problems_)).what());
      throw ValidationError(std::move(problems_));
    }
    commit();
    return {written_, duplicates_};
  }

 private:
  static constexpr std::size_t kPrefetch = 16;
  static constexpr std::uint32_t kUnmapped = 0xfffffffeu;
  static constexpr std::uint32_t kInvalid = 0xfffffffdu;
  static constexpr std::uint32_t kPersonal = 0xfffffffcu;  // valid text holding a NIK

  void check_columns() const {
    std::vector<Problem> problems;
    auto required = [&](std::string_view name, std::size_t size) {
      if (size != n_) {
        problems.push_back({"batch", std::string(name), std::to_string(size),
                            "column has " + std::to_string(size) + " entries for " +
                                std::to_string(n_) + " events"});
      }
    };
    auto optional = [&](std::string_view name, std::size_t size) {
      if (size != 0) required(name, size);
    };
    required("kind", batch_.kind.size());
    required("registration", batch_.registration.size());
    required("time", batch_.time.size());
    required("actor", batch_.actor.size());
    optional("module", batch_.module.size());
    optional("session", batch_.session.size());
    optional("score", batch_.score.size());
    optional("reason", batch_.reason.size());
    optional("target", batch_.target.size());
    optional("result", batch_.result.size());
    if (!problems.empty()) throw ValidationError(std::move(problems));
  }

  // Ids that rise through the batch from above every recorded id cannot be duplicates:
  // the common case of a sequence, which then needs no lookups, only insertions.
  [[nodiscard]] bool ids_ascending() const noexcept {
    for (std::size_t i = 0; i < n_; ++i) {
      const bool first_ever = i == 0 && store_.size() == 0;
      if (!first_ever && batch_.id[i] <= (i == 0 ? store_.largest_id : batch_.id[i - 1])) {
        return false;
      }
    }
    return true;
  }

  void resize_columns(std::size_t size) {
    store_.ids.resize(size);
    store_.times.resize(size);
    store_.registrations.resize(size);
    store_.values.resize(size);
    store_.modules.resize(size);
    store_.kinds.resize(size);
    store_.results.resize(size);
  }

  // Enrolments first, so that an event may follow its registration's enrolment in the same
  // batch in any order.
  void note_enrolments() {
    for (std::size_t i = 0; i < n_; ++i) {
      const auto r = batch_.registration[i];
      const auto t = batch_.time[i];
      if (batch_.kind[i] != static_cast<std::uint8_t>(EventKind::enrolled) ||
          r >= store_.enrolled_at.size() || t < kEarliestTime || t > kLatestTime) {
        continue;
      }
      const auto stored = detail::to_stored_time(t);
      if (stored < store_.enrolled_at[r]) {
        enrolment_undo_.emplace_back(r, store_.enrolled_at[r]);
        store_.enrolled_at[r] = stored;
      }
    }
  }

  void problem(std::size_t i, std::string field, std::string value, std::string message) {
    problems_.push_back(
        {"event " + std::to_string(i) + " (id " + std::to_string(batch_.id[i]) + ")",
         std::move(field), std::move(value), std::move(message)});
  }

  // The ledger's index of batch text `t`, interning it on first use; kInvalid when the text
  // is unusable (reported once per event that uses it).
  std::uint32_t text(std::size_t i, std::string_view field, std::uint32_t t) {
    if (t == EventColumns::kNoText) {
      problem(i, std::string(field), "", "missing: every event names who recorded it");
      return kInvalid;
    }
    if (t >= batch_.texts.size()) {
      problem(i, std::string(field), std::to_string(t),
              "text index past the batch's " + std::to_string(batch_.texts.size()) + " texts");
      return kInvalid;
    }
    if (texts_[t] == kUnmapped) {
      const auto& s = batch_.texts[t];
      texts_[t] = s.empty() || s.size() > 200 || !is_clean_text(s) ? kInvalid
                  : holds_nik(s)                                   ? kPersonal
                                                                   : store_.texts.intern(s);
    }
    if (texts_[t] == kInvalid) {
      problem(i, std::string(field), hide_niks(printable(batch_.texts[t], 64)),
              "must be 1-200 bytes of UTF-8 text without control characters");
    } else if (texts_[t] == kPersonal) {
      problem(i, std::string(field), hide_niks(batch_.texts[t]),
              "holds a NIK: the ledger and its journal keep no personal data in clear");
      return kInvalid;
    }
    return texts_[t];
  }

  // Validates event i into column position old_size_ + written_; on success keeps it there
  // (or counts it as a duplicate), on failure records why.
  void stage(std::size_t i) {
    const auto before = problems_.size();
    const auto raw_kind = batch_.kind[i];
    if (raw_kind >= EnumNames<EventKind>::names.size()) {
      problem(i, "kind", std::to_string(raw_kind), "unknown event kind");
      return;
    }
    const auto kind = static_cast<EventKind>(raw_kind);
    const auto fields = fields_of(kind);
    const auto r = batch_.registration[i];
    const bool known_registration = r < store_.roster.registration_count();
    if (!known_registration) problem(i, "registration", std::to_string(r), "unknown registration");
    const auto time = batch_.time[i];
    const bool time_ok = time >= kEarliestTime && time <= kLatestTime;
    if (!time_ok) {
      problem(i, "time", std::to_string(time),
              "must lie between 2000-01-01 and 2136-02-07 (Unix seconds)");
    }
    const auto actor = text(i, "actor", batch_.actor[i]);

    // Module and session.
    const auto module = batch_.module.empty() ? EventColumns::kNone : batch_.module[i];
    const auto session = batch_.session.empty() ? EventColumns::kNone : batch_.session[i];
    bool required = false;                       // a known module the track requires
    std::optional<std::size_t> cohort_sessions;  // and the registration's cohort of it
    if (module == EventColumns::kNone) {
      if (fields.module && kind != EventKind::overridden) {
        problem(i, "module", "", "a " + std::string(name_of(kind)) + " event names its module");
      }
    } else if (!fields.module) {
      problem(
          i, "module", std::to_string(module),
          "a " + std::string(name_of(kind)) + " event belongs to the registration, not a module");
    } else if (module < 0 || static_cast<std::size_t>(module) >= store_.roster.module_count()) {
      problem(i, "module", std::to_string(module), "unknown module");
    } else if (known_registration) {
      const RegistrationIndex reg(r);
      const ModuleIndex m(static_cast<std::uint32_t>(module));
      required = store_.roster.slot(reg, m).has_value();
      if (!required) {
        problem(i, "module", store_.roster.modules()[m.pos()].code,
                "not required by the registration's track " +
                    std::string(name_of(store_.roster.entry(reg).track)));
      } else if (const auto c = store_.roster.cohort(reg, m)) {
        cohort_sessions = store_.roster.cohort(*c).sessions.size();
      }
    }
    std::uint32_t value = 0;
    if (session == EventColumns::kNone) {
      if (fields.session) problem(i, "session", "", "an attendance event names its session");
    } else if (!fields.session) {
      problem(i, "session", std::to_string(session), "only attendance events have a session");
    } else if (required && !cohort_sessions) {
      problem(i, "session", std::to_string(session),
              "the registration has no cohort for module " +
                  store_.roster.modules()[static_cast<std::size_t>(module)].code);
    } else if (cohort_sessions &&
               (session < 1 || static_cast<std::size_t>(session) > *cohort_sessions)) {
      problem(i, "session", std::to_string(session),
              "outside the cohort's sessions 1-" + std::to_string(*cohort_sessions));
    } else {
      value = static_cast<std::uint32_t>(session);
    }

    // Score, reason, target and result.
    const double score = batch_.score.empty() ? std::nan("") : batch_.score[i];
    if (fields.score) {
      if (!(score >= 0.0 && score <= 100.0)) {
        problem(i, "score", printable(score), "an assessment scores between 0 and 100");
      } else {
        value = std::bit_cast<std::uint32_t>(static_cast<float>(score));
      }
    } else if (!std::isnan(score)) {
      problem(i, "score", printable(score), "only assessed events have a score");
    }
    const auto reason_index = batch_.reason.empty() ? EventColumns::kNoText : batch_.reason[i];
    if (reason_index == EventColumns::kNoText) {
      if (fields.reason_required) {
        problem(i, "reason", "", "a " + std::string(name_of(kind)) + " event gives its reason");
      }
      if (fields.reason) value = EventColumns::kNoText;
    } else if (!fields.reason) {
      problem(i, "reason", std::to_string(reason_index),
              "a " + std::string(name_of(kind)) + " event has no reason");
    } else {
      value = text(i, "reason", reason_index);
    }
    const auto raw_result = batch_.result.empty() ? EventColumns::kNoResult : batch_.result[i];
    if (fields.result) {
      if (raw_result >= EnumNames<Status>::names.size() ||
          !allowed_result(static_cast<Status>(raw_result), module != EventColumns::kNone)) {
        problem(
            i, "result", std::to_string(raw_result),
            module != EventColumns::kNone
                ? "a module can be overridden to in_progress, completed, passed, failed or waived"
                : "a program can be overridden to in_progress, completed, failed or withdrew");
      }
    } else if (raw_result != EventColumns::kNoResult) {
      problem(i, "result", std::to_string(raw_result), "only overridden events have a result");
    }
    if (fields.target) {
      std::size_t hint = 0;
      const auto target = batch_.target.empty() ? std::optional<std::uint32_t>()
                                                : store_.find(batch_.target[i], sorted_end(), hint);
      if (!target) {
        problem(i, "target", batch_.target.empty() ? "" : std::to_string(batch_.target[i]),
                "no recorded event has this id");
      } else if (store_.kind(*target) == EventKind::voided) {
        problem(i, "target", std::to_string(batch_.target[i]), "a void cannot be voided");
      } else if (known_registration && store_.registrations[*target] != r) {
        problem(i, "target", std::to_string(batch_.target[i]),
                "belongs to registration " + std::to_string(store_.registrations[*target]));
      } else {
        value = *target;
      }
    }

    // Nothing happens to a registration before it enrols.
    if (known_registration && time_ok && kind != EventKind::enrolled) {
      const auto enrolled = store_.enrolled_at[r];
      if (enrolled == kNoTime) {
        problem(i, "registration", store_.roster.entry(RegistrationIndex(r)).id.to_string(),
                "has no enrolled event");
      } else if (detail::to_stored_time(time) < enrolled) {
        problem(i, "time", utc_timestamp(time),
                "before the registration's enrolment at " +
                    utc_timestamp(detail::from_stored_time(enrolled)));
      }
    }
    if (problems_.size() != before) return;

    const auto w = old_size_ + written_;
    store_.ids[w] = batch_.id[i];
    store_.times[w] = detail::to_stored_time(time);
    store_.registrations[w] = r;
    store_.values[w] = value;
    store_.modules[w] =
        module == EventColumns::kNone ? kNoModule : static_cast<std::uint16_t>(module);
    store_.kinds[w] = raw_kind;
    store_.results[w] = fields.result ? raw_result : EventColumns::kNoResult;
    actors_[written_] = actor;

    if (const auto existing =
            ascending_ ? std::nullopt : store_.find(batch_.id[i], sorted_end(), id_hint_)) {
      if (same_payload(*existing, w)) {
        ++duplicates_;
      } else {
        problem(i, "id", std::to_string(batch_.id[i]),
                "already recorded with a different payload (at position " +
                    std::to_string(*existing) + "); correct it by voiding");
        ++conflicts_;
      }
      return;
    }
    if (!extends_prefix_) {
      index_undo_.push_back(store_.index.insert(batch_.id[i], static_cast<std::uint32_t>(w)));
    }
    if (kind == EventKind::voided) voided_targets_.push_back(value);
    ++written_;
  }

  std::uint32_t actor_at(std::size_t position) const {
    return position < old_size_ ? store_.actors.at(static_cast<std::uint32_t>(position))
                                : actors_[position - old_size_];
  }

  bool same_payload(std::size_t a, std::size_t b) const {
    const auto& s = store_;
    return s.times[a] == s.times[b] && s.registrations[a] == s.registrations[b] &&
           s.values[a] == s.values[b] && s.modules[a] == s.modules[b] && s.kind(a) == s.kind(b) &&
           s.results[a] == s.results[b] && actor_at(a) == actor_at(b);
  }

  void undo() {
    for (auto handle = index_undo_.rbegin(); handle != index_undo_.rend(); ++handle) {
      store_.index.erase(*handle);
    }
    for (auto it = enrolment_undo_.rbegin(); it != enrolment_undo_.rend(); ++it) {
      store_.enrolled_at[it->first] = it->second;
    }
    store_.texts.truncate(old_texts_);
    resize_columns(old_size_);
  }

  // The end of the events a binary search finds, this batch's staged ones included when
  // they extend the sorted prefix.
  [[nodiscard]] std::size_t sorted_end() const noexcept {
    return extends_prefix_ ? old_size_ + written_ : store_.sorted_prefix;
  }

  void commit() {
    resize_columns(old_size_ + written_);
    if (extends_prefix_) store_.sorted_prefix = old_size_ + written_;
    for (std::size_t k = 0; k < written_; ++k) {
      store_.actors.push_back(static_cast<std::uint32_t>(old_size_ + k), actors_[k]);
      store_.latest_time = std::max(store_.latest_time, store_.times[old_size_ + k]);
      store_.largest_id = std::max(store_.largest_id, store_.ids[old_size_ + k]);
    }
    for (const auto target : voided_targets_) {
      store_.kinds[target] |= detail::kVoidedBit;
      if (store_.kind(target) == EventKind::enrolled)
        recompute_enrolment(store_.registrations[target]);
    }
  }

  // A voided enrolment: the registration's enrolment is its earliest live one, if any.
  void recompute_enrolment(std::uint32_t r) {
    auto& enrolled = store_.enrolled_at[r];
    enrolled = kNoTime;
    for (std::size_t i = 0; i < store_.size(); ++i) {
      if (store_.registrations[i] == r && store_.kind(i) == EventKind::enrolled &&
          !store_.voided(i)) {
        enrolled = std::min(enrolled, store_.times[i]);
      }
    }
  }

  LedgerStore& store_;
  const EventColumns& batch_;
  std::size_t n_;
  std::size_t old_size_;
  std::size_t old_texts_;
  std::vector<std::uint32_t> texts_;     // batch text -> ledger text, kUnmapped, kInvalid
  std::vector<std::uint32_t> actors_;    // per written event
  std::vector<std::size_t> index_undo_;  // IdIndex::insert's handles, in insertion order
  std::vector<std::pair<std::uint32_t, std::uint32_t>> enrolment_undo_;
  std::vector<std::uint32_t> voided_targets_;
  std::vector<Problem> problems_;
  bool ascending_ = false;       // no id of the batch can be recorded already
  bool extends_prefix_ = false;  // and the batch extends the ledger's sorted prefix
  std::size_t id_hint_ = 0;
  std::size_t conflicts_ = 0;
  std::size_t written_ = 0;
  std::size_t duplicates_ = 0;
};

}  // namespace

AppendResult Ledger::append(const EventColumns& batch) { return BatchAppend(*store_, batch).run(); }

}  // namespace balai
