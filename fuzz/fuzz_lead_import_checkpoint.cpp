// The lead importer's checkpoint file (src/workflows/lead_import_checkpoint.*),
// read back when an import resumes after a crash: it may be torn, edited by
// hand, or written by another version.
//
// The checkpoint reads only from a path, so each input is written to one file
// per process under /tmp (reused, and removed after each input: libFuzzer ends
// with _Exit, so an atexit handler would leave it behind). Inputs that do not end in
// '\n' get one: otherwise the constructor "repairs" the torn tail with an
// fsync'ed write, which on a disk-backed /tmp makes every run a hundred times
// slower and adds nothing the reader does not already see.
//
// Expected errors: instantly::Error (not a checkpoint) and ValidationError
// (another import's checkpoint). Seeds start with the header of the import
// this target pretends to resume: campaign "c1", chunks of 100; `fingerprinted.txt`
// has chunk lines with input fingerprints, one matching and one not.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "fuzz_support.hpp"
#include "workflows/lead_import_checkpoint.hpp"

namespace {

const std::filesystem::path& checkpoint_path() {
  static const std::filesystem::path path =
      std::filesystem::path("/tmp") / ("instantly-fuzz-checkpoint-" + std::to_string(::getpid()) + ".txt");
  return path;
}

bool write_input(const std::uint8_t* data, std::size_t size) {
  std::FILE* file = std::fopen(checkpoint_path().c_str(), "wb");
  if (!file) return false;
  bool ok = std::fwrite(data, 1, size, file) == size;
  if (data[size - 1] != '\n') ok = ok && std::fputc('\n', file) != EOF;
  return std::fclose(file) == 0 && ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // An empty file is a new checkpoint, which the constructor writes (and fsyncs) a header into.
  if (size == 0) return 0;
  if (!write_input(data, size)) instantly::fuzz::fail("cannot write the checkpoint file under /tmp");
  instantly::fuzz::expect_only_library_errors([&] {
    instantly::workflows::detail::Checkpoint checkpoint(checkpoint_path(), "campaign", "c1", 100);
    // Chunk k's input fingerprint is k here, so that a chunk line ending in
    // 000000000000000k matches and any other fingerprint does not.
    for (std::uint64_t chunk = 0; chunk < 8; ++chunk) {
      if (checkpoint.take(chunk, chunk)) {
        instantly::fuzz::require(!checkpoint.take(chunk, chunk).has_value(), "a finished chunk was taken twice");
      }
    }
  });
  std::remove(checkpoint_path().c_str());
  return 0;
}
