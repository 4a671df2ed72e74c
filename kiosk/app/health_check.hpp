#pragma once

// `mynakiosk --check`: the store's health as one JSON document for an operator or a monitoring
// agent, read without changing anything (the kiosk may be running). "ok" is false, and
// "attention" lists why with the stable problem codes, when someone must act: dead letters,
// damaged files moved aside, an audit chain that does not verify, a missing key over sealed rows.
// docs/operations.md documents every member.

#include <nlohmann/json.hpp>

#include "kiosk/app/store_opening.hpp"
#include "offline-cache/time.hpp"

namespace mk::kiosk {

// `printer_queue`: the configured slip printer's CUPS queue ("" for none): asked whether it is
// ready (MK-PRINTER-NOT-READY when not).
nlohmann::json health_report(const StorePaths& paths, offline_cache::TimePoint now,
                             const std::string& printer_queue = "");

}  // namespace mk::kiosk
