#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <system_error>

#include "balai/core/text.hpp"
#include "balai/io/csv.hpp"
#include "balai/model/nik.hpp"

namespace balai {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// The bytes that end or spoil an unquoted field; a table keeps the hot loop to one test.
constexpr auto kSpecial = [] {
  std::array<bool, 256> special{};
  for (const char c : {',', '\n', '\r', '"'}) special[static_cast<unsigned char>(c)] = true;
  return special;
}();

// How a cell shows up in a message: quoted and printable, or named as empty.
std::string shown(std::string_view cell) {
  if (cell.empty()) return "an empty cell";
  std::string text = "'";
  return text.append(printable(cell)).append("'");
}

}  // namespace

CsvReader::CsvReader(std::string text, std::string file)
    : text_(std::move(text)), file_(std::move(file)) {
  if (text_.starts_with(kByteOrderMark)) position_ = kByteOrderMark.size();
  valid_utf8_ = is_valid_utf8(text_);
  std::vector<Cell> cells;
  if (!parse_record(cells)) throw ParseError(file_, 1, 0, "", "empty file: expected a header row");
  check_utf8(cells);
  header_.reserve(cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::string_view name = view(cells[i]);
    if (name.empty()) throw ParseError(file_, cells[i].line, i + 1, "", "empty column name");
    for (std::size_t j = 0; j < i; ++j) {
      if (header_[j] == name) {
        throw ParseError(file_, cells[i].line, i + 1, std::string(name),
                         "duplicate column name, also column " + std::to_string(j + 1));
      }
    }
    header_.emplace_back(name);
  }
}

CsvReader CsvReader::open(const std::filesystem::path& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) throw Error("cannot read '" + path.string() + "': " + error.message());
  std::string text(size, '\0');
  std::ifstream in(path, std::ios::binary);
  if (!in.read(text.data(), static_cast<std::streamsize>(size))) {
    throw Error("cannot read '" + path.string() + "'");
  }
  return CsvReader(std::move(text), path.string());
}

bool CsvReader::has_column(std::string_view name) const noexcept {
  for (const auto& candidate : header_) {
    if (candidate == name) return true;
  }
  return false;
}

CsvColumn CsvReader::column(std::string_view name) const {
  auto found = optional_column(name);
  if (!found.present()) {
    throw ParseError(file_, 1, 0, std::string(name), "missing required column");
  }
  return found;
}

CsvColumn CsvReader::optional_column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return CsvColumn(std::string(name), i + 1);
  }
  return CsvColumn(std::string(name), 0);
}

bool CsvReader::next() {
  if (!parse_record(cells_)) return false;
  if (cells_.size() != header_.size()) {
    const auto found = cells_.size();
    cells_.clear();
    throw ParseError(file_, record_line_, 0, "",
                     "expected " + std::to_string(header_.size()) +
                         " fields as in the header, found " + std::to_string(found));
  }
  if (!valid_utf8_) check_utf8(cells_);
  return true;
}

bool CsvReader::parse_record(std::vector<Cell>& cells) {
  cells.clear();
  const std::size_t size = text_.size();
  while (position_ < size) {
    if (text_[position_] == '\n') {
      position_ += 1;
    } else if (text_[position_] == '\r' && position_ + 1 < size && text_[position_ + 1] == '\n') {
      position_ += 2;
    } else {
      break;
    }
    ++next_line_;
  }
  if (position_ >= size) return false;
  record_line_ = next_line_;
  for (;;) {
    const std::size_t number = cells.size() + 1;
    cells.push_back(text_[position_] == '"' ? parse_quoted(number) : parse_unquoted(number));
    if (position_ >= size) return true;
    // parse_quoted and parse_unquoted stop only at ',', "\n" or "\r\n".
    if (text_[position_] == ',') {
      ++position_;
      if (position_ < size) continue;
      cells.push_back(Cell{size, 0, next_line_});  // a trailing comma ends in an empty field
      return true;
    }
    position_ += text_[position_] == '\r' ? 2 : 1;
    ++next_line_;
    return true;
  }
}

CsvReader::Cell CsvReader::parse_unquoted(std::size_t number) {
  const std::size_t size = text_.size();
  const Cell cell{position_, 0, next_line_};
  const auto fail = [&](std::string message) {
    return ParseError(file_, cell.line, number,
                      number <= header_.size() ? header_[number - 1] : std::string(),
                      std::move(message));
  };
  while (position_ < size && !kSpecial[static_cast<unsigned char>(text_[position_])]) ++position_;
  if (position_ < size) {
    const char c = text_[position_];
    if (c == '\r' && !(position_ + 1 < size && text_[position_ + 1] == '\n')) {
      throw fail("carriage return without a line feed outside quotes");
    }
    if (c == '"') {
      throw fail("quote inside an unquoted field: quote the whole field and double the quote");
    }
  }
  return Cell{cell.offset, position_ - cell.offset, cell.line};
}

