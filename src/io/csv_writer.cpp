#include <charconv>
#include <cmath>
#include <fstream>
#include <system_error>

#include "balai/core/text.hpp"
#include "balai/io/csv.hpp"

namespace balai {
namespace {

// A plain loop: find_first_of calls memchr over the set for every character.
bool needs_quotes(std::string_view text) noexcept {
  for (char c : text) {
    if (c == ',' || c == '"' || c == '\r' || c == '\n') return true;
  }
  return false;
}

}  // namespace

CsvWriter::CsvWriter(std::span<const std::string_view> header) {
  header_.reserve(header.size());
  for (auto name : header) {
    header_.emplace_back(name);
    raw_cell(name);
  }
  end_row();
}

CsvWriter& CsvWriter::cell(std::string_view text) {
  raw_cell(text);
  return *this;
}

CsvWriter& CsvWriter::cell(double value) {
  if (!std::isfinite(value)) {
    throw ValidationError(Problem{"CSV row " + std::to_string(rows_ + 1),
                                  cells_in_row_ < header_.size() ? header_[cells_in_row_] : "",
                                  std::isnan(value) ? "nan" : "inf", "not a finite number"});
  }
  char text[32];
  const auto result = std::to_chars(text, text + sizeof text, value);
  raw_cell(std::string_view(text, static_cast<std::size_t>(result.ptr - text)));
  return *this;
}

CsvWriter& CsvWriter::integer_cell(std::int64_t value) {
  char text[24];
  const auto result = std::to_chars(text, text + sizeof text, value);
  raw_cell(std::string_view(text, static_cast<std::size_t>(result.ptr - text)));
  return *this;
}

CsvWriter& CsvWriter::joined_cell(std::span<const std::string_view> items) {
  std::string joined;
  for (auto item : items) {
    if (item.empty() || item.find(';') != std::string_view::npos) {
      throw ValidationError(
          Problem{"CSV row " + std::to_string(rows_ + 1),
                  cells_in_row_ < header_.size() ? header_[cells_in_row_] : "", printable(item),
                  "a list item must be non-empty and free of ';' to be written to CSV"});
    }
    if (!joined.empty()) joined += ';';
    joined.append(item);
  }
  raw_cell(joined);
  return *this;
}

void CsvWriter::raw_cell(std::string_view text) {
  if (cells_in_row_++ > 0) text_ += ',';
  if (!needs_quotes(text)) {
    text_.append(text);
    return;
  }
  text_ += '"';
  for (char c : text) {
    if (c == '"') text_ += '"';
    text_ += c;
  }
  text_ += '"';
}

void CsvWriter::end_row() {
  if (cells_in_row_ != header_.size()) {
    throw Error("CSV row " + std::to_string(rows_ + 1) + " has " + std::to_string(cells_in_row_) +
                " cells, the header " + std::to_string(header_.size()));
  }
  // A lone empty cell would be a blank line, which readers skip.
  if (header_.size() == 1 && (text_.empty() || text_.back() == '\n')) text_ += "\"\"";
  text_ += '\n';
  cells_in_row_ = 0;
  ++rows_;
}

void CsvWriter::save(const std::filesystem::path& path) const {
  if (cells_in_row_ != 0) throw Error("CSV row " + std::to_string(rows_ + 1) + " was not ended");
  write_text_file(path, text_);
}

void write_text_file(const std::filesystem::path& path, std::string_view text) {
  auto temporary = path;
  temporary += ".tmp";
  std::error_code ignored;
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) {
      std::filesystem::remove(temporary, ignored);
      throw Error("cannot write '" + path.string() + "'");
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::filesystem::remove(temporary, ignored);
    throw Error("cannot write '" + path.string() + "': " + error.message());
  }
}

}  // namespace balai
