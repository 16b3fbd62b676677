// The journal's file: opening and replaying it, telling a torn tail from corruption, and
// appends with group commit. The bytes themselves are journal_codec's business.
#include "balai/io/journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "../core/owner_process.hpp"
#include "balai/core/error.hpp"
#include "crc32c.hpp"
#include "journal_codec.hpp"
#include "posix_file.hpp"

namespace balai {
namespace detail {

struct JournalState {
  JournalState(std::filesystem::path p, Ledger l, JournalRecovery r, int f, std::uint64_t size,
               std::uint32_t v)
      : path(std::move(p)), ledger(std::move(l)), recovery(r), format(v), fd(f), end(size) {}

  std::filesystem::path path;
  Ledger ledger;
  JournalRecovery recovery;
  OwnerProcess opener;   // the only process that may write the file or take the mutex
  std::uint32_t format;  // the file's format version, which its new records keep

  std::mutex mutex;                 // guards the ledger's appends and everything below
  std::condition_variable written;  // a write ended, or the journal was closed
  int fd;
  std::uint64_t end;                // the file's size: where the next write begins
  std::string pending;              // records waiting for a write, their frames unsealed
  std::vector<std::size_t> frames;  // where each pending record starts in `pending`
  std::uint64_t queued = 0;         // records ever put in `pending`
  std::uint64_t durable = 0;        // of those, how many are written and synced
  bool flushing = false;            // an appender is writing `pending` outside the lock
  std::string unusable;             // why appends fail (closed, an I/O error); empty if usable
};

}  // namespace detail

namespace {

using detail::Descriptor;
using detail::Frame;
using detail::kFrameHeaderSize;
using detail::kJournalHeaderSize;
using detail::sync_directory;

std::string describe(const std::filesystem::path& path) {
  return "journal '" + path.string() + "'";
}

std::string message(int error) { return std::generic_category().message(error); }

[[noreturn]] void fail(std::string_view action, const std::filesystem::path& path, int error) {
  throw Error("cannot " + std::string(action) + " " + describe(path) + ": " + message(error));
}

[[noreturn]] void refuse(const std::filesystem::path& path, std::string_view why) {
  throw FormatError(describe(path) + ": " + std::string(why) + "; the file is left as it was");
}

std::string at_offset(std::uint64_t offset) { return "byte offset " + std::to_string(offset); }

// Writes all of `bytes` at `offset`; 0 or an errno value.
int write_at(int fd, std::string_view bytes, std::uint64_t offset) noexcept {
  while (!bytes.empty()) {
    const ssize_t written = ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
    offset += static_cast<std::uint64_t>(written);
  }
  return 0;
}

int sync_data(int fd) noexcept { return ::fdatasync(fd) == 0 ? 0 : errno; }

// The bytes of a locked journal file of known size, read through a window so that
// replaying many small records costs few system calls. A view lasts until the next one.
class Source {
 public:
  Source(int fd, std::uint64_t size, const std::filesystem::path& path) noexcept
      : fd_(fd), size_(size), path_(path) {}

  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

  // Bytes [offset, offset + count), which must lie within the file.
  [[nodiscard]] std::string_view view(std::uint64_t offset, std::size_t count) {
    if (offset < window_at_ || offset + count > window_at_ + window_.size()) {
      fill(offset, static_cast<std::size_t>(
                       std::min<std::uint64_t>(std::max(count, kWindow), size_ - offset)));
    }
    return std::string_view(window_).substr(static_cast<std::size_t>(offset - window_at_), count);
  }

 private:
  static constexpr std::size_t kWindow = std::size_t{1} << 20;

  void fill(std::uint64_t offset, std::size_t count) {
    window_.resize(count);
    window_at_ = offset;
    std::size_t done = 0;
    while (done < count) {
      const ssize_t got =
          ::pread(fd_, window_.data() + done, count - done, static_cast<off_t>(offset + done));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) fail("read", path_, errno);
      // The file is locked, so nothing of ours shrinks it while it is read.
      if (got == 0) throw Error(describe(path_) + " shrank while it was read");
      done += static_cast<std::size_t>(got);
    }
  }

