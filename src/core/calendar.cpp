#include "balai/core/calendar.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

#include "balai/core/error.hpp"
#include "balai/core/text.hpp"

namespace balai {
namespace {

// Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms".
constexpr std::int32_t days_from_civil(int y, int m, int d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

constexpr YearMonthDay civil_from_days(std::int32_t z) noexcept {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

constexpr bool is_leap(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int days_in_month(int y, int m) noexcept {
  constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

// 1970-01-01 was a Thursday: ISO weekday 4.
constexpr int iso_weekday(std::int32_t days) noexcept {
  const int from_monday = static_cast<int>(((days + 3) % 7 + 7) % 7);
  return from_monday + 1;
}

std::string format_ymd(int y, int m, int d) {
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
  return text;
}

}  // namespace

Date::Date(int year, int month, int day) {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, month)) {
    throw ValidationError(Problem{"", "date", format_ymd(year, month, day),
                                  "not a calendar date between 1900-01-01 and 2200-12-31"});
  }
  days_ = days_from_civil(year, month, day);
}

Date Date::parse(std::string_view text, std::string_view field) {
  const auto fail = [&]() -> Date {
    throw ValidationError(
        Problem{"", std::string(field), std::string(text), "expected a date as YYYY-MM-DD"});
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return fail();
  const auto number = [&](std::size_t from, std::size_t length) {
    int value = 0;
    const char* first = text.data() + from;
    const auto [end, error] = std::from_chars(first, first + length, value);
    if (error != std::errc{} || end != first + length) fail();
    return value;
  };
  const int year = number(0, 4);
  const int month = number(5, 2);
  const int day = number(8, 2);
  try {
    return Date(year, month, day);
  } catch (const ValidationError& error) {
    throw ValidationError(
        Problem{"", std::string(field), std::string(text), error.problems().front().message});
  }
}

YearMonthDay Date::ymd() const noexcept { return civil_from_days(days_); }

IsoWeek Date::iso_week() const noexcept {
  const int weekday = iso_weekday(days_);
  // The ISO year is the calendar year of this week's Thursday.
  const std::int32_t thursday = days_ + (4 - weekday);
  const int iso_year = civil_from_days(thursday).year;
  const std::int32_t first_thursday_week_start = [&] {
    const std::int32_t jan4 = days_from_civil(iso_year, 1, 4);
    return jan4 - (iso_weekday(jan4) - 1);
  }();
  return {iso_year, (days_ - first_thursday_week_start) / 7 + 1, weekday};
}

std::string Date::to_string() const {
  const auto [y, m, d] = ymd();
  return format_ymd(y, m, d);
}

DateRange::DateRange(Date first, Date last) : first_(first), last_(last) {
  if (last < first) {
    throw ValidationError(Problem{"", "last", last.to_string(),
                                  "ends before the range starts on " + first.to_string()});
  }
}

TimeZone time_zone_from_offset(int hours) {
  if (hours < 7 || hours > 9) {
    throw ValidationError(Problem{"", "utc_offset", std::to_string(hours),
                                  "Indonesia's time zones are UTC+7, UTC+8 and UTC+9"});
  }
  return static_cast<TimeZone>(hours - 7);
}

std::string_view to_string(TimeZone zone) noexcept {
  switch (zone) {
    case TimeZone::wib: return "WIB";
    case TimeZone::wita: return "WITA";
    case TimeZone::wit: return "WIT";
  }
  return "?";
}

TimeZone parse_time_zone(std::string_view text) {
  for (auto zone : {TimeZone::wib, TimeZone::wita, TimeZone::wit}) {
    const auto name = to_string(zone);
    if (text.size() == name.size() && std::equal(text.begin(), text.end(), name.begin(),
                                                 [](char a, char b) { return (a & ~0x20) == b; })) {
      return zone;
    }
  }
  throw ValidationError(
      Problem{"", "time_zone", std::string(text), "expected one of WIB, WITA, WIT"});
}

Date local_date(std::int64_t unix_seconds, TimeZone zone) noexcept {
  const std::int64_t local = unix_seconds + std::int64_t{3600} * utc_offset_hours(zone);
  const std::int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  return Date::from_days(static_cast<std::int32_t>(day));
}

std::string utc_timestamp(std::int64_t unix_seconds) {
  constexpr std::int64_t kDay = 86'400;
  // Floor division: an instant before 1970 belongs to the day before, not after.
  const std::int64_t days = unix_seconds / kDay - (unix_seconds % kDay < 0 ? 1 : 0);
  const std::int64_t second_of_day = unix_seconds - days * kDay;
  const auto hms = [](std::int64_t value) {
    return std::string{static_cast<char>('0' + value / 10), static_cast<char>('0' + value % 10)};
  };
  return Date::from_days(static_cast<std::int32_t>(days)).to_string() + "T" +
         hms(second_of_day / 3600) + ":" + hms(second_of_day / 60 % 60) + ":" +
         hms(second_of_day % 60) + "Z";
}

std::int64_t parse_utc_timestamp(std::string_view text, std::string_view field) {
  const auto fail = [&]() -> std::int64_t {
    throw ValidationError(Problem{"", std::string(field), printable(text, 40),
                                  "expected an RFC 3339 date-time such as 2027-01-04T01:30:00Z"});
  };
  // "YYYY-MM-DDThh:mm:ss", then an optional fraction, then 'Z' or "+hh:mm"/"-hh:mm".
  if (text.size() < 20 || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':') {
    return fail();
  }
  const auto number = [&](std::size_t from, int limit) {
    int value = 0;
    const char* first = text.data() + from;
    const auto [end, error] = std::from_chars(first, first + 2, value);
    if (error != std::errc{} || end != first + 2 || value > limit) fail();
    return value;
  };
  Date date;
  try {
    date = Date::parse(text.substr(0, 10), field);
  } catch (const ValidationError&) {
    return fail();
  }
  // RFC 3339 allows a leap second (60); as Unix time it is the next second's instant.
  const std::int64_t second_of_day =
      std::int64_t{number(11, 23)} * 3600 + std::int64_t{number(14, 59)} * 60 + number(17, 60);
  std::size_t at = 19;
  if (text[at] == '.') {
    const std::size_t digits = text.find_first_not_of("0123456789", at + 1);
    if (digits == at + 1 || digits == std::string_view::npos) return fail();
    at = digits;
  }
  std::int64_t offset = 0;
  const std::string_view zone = text.substr(at);
  if (zone != "Z" && zone != "z") {
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') return fail();
    const std::int64_t minutes = std::int64_t{number(at + 1, 23)} * 60 + number(at + 4, 59);
    offset = (zone[0] == '+' ? 1 : -1) * minutes * 60;
  }
  return std::int64_t{date.days()} * 86'400 + second_of_day - offset;
}

}  // namespace balai
