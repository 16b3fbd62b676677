#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "balai/core/calendar.hpp"
#include "balai/core/error.hpp"
#include "balai/core/geo.hpp"
#include "balai/core/ids.hpp"
#include "balai/core/regions.hpp"
#include "balai/core/text.hpp"

using namespace balai;

TEST_CASE("strong indices do not mix and compare by value", "[core][quick]") {
  STATIC_REQUIRE(!std::is_convertible_v<TraineeIndex, FacilityIndex>);
  STATIC_REQUIRE(!std::is_convertible_v<std::uint32_t, TraineeIndex>);
  STATIC_REQUIRE(sizeof(TraineeIndex) == 4);
  CHECK(TraineeIndex{3} < TraineeIndex{4});
  CHECK(TraineeIndex{3} == TraineeIndex{3});
}

TEST_CASE("IdMap maps external ids to dense indices once", "[core][quick]") {
  IdMap<FacilityIndex> ids("facility");
  CHECK(ids.insert("BLK-A") == FacilityIndex{0});
  CHECK(ids.insert("BLK-B") == FacilityIndex{1});
  CHECK(ids.at("BLK-B") == FacilityIndex{1});
  CHECK(ids.id(FacilityIndex{0}) == "BLK-A");
  CHECK_FALSE(ids.find("BLK-C"));
  CHECK_THROWS_AS(ids.at("BLK-C"), UnknownReferenceError);
  CHECK_THROWS_WITH(ids.at("BLK-C"), "unknown facility 'BLK-C'");
  CHECK_THROWS_AS(ids.insert("BLK-A"), ConflictError);
  CHECK(ids.size() == 2);
}

TEST_CASE("haversine distances match known values", "[core][quick]") {
  const GeoPoint jakarta(-6.1702, 106.8310);
  const GeoPoint bandung(-6.9217, 107.6060);
  const GeoPoint surabaya(-7.3365, 112.7150);
  // Reference distances from the spherical law of cosines on the same radius.
  CHECK(haversine_km(jakarta, bandung) == Approx(119.0).margin(1.5));
  CHECK(haversine_km(jakarta, surabaya) == Approx(660.0).margin(8.0));
  CHECK(haversine_km(jakarta, jakarta) == 0.0);
  CHECK(haversine_km(jakarta, bandung) == Approx(haversine_km(bandung, jakarta)));
  // A quarter of the equator.
  CHECK(haversine_km(GeoPoint(0, 0), GeoPoint(0, 90)) ==
        Approx(kEarthRadiusKm * 3.14159265358979 / 2).epsilon(1e-12));
  // Antipodes must not produce NaN.
  CHECK(haversine_km(GeoPoint(0, 0), GeoPoint(0, 180)) ==
        Approx(kEarthRadiusKm * 3.14159265358979));
}

TEST_CASE("geo points reject impossible coordinates", "[core][quick][bad-input]") {
  CHECK_THROWS_AS(GeoPoint(91, 0), ValidationError);
  CHECK_THROWS_AS(GeoPoint(0, -180.5), ValidationError);
  CHECK_THROWS_AS(GeoPoint(std::nan(""), 0), ValidationError);
  CHECK_THROWS_WITH(GeoPoint(0, 200), Catch::Contains("lng") && Catch::Contains("200"));
}

TEST_CASE("dates convert, compare and count days", "[core][quick]") {
  const Date start(2026, 1, 5);
  CHECK(start.to_string() == "2026-01-05");
  CHECK(Date::parse("2026-01-05") == start);
  CHECK((start + 91).to_string() == "2026-04-06");
  CHECK(Date(2026, 3, 1) - Date(2026, 2, 1) == 28);
  CHECK(Date(2024, 3, 1) - Date(2024, 2, 1) == 29);
  CHECK(Date(1970, 1, 1).days() == 0);
  CHECK(Date(1969, 12, 31).days() == -1);
  CHECK(Date::from_days(20454).to_string() == "2026-01-01");
  for (std::int32_t day = Date(1900, 1, 1).days(); day < Date(2200, 1, 1).days(); day += 97) {
    const auto date = Date::from_days(day);
    const auto [y, m, d] = date.ymd();
    CHECK(Date(y, m, d) == date);
  }
}

