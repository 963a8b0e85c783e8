// Opening a spool directory after whatever happened to its last owner: where
// the forwarder stopped, which segments are left, how many deliveries wait,
// and a record the crash cut short cut away (it was never acknowledged).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>

#include "instantly/webhooks/spool.hpp"

namespace instantly::webhooks::spool_recovery {

struct Recovered {
  SpoolPosition committed;                          ///< where reading starts
  std::map<std::uint64_t, std::uint64_t> segments;  ///< sequence -> size, after the repair
  std::uint64_t pending = 0;                        ///< intact records after `committed`
};

/// Throws SpoolError for damage before the end of the spool (named by segment and offset).
Recovered recover(const std::filesystem::path& directory);

}  // namespace instantly::webhooks::spool_recovery
