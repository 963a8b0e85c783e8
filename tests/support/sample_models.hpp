// Hand-written models in exactly the shape the code generator emits, so the
// codec runtime can be tested before (and independently of) the generator.
//
// This is the public half: plain aggregates that need no JSON library. The
// codecs live in sample_models_codec.hpp (private) and sample_models.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/json.hpp"
#include "instantly/nullable.hpp"
#include "instantly/open_enum.hpp"

namespace instantly::testing {

/// Open integer enum: any other integer the API sends is kept as is.
enum class SampleCampaignStatus : std::int64_t {
  Draft = 0,
  Active = 1,
  Paused = 2,
  Completed = 3,
};

/// Open string enum: any other string the API sends is kept as is.
class SampleStepType : public StringEnum<SampleStepType> {
 public:
  using StringEnum::StringEnum;
  static const SampleStepType Email;
  static const SampleStepType Linkedin;
};
inline const SampleStepType SampleStepType::Email{"email"};
inline const SampleStepType SampleStepType::Linkedin{"linkedin"};

struct SampleSchedule {
  std::string timezone;  // required
  std::optional<std::string> start_date;
  std::optional<bool> default_;  // JSON key "default" (a C++ keyword)
  Json extra_fields;             // members the model does not list, in order; null when none

  const Json& extra() const noexcept { return extra_fields; }
  Json& extra() noexcept { return extra_fields; }
  static SampleSchedule from_json(std::string_view text);  // throws DecodeError with the JSON path
  std::string to_json() const;
  friend bool operator==(const SampleSchedule&, const SampleSchedule&) = default;
};

struct SampleStep {
  std::optional<SampleStepType> type;
  std::optional<int> delay;
  Json extra_fields;

  const Json& extra() const noexcept { return extra_fields; }
  Json& extra() noexcept { return extra_fields; }
  static SampleStep from_json(std::string_view text);
  std::string to_json() const;
  friend bool operator==(const SampleStep&, const SampleStep&) = default;
};

struct SampleSequence {
  std::optional<std::vector<SampleStep>> steps;
  Json extra_fields;

  const Json& extra() const noexcept { return extra_fields; }
  Json& extra() noexcept { return extra_fields; }
  static SampleSequence from_json(std::string_view text);
  std::string to_json() const;
  friend bool operator==(const SampleSequence&, const SampleSequence&) = default;
};

struct SampleCampaign {
  std::string id;  // required
  std::optional<std::string> name;
  Nullable<double> daily_limit;  // schema admits null
  std::optional<SampleCampaignStatus> status;
  std::optional<SampleStepType> type;
  std::optional<std::vector<std::string>> email_list;
  std::optional<std::vector<SampleSequence>> sequences;
  std::optional<SampleSchedule> campaign_schedule;
  std::optional<Json> custom_variables;  // free-form object
  Json extra_fields;

  const Json& extra() const noexcept { return extra_fields; }
  Json& extra() noexcept { return extra_fields; }
  static SampleCampaign from_json(std::string_view text);
  std::string to_json() const;
  friend bool operator==(const SampleCampaign&, const SampleCampaign&) = default;
};

}  // namespace instantly::testing
