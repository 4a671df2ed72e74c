#include "center/api/wire.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <openssl/evp.h>

#include "base/hex.hpp"

namespace mk::center::api {

namespace {

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

constexpr std::pair<std::string_view, HoldingForm> kHoldingForms[] = {
    {"both", HoldingForm::both},
    {"myna_only", HoldingForm::myna_only},
    {"conventional_only", HoldingForm::conventional_only}};
constexpr std::pair<std::string_view, HoldingFormAction> kHoldingActions[] = {
    {"return_conventional", HoldingFormAction::return_conventional},
    {"erase_record", HoldingFormAction::erase_record},
    {"add_conventional", HoldingFormAction::add_conventional}};
constexpr std::pair<std::string_view, IssuerOperation> kOperations[] = {
    {"record", IssuerOperation::record},
    {"delete", IssuerOperation::erase},
    {"reset_pin", IssuerOperation::reset_pin},
    {"rewrite", IssuerOperation::rewrite}};
constexpr std::pair<std::string_view, PhaseName> kPhases[] = {
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
constexpr size_t kShort = 64;
constexpr size_t kText = 1024;
constexpr size_t kDocument = size_t{64} * 1024;
constexpr size_t kCertificate = size_t{8} * 1024;
constexpr size_t kSignature = 1024;
constexpr size_t kApdu = 261;
constexpr size_t kPhoto = size_t{64} * 1024;

std::string status_hex(uint16_t sw) {
  const uint8_t b[2] = {static_cast<uint8_t>(sw >> 8), static_cast<uint8_t>(sw)};
  return base::to_hex(b);
}

}  // namespace

WireError::WireError(std::string field, const std::string& problem)
    : std::runtime_error(field.empty() ? problem : field + ": " + problem),
      field_(std::move(field)) {}

Json parse_json(std::string_view text) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    throw WireError("", "the body is not JSON");
  }
  return j;
}

// Not final: certificate_issued_today (the same certificate is good tomorrow), the terminal and
// idempotency-key-required codes (the kiosk's configuration or version, which staff can mend),
// session codes (an issuer session is interactive), audit_chain_broken (its own protocol),
// not_found (a route: a wrong URL), unavailable and internal.
bool is_final_refusal(std::string_view code) {
  static constexpr std::array<std::string_view, 16> kFinal = {
      code::kBadRequest,
      code::kIdempotencyKeyReused,
      code::kHolderNotFound,
      code::kHolderMismatch,
      code::kNotEligible,
      code::kCertificateExpired,
      code::kCertificateRevoked,
      code::kCertificateUntrusted,
      code::kCertificateWrongKeyUsage,
      code::kCertificateHolderMismatch,
      code::kSignatureInvalid,
      code::kCardCryptogramInvalid,
      code::kConsentNotFound,
      code::kAppointmentNotFound,
      code::kAppointmentNotToday,
      code::kAppointmentCheckedIn,
  };
  return std::find(kFinal.begin(), kFinal.end(), code) != kFinal.end();
}

Bytes from_hex(std::string_view hex, const std::string& field) {
  auto bytes = base::from_hex(hex);
  if (!bytes) {
    throw WireError(field, "is not an even number of hex digits");
  }
  return std::move(*bytes);
}

