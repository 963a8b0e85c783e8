// instantly::webhooks::Spool (instantly/webhooks/spool.hpp). Appends write a
// whole record with one write(2) under the mutex and then wait for an
// fdatasync that covers them: the first waiter runs it with the mutex
// released, the others ride along (group commit). The forwarder reads with
// its own descriptor up to what has been written, never a half record.
#include "instantly/webhooks/spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <utility>

#include "core/utc_timestamp.hpp"
#include "workflows/webhook_spool_files.hpp"
#include "workflows/webhook_spool_record.hpp"
#include "workflows/webhook_spool_recovery.hpp"

namespace instantly::webhooks {

namespace fs = std::filesystem;
namespace files = spool_files;

struct Spool::State {
  // Reading ahead of the cursor: a batch handed out, to be committed (or rewound) as a whole.
  struct ReadBatch {
    SpoolPosition end;
    std::uint64_t records = 0;
  };

  SpoolOptions options;
  int lock_fd = -1;

  mutable std::mutex mutex;
  std::condition_variable synced;    // appenders waiting for their fdatasync
  std::condition_variable appended;  // a reader waiting for a record
  bool closed = false;

  // The segment being appended to, and every segment's size (the bound counts them all).
  std::map<std::uint64_t, std::uint64_t> segments;
  std::uint64_t total_bytes = 0;
  std::uint64_t write_segment = 1;
  int write_fd = -1;

  // Group commit: appends are numbered; `synced_through` of them are on disk.
  std::uint64_t appended_count = 0;
  std::uint64_t synced_through = 0;
  bool syncing = false;
  // A failed fdatasync fails the appends (after, through] it was meant to cover.
  std::uint64_t failed_after = 0, failed_through = 0;

  std::uint64_t pending = 0;  // records after the committed position

  // The forwarder's side (one thread).
  SpoolPosition committed;
  SpoolPosition read_position;
  std::deque<ReadBatch> handed_out;
  int read_fd = -1;
  std::uint64_t read_fd_segment = 0;

  fs::path segment_path(std::uint64_t sequence) const { return files::segment_path(options.directory, sequence); }

  // Under the mutex, with no fdatasync running: closes the full segment (on disk first) and opens the next.
  void start_next_segment(std::unique_lock<std::mutex>& lock) {
    synced.wait(lock, [&] { return !syncing; });
    files::sync_data(write_fd, segment_path(write_segment));
    synced_through = appended_count;
    ::close(write_fd);
    write_fd = -1;
    ++write_segment;
    write_fd = files::open_for_append(segment_path(write_segment));
    segments[write_segment] = 0;
    files::sync_directory(options.directory);  // the new file's name is durable before a record in it is acknowledged
  }

  // Waits until append number `mine` is on disk, running the fdatasync when nobody is.
  void wait_until_synced(std::unique_lock<std::mutex>& lock, std::uint64_t mine) {
    while (synced_through < mine) {
      if (syncing) {
        synced.wait(lock);
        continue;
      }
      syncing = true;
      const std::uint64_t target = appended_count;
      const std::uint64_t before = synced_through;
      const int fd = write_fd;
      lock.unlock();
      const int result = ::fdatasync(fd);
      const int error = errno;
      lock.lock();
      syncing = false;
      if (result != 0) {
        failed_after = before;
        failed_through = target;
      }
      synced_through = std::max(synced_through, target);
      synced.notify_all();
      if (result != 0 && mine > failed_after && mine <= failed_through) {
        files::fail("cannot flush", segment_path(write_segment), error);
      }
    }
    if (mine > failed_after && mine <= failed_through) {
      throw SpoolError("cannot flush " + segment_path(write_segment).string() + ": an earlier fdatasync failed");
    }
  }

  // The size a reader may read up to in `sequence`: whole records only.
  std::uint64_t readable_size(std::uint64_t sequence) const {
    const auto it = segments.find(sequence);
    return it == segments.end() ? 0 : it->second;
  }

