#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "balai/core/calendar.hpp"
#include "balai/core/error.hpp"
#include "balai/io/csv.hpp"
#include "balai/model/trainee.hpp"

using namespace balai;
using Catch::Matchers::Contains;

namespace {

// Every record of `csv` as strings, with the line it starts on.
struct Records {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;
};

Records read_all(std::string text) {
  CsvReader csv(std::move(text), "test.csv");
  std::vector<CsvColumn> columns;
  for (const auto& name : csv.header()) columns.push_back(csv.column(name));
  Records records;
  while (csv.next()) {
    std::vector<std::string> row;
    for (const auto& column : columns) row.push_back(csv.string(column));
    records.rows.push_back(std::move(row));
    records.lines.push_back(csv.line());
  }
  return records;
}

// Runs `action`, which must throw a ParseError at this place, and checks that the message
// names the file, the line and the field.
template <class Action>
void require_parse_error(Action&& action, std::size_t line, std::size_t column,
                         const std::string& field = "") {
  try {
    action();
    FAIL("expected a ParseError");
  } catch (const ParseError& error) {
    INFO(error.what());
    CHECK(error.file() == "test.csv");
    CHECK(error.line() == line);
    CHECK(error.column() == column);
    CHECK(error.field() == field);
    const std::string where = "test.csv:" + std::to_string(line);
    CHECK_THAT(error.what(), Contains(where));
    if (!field.empty()) CHECK_THAT(error.what(), Contains("'" + field + "'"));
  }
}

// The first data row of `text`, ready for typed access.
CsvReader first_row(std::string text) {
  CsvReader csv(std::move(text), "test.csv");
  REQUIRE(csv.next());
  return csv;
}

}  // namespace

TEST_CASE("CSV: header columns map names to positions", "[csv][quick]") {
  CsvReader csv("id,name,extra\nA,Alpha,x\nB,Beta,y\n", "test.csv");
  CHECK(csv.file() == "test.csv");
  CHECK(csv.header() == std::vector<std::string>{"id", "name", "extra"});
  CHECK(csv.has_column("name"));
  CHECK_FALSE(csv.has_column("missing"));
  const auto name = csv.column("name");
  CHECK(name.number() == 2);
  const auto absent = csv.optional_column("grade");
  CHECK_FALSE(absent.present());
  CHECK(absent.number() == 0);

  REQUIRE(csv.next());
  CHECK(csv.line() == 2);
  CHECK(csv.text(name) == "Alpha");
  CHECK(csv.text(absent).empty());
  REQUIRE(csv.next());
  CHECK(csv.line() == 3);
  CHECK(csv.string(name) == "Beta");
  CHECK_FALSE(csv.next());
  CHECK_FALSE(csv.next());
}

TEST_CASE("CSV: quoted fields hold commas, quotes and line breaks", "[csv][quick]") {
  const auto records = read_all(
      "a,b,c\n"
      "\"x, y\",\"say \"\"hi\"\"\",\"\"\n"
      "\"two\nlines\",\"\"\"\",plain\n"
      "last,\"three\r\nline\nfield\",\n");
  REQUIRE(records.rows.size() == 3);
  CHECK(records.rows[0] == std::vector<std::string>{"x, y", "say \"hi\"", ""});
  CHECK(records.rows[1] == std::vector<std::string>{"two\nlines", "\"", "plain"});
  CHECK(records.rows[2] == std::vector<std::string>{"last", "three\r\nline\nfield", ""});
  // Lines are physical lines: a record spanning two lines moves the next one down.
  CHECK(records.lines == std::vector<std::size_t>{2, 3, 5});
}

TEST_CASE("CSV: CRLF and LF line ends, blank lines and a missing final newline", "[csv][quick]") {
  const auto records = read_all("a,b\r\n1,2\r\n\r\n3,4\n\n5,6");
  REQUIRE(records.rows.size() == 3);
  CHECK(records.rows[0] == std::vector<std::string>{"1", "2"});
  CHECK(records.rows[1] == std::vector<std::string>{"3", "4"});
  CHECK(records.rows[2] == std::vector<std::string>{"5", "6"});
  CHECK(records.lines == std::vector<std::size_t>{2, 4, 6});

  // A trailing comma is one more, empty field.
  const auto trailing = read_all("a,b\n1,");
  REQUIRE(trailing.rows.size() == 1);
  CHECK(trailing.rows[0] == std::vector<std::string>{"1", ""});
}

