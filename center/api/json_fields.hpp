#pragma once

// Internal to center/api's .cpp files: the checked reader of a JSON object's members (Fields), the
// wire spellings of the API's enums, and the size limits of the members. Every failure is a
// WireError naming the member's JSON path, never its value.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "center/api/holders.hpp"
#include "center/api/issuer_session.hpp"
#include "center/api/wire_codec.hpp"

namespace mk::center::api::detail {

// Reads the members of one JSON object, each with its checks; every failure names the path.
class Fields {
 public:
  Fields(const Json& j, std::string path) : j_(j), path_(std::move(path)) {
    if (!j_.is_object()) {
      throw WireError(path_, "is not a JSON object");
    }
  }

  std::string path(std::string_view name) const {
    return path_.empty() ? std::string(name) : path_ + "." + std::string(name);
  }
  bool has(const char* name) const { return j_.contains(name) && !j_.at(name).is_null(); }
  const Json& member(const char* name) const {
    if (!has(name)) {
      throw WireError(path(name), "is missing");
    }
    return j_.at(name);
  }

  std::string text(const char* name, size_t min_len, size_t max_len) const {
    const Json& v = member(name);
    if (!v.is_string()) {
      throw WireError(path(name), "is not a string");
    }
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() < min_len || s.size() > max_len) {
      throw WireError(path(name), "has a length outside " + std::to_string(min_len) + ".." +
                                      std::to_string(max_len));
    }
    return s;
  }
  std::string digits(const char* name, size_t count) const {
    std::string s = text(name, count, count);
    if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      throw WireError(path(name), "is not " + std::to_string(count) + " digits");
    }
    return s;
  }
  std::string date(const char* name) const {
    std::string s = text(name, 10, 10);
    check_date(s, path(name));
    return s;
  }
  std::string instant(const char* name) const {
    std::string s = text(name, 20, 25);
    check_instant(s, path(name));
    return s;
  }
  bool boolean(const char* name) const {
    const Json& v = member(name);
    if (!v.is_boolean()) {
      throw WireError(path(name), "is not a boolean");
    }
    return v.get<bool>();
  }
  bool boolean_or(const char* name, bool fallback) const {
    return has(name) ? boolean(name) : fallback;
  }
  int64_t integer(const char* name, int64_t min, int64_t max) const {
    const Json& v = member(name);
    if (!v.is_number_integer()) {
      throw WireError(path(name), "is not an integer");
    }
    const auto n = v.get<int64_t>();
    if (n < min || n > max) {
      throw WireError(path(name), "is out of range");
    }
    return n;
  }
  Bytes hex(const char* name, size_t min_len, size_t max_len) const {
    Bytes b = from_hex(text(name, 0, max_len * 2), path(name));
    if (b.size() < min_len) {
      throw WireError(path(name), "is shorter than " + std::to_string(min_len) + " bytes");
    }
    return b;
  }
  Bytes base64(const char* name, size_t min_len, size_t max_len) const {
    Bytes b = from_base64(text(name, 0, (max_len + 2) / 3 * 4), path(name));
    if (b.size() < min_len) {
      throw WireError(path(name), "is shorter than " + std::to_string(min_len) + " bytes");
    }
    return b;
  }
  template <typename E, size_t N>
  E enumeration(const char* name, const std::pair<std::string_view, E> (&names)[N]) const {
    const std::string s = text(name, 1, 64);
    for (const auto& [n, e] : names) {
      if (s == n) {
        return e;
      }
    }
    throw WireError(path(name), "is not one of the allowed values");
  }
  const Json& array(const char* name, size_t max_items) const {
    const Json& v = member(name);
    if (!v.is_array()) {
      throw WireError(path(name), "is not an array");
    }
    if (v.size() > max_items) {
      throw WireError(path(name), "has more than " + std::to_string(max_items) + " items");
    }
    return v;
  }
  template <typename T>
  std::vector<T> objects(const char* name, size_t max_items) const {
    const Json& a = array(name, max_items);
    std::vector<T> out;
    for (size_t i = 0; i < a.size(); ++i) {
      out.push_back(read_at<T>(a[i], path(name) + "[" + std::to_string(i) + "]"));
    }
    return out;
  }
  std::vector<std::string> strings(const char* name, size_t max_items, size_t max_len) const {
    const Json& a = array(name, max_items);
    std::vector<std::string> out;
    for (size_t i = 0; i < a.size(); ++i) {
      const std::string p = path(name) + "[" + std::to_string(i) + "]";
      if (!a[i].is_string() || a[i].get_ref<const std::string&>().size() > max_len) {
        throw WireError(p, "is not a string of at most " + std::to_string(max_len) + " bytes");
      }
      out.push_back(a[i].get<std::string>());
    }
    return out;
  }
  std::vector<Bytes> hex_list(const char* name, size_t max_items, size_t max_len) const {
    const Json& a = array(name, max_items);
    std::vector<Bytes> out;
    for (size_t i = 0; i < a.size(); ++i) {
      const std::string p = path(name) + "[" + std::to_string(i) + "]";
      if (!a[i].is_string() || a[i].get_ref<const std::string&>().size() > max_len * 2) {
        throw WireError(p, "is not a hex string of at most " + std::to_string(max_len) + " bytes");
      }
      out.push_back(from_hex(a[i].get_ref<const std::string&>(), p));
    }
    return out;
  }
  Fields object(const char* name) const { return Fields(member(name), path(name)); }

  // Reads a nested value with the path prefixed, so its errors name the whole path.
  template <typename T>
  static T read_at(const Json& j, const std::string& p) {
    try {
      return j.get<T>();
    } catch (const WireError& e) {
      throw WireError(e.field().empty() ? p : p + "." + e.field(), problem_of(e));
    }
  }

  static void check_date(const std::string& s, const std::string& p) {
    const bool shape =
        s.size() == 10 && s[4] == '-' && s[7] == '-' &&
        std::all_of(s.begin(), s.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
    if (!shape) {
      throw WireError(p, "is not a date YYYY-MM-DD");
    }
    const int month = std::stoi(s.substr(5, 2));
    const int day = std::stoi(s.substr(8, 2));
    if (month < 1 || month > 12 || day < 1 || day > 31) {
      throw WireError(p, "is not a calendar date");
    }
  }
  static void check_instant(const std::string& s, const std::string& p) {
    // YYYY-MM-DDTHH:MM:SS then Z or +HH:MM / -HH:MM.
    auto digits_at = [&](size_t from, size_t n) {
      return from + n <= s.size() && std::all_of(s.begin() + static_cast<long>(from),
                                                 s.begin() + static_cast<long>(from + n),
                                                 [](char c) { return c >= '0' && c <= '9'; });
    };
    bool ok = s.size() >= 20 && s[10] == 'T' && s[13] == ':' && s[16] == ':' && digits_at(11, 2) &&
              digits_at(14, 2) && digits_at(17, 2);
    if (ok) {
      check_date(s.substr(0, 10), p);
      const std::string zone = s.substr(19);
      ok = zone == "Z" || (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') &&
                           zone[3] == ':' && digits_at(20, 2) && digits_at(23, 2));
    }
    if (!ok) {
      throw WireError(p, "is not an RFC 3339 time with an offset");
    }
  }

  static std::string problem_of(const WireError& e) {
    const std::string what = e.what();
    const std::string prefix = e.field() + ": ";
    return what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what;
  }

 private:
  const Json& j_;
  std::string path_;
};