  // Moves a position at the end of a finished segment to the start of the next one.
  SpoolPosition normalized(SpoolPosition position) const {
    while (position.segment < write_segment && position.offset >= readable_size(position.segment)) {
      const auto next = segments.upper_bound(position.segment);
      if (next == segments.end()) break;
      position = {next->first, 0};
    }
    return position;
  }

  // The record at `at`, which lies wholly within what was written (`limit`).
  spool_record::Decoded read_record(const SpoolPosition& at, std::uint64_t limit) {
    const fs::path path = segment_path(at.segment);
    if (read_fd < 0 || read_fd_segment != at.segment) {
      if (read_fd >= 0) ::close(read_fd);
      read_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (read_fd < 0) files::fail("cannot open", path, errno);
      read_fd_segment = at.segment;
    }
    const std::string prefix = files::read_at(read_fd, at.offset, spool_record::kPrefixBytes, path);
    spool_record::Decoded decoded;
    if (const auto size = spool_record::size_from_prefix(prefix); size && at.offset + *size <= limit) {
      decoded = spool_record::decode(files::read_at(read_fd, at.offset, *size, path));
    }
    if (decoded.outcome != spool_record::Read::Record) {
      throw SpoolError("the spool segment " + path.string() + " is damaged at byte " + std::to_string(at.offset));
    }
    return decoded;
  }
};

Spool::Spool(SpoolOptions options) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.options = std::move(options);
  if (s.options.directory.empty()) throw SpoolError("the spool needs a directory");
  // Forwarded records stay on disk until their segment is deleted, and count against the bound
  // meanwhile: segments of at most a sixteenth of it keep that share small.
  s.options.segment_bytes = std::min(s.options.segment_bytes, std::max<std::uint64_t>(s.options.max_bytes / 16, 1));
  std::error_code error;
  fs::create_directory(s.options.directory, error);
  if (error) throw SpoolError("cannot create the spool " + s.options.directory.string() + ": " + error.message());
  s.lock_fd = files::take_lock(s.options.directory);
  try {
    spool_recovery::Recovered recovered = spool_recovery::recover(s.options.directory);
    s.segments = std::move(recovered.segments);
    s.committed = s.read_position = recovered.committed;
    s.pending = recovered.pending;
    s.write_segment = s.segments.empty() ? std::max<std::uint64_t>(1, s.committed.segment) : s.segments.rbegin()->first;
    s.write_fd = files::open_for_append(s.segment_path(s.write_segment));
    if (s.segments.emplace(s.write_segment, 0).second) files::sync_directory(s.options.directory);
    for (const auto& [sequence, size] : s.segments) s.total_bytes += size;
  } catch (...) {
    ::close(s.lock_fd);
    throw;
  }
}

Spool::~Spool() {
  close();
  if (state_->read_fd >= 0) ::close(state_->read_fd);  // here, not in close(): a read() may still be using it
}

void Spool::append(std::string_view body, std::string_view content_type) {
  const std::string record =
      spool_record::encode(detail::utc_timestamp_millis(std::chrono::system_clock::now()), content_type, body);
  State& s = *state_;
  std::unique_lock lock(s.mutex);
  if (s.closed) throw SpoolError("the spool " + s.options.directory.string() + " is closed");
  if (s.total_bytes + record.size() > s.options.max_bytes) {
    throw SpoolFullError("the spool " + s.options.directory.string() + " is full (" + std::to_string(s.total_bytes) +
                         " of " + std::to_string(s.options.max_bytes) + " bytes)");
  }
  if (s.segments[s.write_segment] >= s.options.segment_bytes) s.start_next_segment(lock);
  const fs::path path = s.segment_path(s.write_segment);
  std::uint64_t& size = s.segments[s.write_segment];
  try {
    files::write_all(s.write_fd, record, path);
  } catch (...) {
    // Whatever part of it reached the file goes: nothing after it may follow a half record.
    files::truncate_to(path, size);
    throw;
  }
  size += record.size();
  s.total_bytes += record.size();
  ++s.pending;
  const std::uint64_t mine = ++s.appended_count;
  s.appended.notify_all();
  s.wait_until_synced(lock, mine);
}

