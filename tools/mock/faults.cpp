#include "faults.hpp"

namespace instantly::mock {

void FaultInjector::set(FaultRates rates, std::uint64_t seed) {
  std::lock_guard lock(mutex_);
  rates_ = rates;
  rng_.seed(seed);
}

FaultRates FaultInjector::rates() const {
  std::lock_guard lock(mutex_);
  return rates_;
}

Fault FaultInjector::draw() {
  std::lock_guard lock(mutex_);
  if (!rates_.any()) return Fault::None;
  double roll = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  // The rates partition [0, 1): each fault owns a slice of its size.
  const std::pair<double, Fault> slices[] = {
      {rates_.rate_limited, Fault::RateLimited},       {rates_.server_error, Fault::ServerError},
      {rates_.bad_gateway, Fault::BadGateway},         {rates_.unavailable, Fault::Unavailable},
      {rates_.drop_connection, Fault::DropConnection}, {rates_.truncate_body, Fault::TruncateBody},
  };
  for (const auto& [rate, fault] : slices) {
    if (roll < rate) return fault;
    roll -= rate;
  }
  return Fault::None;
}

}  // namespace instantly::mock
