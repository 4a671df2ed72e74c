#pragma once

// The centre simulator's database schema (SQLite, WAL): terminals, holders, consents, linkages,
// appointments, registered PINs, renewals, the audit rows received, idempotency, issuer sessions
// and revocations.

#include "base/sqlite/database.hpp"

namespace mk::center::sim {

// Sets the connection up (busy timeout, WAL, foreign keys) and creates any missing table.
void create_schema(base::sqlite::Database& db);

}  // namespace mk::center::sim