std::string to_base64(std::span<const uint8_t> bytes) {
  std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Bytes from_base64(std::string_view text, const std::string& field) {
  // EVP_DecodeBlock skips surrounding whitespace and does not report padding, so check the
  // alphabet and shape here and take the padding off its count.
  const bool shape =
      text.size() % 4 == 0 && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/' || c == '=';
      });
  const size_t first_pad = text.find('=');
  const bool padding_ok = first_pad == std::string_view::npos ||
                          (first_pad >= text.size() - 2 &&
                           text.find_first_not_of('=', first_pad) == std::string_view::npos);
  if (!shape || !padding_ok) {
    throw WireError(field, "is not base64");
  }
  Bytes out(text.size() / 4 * 3);
  if (text.empty()) {
    return out;
  }
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) {
    throw WireError(field, "is not base64");
  }
  const size_t pad = static_cast<size_t>(std::count(text.end() - 2, text.end(), '='));
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::string_view to_string(HoldingForm v) {
  return name_of(v, kHoldingForms);
}
std::string_view to_string(HoldingFormAction v) {
  return name_of(v, kHoldingActions);
}
std::string_view to_string(IssuerOperation v) {
  return name_of(v, kOperations);
}
std::string_view to_string(PhaseName v) {
  return name_of(v, kPhases);
}

// ---- JSON -----------------------------------------------------------------------------------

void to_json(Json& j, const ErrorBody& v) {
  j = {{"code", v.code}, {"message", v.message}, {"retryable", v.retryable}};
}
void from_json(const Json& j, ErrorBody& v) {
  const Fields f(j, "");
  v.code = f.text("code", 1, kShort);
  v.message = f.text("message", 0, kText);
  v.retryable = f.boolean("retryable");
}

Json error_envelope(const ErrorBody& e) {
  return {{"error", e}};
}

ErrorBody parse_error_envelope(std::string_view text) {
  const Json j = parse_json(text);
  const Fields f(j, "");
  return Fields::read_at<ErrorBody>(f.member("error"), "error");
}

void to_json(Json& j, const KioskInfo& v) {
  j = {{"terminal_id", v.terminal_id},
       {"center_name", v.center_name},
       {"center_code", v.center_code},
       {"server_time", v.server_time}};
}
void from_json(const Json& j, KioskInfo& v) {
  const Fields f(j, "");
  v.terminal_id = f.text("terminal_id", 1, kShort);
  v.center_name = f.text("center_name", 1, kText);
  v.center_code = f.text("center_code", 1, kShort);
  v.server_time = f.instant("server_time");
}

void to_json(Json& j, const Fee& v) {
  j = {{"id", v.id}, {"yen", v.yen}};
}
void from_json(const Json& j, Fee& v) {
  const Fields f(j, "");
  v.id = f.text("id", 1, kShort);
  v.yen = f.integer("yen", 0, 1'000'000);
}

void to_json(Json& j, const OpeningHours& v) {
  j = {{"weekday", v.weekday}, {"open", v.open}, {"close", v.close}};
}
void from_json(const Json& j, OpeningHours& v) {
  const Fields f(j, "");
  v.weekday = static_cast<int>(f.integer("weekday", 1, 7));
  v.open = f.text("open", 5, 5);
  v.close = f.text("close", 5, 5);
}

void to_json(Json& j, const TextOverride& v) {
  j = {{"key", v.key}, {"lang", v.lang}, {"text", v.text}};
}
void from_json(const Json& j, TextOverride& v) {
  const Fields f(j, "");
  v.key = f.text("key", 1, 256);
  v.lang = f.text("lang", 2, 8);
  v.text = f.text("text", 0, 4096);
}

void to_json(Json& j, const ReferenceData& v) {
  j = {{"version", v.version},
       {"fees", v.fees},
       {"holidays", v.holidays},
       {"opening_hours", v.opening_hours},
       {"texts", v.texts}};
}
void from_json(const Json& j, ReferenceData& v) {
  const Fields f(j, "");
  v.version = f.text("version", 1, kShort);
  v.fees = f.objects<Fee>("fees", 256);
  v.holidays = f.strings("holidays", 1024, 10);
  for (size_t i = 0; i < v.holidays.size(); ++i) {
    Fields::check_date(v.holidays[i], "holidays[" + std::to_string(i) + "]");
  }
  v.opening_hours = f.objects<OpeningHours>("opening_hours", 64);
  v.texts = f.objects<TextOverride>("texts", 4096);
}

