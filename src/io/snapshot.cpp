#include "balai/io/snapshot.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>

#include <boost/crc.hpp>

#include "balai/core/error.hpp"
#include "posix_file.hpp"
#include "snapshot_payload.hpp"

namespace balai {
namespace {

using detail::Descriptor;
using detail::sync_directory;

constexpr std::string_view kMagic = "BALAISNP";
constexpr std::uint32_t kByteOrderMark = 0x01020304;
constexpr std::uint32_t kForeignByteOrderMark = 0x04030201;

// Field offsets in the envelope, as documented in snapshot.hpp.
constexpr std::size_t kVersionAt = 8;
constexpr std::size_t kByteOrderAt = 12;
constexpr std::size_t kLengthAt = 16;
constexpr std::size_t kCrcAt = 24;
constexpr std::size_t kHeaderSize = 28;

std::uint32_t crc32(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

template <class T>
void append_native(std::string& bytes, T value) {
  bytes.append(reinterpret_cast<const char*>(&value), sizeof value);
}

template <class T>
T read_native(std::string_view bytes, std::size_t offset) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  return value;
}

std::string hex(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", static_cast<unsigned>(value));
  return text;
}

std::string truncated(std::uint64_t expected, std::uint64_t found) {
  return "truncated: expected " + std::to_string(expected) + " payload bytes, found " +
         std::to_string(found);
}

// Why a snapshot of `size` bytes that starts with `head` (its first kHeaderSize bytes, or
// all there are if fewer) cannot be read, or an empty string if its header is
// sound. It needs no payload, so a file is judged before its payload is read.
std::string header_defect(std::string_view head, std::uint64_t size) {
  if (head.empty()) return "not a balai snapshot: no bytes at all";
  if (head.substr(0, kMagic.size()) != kMagic.substr(0, head.size())) {
    return "not a balai snapshot: it does not start with \"BALAISNP\"";
  }
  if (head.size() < kHeaderSize) {
    return "truncated: the header needs " + std::to_string(kHeaderSize) + " bytes, found " +
           std::to_string(head.size());
  }
  if (const auto mark = read_native<std::uint32_t>(head, kByteOrderAt); mark != kByteOrderMark) {
    if (mark == kForeignByteOrderMark) {
      return "byte order differs: the snapshot was written on a machine of the other byte "
             "order, and is read only on one like its writer";
    }
    return "corrupted header: byte-order mark " + hex(mark) + " is not " + hex(kByteOrderMark);
  }
  const auto version = read_native<std::uint32_t>(head, kVersionAt);
  if (version > kSnapshotFormatVersion) {
    return "written by a newer format version " + std::to_string(version) +
           "; this build reads up to " + std::to_string(kSnapshotFormatVersion);
  }
  if (version == 0) return "corrupted header: there is no format version 0";
  const auto length = read_native<std::uint64_t>(head, kLengthAt);
  const std::uint64_t found = size - kHeaderSize;
  if (length > found) return truncated(length, found);
  if (length < found) {
    return "corrupted: " + std::to_string(found - length) + " stray bytes follow the " +
           std::to_string(length) + "-byte payload";
  }
  return {};
}

// `source` names the bytes in messages: "snapshot" or "snapshot '<path>'".
[[noreturn]] void refuse(const std::string& source, std::string_view reason) {
  throw FormatError(std::string(source).append(": ").append(reason));
}

// The dataset in `payload`, behind a header that header_defect found sound.
Dataset decode(std::string_view head, std::string_view payload, const std::string& source) {
  // A file can shrink between the header check and reading its payload.
  if (const auto length = read_native<std::uint64_t>(head, kLengthAt); payload.size() != length) {
    refuse(source, truncated(length, payload.size()));
  }
  const auto expected = read_native<std::uint32_t>(head, kCrcAt);
  if (const auto actual = crc32(payload); actual != expected) {
    refuse(source,
           "CRC mismatch: the header says " + hex(expected) + ", the payload gives " + hex(actual));
  }
  try {
    return detail::decode_payload(payload);
  } catch (const FormatError& error) {
    refuse(source, error.what());
  }
}

std::string describe(const std::filesystem::path& path) {
  return "snapshot '" + path.string() + "'";
}

[[noreturn]] void fail(std::string_view action, const std::filesystem::path& path, int error) {
  throw Error(std::string("cannot ")
                  .append(action)
                  .append(" ")
                  .append(describe(path))
                  .append(": ")
                  .append(std::generic_category().message(error)));
}

// Writes `bytes` to a new file at `path` and syncs it to disk; an errno value on failure.
int write_synced(const std::filesystem::path& path, std::string_view bytes) {
  Descriptor file(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
  if (!file.valid()) return errno;
  while (!bytes.empty()) {
    const ssize_t written = ::write(file.get(), bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  if (::fsync(file.get()) != 0) return errno;
  return file.close();
}

// Up to `count` bytes from the file's current position; fewer only at its end.
std::string read_up_to(int fd, std::size_t count, const std::filesystem::path& path) {
  std::string bytes(count, '\0');
  std::size_t done = 0;
  while (done < count) {
    const ssize_t got = ::read(fd, bytes.data() + done, count - done);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      fail("read", path, errno);
    }
    done += static_cast<std::size_t>(got);
  }
  bytes.resize(done);
  return bytes;
}

}  // namespace

std::string to_snapshot_bytes(const Dataset& dataset) {
  const std::string payload = detail::encode_payload(dataset);
  std::string bytes;
  bytes.reserve(kHeaderSize + payload.size());
  bytes.append(kMagic);
  append_native(bytes, kSnapshotFormatVersion);
  append_native(bytes, kByteOrderMark);
  append_native(bytes, static_cast<std::uint64_t>(payload.size()));
  append_native(bytes, crc32(payload));
  bytes.append(payload);
  return bytes;
}

Dataset from_snapshot_bytes(std::string_view bytes) {
  const std::string source = "snapshot";
  const auto head = bytes.substr(0, kHeaderSize);
  if (const auto defect = header_defect(head, bytes.size()); !defect.empty()) {
    refuse(source, defect);
  }
  return decode(head, bytes.substr(kHeaderSize), source);
}

void save_snapshot(const Dataset& dataset, const std::filesystem::path& path) {
  const std::string bytes = to_snapshot_bytes(dataset);
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  if (const int error = write_synced(temporary, bytes); error != 0) {
    ::unlink(temporary.c_str());
    fail("write", path, error);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    fail("write", path, error);
  }
  const auto directory = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  if (const int error = sync_directory(directory); error != 0) fail("write", path, error);
}

Dataset load_snapshot(const std::filesystem::path& path) {
  Descriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!file.valid()) fail("open", path, errno);
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) fail("read", path, errno);
  if (!S_ISREG(status.st_mode)) fail("read", path, S_ISDIR(status.st_mode) ? EISDIR : EINVAL);
  const auto size = static_cast<std::uint64_t>(status.st_size);

  const std::string source = describe(path);
  const std::string head = read_up_to(file.get(), kHeaderSize, path);
  if (const auto defect = header_defect(head, size); !defect.empty()) refuse(source, defect);
  const std::string payload = read_up_to(file.get(), size - kHeaderSize, path);
  return decode(head, payload, source);
}

}  // namespace balai
