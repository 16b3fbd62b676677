// RFC 4180 CSV, read and written the same way for every balai table. The reader holds the
// whole file in memory and walks it one record at a time, so reading a million rows
// costs the file's size plus one record; typed accessors turn a cell into a value or
// throw a ParseError naming the file, the physical line, the 1-based column, the field
// and the reason. The writer quotes only where needed, ends lines with LF, and writes
// doubles in the shortest form that reads back bit-identical.
//
// What the reader accepts: UTF-8 text (an optional byte-order mark is skipped); a header
// row of unique, non-empty column names; records of exactly as many fields as the header;
// fields quoted with '"' when they hold a comma, a quote (doubled) or a line break;
// LF or CRLF line ends. Blank lines are skipped. Columns the caller does not ask for are
// ignored, so files may carry extra columns.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "balai/core/calendar.hpp"
#include "balai/core/enum_names.hpp"
#include "balai/core/error.hpp"
#include "balai/core/export.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// A column of a CsvReader's header. An optional column that the file lacks is absent:
// its cells read as empty.
class CsvColumn {
 public:
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  // The 1-based position in the header, 0 when absent.
  [[nodiscard]] std::size_t number() const noexcept { return number_; }
  [[nodiscard]] bool present() const noexcept { return number_ != 0; }

 private:
  friend class CsvReader;
  CsvColumn(std::string name, std::size_t number) : name_(std::move(name)), number_(number) {}

  std::string name_;
  std::size_t number_;
};

// Integer types whose whole range fits a std::int64_t.
template <class T>
concept CsvInteger = std::integral<T> && !std::same_as<T, bool> &&
                     (std::is_signed_v<T> || sizeof(T) < sizeof(std::int64_t));

class CsvReader {
 public:
  // Parses the header of `text`; `file` names the text in error messages. ParseError for
  // an empty text, a malformed header or text that is not UTF-8.
  CsvReader(std::string text, std::string file);
  // Reads the whole file. balai::Error when it cannot be read; ParseError as above, with
  // the path as the file name.
  [[nodiscard]] static CsvReader open(const std::filesystem::path& path);

  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] const std::vector<std::string>& header() const noexcept { return header_; }
  [[nodiscard]] bool has_column(std::string_view name) const noexcept;
  // A column the file must have: ParseError naming it otherwise.
  [[nodiscard]] CsvColumn column(std::string_view name) const;
  // A column the file may lack; its cells then read as empty.
  [[nodiscard]] CsvColumn optional_column(std::string_view name) const;

  // Moves to the next record; false after the last. ParseError for a malformed record
  // (wrong number of fields, unterminated quote, stray quote, invalid UTF-8).
  bool next();
  // The physical line on which the current record starts (the header is line 1).
  [[nodiscard]] std::size_t line() const noexcept { return record_line_; }

  // The current record's cell in `column`, unescaped; empty for an absent column.
  [[nodiscard]] std::string_view text(const CsvColumn& column) const;
  [[nodiscard]] std::string string(const CsvColumn& column) const {
    return std::string(text(column));
  }
  [[nodiscard]] std::optional<std::string> optional_string(const CsvColumn& column) const;

  // A decimal integer in [min, max].
  template <CsvInteger T = std::int64_t>
  [[nodiscard]] T integer(const CsvColumn& column, T min = std::numeric_limits<T>::min(),
                          T max = std::numeric_limits<T>::max()) const {
    return static_cast<T>(integer_in(column, min, max));
  }
  template <CsvInteger T = std::int64_t>
  [[nodiscard]] std::optional<T> optional_integer(const CsvColumn& column,
                                                  T min = std::numeric_limits<T>::min(),
                                                  T max = std::numeric_limits<T>::max()) const {
    if (text(column).empty()) return std::nullopt;
    return integer<T>(column, min, max);
  }

  // A finite decimal number (no NaN or infinity).
  [[nodiscard]] double real(const CsvColumn& column) const;
  [[nodiscard]] std::optional<double> optional_real(const CsvColumn& column) const;

  // One of the names EnumNames<E> lists.
  template <NamedEnum E>
  [[nodiscard]] E enumeration(const CsvColumn& column) const {
    return convert(column,
                   [&](std::string_view cell) { return parse_enum<E>(cell, column.name()); });
  }
  template <NamedEnum E>
  [[nodiscard]] std::optional<E> optional_enumeration(const CsvColumn& column) const {
    if (text(column).empty()) return std::nullopt;
    return enumeration<E>(column);
  }

  // A date as YYYY-MM-DD.
  [[nodiscard]] Date date(const CsvColumn& column) const;
  [[nodiscard]] std::optional<Date> optional_date(const CsvColumn& column) const;

  // Items separated by ';'; an empty cell is an empty list, an empty item an error.
  [[nodiscard]] std::vector<std::string_view> list(const CsvColumn& column) const;
  [[nodiscard]] std::vector<std::string> string_list(const CsvColumn& column) const;
  template <NamedEnum E>
  [[nodiscard]] std::vector<E> enumeration_list(const CsvColumn& column) const {
    std::vector<E> values;
    for (auto item : list(column)) {
      try {
        values.push_back(parse_enum<E>(item, column.name()));
      } catch (const ValidationError& problem) {
        throw error(column, problem.problems().front());
      }
    }
    return values;
  }

  // Calls parse(cell) and turns a ValidationError it throws into a ParseError at the cell,
  // keeping the problem's value and message.
  template <class Parse>
  [[nodiscard]] auto convert(const CsvColumn& column, Parse&& parse) const
      -> decltype(std::forward<Parse>(parse)(std::string_view{})) {
    try {
      return std::forward<Parse>(parse)(text(column));
    } catch (const ValidationError& error) {
      throw this->error(column, error.problems().front());
    }
  }

  // Errors located at a cell of the current record, or at the whole record.
  [[nodiscard]] ParseError error(const CsvColumn& column, std::string message) const;
  [[nodiscard]] ParseError error(const CsvColumn& column, const Problem& problem) const;
  [[nodiscard]] ParseError error(std::string message) const;

 private:
  // A cell as a span of text_ (unescaped in place) and the line on which it starts.
  struct Cell {
    std::size_t offset = 0;
    std::size_t size = 0;
    std::size_t line = 0;
  };

  bool parse_record(std::vector<Cell>& cells);
  Cell parse_quoted(std::size_t number);
  Cell parse_unquoted(std::size_t number);
  void check_utf8(const std::vector<Cell>& cells) const;
  [[nodiscard]] std::string_view view(const Cell& cell) const noexcept {
    return std::string_view(text_).substr(cell.offset, cell.size);
  }
  [[nodiscard]] std::int64_t integer_in(const CsvColumn& column, std::int64_t min,
                                        std::int64_t max) const;

  std::string text_;
  std::string file_;
  bool valid_utf8_ = true;
  std::size_t position_ = 0;   // next byte to parse
  std::size_t next_line_ = 1;  // physical line of that byte
  std::vector<std::string> header_;
  std::vector<Cell> cells_;
  std::size_t record_line_ = 0;
};