void to_json(Json& j, const Health& v) {
  j = {{"status", v.status}, {"server_time", v.server_time}, {"version", v.version}};
}
void from_json(const Json& j, Health& v) {
  const Fields f(j, "");
  v.status = f.text("status", 1, kShort);
  v.server_time = f.instant("server_time");
  v.version = f.text("version", 1, kShort);
}

// An optional card identity: absent, or 64 hex digits (returned in lowercase).
static std::string optional_card_id(const Fields& f) {
  if (!f.has("card_id")) {
    return {};
  }
  std::string id = f.text("card_id", 64, 64);
  for (char& c : id) {
    if (c >= 'A' && c <= 'F') {
      c = static_cast<char>(c - 'A' + 'a');  // one spelling of an identity
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw WireError("card_id", "is not 64 hex digits");
    }
  }
  return id;
}

// Where a record is (R-LOST): this, another, none or unknown.
static std::string record_card(const Fields& f) {
  std::string v = f.text("record_card", 1, kShort);
  if (v != "this" && v != "another" && v != "none" && v != "unknown") {
    throw WireError("record_card", "is not this, another, none or unknown");
  }
  return v;
}

static void put_card_id(Json& j, const std::string& card_id) {
  if (!card_id.empty()) {
    j["card_id"] = card_id;
  }
}

void to_json(Json& j, const HolderLookupRequest& v) {
  j = {{"license_number", v.license_number},
       {"birth_date", v.birth_date},
       {"name", v.name},
       {"address", v.address}};
  put_card_id(j, v.card_id);
}
void from_json(const Json& j, HolderLookupRequest& v) {
  const Fields f(j, "");
  v.license_number = f.digits("license_number", 12);
  v.birth_date = f.date("birth_date");
  v.name = f.text("name", 1, 256);
  v.address = f.text("address", 0, kText);
  v.card_id = optional_card_id(f);
}

void to_json(Json& j, const AuthChallenge& v) {
  j = {{"challenge", to_base64(v.challenge)}, {"expires_at", v.expires_at}};
}
void from_json(const Json& j, AuthChallenge& v) {
  const Fields f(j, "");
  v.challenge = f.base64("challenge", 32, 32);
  v.expires_at = f.instant("expires_at");
}

void to_json(Json& j, const CardLookupRequest& v) {
  j = {{"birth_date", v.birth_date},
       {"name", v.name},
       {"address", v.address},
       {"card_id", v.card_id},
       {"challenge", to_base64(v.challenge)},
       {"certificate", to_base64(v.certificate)},
       {"signature", to_base64(v.signature)}};
}
void from_json(const Json& j, CardLookupRequest& v) {
  const Fields f(j, "");
  v.birth_date = f.date("birth_date");
  v.name = f.text("name", 1, 256);
  v.address = f.text("address", 0, kText);
  v.card_id = optional_card_id(f);
  if (v.card_id.empty()) {
    throw WireError("card_id", "is required");
  }
  v.challenge = f.base64("challenge", 32, 32);
  v.certificate = f.base64("certificate", 64, 4096);
  v.signature = f.base64("signature", 64, 512);
}

void to_json(Json& j, const CardStatusRequest& v) {
  j = {{"license_number", v.license_number}, {"card_id", v.card_id}};
}
void from_json(const Json& j, CardStatusRequest& v) {
  const Fields f(j, "");
  v.license_number = f.digits("license_number", 12);
  v.card_id = optional_card_id(f);
  if (v.card_id.empty()) {
    throw WireError("card_id", "is required");
  }
}

void to_json(Json& j, const CardStatus& v) {
  j = {{"record_card", v.record_card}};
}
void from_json(const Json& j, CardStatus& v) {
  const Fields f(j, "");
  v.record_card = record_card(f);
}

