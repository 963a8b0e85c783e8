// The Json-shaped answers that code outside the codecs decodes through
// json/document.hpp: raw list pages (`Client::paginate`) and operations the
// spec answers with an array of free-form values.
#include <string_view>
#include <vector>

#include "json/codec.hpp"

namespace instantly::detail {

template Page<Json> decode_document<Page<Json>>(std::string_view);
template std::vector<Json> decode_document<std::vector<Json>>(std::string_view);

}  // namespace instantly::detail