// The wire spellings of the enums: to_string and Fields::enumeration read the same tables.
inline constexpr std::pair<std::string_view, HoldingForm> kHoldingForms[] = {
    {"both", HoldingForm::both},
    {"myna_only", HoldingForm::myna_only},
    {"conventional_only", HoldingForm::conventional_only}};
inline constexpr std::pair<std::string_view, HoldingFormAction> kHoldingActions[] = {
    {"return_conventional", HoldingFormAction::return_conventional},
    {"erase_record", HoldingFormAction::erase_record},
    {"add_conventional", HoldingFormAction::add_conventional}};
inline constexpr std::pair<std::string_view, IssuerOperation> kOperations[] = {
    {"record", IssuerOperation::record},
    {"delete", IssuerOperation::erase},
    {"reset_pin", IssuerOperation::reset_pin},
    {"rewrite", IssuerOperation::rewrite}};
inline constexpr std::pair<std::string_view, PhaseName> kPhases[] = {
    {"isd", PhaseName::isd}, {"license_ap", PhaseName::license_ap}};

template <typename E, size_t N>
std::string_view name_of(E v, const std::pair<std::string_view, E> (&names)[N]) {
  for (const auto& [n, e] : names) {
    if (e == v) {
      return n;
    }
  }
  return "?";
}

// Generous limits: a body is small; these only stop a hostile one from growing without bound.
inline constexpr size_t kShort = 64;
inline constexpr size_t kText = 1024;
inline constexpr size_t kDocument = size_t{64} * 1024;
inline constexpr size_t kCertificate = size_t{8} * 1024;
inline constexpr size_t kSignature = 1024;
inline constexpr size_t kApdu = 261;
inline constexpr size_t kPhoto = size_t{64} * 1024;

// An optional card identity (card_id): absent, or 64 hex digits (returned in lowercase).
std::string optional_card_id(const Fields& f);
// Writes card_id when there is one.
void put_card_id(Json& j, const std::string& card_id);

}  // namespace mk::center::api::detail
