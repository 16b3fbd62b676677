// The one error hierarchy of balai. Every failure the library reports is a balai::Error;
// the subclasses say what kind of failure it is, and each maps to one Python exception
// class under balai.Error that also derives from the closest built-in exception.
//
//   Error                    balai.Error              (Exception)
//   ├─ ValidationError       balai.ValidationError    (ValueError)
//   ├─ UnknownReferenceError balai.UnknownReferenceError (KeyError)
//   ├─ ParseError            balai.ParseError         (ValueError)
//   ├─ FormatError           balai.FormatError        (ValueError)
//   ├─ ConflictError         balai.ConflictError      (ValueError)
//   ├─ InfeasibleError       balai.InfeasibleError    (RuntimeError)
//   ├─ CancelledError        balai.CancelledError     (RuntimeError)
//   └─ WrongProcessError     balai.WrongProcessError  (RuntimeError)
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "balai/core/export.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One thing wrong with an input: which field, what value it had, and why it is wrong.
// `where` locates the record ("facility BLK-3201-004", "trainees.csv line 17").
struct Problem {
  std::string where;
  std::string field;
  std::string value;
  std::string message;

  [[nodiscard]] std::string to_string() const;
  friend bool operator==(const Problem&, const Problem&) = default;
};

// Input that breaks a rule. Carries every problem found, not just the first, so a user
// fixing a batch sees the whole list at once.
class ValidationError : public Error {
 public:
  explicit ValidationError(std::vector<Problem> problems);
  explicit ValidationError(Problem problem);

  [[nodiscard]] const std::vector<Problem>& problems() const noexcept { return problems_; }

 private:
  std::vector<Problem> problems_;
};

// A lookup by an external id or code that names nothing known.
class UnknownReferenceError : public Error {
 public:
  UnknownReferenceError(std::string kind, std::string key);

  [[nodiscard]] const std::string& kind() const noexcept { return kind_; }
  [[nodiscard]] const std::string& key() const noexcept { return key_; }

 private:
  std::string kind_;
  std::string key_;
};

// A text file that cannot be read as what it claims to be. Lines and columns count from
// 1; a column of 0 means the problem concerns the whole line.
class ParseError : public Error {
 public:
  ParseError(std::string file, std::size_t line, std::size_t column, std::string field,
             std::string message);

  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] std::size_t line() const noexcept { return line_; }
  [[nodiscard]] std::size_t column() const noexcept { return column_; }
  [[nodiscard]] const std::string& field() const noexcept { return field_; }
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

 private:
  std::string file_;
  std::size_t line_;
  std::size_t column_;
  std::string field_;
  std::string reason_;
};

// A binary file (snapshot, journal) that is truncated, corrupted, foreign or too new.
class FormatError : public Error {
 public:
  using Error::Error;
};

// The same identity submitted twice with different content.
class ConflictError : public Error {
 public:
  using Error::Error;
};

// A well-formed problem that has no solution under its constraints.
class InfeasibleError : public Error {
 public:
  using Error::Error;
};

// A long computation stopped because its progress callback asked it to.
class CancelledError : public Error {
 public:
  using Error::Error;
};

// An object holding a file or a lock (a Journal) used by a process other than the one
// that opened it: a child made by fork() shares the parent's file and lock, so its writes
// would interleave with the parent's. The message names the file and both processes.
class WrongProcessError : public Error {
 public:
  using Error::Error;
};

}  // namespace balai
BALAI_EXPORT_END
