#include "sample_responses.hpp"
namespace instantly::mock {
extern const ResponseSample kResponseSamples[] = {{"", 200, ""}};
extern const std::size_t kResponseSampleCount = 0;
}
