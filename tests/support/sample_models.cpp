// Codecs for the sample models, written the way the generator writes them:
// one read and one write per model, built only from json/codec.hpp helpers.
//
// read:  walk the members once; a known key reads into its field, anything
//        else is kept in extra_fields; a flag per required field, checked at
//        the end.
// write: known fields in schema order (absent ones skip themselves), then
//        the extra fields.
#include "support/sample_models.hpp"

#include <string>
#include <string_view>

#include "support/sample_models_codec.hpp"

namespace instantly::detail {

void Codec<testing::SampleSchedule>::read(ondemand::value json, testing::SampleSchedule& out,
                                          DecodeContext& ctx) {
  bool has_timezone = false;
  for_each_field(json, ctx, [&](std::string_view key, ondemand::value field) {
    if (key == "timezone") {
      read_value(field, out.timezone, ctx);
      has_timezone = true;
    } else if (key == "start_date") {
      read_value(field, out.start_date, ctx);
    } else if (key == "default") {
      read_value(field, out.default_, ctx);
    } else {
      read_extra_field(key, field, out.extra_fields, ctx);
    }
  });
  if (!has_timezone) missing_required("timezone", ctx);
}

void Codec<testing::SampleSchedule>::write(JsonWriter& writer, const testing::SampleSchedule& value) {
  writer.StartObject();
  write_field(writer, "timezone", value.timezone);
  write_field(writer, "start_date", value.start_date);
  write_field(writer, "default", value.default_);
  write_extra_fields(writer, value.extra_fields);
  writer.EndObject();
}

void Codec<testing::SampleStep>::read(ondemand::value json, testing::SampleStep& out, DecodeContext& ctx) {
  for_each_field(json, ctx, [&](std::string_view key, ondemand::value field) {
    if (key == "type") {
      read_value(field, out.type, ctx);
    } else if (key == "delay") {
      read_value(field, out.delay, ctx);
    } else {
      read_extra_field(key, field, out.extra_fields, ctx);
    }
  });
}

void Codec<testing::SampleStep>::write(JsonWriter& writer, const testing::SampleStep& value) {
  writer.StartObject();
  write_field(writer, "type", value.type);
  write_field(writer, "delay", value.delay);
  write_extra_fields(writer, value.extra_fields);
  writer.EndObject();
}

void Codec<testing::SampleSequence>::read(ondemand::value json, testing::SampleSequence& out,
                                          DecodeContext& ctx) {
  for_each_field(json, ctx, [&](std::string_view key, ondemand::value field) {
    if (key == "steps") {
      read_value(field, out.steps, ctx);
    } else {
      read_extra_field(key, field, out.extra_fields, ctx);
    }
  });
}

void Codec<testing::SampleSequence>::write(JsonWriter& writer, const testing::SampleSequence& value) {
  writer.StartObject();
  write_field(writer, "steps", value.steps);
  write_extra_fields(writer, value.extra_fields);
  writer.EndObject();
}

void Codec<testing::SampleCampaign>::read(ondemand::value json, testing::SampleCampaign& out,
                                          DecodeContext& ctx) {
  bool has_id = false;
  for_each_field(json, ctx, [&](std::string_view key, ondemand::value field) {
    if (key == "id") {
      read_value(field, out.id, ctx);
      has_id = true;
    } else if (key == "name") {
      read_value(field, out.name, ctx);
    } else if (key == "daily_limit") {
      read_value(field, out.daily_limit, ctx);
    } else if (key == "status") {
      read_value(field, out.status, ctx);
    } else if (key == "type") {
      read_value(field, out.type, ctx);
    } else if (key == "email_list") {
      read_value(field, out.email_list, ctx);
    } else if (key == "sequences") {
      read_value(field, out.sequences, ctx);
    } else if (key == "campaign_schedule") {
      read_value(field, out.campaign_schedule, ctx);
    } else if (key == "custom_variables") {
      read_value(field, out.custom_variables, ctx);
    } else {
      read_extra_field(key, field, out.extra_fields, ctx);
    }
  });
  if (!has_id) missing_required("id", ctx);
}

void Codec<testing::SampleCampaign>::write(JsonWriter& writer, const testing::SampleCampaign& value) {
  writer.StartObject();
  write_field(writer, "id", value.id);
  write_field(writer, "name", value.name);
  write_field(writer, "daily_limit", value.daily_limit);
  write_field(writer, "status", value.status);
  write_field(writer, "type", value.type);
  write_field(writer, "email_list", value.email_list);
  write_field(writer, "sequences", value.sequences);
  write_field(writer, "campaign_schedule", value.campaign_schedule);
  write_field(writer, "custom_variables", value.custom_variables);
  write_extra_fields(writer, value.extra_fields);
  writer.EndObject();
}

}  // namespace instantly::detail

namespace instantly::testing {

SampleSchedule SampleSchedule::from_json(std::string_view text) {
  return detail::decode_document<SampleSchedule>(text);
}
std::string SampleSchedule::to_json() const { return detail::encode_document(*this); }

SampleStep SampleStep::from_json(std::string_view text) { return detail::decode_document<SampleStep>(text); }
std::string SampleStep::to_json() const { return detail::encode_document(*this); }

SampleSequence SampleSequence::from_json(std::string_view text) {
  return detail::decode_document<SampleSequence>(text);
}
std::string SampleSequence::to_json() const { return detail::encode_document(*this); }

SampleCampaign SampleCampaign::from_json(std::string_view text) {
  return detail::decode_document<SampleCampaign>(text);
}
std::string SampleCampaign::to_json() const { return detail::encode_document(*this); }

}  // namespace instantly::testing
