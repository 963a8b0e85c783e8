// The `instantly::postgres` component: the pipeline's PostgreSQL database with
// row-level security per organisation, and its schema's migrations.
#pragma once

#include "instantly/postgres/database.hpp"    // IWYU pragma: export
#include "instantly/postgres/migrations.hpp"  // IWYU pragma: export
#include "instantly/postgres/pipeline_records.hpp"  // IWYU pragma: export
