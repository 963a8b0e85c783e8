// instantly::webhooks::Spool: what is appended comes back once, in order,
// across restarts; a write the crash cut short is dropped, damage is named;
// the bound, the lock and segment files behave as docs/nothing-lost.md says.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "instantly/webhooks/spool.hpp"
#include "workflows/webhook_spool_record.hpp"

namespace {

namespace fs = std::filesystem;
using instantly::webhooks::Spool;
using instantly::webhooks::SpoolError;
using instantly::webhooks::SpoolFullError;

struct TempSpoolDir {
  fs::path path;
  TempSpoolDir() {
    std::random_device random;
    path = fs::temp_directory_path() / ("instantly-spool-test-" + std::to_string(random()) + std::to_string(random()));
  }
  ~TempSpoolDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

std::vector<std::string> bodies_of(const instantly::webhooks::SpoolBatch& batch) {
  std::vector<std::string> bodies;
  for (const auto& delivery : batch.deliveries) bodies.push_back(delivery.body);
  return bodies;
}

std::vector<fs::path> segment_files(const fs::path& directory) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.path().extension() == ".spool") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_SUITE("webhook spool") {
  TEST_CASE("the record format: magic, lengths, JSON header, body, zlib's CRC-32") {
    using namespace instantly::webhooks;
    CHECK(spool_record::crc32("123456789") == 0xCBF43926u);  // the standard check value
    const std::string record = spool_record::encode("2026-12-07T00:00:00.123Z", "application/json", "{\"a\":1}");
    CHECK(record.substr(0, 4) == "ISP1");
    const std::string header = R"({"received_at":"2026-12-07T00:00:00.123Z","content_type":"application/json"})";
    CHECK(static_cast<unsigned char>(record[4]) == header.size());
    CHECK(static_cast<unsigned char>(record[8]) == 7);
    CHECK(record.substr(12, header.size()) == header);
    const auto decoded = spool_record::decode(record);
    REQUIRE(decoded.outcome == spool_record::Read::Record);
    CHECK(decoded.size == record.size());
    CHECK(decoded.delivery.body == "{\"a\":1}");
    CHECK(spool_record::decode(record.substr(0, record.size() - 1)).outcome == spool_record::Read::Truncated);
    std::string flipped = record;
    flipped[14] ^= 1;
    CHECK(spool_record::decode(flipped).outcome == spool_record::Read::Damaged);
  }

  TEST_CASE("appended deliveries come back in order, byte for byte, with their arrival time and type") {
    TempSpoolDir dir;
    Spool spool({.directory = dir.path});
    const std::string binary("not\0utf8\xff", 9);
    spool.append(R"({"event_type":"email_sent"})", "application/json");
    spool.append(binary);
    CHECK(spool.usage().pending == 2);
    const auto batch = spool.read(10);
    REQUIRE(batch.deliveries.size() == 2);
    CHECK(batch.deliveries[0].body == R"({"event_type":"email_sent"})");
    CHECK(batch.deliveries[0].content_type == "application/json");
    CHECK(batch.deliveries[0].received_at.size() == std::string("2026-12-07T00:00:00.123Z").size());
    CHECK(batch.deliveries[1].body == binary);
    CHECK(batch.deliveries[1].content_type.empty());
    CHECK(spool.read(10).deliveries.empty());  // read ahead: not handed out twice
    spool.commit(batch.end);
    CHECK(spool.usage().pending == 0);
  }

  TEST_CASE("a restart resumes at the committed position, and what was read and not committed comes again") {
    TempSpoolDir dir;
    {
      Spool spool({.directory = dir.path});
      for (const char* body : {"one", "two", "three", "four"}) spool.append(body);
      const auto first = spool.read(1);
      spool.commit(first.end);
      CHECK(bodies_of(spool.read(2)) == std::vector<std::string>{"two", "three"});  // not committed
    }
    Spool again({.directory = dir.path});
    CHECK(again.usage().pending == 3);
    CHECK(bodies_of(again.read(10)) == std::vector<std::string>{"two", "three", "four"});
  }

  TEST_CASE("rewind hands out the uncommitted deliveries again (the store refused a batch)") {
    TempSpoolDir dir;
    Spool spool({.directory = dir.path});
    spool.append("a");
    spool.append("b");
    CHECK(bodies_of(spool.read(10)) == std::vector<std::string>{"a", "b"});
    spool.rewind();
    const auto again = spool.read(10);
    CHECK(bodies_of(again) == std::vector<std::string>{"a", "b"});
    spool.commit(again.end);
    CHECK_THROWS_AS(spool.commit({.segment = 99, .offset = 0}), SpoolError);  // a position never handed out
  }

  TEST_CASE("a record cut short at the end (a crash mid-append, never acknowledged) is dropped at reopen") {
    TempSpoolDir dir;
    {
      Spool spool({.directory = dir.path});
      spool.append("kept");
      spool.append("torn");
    }
    const fs::path segment = segment_files(dir.path).at(0);
    fs::resize_file(segment, fs::file_size(segment) - 3);
    Spool spool({.directory = dir.path});
    CHECK(spool.usage().pending == 1);
    CHECK(bodies_of(spool.read(10)) == std::vector<std::string>{"kept"});
    spool.append("after");  // appends follow the last intact record
    CHECK(bodies_of(spool.read(10)) == std::vector<std::string>{"after"});
  }

  TEST_CASE("damage followed by intact records is not guessed at: the error names the segment and the byte") {
    TempSpoolDir dir;
    std::uintmax_t first_size = 0;
    {
      Spool spool({.directory = dir.path});
      spool.append("first");
      first_size = spool.usage().bytes;
      spool.append("second");
      spool.append("third");
    }
    const fs::path segment = segment_files(dir.path).at(0);
    {
      std::fstream file(segment, std::ios::in | std::ios::out | std::ios::binary);
      file.seekp(static_cast<std::streamoff>(first_size) + 20);
      file.put('X');
    }
    try {
      Spool spool({.directory = dir.path});
      FAIL("a damaged spool opened");
    } catch (const SpoolError& e) {
      const std::string message = e.what();
      CHECK(message.find(segment.filename().string()) != std::string::npos);
      CHECK(message.find("damaged at byte " + std::to_string(first_size)) != std::string::npos);
    }
  }

  TEST_CASE("past the bound an append is refused with SpoolFullError, and nothing of it is kept") {
    TempSpoolDir dir;
    Spool spool({.directory = dir.path, .max_bytes = 200});
    spool.append(std::string(100, 'a'));
    const auto before = spool.usage();
    CHECK_THROWS_AS(spool.append(std::string(100, 'b')), SpoolFullError);
    CHECK(spool.usage().bytes == before.bytes);
    CHECK(spool.usage().pending == 1);
    CHECK(before.fill() > 0.5);
  }

  TEST_CASE("one process at a time: a second Spool on the directory is refused, and may take over after close") {
    TempSpoolDir dir;
    Spool first({.directory = dir.path});
    try {
      Spool second({.directory = dir.path});
      FAIL("two spools on one directory");
    } catch (const SpoolError& e) {
      CHECK(std::string(e.what()).find("in use by another process") != std::string::npos);
    }
    first.append("x");
    first.close();
    Spool second({.directory = dir.path});
    CHECK(second.usage().pending == 1);
  }

  TEST_CASE("segments: a new file past segment_bytes, read across them, and deleted once committed") {
    TempSpoolDir dir;
    Spool spool({.directory = dir.path, .segment_bytes = 150});
    for (int i = 0; i < 10; ++i) spool.append("delivery number " + std::to_string(i));
    CHECK(segment_files(dir.path).size() > 3);
    std::vector<std::string> all;
    for (auto batch = spool.read(3); !batch.deliveries.empty(); batch = spool.read(3)) {
      for (auto& body : bodies_of(batch)) all.push_back(body);
      spool.commit(batch.end);
    }
    REQUIRE(all.size() == 10);
    CHECK(all.front() == "delivery number 0");
    CHECK(all.back() == "delivery number 9");
    CHECK(segment_files(dir.path).size() == 1);  // only the one being appended to is left
    CHECK(spool.usage().bytes == fs::file_size(segment_files(dir.path).at(0)));
  }

  TEST_CASE("appends from many threads: each delivery once, none lost") {
    TempSpoolDir dir;
    Spool spool({.directory = dir.path, .segment_bytes = 4096});
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&spool, t] {
        for (int i = 0; i < 50; ++i) spool.append(std::to_string(t) + ":" + std::to_string(i));
      });
    }
    std::set<std::string> seen;
    std::size_t read_count = 0;
    while (read_count < 400) {
      const auto batch = spool.read(64, std::chrono::seconds(5));
      if (batch.deliveries.empty()) break;
      for (const auto& delivery : batch.deliveries) seen.insert(delivery.body);
      read_count += batch.deliveries.size();
      spool.commit(batch.end);
    }
    for (auto& thread : threads) thread.join();
    CHECK(read_count == 400);
    CHECK(seen.size() == 400);
    CHECK(spool.usage().pending == 0);
  }

  TEST_CASE("read waits for an append, and close wakes it with nothing") {
    TempSpoolDir dir;
    Spool spool({.directory = dir.path});
    std::thread writer([&] { spool.append("late"); });
    auto batch = spool.read(10, std::chrono::seconds(30));
    writer.join();
    if (batch.deliveries.empty()) batch = spool.read(10);  // the append came before the wait began
    CHECK(bodies_of(batch) == std::vector<std::string>{"late"});
    std::thread closer([&] { spool.close(); });
    CHECK(spool.read(10, std::chrono::seconds(30)).deliveries.empty());
    closer.join();
    CHECK_THROWS_AS(spool.append("after close"), SpoolError);
  }
}
