// A lead given as a plain Python dict, converted straight into the C++ struct.
//
// import_leads used to turn every lead into JSON text (json module) and parse that text again
// in C++: about 6 µs a lead, all of it on the importer's single reading thread and most of it
// with the GIL held, which delayed the first chunks of a large import. The usual lead (known
// text fields and a flat custom_variables of str/int/bool/None) is copied field by field here
// in about a microsecond. Anything else returns nothing and takes the general path (the Python
// side's JSON encoding, then LeadAddParamsLead::from_json), which defines the behaviour: this
// shortcut must give the same lead for every input it accepts.
#pragma once

#include <optional>

#include <pybind11/pybind11.h>

#include "instantly/models/lead.hpp"

namespace instantly_python {

/// The lead for `item` when it is an exact dict the shortcut understands; else nothing
/// (never raises, leaves no Python error set). Call with the GIL held.
std::optional<instantly::LeadAddParamsLead> plain_lead_from_dict(pybind11::handle item);

}  // namespace instantly_python
