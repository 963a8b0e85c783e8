// Injected failures: each API request draws at most one fault from the
// configured rates, from a generator seeded by --seed, so a run with the same
// seed and the same request sequence fails the same way.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>

#include "mock_options.hpp"

namespace instantly::mock {

enum class Fault { None, RateLimited, ServerError, BadGateway, Unavailable, DropConnection, TruncateBody };

class FaultInjector {
 public:
  FaultInjector(FaultRates rates, std::uint64_t seed) : rates_(rates), rng_(seed) {}

  void set(FaultRates rates, std::uint64_t seed);
  FaultRates rates() const;
  Fault draw();

 private:
  mutable std::mutex mutex_;
  FaultRates rates_;
  std::mt19937_64 rng_;
};

}  // namespace instantly::mock