  int fd_;
  std::uint64_t size_;
  const std::filesystem::path& path_;
  std::string window_;
  std::uint64_t window_at_ = 0;
};

// Whether a frame header read at `offset` could be one the writer wrote: tested before its
// checksum, which makes searching a damaged tail byte by byte cheap.
bool plausible(const Frame& frame, std::uint64_t offset, std::uint64_t size) noexcept {
  return frame.length > 0 && frame.length <= detail::kMaxPayloadSize &&
         frame.write_offset >= kJournalHeaderSize && frame.write_offset <= offset &&
         frame.length <= size - offset - kFrameHeaderSize;
}

// The record at `offset`: its frame, and its payload (a view into `source`), or why it is
// not sound.
struct Record {
  Frame frame{};
  std::string_view payload{};
  std::string defect{};
};

Record read_record(Source& source, std::uint64_t offset) {
  Record record;
  const auto size = source.size();
  if (size - offset < kFrameHeaderSize) {
    record.defect = "the file ends inside its frame header";
    return record;
  }
  const auto header = source.view(offset, kFrameHeaderSize);
  if (!detail::frame_intact(header)) {
    record.defect = "its frame header fails its CRC-32C";
    return record;
  }
  record.frame = detail::load_frame(header);
  if (!plausible(record.frame, offset, size)) {
    record.defect = record.frame.length <= size - offset - kFrameHeaderSize
                        ? "its frame header holds an impossible length or write offset"
                        : "its " + std::to_string(record.frame.length) +
                              "-byte payload runs past the end of the file";
    return record;
  }
  record.payload = source.view(offset + kFrameHeaderSize, record.frame.length);
  if (detail::crc32c(record.payload) != record.frame.payload_crc) {
    record.defect = "its payload fails its CRC-32C";
  }
  return record;
}

// What follows a damaged record: the first sound record of a later write, if any, and the
// sound records of the damaged record's own write. A crash can only damage the last write,
// which records of a later write prove finished.
struct Tail {
  std::optional<std::uint64_t> later_write{};
  std::size_t same_write = 0;
};

Tail search_tail(Source& source, std::uint64_t damaged) {
  Tail tail;
  for (auto offset = damaged + 1; source.size() - offset >= kFrameHeaderSize;) {
    const auto header = source.view(offset, kFrameHeaderSize);
    if (plausible(detail::load_frame(header), offset, source.size()) &&
        detail::frame_intact(header)) {
      if (const auto record = read_record(source, offset); record.defect.empty()) {
        if (record.frame.write_offset > damaged) {
          tail.later_write = offset;
          return tail;
        }
        ++tail.same_write;
        offset += kFrameHeaderSize + record.frame.length;
        continue;
      }
    }
    ++offset;
  }
  return tail;
}

// Replays the records after the header into `ledger`. Returns what it found, and in `end`
// where the sound records end (short of the file's size when the tail is torn).
JournalRecovery replay(Source& source, std::uint32_t format, Ledger& ledger, std::uint64_t& end) {
  JournalRecovery recovery;
  auto offset = static_cast<std::uint64_t>(kJournalHeaderSize);
  while (offset < source.size()) {
    const auto record = read_record(source, offset);
    if (!record.defect.empty()) {
      const auto tail = search_tail(source, offset);
      if (tail.later_write) {
        refuse(source.path(), "the record at " + at_offset(offset) + " is damaged (" +
                                  record.defect + "), yet a record written after it follows at " +
                                  at_offset(*tail.later_write) +
                                  ": that is corruption, not a torn tail");
      }
      recovery.torn_tail = true;
      recovery.truncated_bytes = source.size() - offset;
      recovery.dropped_records = 1 + tail.same_write;
      break;
    }
    EventTable batch;
    try {
      batch = detail::decode_batch(record.payload, format);
    } catch (const FormatError& error) {
      refuse(source.path(),
             "the record at " + at_offset(offset) + " cannot be decoded: " + error.what());
    }
    try {
      ledger.append(batch.columns());
    } catch (const Error& error) {
      refuse(source.path(),
             "the ledger refuses the record at " + at_offset(offset) + ": " + error.what());
    }
    ++recovery.records;
    recovery.events += batch.id.size();
    offset += kFrameHeaderSize + record.frame.length;
  }
  end = offset;
  return recovery;
}

// The events the ledger took from a batch since position `first`, as it recorded them and
// in its order: what the record of a batch that repeats recorded events holds, so that a
// producer re-sending cumulative batches does not write its history again with each one.
// Replaying them rebuilds the same ledger, since the repeated events are already in it.
EventTable added_events(const Ledger& ledger, std::size_t first) {
  std::vector<Event> events;
  events.reserve(ledger.size() - first);
  for (auto position = first; position < ledger.size(); ++position) {
    events.push_back(ledger.event(position));
  }
  return to_columns(events);
}

// A child made by fork() shares the file, its offset and its lock with the parent, and
// may hold a copy of the mutex locked by a parent thread that did not follow it: it must
// neither write nor wait. The parent's next write would overwrite the child's records.
void refuse_other_process(const detail::JournalState& s) {
  if (s.opener.is_current()) return;
  throw WrongProcessError(describe(s.path) + " was opened by process " +
                          std::to_string(s.opener.pid()) + " and cannot be used by process " +
                          std::to_string(::getpid()) +
                          " (a child made by fork?): open the journal in the process that "
                          "uses it, once the other has closed it");
}

// Writes every pending record with one write and one sync, outside the lock so that other
// appenders can queue theirs meanwhile, and wakes every appender waiting.
void flush(detail::JournalState& s, std::unique_lock<std::mutex>& lock) {
  s.flushing = true;
  std::string bytes = std::exchange(s.pending, {});
  const auto frames = std::exchange(s.frames, {});
  const auto last = s.queued;
  const auto offset = s.end;
  lock.unlock();

  for (const auto frame : frames) detail::seal_frame(bytes.data() + frame, offset);
  std::string_view step = "write";
  int error = write_at(s.fd, bytes, offset);
  if (error == 0) {
    step = "sync";
    error = sync_data(s.fd);
  }

  lock.lock();
  s.flushing = false;
  if (error != 0) {
    s.unusable = describe(s.path) + " is unusable: cannot " + std::string(step) +
                 " it: " + message(error) + "; its ledger may hold events that are not on disk";
  } else {
    s.end = offset + bytes.size();
    s.durable = last;
  }
  s.written.notify_all();
}

}  // namespace

