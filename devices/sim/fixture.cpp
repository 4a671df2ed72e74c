#include "devices/sim/fixture.hpp"

#include <chrono>
#include <cstring>
#include <stdexcept>

#include <toml++/toml.h>

#include "devices/profile/card_profile.hpp"

namespace mk::devices::sim {

namespace {

[[noreturn]] void bad(const std::filesystem::path& file, const std::string& key,
                      const std::string& why) {
  throw std::runtime_error(file.string() + ": " + key + ": " + why);
}

struct Reader {
  const std::filesystem::path& file;
  const Date& today;

  std::string str(const toml::table& t, const std::string& prefix, const char* key,
                  bool required = true) const {
    if (auto v = t[key].value<std::string>()) {
      return *v;
    }
    if (required) {
      bad(file, prefix + key, "missing string");
    }
    return {};
  }
  Date date(const toml::table& t, const std::string& prefix, const char* key) const {
    const auto* node = t.get(key);
    if (node == nullptr) {
      bad(file, prefix + key, "missing date");
    }
    if (auto d = node->value<toml::date>()) {
      return Date{d->year, d->month, d->day};
    }
    if (auto s = node->value<std::string>()) {
      if (*s == "today") {
        return today;
      }
      const Date d = parse_date(*s);
      if (d.year != 0) {
        return d;
      }
    }
    bad(file, prefix + key, "not a date (YYYY-MM-DD or \"today\")");
  }
  std::vector<std::string> strings(const toml::table& t, const std::string& prefix,
                                   const char* key) const {
    std::vector<std::string> out;
    if (const auto* arr = t[key].as_array()) {
      for (const auto& e : *arr) {
        auto v = e.value<std::string>();
        if (!v) {
          bad(file, prefix + key, "array of strings expected");
        }
        out.push_back(*v);
      }
    }
    return out;
  }
  std::vector<LicenseClassDate> classes(const toml::table& t, const std::string& prefix) const {
    std::vector<LicenseClassDate> out;
    const auto* ct = t["classes"].as_table();
    if (ct == nullptr) {
      return out;
    }
    for (const auto& cls : profile::kLicenseClasses) {
      if (ct->contains(cls.id)) {
        out.push_back({cls.tag, date(*ct, prefix + "classes.", cls.id)});
      }
    }
    for (const auto& [k, v] : *ct) {
      bool known = false;
      for (const auto& cls : profile::kLicenseClasses) {
        known = known || k.str() == cls.id;
      }
      if (!known) {
        bad(file, prefix + "classes." + std::string(k.str()), "unknown license class");
      }
    }
    return out;
  }
};

// R-NO-VIOLATIONS: a card carries the face's colour band, never the driver category.
void check_band(const std::filesystem::path& file, const std::string& key, const std::string& s) {
  if (s != "優良" && s != "一般" && s != "新規") {
    bad(file, key, "a colour band (優良, 一般 or 新規); the driver category is [centre]'s");
  }
}

void check_digits(const std::filesystem::path& file, const std::string& key, const std::string& s,
                  size_t n) {
  if (s.size() != n || s.find_first_not_of("0123456789") != std::string::npos) {
    bad(file, key, std::to_string(n) + " digits expected");
  }
}

}  // namespace

Date today_in_japan() {
  // Asia/Tokyo has kept UTC+9 without daylight saving since 1951: a fixed offset is the zone
  // (libstdc++ 12 has no time-zone database to ask).
  const auto now = std::chrono::system_clock::now() + std::chrono::hours(9);
  const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(now)};
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

Person load_person(const std::filesystem::path& file, const Date& today) {
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                             std::string(e.description()));
  }
  const Reader r{file, today};
  Person p;
  p.id = root["id"].value_or(file.stem().string());
  const auto* person = root["person"].as_table();
  if (person == nullptr) {
    bad(file, "person", "missing table");
  }
  p.family_name = r.str(*person, "person.", "family_name");
  p.given_name = r.str(*person, "person.", "given_name");
  p.kana = r.str(*person, "person.", "kana");
  p.address = r.str(*person, "person.", "address");
  p.prefecture = r.str(*person, "person.", "prefecture");
  p.city = r.str(*person, "person.", "city");
  p.birth_date = r.date(*person, "person.", "birth_date");
  const std::string sex = r.str(*person, "person.", "sex");
  if (sex == "male") {
    p.sex = "1";
  } else if (sex == "female") {
    p.sex = "2";
  } else if (sex == "unknown") {
    p.sex = "9";
  } else {
    bad(file, "person.sex", "male, female or unknown");
  }
  p.my_number = r.str(*person, "person.", "my_number");
  check_digits(file, "person.my_number", p.my_number, 12);
  p.photo_seed = static_cast<uint32_t>((*person)["photo_seed"].value_or(int64_t{1}));

  const auto* pins = root["pins"].as_table();
  if (pins == nullptr) {
    bad(file, "pins", "missing table");
  }
  p.pins.jpki_auth = r.str(*pins, "pins.", "jpki_auth");
  p.pins.jpki_sign = r.str(*pins, "pins.", "jpki_sign");
  p.pins.basic4 = r.str(*pins, "pins.", "basic4");
  p.pins.dl_pin1 = r.str(*pins, "pins.", "dl_pin1", false);
  p.pins.dl_pin2 = r.str(*pins, "pins.", "dl_pin2", false);
  p.pins.license = r.str(*pins, "pins.", "license", false);
  check_digits(file, "pins.jpki_auth", p.pins.jpki_auth, 4);
  check_digits(file, "pins.basic4", p.pins.basic4, 4);
  if (p.pins.jpki_sign.size() < 6 || p.pins.jpki_sign.size() > 16 ||
      p.pins.jpki_sign.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") !=
          std::string::npos) {
    bad(file, "pins.jpki_sign", "6-16 characters of A-Z 0-9 expected");
  }
  if (const auto* tries = root["initial_tries"].as_table()) {
    for (const auto& [k, v] : *tries) {
      auto n = v.value<int64_t>();
      if (!n) {
        bad(file, "initial_tries." + std::string(k.str()), "integer expected");
      }
      p.initial_tries[std::string(k.str())] = static_cast<int>(*n);
    }
  }

  const auto* certs = root["certificates"].as_table();
  if (certs == nullptr) {
    bad(file, "certificates", "missing table");
  }
  p.cert_not_before = r.date(*certs, "certificates.", "not_before");
  p.cert_not_after = r.date(*certs, "certificates.", "not_after");
  if (person->contains("card_expiry")) {
    p.card_expiry = r.date(*person, "person.", "card_expiry");
  } else {
    p.card_expiry = {p.cert_not_before.year + 10, p.cert_not_before.month, p.cert_not_before.day};
    if (p.card_expiry.month == 2 && p.card_expiry.day == 29) {
      p.card_expiry.day = 28;  // a card issued on 29 February
    }
  }

  if (const auto* lic = root["license"].as_table()) {
    ConventionalLicense l;
    l.number = r.str(*lic, "license.", "number");
    check_digits(file, "license.number", l.number, 12);
    l.reference_number = r.str(*lic, "license.", "reference_number", false);
    l.issue_date = r.date(*lic, "license.", "issue_date");
    l.expiry = r.date(*lic, "license.", "expiry");
    l.color = r.str(*lic, "license.", "color");
    check_band(file, "license.color", l.color);
    l.conditions = r.strings(*lic, "license.", "conditions");
    if (l.conditions.size() > 4) {
      bad(file, "license.conditions", "at most 4");
    }
    l.commission = r.str(*lic, "license.", "commission");
    l.honseki = r.str(*lic, "license.", "honseki");
    l.classes = r.classes(*lic, "license.");
    check_digits(file, "pins.dl_pin1", p.pins.dl_pin1, 4);
    check_digits(file, "pins.dl_pin2", p.pins.dl_pin2, 4);
    p.license = l;
  }
  // A record as the 免許AP holds it: [license_ap] (on the card) or [driving_history] (kind "2",
  // held by the centre for someone who returned the licence).
  const auto record = [&](const toml::table& ap, const std::string& prefix, const char* kind) {
    LicenseApRecord a;
    a.record_state = static_cast<uint8_t>(ap["record_state"].value_or(int64_t{2}));
    a.kind = ap["kind"].value_or(std::string(kind));
    a.number = r.str(ap, prefix, "number");
    check_digits(file, prefix + "number", a.number, 12);
    a.recording_date = r.date(ap, prefix, "recording_date");
    a.expiry = r.date(ap, prefix, "expiry");
    // A driving history has no colour band (FAQ 8).
    a.color = r.str(ap, prefix, "color", a.kind == "1");
    if (a.kind == "1") {
      check_band(file, prefix + "color", a.color);
    }
    a.commission = r.str(ap, prefix, "commission");
    a.conditions = r.strings(ap, prefix, "conditions");
    a.classes = r.classes(ap, prefix);
    a.history = r.str(ap, prefix, "history", a.kind == "2");
    return a;
  };
  if (const auto* ap = root["license_ap"].as_table()) {
    p.license_ap = record(*ap, "license_ap.", "1");
    check_digits(file, "pins.license", p.pins.license, 4);
  }
  if (const auto* h = root["driving_history"].as_table()) {
    p.driving_history = record(*h, "driving_history.", "2");
    if (p.driving_history->kind != "2" || p.driving_history->history.empty()) {
      bad(file, "driving_history", "is a kind \"2\" record with a history text");
    }
  }
  const std::string band = p.license_ap ? p.license_ap->color
                           : p.license  ? p.license->color
                                        : std::string();
  p.driver_category = band == "新規" ? "初回更新" : band;
  if (const auto* centre = root["centre"].as_table()) {
    if (const auto c = (*centre)["driver_category"].value<std::string>()) {
      p.driver_category = *c;
    }
    p.suspended = (*centre)["suspended"].value_or(false);
    p.centre_address = (*centre)["address"].value_or(std::string());
    // The licence photo the centre keeps (for the PIN unlock's face check), beside the fixture.
    if (const auto face = (*centre)["face"].value<std::string>()) {
      p.centre_face = (file.parent_path() / *face).lexically_normal();
    }
  }
  if (p.centre_address.empty()) {
    p.centre_address = p.address;
  }
  if (!p.driver_category.empty() && p.driver_category != "優良" && p.driver_category != "一般" &&
      p.driver_category != "違反" && p.driver_category != "初回更新") {
    bad(file, "centre.driver_category", "優良, 一般, 違反 or 初回更新");
  }
  return p;
}

}  // namespace mk::devices::sim
