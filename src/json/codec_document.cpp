// Whole documents for the codecs: the padded `[text]` wrapper, the reusable
// per-thread parser, and the check that nothing follows the root value.
#include <cstddef>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#include <utility>

#include "json/codec.hpp"

namespace instantly::detail {
namespace {

/// The text wrapped as `[text]`, padded as simdjson requires. The wrapper
/// makes every root a container: simdjson 3.0.1 cannot hand out a scalar
/// root as a value, and the closing bracket marks where the text must end.
simdjson::padded_string wrap_in_array(std::string_view text) {
  simdjson::padded_string padded(text.size() + 2);
  char* data = padded.data();
  if (data == nullptr) throw std::bad_alloc();
  data[0] = '[';
  if (!text.empty()) std::memcpy(data + 1, text.data(), text.size());
  data[text.size() + 1] = ']';
  return padded;
}

[[noreturn]] void throw_malformed_document(std::string_view detail) {
  throw DecodeError("malformed JSON: " + std::string(detail));
}

/// This thread's parser. It keeps its buffers between documents; `busy`
/// marks it taken.
struct ReusableParser {
  ondemand::parser parser;
  bool busy = false;
};

ReusableParser& thread_parser() {
  static thread_local ReusableParser reusable;
  return reusable;
}

/// Runs `use(parser)`, with this thread's parser when it can. Large documents
/// and decodes nested in a decode get a parser of their own, so a thread
/// never holds on to a huge buffer nor reuses one that is still in use.
template <class Use>
void with_parser(std::size_t size, Use&& use) {
  constexpr std::size_t kReusableUpTo = std::size_t{1} << 20;
  ReusableParser& reusable = thread_parser();
  if (reusable.busy || size > kReusableUpTo) {
    ondemand::parser own;
    use(own);
    return;
  }
  struct Release {
    bool& busy;
    ~Release() { busy = false; }
  };
  reusable.busy = true;
  Release release{reusable.busy};
  use(reusable.parser);
}

}  // namespace

void read_document(std::string_view text, ReadRoot read_root, void* out) {
  simdjson::padded_string padded = wrap_in_array(text);
  with_parser(padded.size(), [&](ondemand::parser& parser) {
    ondemand::document document;
    if (auto error = parser.iterate(padded).get(document)) {
      throw_malformed_document(simdjson::error_message(error));
    }
    ondemand::array wrapper;
    if (auto error = document.get_array().get(wrapper)) {
      throw_malformed_document(simdjson::error_message(error));
    }
    DecodeContext ctx;
    bool have_root = false;
    for (auto element : wrapper) {
      ondemand::value root;
      auto error = std::move(element).get(root);
      if (have_root) throw_malformed_document("unexpected content after the JSON value");
      if (error) ctx.fail_malformed(error);
      read_root(root, ctx, out);
      have_root = true;
    }
    if (!have_root) throw_malformed_document("no JSON value in the text");
    const char* rest = nullptr;
    if (document.current_location().get(rest) != simdjson::OUT_OF_BOUNDS) {
      throw_malformed_document("unexpected content after the JSON value");
    }
  });
}

}  // namespace instantly::detail
