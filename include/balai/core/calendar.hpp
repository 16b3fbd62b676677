// Calendar dates, ISO weeks and Indonesia's three time zones. A Date is a day count from
// 1970-01-01 (proleptic Gregorian), so date arithmetic is integer arithmetic; the
// conversions follow Howard Hinnant's civil-calendar algorithms and are the same on every
// platform.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "balai/core/export.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

struct YearMonthDay {
  int year = 1970;
  int month = 1;
  int day = 1;
  friend bool operator==(const YearMonthDay&, const YearMonthDay&) = default;
};

// An ISO 8601 week date: weeks start on Monday, and week 1 is the week with the year's
// first Thursday, so the ISO year can differ from the calendar year around New Year.
struct IsoWeek {
  int year = 1970;
  int week = 1;
  int weekday = 1;  // 1 = Monday ... 7 = Sunday
  friend bool operator==(const IsoWeek&, const IsoWeek&) = default;
};

class Date {
 public:
  constexpr Date() noexcept = default;
  // ValidationError for a day that does not exist (2025-02-29) or a year outside
  // [1900, 2200], the range the program's records can plausibly hold.
  Date(int year, int month, int day);
  [[nodiscard]] static constexpr Date from_days(std::int32_t days) noexcept { return Date(days); }
  // Parses "YYYY-MM-DD" exactly; ValidationError naming `field` otherwise.
  [[nodiscard]] static Date parse(std::string_view text, std::string_view field = "date");

  [[nodiscard]] constexpr std::int32_t days() const noexcept { return days_; }
  [[nodiscard]] YearMonthDay ymd() const noexcept;
  [[nodiscard]] IsoWeek iso_week() const noexcept;
  [[nodiscard]] int weekday() const noexcept { return iso_week().weekday; }
  [[nodiscard]] std::string to_string() const;  // "YYYY-MM-DD"

  [[nodiscard]] constexpr Date operator+(std::int32_t days) const noexcept {
    return Date(days_ + days);
  }
  [[nodiscard]] constexpr Date operator-(std::int32_t days) const noexcept {
    return Date(days_ - days);
  }
  [[nodiscard]] friend constexpr std::int32_t operator-(Date a, Date b) noexcept {
    return a.days_ - b.days_;
  }
  friend constexpr auto operator<=>(Date, Date) noexcept = default;

 private:
  constexpr explicit Date(std::int32_t days) noexcept : days_(days) {}
  std::int32_t days_ = 0;
};

// A closed range of days [first, last]. ValidationError if last < first.
class DateRange {
 public:
  DateRange(Date first, Date last);
  DateRange() = default;

  [[nodiscard]] Date first() const noexcept { return first_; }
  [[nodiscard]] Date last() const noexcept { return last_; }
  [[nodiscard]] std::int32_t days() const noexcept { return last_ - first_ + 1; }
  [[nodiscard]] bool contains(Date date) const noexcept { return first_ <= date && date <= last_; }
  [[nodiscard]] bool overlaps(const DateRange& other) const noexcept {
    return first_ <= other.last_ && other.first_ <= last_;
  }

  friend bool operator==(const DateRange&, const DateRange&) = default;

 private:
  Date first_;
  Date last_;
};

// Indonesia's standard times; none observes daylight saving.
enum class TimeZone : std::uint8_t {
  wib,   // Waktu Indonesia Barat, UTC+7
  wita,  // Waktu Indonesia Tengah, UTC+8
  wit,   // Waktu Indonesia Timur, UTC+9
};

[[nodiscard]] constexpr int utc_offset_hours(TimeZone zone) noexcept {
  return 7 + static_cast<int>(zone);
}
// ValidationError unless 7, 8 or 9.
[[nodiscard]] TimeZone time_zone_from_offset(int hours);
[[nodiscard]] std::string_view to_string(TimeZone zone) noexcept;  // "WIB", "WITA", "WIT"
[[nodiscard]] TimeZone parse_time_zone(std::string_view text);     // "WIB" or "wib"

// The local calendar date of an instant given in seconds since the Unix epoch (UTC).
[[nodiscard]] Date local_date(std::int64_t unix_seconds, TimeZone zone) noexcept;

// The instant (Unix seconds, UTC) `seconds` after local midnight of `date` in `zone`; the
// inverse of local_date for seconds in [0, 86400).
[[nodiscard]] constexpr std::int64_t utc_instant(Date date, TimeZone zone,
                                                 std::int64_t seconds) noexcept {
  return std::int64_t{date.days()} * 86400 + seconds - std::int64_t{3600} * utc_offset_hours(zone);
}

// An instant as ISO 8601 in UTC with a 'Z', to the second: "2027-01-04T01:30:00Z".
[[nodiscard]] std::string utc_timestamp(std::int64_t unix_seconds);

// The instant an RFC 3339 date-time names, in whole seconds since the Unix epoch (a
// fraction of a second is dropped): "2027-01-04T01:30:00Z", "2027-01-04T08:30:00.25+07:00".
// The inverse of utc_timestamp. ValidationError naming `field` for anything else.
[[nodiscard]] std::int64_t parse_utc_timestamp(std::string_view text,
                                               std::string_view field = "time");

}  // namespace balai
BALAI_EXPORT_END
