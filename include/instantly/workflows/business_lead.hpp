// A scraped Google Maps business → an Instantly lead, the mapping the old
// pipeline's `format_lead_for_instantly` used (reference pair:
// tests/fixtures/business-to-lead.json).
//
//   instantly::workflows::Business b{.name = "Acme Cafe", .email = "contact@acmecafe.com", .city = "Los Angeles"};
//   instantly::LeadAddParamsLead lead = instantly::workflows::to_lead(b);
//   client.leads().add({.campaign_id = id, .leads = {lead}});
//
// The mapping (Python's `instantly.compat.format_lead_for_instantly` follows the same rules):
//   email        = email
//   first_name   = name            last_name = "Team"          company_name = name
//   custom_variables, in this order, each only when its value is present:
//     icebreaker, subject_line,
//     business_name      = name
//     business_category  = category
//     business_location  = "City, ST"; just the present part when one is missing; left out when both are
//     business_city, business_state,
//     business_rating    = rating as Python's str(float): shortest round-trip digits, ".0" added
//                          when integral (4.8 → "4.8", 5.0 → "5.0", 4.25 → "4.25"); exponent form
//                          outside 1e-4 ≤ |x| < 1e16 ("1e+16"), as Python writes it
//     business_reviews   = reviews_count as integer text ("127")
//     business_phone, business_website, business_address
// "Present" means: a string that is not empty and not only whitespace (kept verbatim, not trimmed);
// a finite number. A missing value is left out — never written as "", "None" or "nan".
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "instantly/json.hpp"
#include "instantly/models/lead.hpp"

namespace instantly::workflows {

/// One row of the pipeline's gmaps_businesses table.
struct Business {
  std::string name;   ///< required, not blank
  std::string email;  ///< required, not blank
  std::optional<std::string> category;
  std::optional<std::string> city;
  std::optional<std::string> state;
  std::optional<double> rating;  ///< NaN / infinite count as missing
  std::optional<std::int64_t> reviews_count;
  std::optional<std::string> phone;
  std::optional<std::string> website;
  std::optional<std::string> address;
  std::optional<std::string> icebreaker;
  std::optional<std::string> subject_line;
};

struct BusinessLeadOptions {
  /// Also set the lead's top-level `phone` and `website` (Instantly shows and
  /// filters on those). The old pipeline only had them in custom_variables;
  /// with this false the lead's JSON is exactly the old pipeline's.
  bool fill_top_level_contact = true;
};

/// The lead for `POST /leads/add`. Throws ValidationError naming `name` or
/// `email` when either is blank.
LeadAddParamsLead to_lead(const Business& business, const BusinessLeadOptions& options = {});

/// A Business from a JSON row (keys as in the fixture's `business`; other keys ignored).
/// - name, email: required strings, not blank.
/// - text fields: string, or null / absent / a NaN number (how pandas writes an empty cell) for missing.
/// - rating: number or numeric string ("4.8", " 4.80 ", "+5"); null, absent, "", blank, NaN and
///   infinities are missing.
/// - reviews_count: integer, integral number (127.0) or integer string ("127", "127.0"); null,
///   absent, "" or NaN are missing.
/// Throws ValidationError naming the field (e.g. "business.rating: expected a number ...") for
/// any other type, a non-numeric string or a fractional review count, and when the row is not an object.
Business business_from_json(const Json& business);

/// The old pipeline's mapping, JSON in and out: business_from_json, then the
/// mapping above without top-level phone/website. The result's members come in
/// the fixture's order: email, first_name, last_name, company_name, custom_variables.
/// Throws ValidationError as business_from_json does.
Json format_lead_for_instantly(const Json& business);

/// `rating` as Python's str(float) writes it (see the mapping above); "nan" / "inf"
/// for non-finite values (to_lead never writes those).
std::string python_float_text(double value);

}  // namespace instantly::workflows