CsvReader::Cell CsvReader::parse_quoted(std::size_t number) {
  const std::size_t size = text_.size();
  const std::size_t line = next_line_;
  const auto fail = [&](std::size_t at_line, std::string message) {
    return ParseError(file_, at_line, number,
                      number <= header_.size() ? header_[number - 1] : std::string(),
                      std::move(message));
  };
  ++position_;  // the opening quote
  const std::size_t start = position_;
  // Unescapes in place: the text only ever moves towards the start of the field.
  std::size_t write = position_;
  for (;;) {
    if (position_ >= size) {
      throw fail(line, "unterminated quoted field: no closing quote before the end of the file");
    }
    const char c = text_[position_];
    if (c == '"') {
      if (position_ + 1 < size && text_[position_ + 1] == '"') {
        text_[write++] = '"';
        position_ += 2;
        continue;
      }
      ++position_;
      break;
    }
    if (c == '\n') ++next_line_;
    text_[write++] = c;
    ++position_;
  }
  if (position_ < size) {
    const char c = text_[position_];
    const bool at_end = c == ',' || c == '\n' ||
                        (c == '\r' && position_ + 1 < size && text_[position_ + 1] == '\n');
    if (!at_end) throw fail(next_line_, "unexpected character after a closing quote");
  }
  return Cell{start, write - start, line};
}

void CsvReader::check_utf8(const std::vector<Cell>& cells) const {
  if (valid_utf8_) return;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (!is_valid_utf8(view(cells[i]))) {
      throw ParseError(file_, cells[i].line, i + 1, i < header_.size() ? header_[i] : std::string(),
                       "not valid UTF-8");
    }
  }
}

std::string_view CsvReader::text(const CsvColumn& column) const {
  if (!column.present() || column.number() > cells_.size()) return {};
  return view(cells_[column.number() - 1]);
}

std::optional<std::string> CsvReader::optional_string(const CsvColumn& column) const {
  const auto cell = text(column);
  if (cell.empty()) return std::nullopt;
  return std::string(cell);
}

std::int64_t CsvReader::integer_in(const CsvColumn& column, std::int64_t min,
                                   std::int64_t max) const {
  const auto cell = text(column);
  std::int64_t value = 0;
  const auto [end, status] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (cell.empty() || status == std::errc::invalid_argument || end != cell.data() + cell.size()) {
    throw error(column, shown(cell) + " is not an integer");
  }
  if (status == std::errc::result_out_of_range || value < min || value > max) {
    throw error(column,
                shown(cell) + " is outside " + std::to_string(min) + ".." + std::to_string(max));
  }
  return value;
}

double CsvReader::real(const CsvColumn& column) const {
  const auto cell = text(column);
  double value = 0.0;
  const auto [end, status] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (cell.empty() || status != std::errc{} || end != cell.data() + cell.size() ||
      !std::isfinite(value)) {
    throw error(column, shown(cell) + " is not a finite decimal number");
  }
  return value;
}

std::optional<double> CsvReader::optional_real(const CsvColumn& column) const {
  if (text(column).empty()) return std::nullopt;
  return real(column);
}

Date CsvReader::date(const CsvColumn& column) const {
  return convert(column, [&](std::string_view cell) { return Date::parse(cell, column.name()); });
}

std::optional<Date> CsvReader::optional_date(const CsvColumn& column) const {
  if (text(column).empty()) return std::nullopt;
  return date(column);
}

std::vector<std::string_view> CsvReader::list(const CsvColumn& column) const {
  std::vector<std::string_view> items;
  const auto cell = text(column);
  if (cell.empty()) return items;
  for (std::size_t start = 0;;) {
    const std::size_t end = std::min(cell.find(';', start), cell.size());
    if (end == start) {
      throw error(column, shown(cell) + " has an empty item: items are separated by one ';'");
    }
    items.push_back(cell.substr(start, end - start));
    if (end == cell.size()) return items;
    start = end + 1;
  }
}

std::vector<std::string> CsvReader::string_list(const CsvColumn& column) const {
  const auto items = list(column);
  return std::vector<std::string>(items.begin(), items.end());
}

ParseError CsvReader::error(const CsvColumn& column, std::string message) const {
  const bool located = column.present() && column.number() <= cells_.size();
  // The message may quote the cell, and a cell in any column may hold a NIK in clear.
  return ParseError(file_, located ? cells_[column.number() - 1].line : record_line_,
                    column.number(), column.name(), hide_niks(message));
}

ParseError CsvReader::error(const CsvColumn& column, const Problem& problem) const {
  if (problem.value.empty()) return error(column, problem.message);
  std::string message = "'";
  message.append(problem.value).append("': ").append(problem.message);
  return error(column, std::move(message));
}

ParseError CsvReader::error(std::string message) const {
  return ParseError(file_, record_line_, 0, "", std::move(message));
}

}  // namespace balai
