#include "workflows/webhook_spool_files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

namespace instantly::webhooks::spool_files {
namespace {

constexpr std::string_view kSegmentPrefix = "segment-";
constexpr std::string_view kSegmentSuffix = ".spool";
constexpr std::size_t kSequenceDigits = 20;

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::optional<std::uint64_t> parse_sequence(std::string_view name) {
  if (!name.starts_with(kSegmentPrefix) || !name.ends_with(kSegmentSuffix)) return std::nullopt;
  const std::string_view digits = name.substr(kSegmentPrefix.size(),
                                              name.size() - kSegmentPrefix.size() - kSegmentSuffix.size());
  if (digits.size() != kSequenceDigits) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

}  // namespace

void fail(std::string_view what, const fs::path& path, int error) {
  throw SpoolError(std::string(what) + " " + path.string() + ": " + std::strerror(error));
}

std::string segment_name(std::uint64_t sequence) {
  char digits[kSequenceDigits + 1];
  std::snprintf(digits, sizeof digits, "%020" PRIu64, sequence);
  return std::string(kSegmentPrefix) + digits + std::string(kSegmentSuffix);
}

fs::path segment_path(const fs::path& directory, std::uint64_t sequence) {
  return directory / segment_name(sequence);
}

std::map<std::uint64_t, std::uint64_t> list_segments(const fs::path& directory) {
  std::map<std::uint64_t, std::uint64_t> segments;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory, error)) {
    const auto sequence = parse_sequence(entry.path().filename().string());
    if (sequence && entry.is_regular_file()) segments[*sequence] = entry.file_size();
  }
  if (error) throw SpoolError("cannot list the spool " + directory.string() + ": " + error.message());
  return segments;
}

int take_lock(const fs::path& directory) {
  const fs::path path = directory / "lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot open the lock file", path, errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) {
      throw SpoolError("the spool " + directory.string() + " is in use by another process (it holds " +
                       path.string() + ")");
    }
    fail("cannot lock", path, error);
  }
  return fd;
}

std::optional<SpoolPosition> read_cursor(const fs::path& directory) {
  const fs::path path = directory / "cursor";
  std::ifstream in(path);
  if (!in) return std::nullopt;
  SpoolPosition position;
  if (!(in >> position.segment >> position.offset)) {
    throw SpoolError("the spool's cursor " + path.string() + " is unreadable (expected \"<segment> <offset>\")");
  }
  return position;
}

void write_cursor(const fs::path& directory, const SpoolPosition& position) {
  const fs::path temporary = directory / "cursor.tmp";
  const fs::path path = directory / "cursor";
  {
    FileDescriptor fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd.get() < 0) fail("cannot write", temporary, errno);
    write_all(fd.get(), std::to_string(position.segment) + " " + std::to_string(position.offset) + "\n", temporary);
    sync_data(fd.get(), temporary);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) fail("cannot replace", path, errno);
  sync_directory(directory);
}

int open_for_append(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot open", path, errno);
  return fd;
}

void write_all(int fd, std::string_view bytes, const fs::path& path) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      fail("cannot write", path, errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

std::string read_at(int fd, std::uint64_t offset, std::size_t size, const fs::path& path) {
  std::string out(size, '\0');
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got = ::pread(fd, out.data() + done, size - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      fail("cannot read", path, errno);
    }
    if (got == 0) break;  // the end of the file
    done += static_cast<std::size_t>(got);
  }
  out.resize(done);
  return out;
}

void sync_data(int fd, const fs::path& path) {
  if (::fdatasync(fd) != 0) fail("cannot flush", path, errno);
}

void sync_directory(const fs::path& directory) {
  FileDescriptor fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) fail("cannot open", directory, errno);
  if (::fsync(fd.get()) != 0) fail("cannot flush", directory, errno);
}

void truncate_to(const fs::path& path, std::uint64_t size) {
  if (::truncate(path.c_str(), static_cast<off_t>(size)) != 0) fail("cannot truncate", path, errno);
}

}  // namespace instantly::webhooks::spool_files
