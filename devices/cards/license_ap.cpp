#include "devices/cards/license_ap.hpp"

#include <algorithm>

#include "devices/cards/ef_reader.hpp"

namespace mk::devices {

namespace la = profile::license_ap;

bool LicenseAp::present() {
  return select_application(channel_, la::kAid, "免許AP");
}

LicensePinSetting LicenseAp::pin_setting() {
  if (!present()) {
    throw CardError(CardErrorKind::wrong_card, "no 免許AP on this card");
  }
  auto parsed = parse_license_pin_setting(read_whole_ef(channel_, la::kWef01, "WEF01"));
  if (auto* e = std::get_if<ParseError>(&parsed)) {
    throw CardError(CardErrorKind::invalid_response, e->reason);
  }
  return std::get<LicensePinSetting>(parsed);
}

int LicenseAp::tries() {
  if (!present()) {
    throw CardError(CardErrorKind::wrong_card, "no 免許AP on this card");
  }
  return read_pin_tries(channel_, la::kPinP2, la::kPinTries);
}

VerifyResult LicenseAp::verify(base::SecretBytes pin) {
  if (!present()) {
    throw CardError(CardErrorKind::wrong_card, "no 免許AP on this card");
  }
  return verify_pin(channel_, la::kPinP2, PinKind::license, std::move(pin));
}

LicenseReadout LicenseAp::read(const std::filesystem::path& trusted_ca_pem) {
  LicenseReadout out;
  out.setting = pin_setting();
  if (out.setting.state != la::RecordState::complete) {
    throw CardError(CardErrorKind::wrong_card,
                    "the license record is incomplete (state " +
                        std::to_string(static_cast<int>(out.setting.state)) +
                        "): it must be finished at the centre");
  }
  Bytes signed_data;
  auto record = parse_license_record(read_whole_ef(channel_, la::kWef02, "WEF02"), &signed_data);
  if (auto* e = std::get_if<ParseError>(&record)) {
    throw CardError(CardErrorKind::invalid_response, e->reason);
  }
  out.record = std::get<LicenseRecord>(record);
  Bytes photo_tlv;
  auto photo = parse_license_photo(read_whole_ef(channel_, la::kWef04, "WEF04"), &photo_tlv);
  if (auto* e = std::get_if<ParseError>(&photo)) {
    throw CardError(CardErrorKind::invalid_response, e->reason);
  }
  out.photo = std::get<Bytes>(photo);
  signed_data.insert(signed_data.end(), photo_tlv.begin(), photo_tlv.end());
  auto signature = parse_license_signature(read_whole_ef(channel_, la::kWef03, "WEF03"));
  if (auto* e = std::get_if<ParseError>(&signature)) {
    out.signature = {SignatureVerdict::malformed, e->reason};
    return out;
  }
  const auto& s = std::get<LicenseSignature>(signature);
  out.signature =
      check_rsa_sha256_signature(signed_data, s.signature, s.signer_certificate, trusted_ca_pem);
  return out;
}

std::vector<Response> LicenseAp::relay(const std::vector<Bytes>& wrapped_commands) {
  std::vector<Response> answers;
  for (const Bytes& raw : wrapped_commands) {
    auto command = Command::decode(raw);
    if (!command) {
      throw CardError(CardErrorKind::invalid_response, "the centre sent a malformed APDU");
    }
    answers.push_back(channel_.transmit(*command));
    if (!answers.back().ok()) {
      break;
    }
  }
  return answers;
}

}  // namespace mk::devices