// Builds CSV text row by row; save() writes it to a file.
class CsvWriter {
 public:
  explicit CsvWriter(std::span<const std::string_view> header);
  CsvWriter(std::initializer_list<std::string_view> header)
      : CsvWriter(std::span<const std::string_view>(header.begin(), header.size())) {}

  CsvWriter& cell(std::string_view text);
  template <CsvInteger T>
  CsvWriter& cell(T value) {
    return integer_cell(static_cast<std::int64_t>(value));
  }
  // Shortest text that reads back to the same double.
  CsvWriter& cell(double value);
  CsvWriter& cell(Date date) { return cell(std::string_view(date.to_string())); }
  template <NamedEnum E>
  CsvWriter& cell(E value) {
    return cell(name_of(value));
  }
  // An empty cell for std::nullopt.
  template <class T>
  CsvWriter& cell(const std::optional<T>& value) {
    return value ? cell(*value) : cell(std::string_view{});
  }
  // Items joined with ';'. ValidationError for an item that is empty or holds ';', which
  // would not read back as the same list.
  template <class Range>
  CsvWriter& list(const Range& items) {
    std::vector<std::string_view> names;
    for (const auto& item : items) {
      if constexpr (NamedEnum<std::decay_t<decltype(item)>>) {
        names.push_back(name_of(item));
      } else {
        names.push_back(std::string_view(item));
      }
    }
    return joined_cell(names);
  }

  // Ends the current row; balai::Error if it has not exactly one cell per column.
  void end_row();

  [[nodiscard]] const std::string& text() const noexcept { return text_; }
  [[nodiscard]] std::string take() && { return std::move(text_); }
  // write_text_file(path, text()); balai::Error if a row was not ended.
  void save(const std::filesystem::path& path) const;

 private:
  CsvWriter& integer_cell(std::int64_t value);
  CsvWriter& joined_cell(std::span<const std::string_view> items);
  void raw_cell(std::string_view text);

  std::string text_;
  std::vector<std::string> header_;
  std::size_t cells_in_row_ = 0;
  std::size_t rows_ = 0;
};

// Writes `text` to `path` through a temporary file beside it, so that a reader never sees
// half a file; balai::Error naming the path when that fails.
void write_text_file(const std::filesystem::path& path, std::string_view text);

}  // namespace balai
BALAI_EXPORT_END
