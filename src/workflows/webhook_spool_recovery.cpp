#include "workflows/webhook_spool_recovery.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <string_view>

#include "workflows/webhook_spool_files.hpp"
#include "workflows/webhook_spool_record.hpp"

namespace instantly::webhooks::spool_recovery {
namespace {

namespace fs = std::filesystem;
using spool_record::Read;

std::string read_segment(const fs::path& path, std::uint64_t size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) spool_files::fail("cannot open", path, errno);
  try {
    std::string bytes = spool_files::read_at(fd, 0, static_cast<std::size_t>(size), path);
    ::close(fd);
    return bytes;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

// Is there an intact record anywhere after `from`? Then what lies at `from` is damage, not
// the torn end of the last write.
bool intact_record_after(std::string_view bytes, std::size_t from) {
  for (std::size_t at = bytes.find(spool_record::kMagic, from + 1); at != std::string_view::npos;
       at = bytes.find(spool_record::kMagic, at + 1)) {
    if (spool_record::decode(bytes.substr(at)).outcome == Read::Record) return true;
  }
  return false;
}

[[noreturn]] void damaged(const fs::path& path, std::size_t offset) {
  throw SpoolError("the spool segment " + path.string() + " is damaged at byte " + std::to_string(offset) +
                   " (records follow it, so it is not a write cut short); move the segment aside to go on");
}

}  // namespace

Recovered recover(const fs::path& directory) {
  Recovered out;
  out.segments = spool_files::list_segments(directory);
  std::error_code ignored;
  fs::remove(directory / "cursor.tmp", ignored);  // a cursor write the crash interrupted

  const std::uint64_t first = out.segments.empty() ? 1 : out.segments.begin()->first;
  out.committed = spool_files::read_cursor(directory).value_or(SpoolPosition{first, 0});
  // Segments wholly behind the cursor were forwarded; the crash came before their deletion.
  for (auto it = out.segments.begin(); it != out.segments.end() && it->first < out.committed.segment;) {
    fs::remove(spool_files::segment_path(directory, it->first), ignored);
    it = out.segments.erase(it);
  }
  if (!out.segments.empty() && out.segments.begin()->first > out.committed.segment) {
    out.committed = {out.segments.begin()->first, 0};  // its segment is gone: everything in it was forwarded
  }

  for (auto it = out.segments.begin(); it != out.segments.end(); ++it) {
    const auto [sequence, size] = *it;
    const fs::path path = spool_files::segment_path(directory, sequence);
    const std::string bytes = read_segment(path, size);
    std::size_t offset = sequence == out.committed.segment ? static_cast<std::size_t>(out.committed.offset) : 0;
    if (offset > bytes.size()) {
      throw SpoolError("the spool's cursor points past the end of " + path.string());
    }
    const bool last = std::next(it) == out.segments.end();
    for (;;) {
      const spool_record::Decoded decoded = spool_record::decode(std::string_view(bytes).substr(offset));
      if (decoded.outcome == Read::End) break;
      if (decoded.outcome == Read::Record) {
        offset += decoded.size;
        ++out.pending;
        continue;
      }
      // Cut short or unreadable: the torn end of the last write, unless intact records follow.
      if (!last || intact_record_after(bytes, offset)) damaged(path, offset);
      spool_files::truncate_to(path, offset);
      it->second = offset;
      break;
    }
  }
  return out;
}

}  // namespace instantly::webhooks::spool_recovery