void to_json(Json& j, const HistoryLookupRequest& v) {
  j = {{"birth_date", v.birth_date}, {"name", v.name}, {"address", v.address}};
  put_card_id(j, v.card_id);
}
void from_json(const Json& j, HistoryLookupRequest& v) {
  const Fields f(j, "");
  v.birth_date = f.date("birth_date");
  v.name = f.text("name", 1, 256);
  v.address = f.text("address", 0, kText);
  v.card_id = optional_card_id(f);
}

void to_json(Json& j, const LicenseClass& v) {
  j = {{"name", v.name}, {"date", v.date}};
}
void from_json(const Json& j, LicenseClass& v) {
  const Fields f(j, "");
  v.name = f.text("name", 1, kShort);
  v.date = f.date("date");
}

void to_json(Json& j, const LicenseRecordView& v) {
  j = {{"holder_ref", v.holder_ref},
       {"kind", v.kind},
       {"license_number", v.license_number},
       {"expiry", v.expiry},
       {"color", v.color},
       {"classes", v.classes},
       {"conditions", v.conditions},
       {"commission", v.commission},
       {"holding_form", to_string(v.holding_form)},
       {"license_ap_recorded", v.license_ap_recorded},
       {"address_changed", v.address_changed},
       {"at_home_centre", v.at_home_centre},
       {"card_expiry", v.card_expiry},
       {"record_card", v.record_card},
       {"photo_j2k", to_base64(v.photo_j2k)}};
}
void from_json(const Json& j, LicenseRecordView& v) {
  const Fields f(j, "");
  v.holder_ref = f.text("holder_ref", 1, kShort);
  // Fields a centre of an earlier version does not send have their meaning when absent.
  v.kind = f.has("kind") ? f.text("kind", 1, kShort) : "license";
  if (v.kind != "license" && v.kind != "history") {
    throw WireError("kind", "neither license nor history");
  }
  v.license_number = f.digits("license_number", 12);
  v.expiry = f.date("expiry");
  v.color = f.text("color", v.kind == "history" ? 0 : 1, kShort);
  v.classes = f.objects<LicenseClass>("classes", 32);
  v.conditions = f.strings("conditions", 32, kText);
  v.commission = f.text("commission", 1, kText);
  v.holding_form = f.enumeration("holding_form", kHoldingForms);
  v.license_ap_recorded = f.boolean("license_ap_recorded");
  v.address_changed = f.boolean("address_changed");
  v.at_home_centre = f.boolean("at_home_centre");
  v.card_expiry = f.has("card_expiry") ? f.text("card_expiry", 0, kShort) : "";
  if (!v.card_expiry.empty()) {
    v.card_expiry = f.date("card_expiry");
  }
  v.record_card = f.has("record_card") ? record_card(f) : "unknown";
  v.photo_j2k = f.base64("photo_j2k", 0, kPhoto);
}

void to_json(Json& j, const HoldingFormRequest& v) {
  j = {{"action", to_string(v.action)}};
}
void from_json(const Json& j, HoldingFormRequest& v) {
  const Fields f(j, "");
  v.action = f.enumeration("action", kHoldingActions);
}

void to_json(Json& j, const RenewalOffer& v) {
  j = {{"holder_ref", v.holder_ref},
       {"current_expiry", v.current_expiry},
       {"new_expiry", v.new_expiry},
       {"color", v.color},
       {"category", v.category},
       {"conditions", v.conditions},
       {"birth_date", v.birth_date},
       {"relapsed_at_last_renewal", v.relapsed_at_last_renewal},
       {"via", v.via},
       {"holding_form", to_string(v.holding_form)}};
}
void from_json(const Json& j, RenewalOffer& v) {
  const Fields f(j, "");
  v.holder_ref = f.text("holder_ref", 1, kShort);
  v.current_expiry = f.date("current_expiry");
  v.new_expiry = f.date("new_expiry");
  v.color = f.text("color", 1, kShort);
  v.category = f.has("category") ? f.text("category", 1, kShort) : "";  // "": the strictest
  v.conditions = f.strings("conditions", 32, kText);
  v.birth_date = f.date("birth_date");
  v.relapsed_at_last_renewal = f.boolean("relapsed_at_last_renewal");
  v.via = f.boolean("via");
  v.holding_form = f.enumeration("holding_form", kHoldingForms);
}

