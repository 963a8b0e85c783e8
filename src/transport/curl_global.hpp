// One-time libcurl initialisation, hidden from users of the library.
#pragma once

namespace instantly::detail {

/// Runs curl_global_init exactly once per process, from whichever thread gets
/// here first. Throws ApiConnectionError (stage Other) if libcurl refuses.
void ensure_curl_initialised();

}  // namespace instantly::detail
