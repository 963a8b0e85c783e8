#include "workflows/analytics_sync_chunks.hpp"

#include "core/url.hpp"

namespace instantly::workflows::detail {

std::size_t ids_query_bytes(const std::string& id) {
  return sizeof("ids=") - 1 + instantly::detail::percent_encode(id).size() + 1;  // + '&'
}

std::vector<std::vector<std::string>> chunk_ids(std::span<const std::string> ids, std::size_t max_count,
                                                std::size_t max_query_bytes) {
  std::vector<std::vector<std::string>> chunks;
  std::size_t bytes = 0;
  for (const std::string& id : ids) {
    const std::size_t size = ids_query_bytes(id);
    const bool full = !chunks.empty() && (chunks.back().size() >= max_count || bytes + size > max_query_bytes);
    if (chunks.empty() || full) {
      chunks.emplace_back();
      bytes = 0;
    }
    chunks.back().push_back(id);
    bytes += size;
  }
  return chunks;
}

}  // namespace instantly::workflows::detail
