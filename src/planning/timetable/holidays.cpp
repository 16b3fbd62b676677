// Indonesia's national public holidays (hari libur nasional) and collective leave days
// (cuti bersama), as embedded tables per year. The timetable skips them unless the caller
// passes its own list.
#include <array>
#include <vector>

#include "balai/planning/timetable/timetable.hpp"

namespace balai {
namespace {

struct MonthDay {
  int month;
  int day;
};

// 2026: SKB 3 Menteri (Menteri Agama, Menteri Ketenagakerjaan, Menteri PANRB) Nomor 1497,
// 2 and 5 Tahun 2025, announced 19 September 2025: 17 holidays and 8 days of cuti bersama.
constexpr std::array kHolidays2026{
    MonthDay{1, 1},    // Tahun Baru Masehi
    MonthDay{1, 16},   // Isra Mikraj 1447 H
    MonthDay{2, 16},   // cuti bersama Imlek
    MonthDay{2, 17},   // Tahun Baru Imlek 2577 Kongzili
    MonthDay{3, 18},   // cuti bersama Nyepi
    MonthDay{3, 19},   // Hari Suci Nyepi, Tahun Baru Saka 1948
    MonthDay{3, 20},   // cuti bersama Idul Fitri
    MonthDay{3, 21},   // Idul Fitri 1447 H
    MonthDay{3, 22},   // Idul Fitri 1447 H, second day
    MonthDay{3, 23},   // cuti bersama Idul Fitri
    MonthDay{3, 24},   // cuti bersama Idul Fitri
    MonthDay{4, 3},    // Wafat Yesus Kristus (Good Friday)
    MonthDay{4, 5},    // Kebangkitan Yesus Kristus (Easter)
    MonthDay{5, 1},    // Hari Buruh Internasional
    MonthDay{5, 14},   // Kenaikan Yesus Kristus (Ascension)
    MonthDay{5, 15},   // cuti bersama Kenaikan Yesus Kristus
    MonthDay{5, 27},   // Idul Adha 1447 H
    MonthDay{5, 28},   // cuti bersama Idul Adha
    MonthDay{5, 31},   // Hari Raya Waisak 2570 BE
    MonthDay{6, 1},    // Hari Lahir Pancasila
    MonthDay{6, 16},   // Tahun Baru Islam 1448 H
    MonthDay{8, 17},   // Proklamasi Kemerdekaan
    MonthDay{8, 25},   // Maulid Nabi Muhammad SAW
    MonthDay{12, 24},  // cuti bersama Natal
    MonthDay{12, 25},  // Kelahiran Yesus Kristus (Christmas)
};

// 2027: NOT the decree. These are the expected dates, to be replaced by the SKB 3 Menteri
// for 2027 once it is published: fixed dates; Easter by the Gregorian computus; Imlek and
// Waisak from the new and full moons; the Islamic holidays from the conjunctions of 2027
// under the MABIMS visibility criterion the government applies (altitude 3 degrees,
// elongation 6.4 degrees), which the isbat session may move by a day. Left out because
// the expected date is uncertain: Isra Mikraj (5 or 6 January), Nyepi (8 or 9 March,
// by the Balinese reckoning of Tilem Kesanga) and every cuti bersama day, which only the
// decree sets.
constexpr std::array kHolidays2027{
    MonthDay{1, 1},    // Tahun Baru Masehi
    MonthDay{2, 6},    // Tahun Baru Imlek 2578 Kongzili
    MonthDay{3, 10},   // Idul Fitri 1448 H (conjunction 8 March, after the MABIMS limit)
    MonthDay{3, 11},   // Idul Fitri 1448 H, second day
    MonthDay{3, 26},   // Wafat Yesus Kristus (Good Friday)
    MonthDay{3, 28},   // Kebangkitan Yesus Kristus (Easter)
    MonthDay{5, 1},    // Hari Buruh Internasional
    MonthDay{5, 6},    // Kenaikan Yesus Kristus (Ascension)
    MonthDay{5, 17},   // Idul Adha 1448 H (conjunction 6 May, after sunset in Java)
    MonthDay{5, 20},   // Hari Raya Waisak 2571 BE (full moon of May)
    MonthDay{6, 1},    // Hari Lahir Pancasila
    MonthDay{6, 6},    // Tahun Baru Islam 1449 H
    MonthDay{8, 15},   // Maulid Nabi Muhammad SAW (conjunction 2 August, the solar eclipse)
    MonthDay{8, 17},   // Proklamasi Kemerdekaan
    MonthDay{12, 25},  // Kelahiran Yesus Kristus (Christmas)
};

template <std::size_t N>
std::vector<Date> dates_of(int year, const std::array<MonthDay, N>& table) {
  std::vector<Date> dates;
  dates.reserve(N);
  for (const auto& [month, day] : table) dates.emplace_back(year, month, day);
  return dates;
}

}  // namespace

std::vector<Date> national_holidays(int year) {
  switch (year) {
    case 2026: return dates_of(year, kHolidays2026);
    case 2027: return dates_of(year, kHolidays2027);
    default: return {};
  }
}

}  // namespace balai
