#include "devices/cards/pin.hpp"

#include "devices/profile/card_profile.hpp"

namespace mk::devices {

const char* to_string(PinKind kind) {
  switch (kind) {
    case PinKind::jpki_auth:
      return "jpki_auth";
    case PinKind::jpki_sign:
      return "jpki_sign";
    case PinKind::basic4:
      return "basic4";
    case PinKind::license:
      return "license";
    case PinKind::dl_pin1:
      return "pin1";
    case PinKind::dl_pin2:
      return "pin2";
  }
  return "unknown";
}

int max_tries(PinKind kind) {
  switch (kind) {
    case PinKind::jpki_auth:
      return profile::jpki::kAuthPinTries;
    case PinKind::jpki_sign:
      return profile::jpki::kSignPinTries;
    case PinKind::basic4:
      return profile::basic4::kPinTries;
    case PinKind::license:
      return profile::license_ap::kPinTries;
    case PinKind::dl_pin1:
    case PinKind::dl_pin2:
      return profile::dl::kPinTries;
  }
  return 0;
}

std::optional<std::string> check_pin_format(PinKind kind, base::SecretBytes& pin) {
  const auto bytes = pin.bytes();
  if (kind == PinKind::jpki_sign) {
    if (bytes.size() < 6 || bytes.size() > 16) {
      return "the signing PIN has 6 to 16 characters";
    }
    base::SecretBytes upper;
    for (uint8_t c : bytes) {
      if (c >= 'a' && c <= 'z') {
        c = static_cast<uint8_t>(c - 'a' + 'A');
      }
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return "the signing PIN has only letters A-Z and digits";
      }
      upper.push_back(c);
    }
    pin = std::move(upper);
    return std::nullopt;
  }
  if (bytes.size() != 4) {
    return "this PIN has 4 digits";
  }
  for (const uint8_t c : bytes) {
    if (c < '0' || c > '9') {
      return "this PIN has only digits";
    }
  }
  return std::nullopt;
}

int read_pin_tries(ApduChannel& channel, uint8_t p2, int max) {
  const Response r = channel.transmit(Command::verify_status(p2));
  switch (r.status.status) {
    case Status::wrong_pin:
    case Status::pin_blocked:
      return r.status.tries_left;
    case Status::ok:
      return max;  // verified in this session: the counter is at its maximum
    default:
      throw CardError(CardErrorKind::unexpected_status,
                      "reading the PIN tries: " + r.status.describe(), r.status);
  }
}

VerifyResult verify_pin(ApduChannel& channel, uint8_t p2, PinKind kind, base::SecretBytes pin) {
  if (auto reason = check_pin_format(kind, pin)) {
    throw CardError(CardErrorKind::pin_format, std::string(to_string(kind)) + ": " + *reason);
  }
  const int before = read_pin_tries(channel, p2, max_tries(kind));
  if (before == 0) {
    throw CardError(CardErrorKind::pin_blocked,
                    std::string(to_string(kind)) + " is blocked; the PIN was not sent");
  }
  Command verify = Command::verify(p2, pin);
  pin.clear();
  // The command holds the PIN's only other copy: wipe it whatever happens.
  struct WipeOnExit {
    Bytes& data;
    ~WipeOnExit() { base::wipe(data); }
  } wipe_command{verify.data};
  const Response r = channel.transmit(verify);
  switch (r.status.status) {
    case Status::ok:
      return {VerifyOutcome::ok, max_tries(kind)};
    case Status::wrong_pin:
      return {VerifyOutcome::wrong, r.status.tries_left};
    case Status::pin_blocked:
      return {VerifyOutcome::blocked, 0};
    default:
      throw CardError(CardErrorKind::unexpected_status,
                      std::string("VERIFY ") + to_string(kind) + ": " + r.status.describe(),
                      r.status);
  }
}

}  // namespace mk::devices