TEST_CASE("ISO weeks follow ISO 8601 around New Year", "[core][quick]") {
  CHECK(Date(2026, 1, 1).iso_week() == IsoWeek{2026, 1, 4});   // Thursday
  CHECK(Date(2027, 1, 1).iso_week() == IsoWeek{2026, 53, 5});  // Friday of 2026-W53
  CHECK(Date(2024, 12, 30).iso_week() == IsoWeek{2025, 1, 1});
  CHECK(Date(2021, 1, 3).iso_week() == IsoWeek{2020, 53, 7});
  CHECK(Date(2026, 11, 28).iso_week() == IsoWeek{2026, 48, 6});
}

TEST_CASE("dates reject what is not a calendar day", "[core][quick][bad-input]") {
  CHECK_THROWS_AS(Date(2025, 2, 29), ValidationError);
  CHECK_THROWS_AS(Date(2026, 13, 1), ValidationError);
  CHECK_THROWS_AS(Date(1800, 1, 1), ValidationError);
  for (const char* text :
       {"2026-1-05", "2026/01/05", "", "2026-02-30", "20260105xx", "2026-0a-05", "+026-01-05"}) {
    INFO(text);
    CHECK_THROWS_AS(Date::parse(text, "start"), ValidationError);
  }
  CHECK_THROWS_WITH(Date::parse("2026-02-30", "start"),
                    Catch::Contains("start") && Catch::Contains("2026-02-30"));
  CHECK_THROWS_AS(DateRange(Date(2026, 2, 1), Date(2026, 1, 1)), ValidationError);
}

TEST_CASE("Indonesia's time zones", "[core][quick]") {
  CHECK(utc_offset_hours(TimeZone::wib) == 7);
  CHECK(utc_offset_hours(TimeZone::wita) == 8);
  CHECK(utc_offset_hours(TimeZone::wit) == 9);
  CHECK(parse_time_zone("wita") == TimeZone::wita);
  CHECK(to_string(TimeZone::wit) == "WIT");
  CHECK_THROWS_AS(parse_time_zone("CET"), ValidationError);
  CHECK_THROWS_AS(time_zone_from_offset(10), ValidationError);
  // 2026-01-04 17:30 UTC is already 2026-01-05 in Jakarta (UTC+7) and Jayapura (UTC+9);
  // an hour earlier it is not yet in Jakarta.
  const std::int64_t instant = std::int64_t{Date(2026, 1, 4).days()} * 86400 + 17 * 3600 + 1800;
  CHECK(local_date(instant, TimeZone::wib) == Date(2026, 1, 5));
  CHECK(local_date(instant, TimeZone::wit) == Date(2026, 1, 5));
  CHECK(local_date(instant - 3600, TimeZone::wib) == Date(2026, 1, 4));
  CHECK(local_date(-1, TimeZone::wib) == Date(1970, 1, 1));
  // utc_instant is the inverse: 00:30 on the 5th in Jakarta is the instant above.
  CHECK(utc_instant(Date(2026, 1, 5), TimeZone::wib, 1800) == instant);
  CHECK(utc_instant(Date(2026, 1, 5), TimeZone::wit, 1800) == instant - 2 * 3600);
  for (const auto zone : {TimeZone::wib, TimeZone::wita, TimeZone::wit}) {
    CHECK(local_date(utc_instant(Date(2027, 3, 10), zone, 0), zone) == Date(2027, 3, 10));
    CHECK(local_date(utc_instant(Date(2027, 3, 10), zone, 86399), zone) == Date(2027, 3, 10));
  }
  CHECK(utc_timestamp(instant) == "2026-01-04T17:30:00Z");
  CHECK(utc_timestamp(0) == "1970-01-01T00:00:00Z");
  CHECK(utc_timestamp(-1) == "1969-12-31T23:59:59Z");  // floor, not towards zero
}