TEST_CASE("CSV: a UTF-8 byte-order mark is skipped and UTF-8 text kept", "[csv][quick]") {
  const auto records = read_all("\xEF\xBB\xBFname,city\nSigit,Yogyakarta \xE2\x80\x93 Sleman\n");
  CsvReader csv("\xEF\xBB\xBFname\nx\n", "test.csv");
  CHECK(csv.header().front() == "name");
  REQUIRE(records.rows.size() == 1);
  CHECK(records.rows[0][1] == "Yogyakarta \xE2\x80\x93 Sleman");
}

TEST_CASE("CSV: empty files, header-only files and bad headers", "[csv][quick][bad-input]") {
  require_parse_error([] { CsvReader("", "test.csv"); }, 1, 0);
  require_parse_error([] { CsvReader("\xEF\xBB\xBF", "test.csv"); }, 1, 0);
  require_parse_error([] { CsvReader("\n\r\n", "test.csv"); }, 1, 0);
  CHECK_THROWS_WITH(CsvReader("", "test.csv"), Contains("empty file"));

  CsvReader header_only("id,name\n", "test.csv");
  CHECK(header_only.header().size() == 2);
  CHECK_FALSE(header_only.next());

  require_parse_error([] { CsvReader("id,name,id\n", "test.csv"); }, 1, 3, "id");
  CHECK_THROWS_WITH(CsvReader("id,name,id\n", "test.csv"), Contains("duplicate column"));
  require_parse_error([] { CsvReader("id,,name\n", "test.csv"); }, 1, 2);

  CsvReader csv("id,name\n", "test.csv");
  require_parse_error([&] { (void)csv.column("seats"); }, 1, 0, "seats");
  CHECK_THROWS_WITH(csv.column("seats"), Contains("missing required column"));
}

TEST_CASE("CSV: malformed records name their line and column", "[csv][quick][bad-input]") {
  SECTION("too few fields") {
    require_parse_error([] { read_all("a,b,c\n1,2,3\n4,5\n"); }, 3, 0);
    CHECK_THROWS_WITH(read_all("a,b,c\n1,2,3\n4,5\n"),
                      Contains("expected 3 fields") && Contains("found 2"));
  }
  SECTION("too many fields") {
    require_parse_error([] { read_all("a,b\n1,2\n\n3,4,5\n"); }, 4, 0);
  }
  SECTION("unterminated quote, reported where the quote opens") {
    require_parse_error([] { read_all("a,b\n1,2\n3,\"open\nstill open\n"); }, 3, 2, "b");
    CHECK_THROWS_WITH(read_all("a,b\n3,\"open\n"), Contains("unterminated"));
  }
  SECTION("a quote inside an unquoted field") {
    require_parse_error([] { read_all("a,b\n1,ab\"c\n"); }, 2, 2, "b");
  }
  SECTION("text after a closing quote") {
    require_parse_error([] { read_all("a,b\n\"x\"y,2\n"); }, 2, 1, "a");
  }
  SECTION("a carriage return without a line feed") {
    require_parse_error([] { read_all("a,b\n1,2\r3,4\n"); }, 2, 2, "b");
  }
  SECTION("invalid UTF-8 in a record") {
    require_parse_error([] { read_all("a,b\n1,2\n3,caf\xE9\n"); }, 3, 2, "b");
    // An overlong encoding and a lone continuation byte.
    require_parse_error([] { read_all("a,b\n\xC0\xAF,2\n"); }, 2, 1, "a");
    require_parse_error([] { read_all("a,b\n1,\"x\ny\x80\"\n"); }, 2, 2, "b");
  }
  SECTION("invalid UTF-8 in the header") {
    require_parse_error([] { CsvReader("a,\xFF\n", "test.csv"); }, 1, 2);
  }
}