Journal Journal::open(const std::filesystem::path& path, Roster roster,
                      LedgerOptions ledger_options, JournalOptions options) {
  const auto header = detail::journal_header(roster.digest(), ledger_options);
  Descriptor file(::open(path.c_str(), O_RDWR | O_CLOEXEC | (options.create ? O_CREAT : 0), 0666));
  if (!file.valid()) fail("open", path, errno);
  if (::flock(file.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      throw ConflictError(describe(path) + " is already open, in this process or another");
    }
    fail("lock", path, errno);
  }
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) fail("read", path, errno);
  if (!S_ISREG(status.st_mode)) fail("open", path, EINVAL);
  Source source(file.get(), static_cast<std::uint64_t>(status.st_size), path);

  const auto head = source.view(
      0, static_cast<std::size_t>(std::min<std::uint64_t>(source.size(), kJournalHeaderSize)));
  if (const auto why = detail::header_mismatch(head, header); !why.empty()) refuse(path, why);
  const auto format =
      head.size() < kJournalHeaderSize ? kJournalFormatVersion : detail::header_version(head);

  Ledger ledger(std::move(roster), ledger_options);
  JournalRecovery recovery;
  std::uint64_t end = kJournalHeaderSize;
  if (source.size() < kJournalHeaderSize) {
    // A new file, or one whose creation a crash cut short: no record was ever written.
    recovery.torn_tail = source.size() > 0;
    recovery.truncated_bytes = source.size();
    if (const int error = write_at(file.get(), header, 0); error != 0) fail("write", path, error);
    if (const int error = sync_data(file.get()); error != 0) fail("sync", path, error);
    if (const int error = sync_directory(path.has_parent_path() ? path.parent_path()
                                                                : std::filesystem::path("."));
        error != 0)
      fail("sync the directory of", path, error);
  } else {
    recovery = replay(source, format, ledger, end);
    if (end < source.size()) {
      if (::ftruncate(file.get(), static_cast<off_t>(end)) != 0) fail("truncate", path, errno);
      if (const int error = sync_data(file.get()); error != 0) fail("sync", path, error);
    }
  }
  return Journal(std::make_unique<detail::JournalState>(path, std::move(ledger), recovery,
                                                        file.release(), end, format));
}

