// The webhook spool's segment files (src/workflows/webhook_spool*.cpp), read
// back when a receiver starts on a spool a crash, a full disk or another
// program left behind: any bytes may be there.
//
// Each input becomes the one segment of a spool directory (one per process
// under /tmp, emptied after each input); the spool is opened (recovery: a
// torn tail cut away, damage refused) and everything in it is read. Nothing
// is appended or committed, so no input costs an fdatasync.
//
// Expected errors: instantly::webhooks::SpoolError (damage before the end).
// Seeds: two intact records, one cut short, one with a flipped byte.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "fuzz_support.hpp"
#include "instantly/webhooks/spool.hpp"

namespace {

const std::filesystem::path& spool_directory() {
  static const std::filesystem::path path =
      std::filesystem::path("/tmp") / ("instantly-fuzz-spool-" + std::to_string(::getpid()));
  return path;
}

bool write_segment(const std::uint8_t* data, std::size_t size) {
  std::error_code ignored;
  std::filesystem::remove_all(spool_directory(), ignored);
  std::filesystem::create_directory(spool_directory(), ignored);
  const std::filesystem::path segment = spool_directory() / "segment-00000000000000000001.spool";
  std::FILE* file = std::fopen(segment.c_str(), "wb");
  if (!file) return false;
  const bool ok = size == 0 || std::fwrite(data, 1, size, file) == size;
  return std::fclose(file) == 0 && ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (!write_segment(data, size)) instantly::fuzz::fail("cannot write the spool segment under /tmp");
  instantly::fuzz::expect_only_library_errors([&] {
    instantly::webhooks::Spool spool({.directory = spool_directory()});
    const std::uint64_t pending = spool.usage().pending;
    std::uint64_t read = 0;
    for (auto batch = spool.read(64); !batch.deliveries.empty(); batch = spool.read(64)) {
      read += batch.deliveries.size();
    }
    instantly::fuzz::require(read == pending, "the spool read back another number of deliveries than it counted");
  });
  std::error_code ignored;
  std::filesystem::remove_all(spool_directory(), ignored);
  return 0;
}
