#include "devices/cards/my_number_card.hpp"

#include <algorithm>

#include <openssl/sha.h>

#include "devices/cards/ef_reader.hpp"
#include "devices/profile/card_profile.hpp"

namespace mk::devices {

namespace jp = profile::jpki;
namespace b4 = profile::basic4;

namespace {

constexpr uint8_t pin_p2(profile::Fid fid) {
  return static_cast<uint8_t>(0x80 | (fid & 0x1F));
}

}  // namespace

void MyNumberCard::select(std::span<const uint8_t> aid, std::string_view what) {
  if (!select_application(channel_, aid, what)) {
    throw CardError(CardErrorKind::wrong_card, std::string(what) + " is not on this card");
  }
}

bool MyNumberCard::is_my_number_card() {
  return select_application(channel_, profile::kJpkiAid, "JPKI");
}

int MyNumberCard::jpki_tries(JpkiKey key) {
  select(profile::kJpkiAid, "JPKI");
  return key == JpkiKey::auth ? read_pin_tries(channel_, pin_p2(jp::kAuthPin), jp::kAuthPinTries)
                              : read_pin_tries(channel_, pin_p2(jp::kSignPin), jp::kSignPinTries);
}

VerifyResult MyNumberCard::verify_jpki(JpkiKey key, base::SecretBytes pin) {
  select(profile::kJpkiAid, "JPKI");
  return key == JpkiKey::auth
             ? verify_pin(channel_, pin_p2(jp::kAuthPin), PinKind::jpki_auth, std::move(pin))
             : verify_pin(channel_, pin_p2(jp::kSignPin), PinKind::jpki_sign, std::move(pin));
}

Bytes MyNumberCard::read_certificate(JpkiKey key) {
  select(profile::kJpkiAid, "JPKI");
  return key == JpkiKey::auth ? read_der_ef(channel_, jp::kAuthCert, "auth certificate")
                              : read_der_ef(channel_, jp::kSignCert, "sign certificate");
}

Bytes MyNumberCard::read_ca_certificate(JpkiKey key) {
  select(profile::kJpkiAid, "JPKI");
  return key == JpkiKey::auth ? read_der_ef(channel_, jp::kAuthCaCert, "auth CA certificate")
                              : read_der_ef(channel_, jp::kSignCaCert, "sign CA certificate");
}

Bytes MyNumberCard::fingerprint() {
  // read_certificate refuses anything but one whole DER object: an empty answer can never make
  // two cards look the same.
  const Bytes cert = read_certificate(JpkiKey::auth);
  Bytes hash(SHA256_DIGEST_LENGTH);
  SHA256(cert.data(), cert.size(), hash.data());
  return hash;
}

Bytes MyNumberCard::sign(JpkiKey key, std::span<const uint8_t> digest_info) {
  select(profile::kJpkiAid, "JPKI");
  const uint8_t p2 = key == JpkiKey::auth ? jp::kAuthKeyP2 : jp::kSignKeyP2;
  const Response r = channel_.transmit(Command::compute_signature(p2, digest_info));
  if (r.status.status == Status::security_not_satisfied) {
    throw CardError(CardErrorKind::unexpected_status, "sign: the PIN is not verified", r.status);
  }
  if (!r.ok()) {
    throw CardError(CardErrorKind::unexpected_status, "sign: " + r.status.describe(), r.status);
  }
  if (r.data.size() != 256) {
    throw CardError(CardErrorKind::invalid_response,
                    "sign: " + std::to_string(r.data.size()) + " bytes instead of 256");
  }
  return r.data;
}

int MyNumberCard::basic4_tries() {
  select(profile::kBasic4Aid, "券面事項入力補助");
  return read_pin_tries(channel_, pin_p2(b4::kPin), b4::kPinTries);
}

VerifyResult MyNumberCard::verify_basic4(base::SecretBytes pin) {
  select(profile::kBasic4Aid, "券面事項入力補助");
  return verify_pin(channel_, pin_p2(b4::kPin), PinKind::basic4, std::move(pin));
}

Basic4Info MyNumberCard::read_basic4() {
  select(profile::kBasic4Aid, "券面事項入力補助");
  const Bytes ef = read_whole_ef(channel_, b4::kBasic4, "basic 4 info");
  auto parsed = parse_basic4(ef);
  if (auto* error = std::get_if<ParseError>(&parsed)) {
    throw CardError(CardErrorKind::invalid_response, error->reason);
  }
  return std::get<Basic4Info>(parsed);
}

Bytes sha256_digest_info(std::span<const uint8_t> data) {
  // DER of DigestInfo { AlgorithmIdentifier sha256, OCTET STRING(32) } before the hash.
  Bytes out = {0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
               0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
  uint8_t hash[SHA256_DIGEST_LENGTH];
  SHA256(data.data(), data.size(), hash);
  out.insert(out.end(), std::begin(hash), std::end(hash));
  return out;
}

}  // namespace mk::devices
