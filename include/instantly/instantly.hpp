// Umbrella header of the `instantly::instantly` component: the client, every
// typed operation, errors, pagination, and webhook verification and parsing.
// Nothing here needs more than libcurl, OpenSSL and simdjson; the workflows
// (bulk import, sync, engagement, sealed keys) are in instantly/workflows.hpp.
#pragma once

#include "instantly/client.hpp"
#include "instantly/error.hpp"
#include "instantly/json.hpp"
#include "instantly/log.hpp"
#include "instantly/models.hpp"
#include "instantly/observer.hpp"
#include "instantly/options.hpp"
#include "instantly/page.hpp"
#include "instantly/resources.hpp"
#include "instantly/transport.hpp"
#include "instantly/version.hpp"
#include "instantly/webhooks.hpp"
