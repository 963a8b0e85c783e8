// Cutting campaign ids into `GET /campaigns/analytics` calls: at most
// `max_count` ids per call and at most `max_query_bytes` of `ids=...&` query
// string, so that the URL stays within what servers accept.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace instantly::workflows::detail {

/// `ids` in order, cut into chunks (every id in exactly one chunk; an id that
/// alone passes the byte budget gets a chunk of its own). `max_count` >= 1.
std::vector<std::vector<std::string>> chunk_ids(std::span<const std::string> ids, std::size_t max_count,
                                                std::size_t max_query_bytes);

/// Bytes `ids=<id>&` takes in a query string once percent-encoded.
std::size_t ids_query_bytes(const std::string& id);

}  // namespace instantly::workflows::detail
