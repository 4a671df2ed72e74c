#include "devices/sim/state.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace mk::devices::sim {

std::optional<CardState> load_state(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  try {
    const auto j = nlohmann::json::parse(in);
    CardState s;
    s.card = j.value("card", "");
    s.fixture = j.value("fixture", "");
    if (j.contains("pins")) {
      for (const auto& [id, tries] : j.at("pins").items()) {
        s.pin_tries[id] = tries.get<int>();
      }
    }
    if (j.contains("license_ap") && j.at("license_ap").contains("record_state")) {
      s.record_state = j.at("license_ap").at("record_state").get<uint8_t>();
    }
    if (j.contains("license_ap") && j.at("license_ap").contains("instance")) {
      s.license_ap_instance = j.at("license_ap").at("instance").get<std::string>();
      if (s.license_ap_instance != "installed" && s.license_ap_instance != "deleted") {
        throw std::runtime_error(file.string() + ": license_ap.instance must be installed or " +
                                 "deleted, not " + s.license_ap_instance);
      }
    }
    if (j.contains("card_serial")) {
      s.card_serial = j.at("card_serial").get<int>();
    }
    if (s.card_serial < 1 || s.card_serial > 99) {
      throw std::runtime_error(file.string() + ": card_serial must be 1..99");
    }
    if (j.contains("pin_values")) {
      for (const auto& [id, value] : j.at("pin_values").items()) {
        s.pin_values[id] = value.get<std::string>();
      }
    }
    if (j.contains("files")) {
      for (const auto& [key, hex] : j.at("files").items()) {
        s.files[key] = hex.get<std::string>();
      }
    }
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(file.string() + ": not a virtual card state file: " + e.what());
  }
}

void save_state(const std::filesystem::path& file, const CardState& s) {
  nlohmann::json j;
  j["version"] = 1;
  j["card"] = s.card;
  j["fixture"] = s.fixture;
  j["pins"] = s.pin_tries;
  if (s.record_state) {
    j["license_ap"]["record_state"] = *s.record_state;
  }
  if (!s.license_ap_instance.empty()) {
    j["license_ap"]["instance"] = s.license_ap_instance;
  }
  j["files"] = s.files;
  if (s.card_serial != 1) {
    j["card_serial"] = s.card_serial;
  }
  if (!s.pin_values.empty()) {
    j["pin_values"] = s.pin_values;
  }
  const std::string text = j.dump(2) + "\n";
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path());
  }
  const std::string tmp = file.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw std::runtime_error("cannot write " + tmp + ": " +
                             std::error_code(errno, std::generic_category()).message());
  }
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      ::close(fd);
      throw std::runtime_error("cannot write " + tmp + ": " +
                               std::error_code(errno, std::generic_category()).message());
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    throw std::runtime_error("cannot sync " + tmp + ": " +
                             std::error_code(errno, std::generic_category()).message());
  }
  std::filesystem::rename(tmp, file);
  // Make the rename itself durable.
  const auto dir = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace mk::devices::sim
