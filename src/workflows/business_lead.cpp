// Business → lead: the old pipeline's mapping (see business_lead.hpp for the rules).
#include "instantly/workflows/business_lead.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include "instantly/error.hpp"
#include "text/ascii.hpp"

namespace instantly::workflows {
namespace {

const std::string* present(const std::optional<std::string>& value) {
  return value && !ascii::is_blank(*value) ? &*value : nullptr;
}

void require_present(const std::string& value, const char* field) {
  if (ascii::is_blank(value)) throw ValidationError(std::string("business.") + field + ": required, must not be blank");
}

std::string location_of(const Business& b) {
  const std::string* city = present(b.city);
  const std::string* state = present(b.state);
  if (city && state) return *city + ", " + *state;
  if (city) return *city;
  if (state) return *state;
  return {};
}

// custom_variables in the old pipeline's order; missing values left out.
Json custom_variables_for(const Business& b) {
  Json vars = Json::object();
  auto put = [&vars](const char* key, const std::optional<std::string>& value) {
    if (const std::string* text = present(value)) vars.set(key, *text);
  };
  put("icebreaker", b.icebreaker);
  put("subject_line", b.subject_line);
  vars.set("business_name", b.name);
  put("business_category", b.category);
  if (std::string location = location_of(b); !location.empty()) vars.set("business_location", location);
  put("business_city", b.city);
  put("business_state", b.state);
  if (b.rating && std::isfinite(*b.rating)) vars.set("business_rating", python_float_text(*b.rating));
  if (b.reviews_count) vars.set("business_reviews", std::to_string(*b.reviews_count));
  put("business_phone", b.phone);
  put("business_website", b.website);
  put("business_address", b.address);
  return vars;
}

void require_identity(const Business& b) {
  require_present(b.name, "name");
  require_present(b.email, "email");
}

}  // namespace

std::string python_float_text(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";

  // Shortest round-trip digits, as "d.ddde±XX".
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  if (ec != std::errc()) throw std::logic_error("to_chars failed for a finite double");
  std::string_view sci(buffer, static_cast<std::size_t>(end - buffer));

  std::string out;
  if (sci.front() == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  const std::size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos))
    if (c != '.') digits.push_back(c);
  const int exponent = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());

  // Python's repr: exponent form when the exponent is < -4 or >= 16. Built by appending
  // only: GCC 12 warns falsely (-Wrestrict) about `"literal" + std::string&&`.
  if (exponent < -4 || exponent >= 16) {
    out += digits.front();
    if (digits.size() > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += exponent < 0 ? "e-" : "e+";
    const std::string magnitude = std::to_string(std::abs(exponent));
    if (magnitude.size() < 2) out += '0';
    out += magnitude;
    return out;
  }
  const int point = exponent + 1;  // digits before the decimal point
  const auto count = static_cast<int>(digits.size());
  if (point <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-point), '0');
    out += digits;
  } else if (point >= count) {
    out += digits;
    out.append(static_cast<std::size_t>(point - count), '0');
    out += ".0";
  } else {
    const auto split = static_cast<std::size_t>(point);
    out.append(digits, 0, split);
    out += '.';
    out.append(digits, split);
  }
  return out;
}

LeadAddParamsLead to_lead(const Business& business, const BusinessLeadOptions& options) {
  require_identity(business);
  LeadAddParamsLead lead;
  lead.email = business.email;
  lead.first_name = business.name;
  lead.last_name = std::string("Team");
  lead.company_name = business.name;
  lead.custom_variables = custom_variables_for(business);
  if (options.fill_top_level_contact) {
    if (const std::string* phone = present(business.phone)) lead.phone = *phone;
    if (const std::string* website = present(business.website)) lead.website = *website;
  }
  return lead;
}

Json format_lead_for_instantly(const Json& business) {
  const Business b = business_from_json(business);
  require_identity(b);
  return Json::object({{"email", b.email},
                       {"first_name", b.name},
                       {"last_name", "Team"},
                       {"company_name", b.name},
                       {"custom_variables", custom_variables_for(b)}});
}

}  // namespace instantly::workflows