SpoolBatch Spool::read(std::size_t max, std::chrono::milliseconds wait) {
  State& s = *state_;
  SpoolBatch batch;
  std::unique_lock lock(s.mutex);
  auto has_more = [&] {
    const SpoolPosition at = s.normalized(s.read_position);
    return at.offset < s.readable_size(at.segment);
  };
  if (!has_more() && wait.count() > 0) s.appended.wait_for(lock, wait, [&] { return s.closed || has_more(); });
  if (s.closed) return batch;

  SpoolPosition at = s.normalized(s.read_position);
  while (batch.deliveries.size() < max && at.offset < s.readable_size(at.segment)) {
    const std::uint64_t limit = s.readable_size(at.segment);
    // The file is read without the mutex, so appends go on meanwhile: what lies below `limit`
    // is written and never changes, and only this thread moves the reading side.
    lock.unlock();
    spool_record::Decoded decoded = s.read_record(at, limit);
    lock.lock();
    at.offset += decoded.size;
    batch.deliveries.push_back(std::move(decoded.delivery));
    at = s.normalized(at);
  }
  if (!batch.deliveries.empty()) {
    s.read_position = at;
    s.handed_out.push_back({at, batch.deliveries.size()});
  }
  batch.end = batch.deliveries.empty() ? s.normalized(s.read_position) : at;
  return batch;
}

void Spool::commit(const SpoolPosition& end) {
  State& s = *state_;
  std::unique_lock lock(s.mutex);
  std::uint64_t records = 0;
  bool found = end == s.committed;
  while (!found && !s.handed_out.empty()) {
    const State::ReadBatch batch = s.handed_out.front();
    s.handed_out.pop_front();
    records += batch.records;
    found = batch.end == end;
  }
  if (!found) throw SpoolError("commit: that position was not handed out by read() (or is committed already)");
  s.pending -= records;
  s.committed = end;
  lock.unlock();
  // The cursor first: a crash after it and before the deletions leaves files recover() removes.
  files::write_cursor(s.options.directory, end);
  lock.lock();
  bool removed = false;
  for (auto it = s.segments.begin(); it != s.segments.end() && it->first < end.segment && it->first != s.write_segment;) {
    if (s.read_fd >= 0 && s.read_fd_segment == it->first) {
      ::close(s.read_fd);
      s.read_fd = -1;
    }
    std::error_code ignored;
    fs::remove(s.segment_path(it->first), ignored);
    s.total_bytes -= it->second;
    it = s.segments.erase(it);
    removed = true;
  }
  lock.unlock();
  if (removed) files::sync_directory(s.options.directory);
}

SpoolPosition Spool::committed() const {
  std::lock_guard lock(state_->mutex);
  return state_->committed;
}

void Spool::rewind() {
  std::lock_guard lock(state_->mutex);
  state_->handed_out.clear();
  state_->read_position = state_->committed;
}

SpoolUsage Spool::usage() const {
  std::lock_guard lock(state_->mutex);
  return {.bytes = state_->total_bytes, .max_bytes = state_->options.max_bytes, .pending = state_->pending};
}

const std::filesystem::path& Spool::directory() const noexcept { return state_->options.directory; }

void Spool::close() {
  if (!state_) return;
  State& s = *state_;
  std::unique_lock lock(s.mutex);
  if (s.closed) return;
  s.synced.wait(lock, [&] { return !s.syncing; });
  s.closed = true;
  s.appended.notify_all();
  if (s.write_fd >= 0) ::close(s.write_fd);
  if (s.lock_fd >= 0) ::close(s.lock_fd);  // releases the flock
  s.write_fd = s.lock_fd = -1;
}

}  // namespace instantly::webhooks
