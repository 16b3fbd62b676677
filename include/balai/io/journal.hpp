// The event journal: a Ledger whose appends are durable. Each batch the ledger accepts is
// written to an append-only file as one checksummed record and synced to disk (fdatasync)
// before append returns, so an acknowledged event survives a crash of the process, the
// operating system or the machine. Opening the file replays it into a new ledger.
//
// A crash can leave the end of the file half written: opening detects that torn tail,
// cuts it off and reports it in recovery(); its events were never acknowledged. Damage
// anywhere else (a record that fails its checksum while records written after it are
// sound) is not what a crash leaves: open then throws FormatError naming the file and
// byte offset, and changes nothing. docs/journal.md has the byte layout and the limits of
// the guarantee.
//
// Group commit: appends from several threads share writes. One appender at a time writes
// every record waiting to be written with one write and one fdatasync, and wakes each
// appender whose record that made durable, so concurrent appends share syncs.
//
// A journal belongs to the process that opened it. A child made by fork() shares its file
// and lock, so there append() and snapshot() throw WrongProcessError naming the file, and
// close() (or the destructor) closes only the child's copy of the descriptor.
//
// A journal is POSIX only (open, pwrite, fdatasync, ftruncate, flock).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

#include "balai/core/export.hpp"
#include "balai/tracking/ledger.hpp"

BALAI_EXPORT_BEGIN
namespace balai {

// The format version this build writes to new files. It reads, and appends to, files of
// every version from 1 up to this one, each in its own version's format.
inline constexpr std::uint32_t kJournalFormatVersion = 2;

struct JournalOptions {
  // Create the file when it does not exist (true), or throw Error (false): a service that
  // expects its journal should not start an empty one because a path was mistyped.
  bool create = true;

  friend bool operator==(const JournalOptions&, const JournalOptions&) = default;
};

// What opening a journal found.
struct JournalRecovery {
  std::size_t records = 0;            // records replayed into the ledger
  std::size_t events = 0;             // events those records held, duplicates included
  bool torn_tail = false;             // the file ended in an unfinished write, now cut off
  std::uint64_t truncated_bytes = 0;  // bytes cut off the end of the file
  // Records begun in those bytes: the damaged one, and whole ones written with it.
  std::size_t dropped_records = 0;

  friend bool operator==(const JournalRecovery&, const JournalRecovery&) = default;
};

namespace detail {
struct JournalState;
}

class Journal {
 public:
  // Opens the journal at `path`, creating it if it does not exist and options.create
  // allows, and replays it into a ledger of `roster` and `ledger_options`. Throws
  // - Error naming the path when the file cannot be opened, created, read or repaired;
  // - ConflictError when a Journal, in this process or another, already has it open
  //   (an exclusive flock on the file, held until close);
  // - FormatError naming the path (and for a record, its byte offset) when the file is not
  //   a balai journal, was written by a newer format version, belongs to another roster
  //   (Roster::digest) or other ledger options, holds a damaged record that is not the
  //   torn tail, or a record the ledger refuses. The file is then left as it was.
  [[nodiscard]] static Journal open(const std::filesystem::path& path, Roster roster,
                                    LedgerOptions ledger_options = {}, JournalOptions options = {});

  Journal(Journal&& other) noexcept;
  Journal& operator=(Journal&& other) noexcept;  // closes the journal assigned over
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  ~Journal();  // closes it

  // Appends through the ledger first: a batch it refuses throws its ValidationError or
  // ConflictError and writes nothing. Otherwise returns once the batch is on disk. Its
  // record holds only the events it added: the duplicates it repeats are not written
  // again (a batch of duplicates only writes nothing), and it returns once the records
  // holding them are on disk. A batch whose record would pass 1 GiB is refused
  // (ValidationError) before anything changes: split it. In another process than the
  // opener (a child made by fork) it throws WrongProcessError and changes nothing.
  //
  // If writing or syncing fails, the journal becomes unusable: this and every later call
  // throws Error saying why. The ledger then holds the batch although it may not be on
  // disk; whether it is, opening the file again tells (a retried batch is a no-op if it
  // was). Safe to call from several threads at once.
  AppendResult append(std::span<const Event> events);
  AppendResult append(const EventColumns& batch);

  // The ledger, holding every event appended or replayed. Not to be read while another
  // thread appends (appends change it): snapshot() is. Stays readable after close().
  [[nodiscard]] const Ledger& ledger() const;
  // A copy of the ledger taken between two appends, safe while other threads append. It
  // may hold events whose append has not returned yet. WrongProcessError in another
  // process than the opener.
  [[nodiscard]] Ledger snapshot() const;
  [[nodiscard]] const JournalRecovery& recovery() const;
  [[nodiscard]] const std::filesystem::path& path() const;

  // Waits for appends in flight, then closes the file and releases its lock; later appends
  // throw Error. Closing twice is harmless. In another process than the opener it closes
  // that process's copy of the descriptor only, waiting for nothing.
  void close() noexcept;

 private:
  explicit Journal(std::unique_ptr<detail::JournalState> state) noexcept;
  [[nodiscard]] detail::JournalState& state() const;

  std::unique_ptr<detail::JournalState> state_;
};

}  // namespace balai
BALAI_EXPORT_END
