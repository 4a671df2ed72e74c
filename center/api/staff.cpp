// JSON of staff sign-in and the verifiers a kiosk caches (staff.hpp).
#include "center/api/staff.hpp"

#include <algorithm>

#include "base/pin_verifier.hpp"
#include "center/api/json_fields.hpp"
#include "flows/rules/staff_sign_in.hpp"

namespace mk::center::api {

using detail::Fields;
using detail::kShort;

namespace {

constexpr std::pair<std::string_view, std::string_view> kRoles[] = {{"staff", "staff"},
                                                                    {"supervisor", "supervisor"}};
constexpr size_t kMaxStaff = 10'000;

bool digits(std::string_view text, size_t min_len, size_t max_len) {
  return text.size() >= min_len && text.size() <= max_len &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string staff_id_of(const Fields& f) {
  std::string id = f.text("staff_id", 1, kShort);
  if (!is_staff_id(id)) {
    throw WireError(f.path("staff_id"), "is not 4 to 8 digits");
  }
  return id;
}

std::string role_of(const Fields& f) {
  return std::string(f.enumeration("role", kRoles));
}

}  // namespace

bool is_staff_id(const std::string& id) {
  return digits(id, flows::kStaffIdMin, flows::kStaffIdMax);
}

namespace {

// A screen id: the flow's prefix and its state ("read_back.enter_pin").
std::string screen_of(const Fields& f) {
  std::string s = f.text("screen", 1, kShort);
  if (!std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
      })) {
    throw WireError(f.path("screen"), "is not a screen id");
  }
  return s;
}

}  // namespace

void to_json(Json& j, const StaffCallRequest& v) {
  j = {{"screen", v.screen}};
}
void from_json(const Json& j, StaffCallRequest& v) {
  const Fields f(j, "");
  v.screen = screen_of(f);
}

void to_json(Json& j, const StaffCallAnswer& v) {
  j = {{"staff_id", v.staff_id}};
}
void from_json(const Json& j, StaffCallAnswer& v) {
  const Fields f(j, "");
  v.staff_id = staff_id_of(f);
}

void to_json(Json& j, const StaffCall& v) {
  j = {{"call_id", v.call_id}, {"screen", v.screen}, {"raised_at", v.raised_at}};
  if (!v.answered_at.empty()) {
    j["answered_at"] = v.answered_at;
    j["staff_id"] = v.staff_id;
  }
}
void from_json(const Json& j, StaffCall& v) {
  const Fields f(j, "");
  v.call_id = f.text("call_id", 1, kShort);
  v.screen = screen_of(f);
  v.raised_at = f.text("raised_at", 1, kShort);
  v.answered_at = f.has("answered_at") ? f.text("answered_at", 1, kShort) : "";
  v.staff_id = f.has("staff_id") ? staff_id_of(f) : "";
}

void to_json(Json& j, const StaffSignInRequest& v) {
  j = {{"staff_id", v.staff_id}, {"pin", std::string(v.pin.reveal())}};
}
void from_json(const Json& j, StaffSignInRequest& v) {
  const Fields f(j, "");
  v.staff_id = staff_id_of(f);
  const Json& pin = f.member("pin");
  // Checked without copying the value into a message or a temporary string.
  if (!pin.is_string() ||
      !digits(pin.get_ref<const std::string&>(), flows::kStaffPinMin, flows::kStaffPinMax)) {
    throw WireError("pin", "is not 4 to 8 digits");
  }
  v.pin = base::SecretBytes(pin.get_ref<const std::string&>());
}

void to_json(Json& j, const StaffMember& v) {
  j = {{"staff_id", v.staff_id}, {"role", v.role}};
}
void from_json(const Json& j, StaffMember& v) {
  const Fields f(j, "");
  v.staff_id = staff_id_of(f);
  v.role = role_of(f);
}

void to_json(Json& j, const StaffVerifier& v) {
  j = {{"staff_id", v.staff_id}, {"role", v.role}, {"verifier", v.verifier}};
}
void from_json(const Json& j, StaffVerifier& v) {
  const Fields f(j, "");
  v.staff_id = staff_id_of(f);
  v.role = role_of(f);
  v.verifier = f.text("verifier", 1, 256);
  if (!base::is_pin_verifier(v.verifier)) {
    throw WireError(f.path("verifier"), "is not an Argon2id verifier");
  }
}

void to_json(Json& j, const StaffVerifiers& v) {
  j = {{"staff", v.staff}};
}
void from_json(const Json& j, StaffVerifiers& v) {
  const Fields f(j, "");
  v.staff = f.objects<StaffVerifier>("staff", kMaxStaff);
}

}  // namespace mk::center::api
