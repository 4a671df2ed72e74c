#pragma once

// Looks for secrets (PINs, My Numbers) in files the kiosk wrote: databases, their WAL, logs, the
// audit log. A secret is searched for in every form it could plausibly be stored in — as typed
// (ASCII/UTF-8), UTF-16LE, hex of its ASCII bytes, packed BCD (digits), base64 of the ASCII at each
// of the three alignments — so that "we hex-encoded it" is still found. Digit-only secrets must
// stand alone (not inside a longer run of digits or hex digits), since a four-digit PIN occurs by
// chance inside timestamps, counters and random ids (seen: "…64B7531E…", an idempotency key).

#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "base/hex.hpp"

namespace mk::test {

struct SecretHit {
  std::string secret_label;  // never the secret itself: the scan's own report must not leak it
  std::string form;          // "ascii", "utf16le", "hex", "bcd", "base64"
  std::filesystem::path file;
  size_t offset = 0;
};

struct Secret {
  std::string label;  // e.g. "yamada-taro license PIN"
  std::string value;
};

namespace secret_scan_detail {

inline bool all_digits(const std::string& s) {
  if (s.empty()) {
    return false;
  }
  for (const char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

inline std::string hex(const std::string& s, bool upper) {
  const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  return upper ? base::to_hex(bytes) : base::to_lower_hex(bytes);
}

inline std::string base64(const std::string& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const auto byte = [&](size_t k) {
      return static_cast<unsigned>(static_cast<unsigned char>(in[k]));
    };
    const unsigned v = (byte(i) << 16U) | (byte(i + 1) << 8U) | byte(i + 2);
    out += t[(v >> 18) & 63];
    out += t[(v >> 12) & 63];
    out += t[(v >> 6) & 63];
    out += t[v & 63];
  }
  return out;  // whole groups only: a stable core to search for
}

// The base64 cores of `s` at each alignment (prefixing 0, 1 or 2 unknown bytes changes the
// encoding; the full groups that hold only secret bytes are then fixed).
inline std::vector<std::string> base64_cores(const std::string& s) {
  std::vector<std::string> cores;
  for (size_t skip = 0; skip < 3 && skip < s.size(); ++skip) {
    const std::string core = base64(s.substr(skip));
    if (core.size() >= 4) {
      cores.push_back(core);
    }
  }
  return cores;
}

inline std::string bcd(const std::string& digits) {
  std::string out;
  for (size_t i = 0; i + 1 < digits.size(); i += 2) {
    out += static_cast<char>(((digits[i] - '0') << 4) | (digits[i + 1] - '0'));
  }
  return out;
}

inline std::string utf16le(const std::string& ascii) {
  std::string out;
  for (const char c : ascii) {
    out += c;
    out += '\0';
  }
  return out;
}

// A hex digit: a four-digit PIN occurs by chance inside random hex ids (an idempotency key).
inline bool is_hex_digit_at(const std::string& data, size_t at) {
  return at < data.size() && std::isxdigit(static_cast<unsigned char>(data[at])) != 0;
}

}  // namespace secret_scan_detail

// Every occurrence of every secret in `files` (missing files are skipped).
inline std::vector<SecretHit> scan_for_secrets(const std::vector<std::filesystem::path>& files,
                                               const std::vector<Secret>& secrets) {
  using namespace secret_scan_detail;
  std::vector<SecretHit> hits;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    if (!in) {
      continue;
    }
    // A sized read: istreambuf_iterator trips GCC 12's -O2 -Wnull-dereference (a false positive).
    std::string data(static_cast<size_t>(in.tellg()), '\0');
    in.seekg(0);
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    for (const auto& secret : secrets) {
      const bool digits = all_digits(secret.value);
      std::vector<std::pair<std::string, std::string>> forms = {
          {"ascii", secret.value},
          {"utf16le", utf16le(secret.value)},
          {"hex", hex(secret.value, true)},
      };
      if (hex(secret.value, false) != hex(secret.value, true)) {
        forms.emplace_back("hex", hex(secret.value, false));
      }
      if (digits && secret.value.size() % 2 == 0 && secret.value.size() >= 8) {
        forms.emplace_back("bcd", bcd(secret.value));  // short BCD occurs by chance
      }
      if (secret.value.size() >= 6) {
        for (auto& core : base64_cores(secret.value)) {
          forms.emplace_back("base64", core);
        }
      }
      for (const auto& [form, needle] : forms) {
        for (size_t at = data.find(needle); at != std::string::npos;
             at = data.find(needle, at + 1)) {
          // A digits-only secret as ASCII must stand alone, not be part of a longer number or
          // hex id.
          if (digits && form == "ascii" &&
              ((at > 0 && is_hex_digit_at(data, at - 1)) ||
               is_hex_digit_at(data, at + needle.size()))) {
            continue;
          }
          hits.push_back({secret.label, form, file, at});
        }
      }
    }
  }
  return hits;
}

// Every regular file under `dir`, recursively.
inline std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file()) {
      files.push_back(it->path());
    }
  }
  return files;
}

// The PINs and My Numbers of every virtual-card fixture (devices/sim/fixtures/*.toml).
inline std::vector<Secret> fixture_secrets(const std::filesystem::path& fixtures_dir) {
  std::vector<Secret> secrets;
  std::set<std::string> seen;
  for (const auto& entry : std::filesystem::directory_iterator(fixtures_dir)) {
    if (entry.path().extension() != ".toml") {
      continue;
    }
    const toml::table t = toml::parse_file(entry.path().string());
    const std::string id = entry.path().stem().string();
    auto add = [&](const std::string& label, const std::string& value) {
      if (!value.empty() && seen.insert(value).second) {
        secrets.push_back({id + " " + label, value});
      }
    };
    add("My Number", t["person"]["my_number"].value_or(std::string()));
    if (const auto* pins = t["pins"].as_table()) {
      for (const auto& [name, node] : *pins) {
        add(std::string(name.str()) + " PIN", node.value_or(std::string()));
      }
    }
  }
  return secrets;
}

}  // namespace mk::test