void to_json(Json& j, const HoldingFormChange& v) {
  j = {{"holder_ref", v.holder_ref},
       {"holding_form", to_string(v.holding_form)},
       {"changed_at", v.changed_at}};
}
void from_json(const Json& j, HoldingFormChange& v) {
  const Fields f(j, "");
  v.holder_ref = f.text("holder_ref", 1, kShort);
  v.holding_form = f.enumeration("holding_form", kHoldingForms);
  v.changed_at = f.instant("changed_at");
}

void to_json(Json& j, const IssuerSessionRequest& v) {
  j = {{"operation", to_string(v.operation)}, {"holder_ref", v.holder_ref}, {"resume", v.resume}};
  if (v.holding_form) {
    j["holding_form"] = to_string(*v.holding_form);
  }
  if (v.replace_card) {
    j["replace_card"] = true;
  }
  put_card_id(j, v.card_id);
  if (v.new_pin) {
    const auto b = v.new_pin->bytes();
    j["new_pin"] = std::string(b.begin(), b.end());
  }
}
void from_json(const Json& j, IssuerSessionRequest& v) {
  const Fields f(j, "");
  v.operation = f.enumeration("operation", kOperations);
  v.holder_ref = f.text("holder_ref", 1, kShort);
  v.resume = f.boolean_or("resume", false);
  v.replace_card = f.boolean_or("replace_card", false);
  v.card_id = optional_card_id(f);
  if (v.replace_card && v.operation != IssuerOperation::record) {
    throw WireError("replace_card", "is only for record");
  }
  v.holding_form.reset();
  if (f.has("holding_form")) {
    if (v.operation != IssuerOperation::record) {
      throw WireError("holding_form", "is only for record");
    }
    v.holding_form = f.enumeration("holding_form", kHoldingForms);
    if (*v.holding_form == HoldingForm::conventional_only) {
      throw WireError("holding_form", "cannot be conventional_only for a record");
    }
  }
  v.new_pin.reset();
  if (v.operation == IssuerOperation::erase || v.operation == IssuerOperation::rewrite) {
    if (f.has("new_pin")) {
      throw WireError("new_pin", "is not allowed for delete or rewrite");
    }
    return;
  }
  const Json& pin = f.member("new_pin");
  // Checked without copying the value into a message or a temporary string.
  const bool ok = pin.is_string() && pin.get_ref<const std::string&>().size() == 4 &&
                  std::all_of(pin.get_ref<const std::string&>().begin(),
                              pin.get_ref<const std::string&>().end(),
                              [](char c) { return c >= '0' && c <= '9'; });
  if (!ok) {
    throw WireError("new_pin", "is not 4 digits");
  }
  v.new_pin.emplace(std::string_view(pin.get_ref<const std::string&>()));
}

void to_json(Json& j, const PhaseStart& v) {
  j = {{"phase", to_string(v.phase)},
       {"aid", base::to_hex(v.aid)},
       {"host_challenge", base::to_hex(v.host_challenge)},
       {"select", base::to_hex(v.select)},
       {"initialize_update", base::to_hex(v.initialize_update)}};
}
void from_json(const Json& j, PhaseStart& v) {
  const Fields f(j, "");
  v.phase = f.enumeration("phase", kPhases);
  v.aid = f.hex("aid", 5, 16);
  v.host_challenge = f.hex("host_challenge", 8, 8);
  v.select = f.hex("select", 4, kApdu);
  v.initialize_update = f.hex("initialize_update", 4, kApdu);
}

