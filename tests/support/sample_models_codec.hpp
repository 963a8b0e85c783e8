// The private half of sample_models.hpp: one Codec specialization per model,
// declared before any codec is defined, so that a template such as
// Codec<std::vector<SampleStep>> finds the model's codec wherever it is
// instantiated. Definitions are in sample_models.cpp.
#pragma once

#include "json/codec.hpp"
#include "support/sample_models.hpp"

namespace instantly::detail {

template <>
struct Codec<testing::SampleSchedule> {
  static void read(ondemand::value json, testing::SampleSchedule& out, DecodeContext& ctx);
  static void write(JsonWriter& writer, const testing::SampleSchedule& value);
};

template <>
struct Codec<testing::SampleStep> {
  static void read(ondemand::value json, testing::SampleStep& out, DecodeContext& ctx);
  static void write(JsonWriter& writer, const testing::SampleStep& value);
};

template <>
struct Codec<testing::SampleSequence> {
  static void read(ondemand::value json, testing::SampleSequence& out, DecodeContext& ctx);
  static void write(JsonWriter& writer, const testing::SampleSequence& value);
};

template <>
struct Codec<testing::SampleCampaign> {
  static void read(ondemand::value json, testing::SampleCampaign& out, DecodeContext& ctx);
  static void write(JsonWriter& writer, const testing::SampleCampaign& value);
};

}  // namespace instantly::detail