Journal::Journal(std::unique_ptr<detail::JournalState> state) noexcept : state_(std::move(state)) {}

Journal::Journal(Journal&& other) noexcept = default;

Journal& Journal::operator=(Journal&& other) noexcept {
  if (this != &other) {
    close();
    state_ = std::move(other.state_);
  }
  return *this;
}

Journal::~Journal() { close(); }

detail::JournalState& Journal::state() const {
  if (!state_) throw Error("the journal was moved from");
  return *state_;
}

AppendResult Journal::append(std::span<const Event> events) {
  const auto batch = to_columns(events);
  return append(batch.columns());
}

AppendResult Journal::append(const EventColumns& batch) {
  auto& s = state();
  refuse_other_process(s);
  if (detail::payload_bound(batch) > detail::kMaxPayloadSize) {
    throw ValidationError(Problem{"batch", "size", std::to_string(batch.size()) + " events",
                                  "its journal record would pass 1 GiB: append it in parts"});
  }
  std::unique_lock lock(s.mutex);
  if (!s.unusable.empty()) throw Error(s.unusable);
  const auto first_added = s.ledger.size();
  const auto result = s.ledger.append(batch);
  // A batch of duplicates only is not written, but it waits like the others: the events it
  // repeats may be in records still waiting for their write.
  auto ticket = s.queued;
  if (result.added > 0) {
    const auto start = s.pending.size();
    try {
      if (result.duplicates == 0) {
        detail::append_record(s.pending, batch, s.format);
      } else {
        detail::append_record(s.pending, added_events(s.ledger, first_added).columns(), s.format);
      }
      s.frames.push_back(start);
    } catch (const std::exception& error) {
      s.pending.resize(start);
      s.unusable = describe(s.path) +
                   " is unusable: a batch its ledger took could not be encoded (" + error.what() +
                   "); the ledger holds events that are not on disk";
      s.written.notify_all();
      throw Error(s.unusable);
    }
    ticket = ++s.queued;
  }
  while (s.durable < ticket) {
    if (!s.unusable.empty()) throw Error(s.unusable);
    if (s.flushing) {
      s.written.wait(lock);
    } else {
      flush(s, lock);
    }
  }
  return result;
}

const Ledger& Journal::ledger() const { return state().ledger; }

Ledger Journal::snapshot() const {
  auto& s = state();
  refuse_other_process(s);
  const std::scoped_lock lock(s.mutex);
  return s.ledger;
}

const JournalRecovery& Journal::recovery() const { return state().recovery; }
const std::filesystem::path& Journal::path() const { return state().path; }

void Journal::close() noexcept {
  if (!state_) return;
  auto& s = *state_;
  if (!s.opener.is_current()) {
    // Only this process's copy of the descriptor is closed: the opener's file and lock
    // stay as they are, and the lock is freed once the opener closes too.
    if (s.fd >= 0) ::close(std::exchange(s.fd, -1));
    return;
  }
  std::unique_lock lock(s.mutex);
  s.written.wait(lock,
                 [&] { return !s.flushing && (s.durable == s.queued || !s.unusable.empty()); });
  if (s.fd >= 0) ::close(std::exchange(s.fd, -1));
  if (s.unusable.empty()) s.unusable = describe(s.path) + " is closed";
}

}  // namespace balai