void to_json(Json& j, const IssuerSession& v) {
  j = {{"session_id", v.session_id}, {"operation", to_string(v.operation)}, {"next", v.next}};
}
void from_json(const Json& j, IssuerSession& v) {
  const Fields f(j, "");
  v.session_id = f.text("session_id", 1, kShort);
  v.operation = f.enumeration("operation", kOperations);
  v.next = Fields::read_at<PhaseStart>(f.member("next"), "next");
}

void to_json(Json& j, const PhaseOpenRequest& v) {
  j = {{"init_update_answer", base::to_hex(v.init_update_answer)}};
}
void from_json(const Json& j, PhaseOpenRequest& v) {
  const Fields f(j, "");
  v.init_update_answer = f.hex("init_update_answer", 29, 31);
}

void to_json(Json& j, const PhaseCommands& v) {
  Json list = Json::array();
  for (const auto& c : v.commands) {
    list.push_back(base::to_hex(c));
  }
  j = {{"phase", to_string(v.phase)}, {"commands", list}};
}
void from_json(const Json& j, PhaseCommands& v) {
  const Fields f(j, "");
  v.phase = f.enumeration("phase", kPhases);
  v.commands = f.hex_list("commands", 256, kApdu);
}

void to_json(Json& j, const PhaseAnswersRequest& v) {
  Json list = Json::array();
  for (const auto& a : v.answers) {
    list.push_back(base::to_hex(a));
  }
  j = {{"answers", list}};
}
void from_json(const Json& j, PhaseAnswersRequest& v) {
  const Fields f(j, "");
  v.answers = f.hex_list("answers", 256, 258);
  for (size_t i = 0; i < v.answers.size(); ++i) {
    if (v.answers[i].size() < 2) {
      throw WireError("answers[" + std::to_string(i) + "]", "has no status word");
    }
  }
}

void to_json(Json& j, const PhaseVerdict& v) {
  j = {{"complete", v.complete},
       {"accepted", v.accepted},
       {"status", v.status == 0 ? std::string() : status_hex(v.status)},
       {"done", v.done}};
  if (v.next) {
    j["next"] = *v.next;
  }
}
void from_json(const Json& j, PhaseVerdict& v) {
  const Fields f(j, "");
  v.complete = f.boolean("complete");
  v.accepted = static_cast<uint64_t>(f.integer("accepted", 0, 256));
  const std::string status = f.text("status", 0, 4);
  if (status.empty()) {
    v.status = 0;
  } else {
    const Bytes sw = from_hex(status, "status");
    if (sw.size() != 2) {
      throw WireError("status", "is not 4 hex digits");
    }
    v.status = static_cast<uint16_t>(sw[0] << 8 | sw[1]);
  }
  v.done = f.boolean("done");
  v.next.reset();
  if (f.has("next")) {
    v.next = Fields::read_at<PhaseStart>(f.member("next"), "next");
  }
}

void to_json(Json& j, const ConsentItems& v) {
  j = {{"address", v.address}, {"name", v.name}, {"birth_date", v.birth_date}};
}
void from_json(const Json& j, ConsentItems& v) {
  const Fields f(j, "");
  v.address = f.boolean("address");
  v.name = f.boolean("name");
  v.birth_date = f.boolean("birth_date");
}

void to_json(Json& j, const SignedSubmission& v) {
  j = {{"holder_ref", v.holder_ref},
       {"document", to_base64(v.document)},
       {"signature", to_base64(v.signature)},
       {"certificate", to_base64(v.certificate)}};
}
void from_json(const Json& j, SignedSubmission& v) {
  const Fields f(j, "");
  v.holder_ref = f.text("holder_ref", 1, kShort);
  v.document = f.base64("document", 1, kDocument);
  v.signature = f.base64("signature", 64, kSignature);
  v.certificate = f.base64("certificate", 64, kCertificate);
}

