// A spooled delivery's body, turned into what the store keeps: an event row
// (by its dedupe key) or, when it does not parse, the body as received.
// The forwarder and --reparse both go through here, so they agree.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "receiver_store.hpp"

namespace webhook_receiver {

/// The event, or the body kept unparsed with the parser's message.
std::variant<NewEvent, UnparsedDelivery> parse_delivery(std::string_view body, std::string_view received_at);

/// Lower-case hex SHA-256 of `bytes`: what identifies an unparsed body.
std::string sha256_hex(std::string_view bytes);

/// Lower-case hex of any bytes (two characters each).
std::string to_hex(std::string_view bytes);

}  // namespace webhook_receiver