TEST_CASE("RFC 3339 date-times back to instants", "[core][quick]") {
  for (const std::int64_t instant : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{1'799'026'200},
                                     std::int64_t{4'102'444'799}}) {
    CHECK(parse_utc_timestamp(utc_timestamp(instant)) == instant);
  }
  // Offsets, a fraction (dropped), lower-case separators and a leap second.
  CHECK(parse_utc_timestamp("2027-01-04T08:30:00+07:00") == 1'799'026'200);
  CHECK(parse_utc_timestamp("2027-01-03T20:00:00-05:30") == 1'799'026'200);
  CHECK(parse_utc_timestamp("2027-01-04t01:30:00.999z") == 1'799'026'200);
  CHECK(parse_utc_timestamp("2016-12-31T23:59:60Z") == parse_utc_timestamp("2017-01-01T00:00:00Z"));
  for (const char* bad :
       {"", "2027-01-04", "2027-01-04T01:30:00", "2027-01-04 01:30:00Z", "2027-02-30T00:00:00Z",
        "2027-01-04T24:00:00Z", "2027-01-04T01:60:00Z", "2027-01-04T01:30:00.Z",
        "2027-01-04T01:30:00+0700", "2027-01-04T01:30:00+24:00", "2027-01-04T1:30:00Z",
        "2027-01-04T01:30:00ZZ"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_utc_timestamp(bad, "validFrom"), ValidationError);
  }
  const Problem problem = [] {
    try {
      (void)parse_utc_timestamp("soon", "validFrom");
    } catch (const ValidationError& error) {
      return error.problems().front();
    }
    return Problem{};
  }();
  CHECK(problem.field == "validFrom");
  CHECK(problem.value == "soon");
}

TEST_CASE("bytes as hex", "[core][quick]") {
  CHECK(to_hex(std::vector<std::uint8_t>{}).empty());
  CHECK(to_hex(std::vector<std::uint8_t>{0x00, 0x0f, 0xa5, 0xff}) == "000fa5ff");
}

namespace {

std::vector<std::vector<std::string>> read_reference_csv(const std::string& path) {
  std::ifstream file(path);
  REQUIRE(file.good());
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(file, line);  // header
  while (std::getline(file, line)) {
    std::vector<std::string> cells;
    std::stringstream stream(line);
    std::string cell;
    while (std::getline(stream, cell, ',')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

}  // namespace

TEST_CASE("the embedded province table matches the reference data", "[core][quick]") {
  const auto reference = read_reference_csv(BALAI_SHARED_DATA_DIR "/provinces.csv");
  REQUIRE(provinces().size() == 38);
  REQUIRE(reference.size() == 38);
  std::int64_t population = 0;
  for (std::size_t i = 0; i < reference.size(); ++i) {
    const auto& row = reference[i];
    const Province& p = provinces()[i];
    INFO(row[1]);
    CHECK(p.code.to_string() == row[0]);
    CHECK(p.name == row[1]);
    CHECK(p.capital == row[2]);
    CHECK(p.capital_location.lat() == Approx(std::stod(row[3])));
    CHECK(p.capital_location.lng() == Approx(std::stod(row[4])));
    CHECK(utc_offset_hours(p.time_zone) == std::stoi(row[5]));
    CHECK(p.population == std::stoll(row[6]));
    CHECK(p.area_km2 == Approx(std::stod(row[7])));
    CHECK(&province(p.code) == &p);
    population += p.population;
  }
  CHECK(population == 284'973'643);
  CHECK_THROWS_AS(province(20), UnknownReferenceError);
  CHECK(island_group(32) == 3);
  CHECK(island_group_name(island_group(94)) == "Papua");
}

TEST_CASE("the embedded regency table matches the reference data", "[core][quick]") {
  const auto reference = read_reference_csv(BALAI_SHARED_DATA_DIR "/regencies.csv");
  REQUIRE(indonesia_regencies().size() == 514);
  REQUIRE(reference.size() == 514);
  for (std::size_t i = 0; i < reference.size(); ++i) {
    const auto& row = reference[i];
    const Regency& r = indonesia_regencies()[i];
    INFO(row[2]);
    CHECK(r.code.to_string() == row[0]);
    CHECK(r.province().to_string() == row[1]);
    CHECK(r.name == row[2]);
    CHECK(r.seat.lat() == Approx(std::stod(row[3])));
    CHECK(r.seat.lng() == Approx(std::stod(row[4])));
    CHECK(r.population == std::stoll(row[5]));
  }
  // Every province has its regencies, so the scenario places no one at a bare capital.
  for (const Province& p : provinces()) {
    INFO(p.name);
    CHECK(std::any_of(indonesia_regencies().begin(), indonesia_regencies().end(),
                      [&](const Regency& r) { return r.province() == p.code; }));
  }
}

TEST_CASE("regency and province codes parse strictly", "[core][quick][bad-input]") {
  CHECK(RegencyCode::parse("32.01").value() == 3201);
  CHECK(RegencyCode::parse("32.01").province() == 32);
  CHECK(RegencyCode::parse("92.71").to_string() == "92.71");
  CHECK(parse_province_code("96") == 96);
  for (const char* text : {"32.00", "20.01", "3201", "32-01", "32.1", " 32.01", "xx.01"}) {
    INFO(text);
    CHECK_THROWS_AS(RegencyCode::parse(text), ValidationError);
  }
  CHECK_THROWS_AS(RegencyCode(2001), ValidationError);
  CHECK_THROWS_AS(parse_province_code("20"), ValidationError);
  CHECK_THROWS_AS(parse_province_code("032"), ValidationError);
}

TEST_CASE("a province code is a number of its own", "[core][quick]") {
  std::ostringstream out;
  out << ProvinceCode{32} << ' ' << RegencyCode::parse("11.01").province();
  CHECK(out.str() == "32 11");  // a uint8_t would stream the characters 0x20 and 0x0b
  CHECK(ProvinceCode{96}.to_string() == "96");
  CHECK(ProvinceCode{96}.value() == 96);
  CHECK(province(ProvinceCode{32}).name == "Jawa Barat");
  CHECK(is_province_code(ProvinceCode{32}));
  CHECK_FALSE(is_province_code(ProvinceCode{20}));
  // Written as its number; an int is read back only by name, never by accident.
  static_assert(std::is_convertible_v<std::uint8_t, ProvinceCode>);
  static_assert(!std::is_convertible_v<ProvinceCode, int>);
  // A wider integer converts by name, keeping the low byte as a cast to uint8_t does.
  CHECK(static_cast<ProvinceCode>(std::size_t{256 + 32}) == ProvinceCode{32});
}

TEST_CASE("text checks and printable messages", "[core][quick]") {
  CHECK(is_valid_utf8("Banda Aceh"));
  CHECK(is_valid_utf8("Rp1 miliar \xe2\x80\x93 \xf0\x9f\x8c\xb4"));
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));      // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));  // surrogate
  CHECK_FALSE(is_valid_utf8("caf\xe9"));       // Latin-1
  CHECK_FALSE(is_clean_text("line\nbreak"));
  CHECK(is_clean_text("tab\tok"));
  CHECK(printable("caf\xe9") == "caf\\xe9");
  CHECK(printable(std::string(100, 'a'), 10) == "aaaaaaaaaa...");
}

TEST_CASE("errors describe what went wrong", "[core][quick]") {
  const ValidationError one(Problem{"facility X", "seats", "-1", "must not be negative"});
  CHECK(std::string(one.what()) == "facility X: seats = '-1': must not be negative");
  const ValidationError two({Problem{"a", "f", "1", "bad"}, Problem{"b", "g", "2", "worse"}});
  CHECK(std::string(two.what()) == "2 problems:\n  - a: f = '1': bad\n  - b: g = '2': worse");
  CHECK(two.problems().size() == 2);
  const ParseError parse("trainees.csv", 17, 4, "birth_year", "not an integer");
  CHECK(std::string(parse.what()) == "trainees.csv:17:4: field 'birth_year': not an integer");
  CHECK(parse.line() == 17);
  const Error& base = parse;
  CHECK(dynamic_cast<const std::runtime_error*>(&base) != nullptr);
}