TEST_CASE("CSV: typed cells", "[csv][quick]") {
  auto csv = first_row(
      "n,big,x,when,kind,items,none,tracks\n"
      "-42,9000000000,-6.25e-1,2026-02-28,micro,kitchen;sewing,,umkm_owner;new_entrepreneur\n");
  const auto n = csv.column("n");
  const auto big = csv.column("big");
  const auto x = csv.column("x");
  const auto when = csv.column("when");
  const auto kind = csv.column("kind");
  const auto items = csv.column("items");
  const auto none = csv.column("none");
  const auto tracks = csv.column("tracks");
  const auto absent = csv.optional_column("absent");

  CHECK(csv.integer<int>(n) == -42);
  CHECK(csv.integer<int>(n, -50, 0) == -42);
  CHECK(csv.integer<std::int64_t>(big) == 9'000'000'000);
  CHECK(csv.real(x) == -0.625);
  CHECK(csv.date(when) == Date(2026, 2, 28));
  CHECK(csv.enumeration<UmkmClass>(kind) == UmkmClass::micro);
  CHECK(csv.list(items) == std::vector<std::string_view>{"kitchen", "sewing"});
  CHECK(csv.string_list(items) == std::vector<std::string>{"kitchen", "sewing"});
  CHECK(csv.enumeration_list<Track>(tracks) ==
        std::vector<Track>{Track::umkm_owner, Track::new_entrepreneur});

  CHECK_FALSE(csv.optional_string(none));
  CHECK_FALSE(csv.optional_integer<int>(none));
  CHECK_FALSE(csv.optional_real(none));
  CHECK_FALSE(csv.optional_date(absent));
  CHECK_FALSE(csv.optional_enumeration<UmkmClass>(none));
  CHECK(csv.list(none).empty());
  CHECK(csv.optional_string(items) == "kitchen;sewing");
  CHECK(csv.optional_integer<int>(n) == -42);
  CHECK(csv.optional_real(x) == -0.625);
  CHECK(csv.optional_enumeration<UmkmClass>(kind) == UmkmClass::micro);
}

TEST_CASE("CSV: bad typed cells are ParseErrors at the cell", "[csv][quick][bad-input]") {
  auto csv = first_row(
      "a,b,c,d,e,f,g,h,i,j\n"
      "12x,300,99999999999999999999,nan,inf,1e400,2026-02-30,tiny,a;;b,umkm_owner;boss\n");
  const auto col = [&](const char* name) { return csv.column(name); };

  require_parse_error([&] { (void)csv.integer<int>(col("a")); }, 2, 1, "a");
  CHECK_THROWS_WITH(csv.integer<int>(col("a")), Contains("'12x' is not an integer"));
  require_parse_error([&] { (void)csv.integer<int>(col("b"), 0, 200); }, 2, 2, "b");
  CHECK_THROWS_WITH(csv.integer<int>(col("b"), 0, 200), Contains("outside 0..200"));
  require_parse_error([&] { (void)csv.integer<std::uint8_t>(col("b")); }, 2, 2, "b");
  require_parse_error([&] { (void)csv.integer<std::int64_t>(col("c")); }, 2, 3, "c");
  require_parse_error([&] { (void)csv.real(col("d")); }, 2, 4, "d");
  require_parse_error([&] { (void)csv.real(col("e")); }, 2, 5, "e");
  require_parse_error([&] { (void)csv.real(col("f")); }, 2, 6, "f");
  CHECK_THROWS_WITH(csv.real(col("f")), Contains("not a finite decimal number"));
  require_parse_error([&] { (void)csv.date(col("g")); }, 2, 7, "g");
  require_parse_error([&] { (void)csv.enumeration<UmkmClass>(col("h")); }, 2, 8, "h");
  CHECK_THROWS_WITH(csv.enumeration<UmkmClass>(col("h")),
                    Contains("'tiny'") && Contains("micro, small, medium"));
  require_parse_error([&] { (void)csv.list(col("i")); }, 2, 9, "i");
  CHECK_THROWS_WITH(csv.list(col("i")), Contains("empty item"));
  require_parse_error([&] { (void)csv.enumeration_list<Track>(col("j")); }, 2, 10, "j");

  auto empty = first_row("a,b\n,\n");
  require_parse_error([&] { (void)empty.integer<int>(empty.column("a")); }, 2, 1, "a");
  CHECK_THROWS_WITH(empty.real(empty.column("b")), Contains("an empty cell"));
  for (const char* text : {" 1", "1 ", "+1", "0x10", "1,5", ""}) {
    auto row = first_row(std::string("a\n\"") + text + "\"\n");
    INFO(text);
    CHECK_THROWS_AS(row.real(row.column("a")), ParseError);
    CHECK_THROWS_AS(row.integer<int>(row.column("a")), ParseError);
  }
}

TEST_CASE("CSV: a cell error in a multi-line record names the cell's own line",
          "[csv][quick][bad-input]") {
  auto csv = first_row("a,b\n\"first\nsecond\",oops\n");
  require_parse_error([&] { (void)csv.integer<int>(csv.column("b")); }, 3, 2, "b");
  require_parse_error([&] { throw csv.error("whole record"); }, 2, 0);
}

TEST_CASE("CSV writer: quotes only when needed, LF line ends", "[csv][quick]") {
  CsvWriter csv({"id", "name", "count"});
  csv.cell("A").cell("plain text").cell(3).end_row();
  csv.cell("B").cell("with, comma").cell(-4).end_row();
  csv.cell("C").cell("say \"hi\"").cell(std::optional<int>()).end_row();
  csv.cell("D").cell("two\nlines").cell(std::optional<int>(7)).end_row();
  csv.cell("E").cell("cr\r").cell(std::int64_t{9'000'000'000}).end_row();
  CHECK(csv.text() ==
        "id,name,count\n"
        "A,plain text,3\n"
        "B,\"with, comma\",-4\n"
        "C,\"say \"\"hi\"\"\",\n"
        "D,\"two\nlines\",7\n"
        "E,\"cr\r\",9000000000\n");
}

TEST_CASE("CSV writer: enums, dates and lists", "[csv][quick]") {
  CsvWriter csv({"class", "when", "tracks", "tags", "grade"});
  csv.cell(UmkmClass::small)
      .cell(Date(2026, 1, 5))
      .list(std::vector<Track>{Track::umkm_owner, Track::new_entrepreneur})
      .list(std::vector<std::string>{"kitchen", "sewing"})
      .cell(std::optional<UmkmClass>())
      .end_row();
  CHECK(csv.text() ==
        "class,when,tracks,tags,grade\n"
        "small,2026-01-05,umkm_owner;new_entrepreneur,kitchen;sewing,\n");
}

TEST_CASE("CSV writer: what cannot be read back is refused", "[csv][quick][bad-input]") {
  CsvWriter csv({"a", "b"});
  csv.cell("only one");
  CHECK_THROWS_AS(csv.end_row(), Error);
  CHECK_THROWS_WITH(csv.end_row(), Contains("1 cells"));

  CsvWriter lists({"tags"});
  CHECK_THROWS_AS(lists.list(std::vector<std::string>{"a;b"}), ValidationError);
  CsvWriter empty_item({"tags"});
  CHECK_THROWS_WITH(empty_item.list(std::vector<std::string>{"a", ""}), Contains("tags"));
  CsvWriter numbers({"x"});
  CHECK_THROWS_AS(numbers.cell(std::numeric_limits<double>::quiet_NaN()), ValidationError);
  CHECK_THROWS_AS(numbers.cell(std::numeric_limits<double>::infinity()), ValidationError);
}

TEST_CASE("CSV round trip: text survives writing and reading", "[csv][quick]") {
  const std::vector<std::string> texts{"",
                                       " ",
                                       "plain",
                                       "a,b",
                                       "\"",
                                       "\"\"",
                                       "say \"hi\", then go",
                                       "line\nbreak",
                                       "crlf\r\ninside",
                                       "trailing space ",
                                       "Jalan Raya Puncak Km. 5 \xE2\x80\x94 Cisarua",
                                       "\xF0\x9F\x8C\xB4",
                                       "semi;colon",
                                       "tab\there"};
  CsvWriter csv({"text", "number"});
  for (std::size_t i = 0; i < texts.size(); ++i)
    csv.cell(texts[i]).cell(static_cast<int>(i)).end_row();
  CsvReader reader(csv.text(), "test.csv");
  const auto text = reader.column("text");
  const auto number = reader.column("number");
  std::size_t count = 0;
  while (reader.next()) {
    REQUIRE(count < texts.size());
    CHECK(reader.string(text) == texts[count]);
    CHECK(reader.integer<int>(number) == static_cast<int>(count));
    ++count;
  }
  CHECK(count == texts.size());
}

TEST_CASE("CSV round trip: a one-column table keeps its empty cells", "[csv][quick]") {
  CsvWriter csv({"only"});
  csv.cell("x").end_row();
  csv.cell("").end_row();
  csv.cell("y").end_row();
  const auto records = read_all(csv.text());
  REQUIRE(records.rows.size() == 3);
  CHECK(records.rows[1] == std::vector<std::string>{""});
}

TEST_CASE("CSV round trip: doubles read back bit-identical", "[csv][quick]") {
  std::vector<double> values{0.0,
                             -0.0,
                             0.1,
                             0.1 + 0.2,
                             -6.5950123456789,
                             106.81666666666666,
                             1e300,
                             -1e-300,
                             5e-324,
                             std::numeric_limits<double>::min(),
                             std::numeric_limits<double>::max(),
                             std::numeric_limits<double>::lowest(),
                             3.141592653589793,
                             2.0 / 3.0};
  // Raw 64-bit patterns from a fixed-seed engine (no distributions: same on every platform).
  std::mt19937_64 bits(20260105);
  while (values.size() < 2000) {
    const double value = std::bit_cast<double>(bits());
    if (std::isfinite(value)) values.push_back(value);
  }
  CsvWriter csv({"x"});
  for (double value : values) csv.cell(value).end_row();
  CsvReader reader(csv.text(), "test.csv");
  const auto x = reader.column("x");
  std::size_t mismatches = 0;
  std::size_t count = 0;
  while (reader.next()) {
    REQUIRE(count < values.size());
    if (std::bit_cast<std::uint64_t>(reader.real(x)) !=
        std::bit_cast<std::uint64_t>(values[count])) {
      ++mismatches;
    }
    ++count;
  }
  CHECK(count == values.size());
  CHECK(mismatches == 0);
}
