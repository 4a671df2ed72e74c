#pragma once

// `mynakiosk --check-config`: beyond the file's syntax and values, what the configuration points
// to — files exist and are readable, PEM parses, the client key matches its certificate and names
// this terminal, key files are 0600 (or 0400) and owned by the kiosk's user. Every problem, one
// line each, naming the key and the file.

#include <string>
#include <vector>

#include "kiosk/app/store_opening.hpp"
#include "kiosk/config/config.hpp"

namespace mk::kiosk {

std::vector<std::string> check_config_files(const Config& config, const StorePaths& store);

}  // namespace mk::kiosk
