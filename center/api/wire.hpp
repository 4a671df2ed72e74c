#pragma once

// The JSON wire types of the centre API (docs/center-api.md), shared by the centre simulator and
// the kiosk's typed client. Each type has nlohmann-json to_json/from_json; from_json validates
// (member types, lengths, hex/base64, enums, dates) and throws WireError naming the field, so a
// garbage body is refused with a message and never crashes.
//
// Byte fields: APDUs, host challenges and hashes are uppercase hex (lowercase is accepted on
// input); documents, signatures, certificates and photos are standard base64 with padding.
// Dates are "YYYY-MM-DD"; instants RFC 3339 with an offset ("2026-01-15T18:00:00+09:00").
//
// One header a resource; this one includes them all.

#include "center/api/audit.hpp"           // IWYU pragma: export
#include "center/api/errors.hpp"          // IWYU pragma: export
#include "center/api/holder_status.hpp"   // IWYU pragma: export
#include "center/api/holders.hpp"         // IWYU pragma: export
#include "center/api/issuer_session.hpp"  // IWYU pragma: export
#include "center/api/reference.hpp"       // IWYU pragma: export
#include "center/api/renewal.hpp"         // IWYU pragma: export
#include "center/api/staff.hpp"           // IWYU pragma: export
#include "center/api/submissions.hpp"     // IWYU pragma: export
#include "center/api/wire_codec.hpp"      // IWYU pragma: export
