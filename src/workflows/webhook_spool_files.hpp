// The webhook spool's files: the lock, the segment files, the cursor, and the
// few POSIX calls that make them durable (fdatasync, directory fsync).
// Every failure is a SpoolError naming the file and the system's reason.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "instantly/webhooks/spool.hpp"

namespace instantly::webhooks::spool_files {

namespace fs = std::filesystem;

/// "segment-00000000000000000001.spool"
std::string segment_name(std::uint64_t sequence);
fs::path segment_path(const fs::path& directory, std::uint64_t sequence);

/// Every segment file in the directory: sequence -> size in bytes.
std::map<std::uint64_t, std::uint64_t> list_segments(const fs::path& directory);

/// Takes the directory's lock file (flock, not waiting); returns its descriptor.
int take_lock(const fs::path& directory);

/// The committed position, or nothing when no cursor was written yet.
std::optional<SpoolPosition> read_cursor(const fs::path& directory);
/// Replaces the cursor atomically and durably (temp file, fdatasync, rename, directory fsync).
void write_cursor(const fs::path& directory, const SpoolPosition& position);

/// Opens (creating) a segment for appending.
int open_for_append(const fs::path& path);
void write_all(int fd, std::string_view bytes, const fs::path& path);
/// Reads exactly `size` bytes at `offset`, or fewer at the end of the file.
std::string read_at(int fd, std::uint64_t offset, std::size_t size, const fs::path& path);
void sync_data(int fd, const fs::path& path);
void sync_directory(const fs::path& directory);
void truncate_to(const fs::path& path, std::uint64_t size);

/// "<what> <path>: <strerror(errno)>"
[[noreturn]] void fail(std::string_view what, const fs::path& path, int error);

}  // namespace instantly::webhooks::spool_files