void to_json(Json& j, const ConsentRequest& v) {
  j = v.signed_;
  j["items"] = v.items;
}
void from_json(const Json& j, ConsentRequest& v) {
  const Fields f(j, "");
  v.signed_ = j.get<SignedSubmission>();
  v.items = Fields::read_at<ConsentItems>(f.member("items"), "items");
}

void to_json(Json& j, const Consent& v) {
  j = {{"consent_id", v.consent_id}, {"holder_ref", v.holder_ref},   {"items", v.items},
       {"valid_from", v.valid_from}, {"valid_until", v.valid_until}, {"renewed", v.renewed},
       {"status", v.status}};
}
void from_json(const Json& j, Consent& v) {
  const Fields f(j, "");
  v.consent_id = f.text("consent_id", 1, kShort);
  v.holder_ref = f.text("holder_ref", 1, kShort);
  v.items = Fields::read_at<ConsentItems>(f.member("items"), "items");
  v.valid_from = f.date("valid_from");
  v.valid_until = f.date("valid_until");
  v.renewed = f.boolean("renewed");
  v.status = f.text("status", 1, kShort);
}

void to_json(Json& j, const Linkage& v) {
  j = {{"linkage_id", v.linkage_id},
       {"holder_ref", v.holder_ref},
       {"portal_available_from", v.portal_available_from}};
}
void from_json(const Json& j, Linkage& v) {
  const Fields f(j, "");
  v.linkage_id = f.text("linkage_id", 1, kShort);
  v.holder_ref = f.text("holder_ref", 1, kShort);
  v.portal_available_from = f.instant("portal_available_from");
}

void to_json(Json& j, const Appointment& v) {
  j = {{"number", v.number},         {"kind", v.kind},
       {"slot_start", v.slot_start}, {"slot_end", v.slot_end},
       {"holder_ref", v.holder_ref}, {"status", v.status}};
}
void from_json(const Json& j, Appointment& v) {
  const Fields f(j, "");
  v.number = f.text("number", 1, kShort);
  v.kind = f.text("kind", 1, kShort);
  v.slot_start = f.instant("slot_start");
  v.slot_end = f.instant("slot_end");
  v.holder_ref = f.text("holder_ref", 1, kShort);
  v.status = f.text("status", 1, kShort);
}

void to_json(Json& j, const AuditRow& v) {
  j = {{"seq", v.seq},       {"at", v.at},         {"actor", v.actor}, {"action", v.action},
       {"result", v.result}, {"detail", v.detail}, {"hash", v.hash},   {"prev_hash", v.prev_hash}};
}
void from_json(const Json& j, AuditRow& v) {
  const Fields f(j, "");
  v.seq = f.integer("seq", 1, INT64_MAX);
  v.at = f.instant("at");
  v.actor = f.text("actor", 1, kShort);
  v.action = f.text("action", 1, kShort);
  v.result = f.text("result", 0, kShort);
  v.detail = f.text("detail", 0, kText);
  const auto sha = [&](const char* name) {
    std::string s = f.text(name, 64, 64);
    (void)from_hex(s, f.path(name));
    return s;
  };
  v.hash = sha("hash");
  v.prev_hash = sha("prev_hash");
}

void to_json(Json& j, const AuditBatch& v) {
  j = {{"terminal", v.terminal}, {"rows", v.rows}};
}
void from_json(const Json& j, AuditBatch& v) {
  const Fields f(j, "");
  v.terminal = f.text("terminal", 1, kShort);
  v.rows = f.objects<AuditRow>("rows", 1000);
  if (v.rows.empty()) {
    throw WireError("rows", "is empty");
  }
}

void to_json(Json& j, const AuditAccepted& v) {
  j = {{"accepted_through", v.accepted_through}};
}
void from_json(const Json& j, AuditAccepted& v) {
  const Fields f(j, "");
  v.accepted_through = f.integer("accepted_through", 0, INT64_MAX);
}

}  // namespace mk::center::api
