#pragma once

// The reference data the centre simulator serves (GET /v1/reference): fees, holidays, opening
// hours and notices, with an ETag of its version.

#include <httplib.h>

#include "center/sim/replies.hpp"

namespace mk::center::sim {

// 304 when If-None-Match names the current version.
Reply reference(const httplib::Request& req);

}  // namespace mk::center::sim
