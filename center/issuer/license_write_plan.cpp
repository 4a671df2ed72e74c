#include "center/issuer/license_write_plan.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace mk::center::issuer {
namespace {

constexpr uint8_t kCla = 0x80;  // sent as 84 once secured

void check_pin(const base::SecretBytes& pin) {
  const auto digits = pin.bytes();
  const bool ok =
      digits.size() == card::kPinDigits &&
      std::all_of(digits.begin(), digits.end(), [](uint8_t c) { return c >= '0' && c <= '9'; });
  if (!ok) {
    throw IssuerError("the license PIN must be 4 digits");  // never says what it was
  }
}

std::string hex16(uint16_t value) {
  char text[5];
  (void)std::snprintf(text, sizeof text, "%04X", static_cast<unsigned>(value));
  return text;
}

void append_lv(Bytes& out, std::span<const uint8_t> value) {
  out.push_back(static_cast<uint8_t>(value.size()));
  out.insert(out.end(), value.begin(), value.end());
}

// SELECT EF + UPDATE BINARY chunks writing `image` padded with FF to `ef_size`.
void write_ef(Scp03Host& host, std::vector<Bytes>& out, uint16_t fid,
              std::span<const uint8_t> image, size_t ef_size) {
  const Bytes fid_bytes = {static_cast<uint8_t>(fid >> 8), static_cast<uint8_t>(fid & 0xFF)};
  out.push_back(host.wrap(kCla, 0xA4, 0x02, 0x0C, fid_bytes));
  Bytes content(image.begin(), image.end());
  content.resize(ef_size, 0xFF);
  for (size_t offset = 0; offset < ef_size; offset += card::kMaxUpdateChunk) {
    const size_t n = std::min(card::kMaxUpdateChunk, ef_size - offset);
    const auto chunk = std::span<const uint8_t>(content).subspan(offset, n);
    out.push_back(host.wrap(kCla, 0xD6, static_cast<uint8_t>((offset >> 8) & 0x7F),
                            static_cast<uint8_t>(offset & 0xFF), chunk));
  }
}

Bytes wef01(uint8_t pin_setting, uint8_t record_state) {
  Bytes content = {0xC1, 0x01, pin_setting, 0xC2, 0x01, record_state};
  content.resize(card::kWef01Size, 0xFF);
  return content;
}

void check_fresh(const Scp03Host& host, const char* what) {
  if (host.wrapped_count() != 0) {
    throw IssuerError(std::string(what) + ": the SCP03 session is not fresh");
  }
}

}  // namespace

Bytes select_command(std::span<const uint8_t> aid) {
  Bytes apdu = {0x00, 0xA4, 0x04, 0x0C, static_cast<uint8_t>(aid.size())};
  apdu.insert(apdu.end(), aid.begin(), aid.end());
  return apdu;
}

LicenseWritePlan::LicenseWritePlan(LicenseImage image, base::SecretBytes new_pin)
    : LicenseWritePlan(std::move(image)) {
  pin_ = std::move(new_pin);
  check_pin(pin_);
}

LicenseWritePlan LicenseWritePlan::rewrite(LicenseImage image) {
  LicenseWritePlan plan(std::move(image));
  plan.set_pin_ = false;
  return plan;
}

LicenseWritePlan::LicenseWritePlan(LicenseImage image) : image_(std::move(image)) {
  const auto check_size = [](const Bytes& ef, size_t size, const char* name) {
    if (ef.size() > size) {
      throw IssuerError(std::string(name) + " image is " + std::to_string(ef.size()) +
                        " bytes, the EF holds " + std::to_string(size));
    }
  };
  check_size(image_.wef02, card::kWef02Size, "WEF02");
  check_size(image_.wef03, card::kWef03Size, "WEF03");
  check_size(image_.wef04, card::kWef04Size, "WEF04");
}

std::vector<Bytes> LicenseWritePlan::isd_commands(Scp03Host& isd) const {
  check_fresh(isd, "INSTALL");
  std::vector<Bytes> out;
  out.push_back(isd.external_authenticate());
  Bytes data;
  append_lv(data, card::kLicenseApPackageAid);          // load file
  append_lv(data, card::kLicenseApPackageAid);          // module
  append_lv(data, card::kLicenseApAid);                 // instance
  append_lv(data, std::array<uint8_t, 1>{0x00});        // privileges: none
  append_lv(data, std::array<uint8_t, 2>{0xC9, 0x00});  // install parameters: empty C9
  append_lv(data, std::span<const uint8_t>{});          // no install token
  out.push_back(isd.wrap(kCla, 0xE6, 0x0C, 0x00, data));
  return out;
}

std::vector<Bytes> LicenseWritePlan::license_ap_commands(Scp03Host& ap) const {
  check_fresh(ap, "license write");
  std::vector<Bytes> out;
  out.push_back(ap.external_authenticate());
  // A rewrite keeps the holder's PIN: WEF01 goes on saying "PIN set" while the record is
  // rewritten.
  write_ef(ap, out, card::kWef01, wef01(set_pin_ ? 0x00 : 0x01, 0x01), card::kWef01Size);
  write_ef(ap, out, card::kWef02, image_.wef02, card::kWef02Size);
  write_ef(ap, out, card::kWef04, image_.wef04, card::kWef04Size);
  write_ef(ap, out, card::kWef03, image_.wef03, card::kWef03Size);
  if (set_pin_) {
    out.push_back(ap.wrap(kCla, 0x24, 0x01, card::kPinP2, pin_.bytes()));
  }
  write_ef(ap, out, card::kWef01, wef01(0x01, 0x02), card::kWef01Size);
  return out;
}

std::vector<Bytes> delete_commands(Scp03Host& isd) {
  check_fresh(isd, "DELETE");
  std::vector<Bytes> out;
  out.push_back(isd.external_authenticate());
  Bytes data = {0x4F, static_cast<uint8_t>(card::kLicenseApAid.size())};
  data.insert(data.end(), card::kLicenseApAid.begin(), card::kLicenseApAid.end());
  out.push_back(isd.wrap(kCla, 0xE4, 0x00, 0x00, data));
  return out;
}

std::vector<Bytes> reset_pin_commands(Scp03Host& ap, const base::SecretBytes& new_pin) {
  check_pin(new_pin);
  check_fresh(ap, "RESET RETRY COUNTER");
  std::vector<Bytes> out;
  out.push_back(ap.external_authenticate());
  out.push_back(ap.wrap(kCla, 0x2C, 0x02, card::kPinP2, new_pin.bytes()));
  return out;
}

RelayVerdict check_relay_answers(const Scp03Host& host, size_t command_count,
                                 const std::vector<Bytes>& answers) {
  RelayVerdict verdict;
  const auto fail = [&](size_t index, std::string why, uint16_t status) {
    verdict.problem = "command " + std::to_string(index + 1) + " of " +
                      std::to_string(command_count) + ": " + std::move(why);
    verdict.status = status;
    return verdict;
  };
  if (answers.size() > command_count) {
    verdict.problem = "more answers (" + std::to_string(answers.size()) + ") than commands";
    return verdict;
  }
  for (size_t i = 0; i < command_count; ++i) {
    if (i >= answers.size()) {
      return fail(i, "not answered (the relay stopped)", 0);
    }
    const Bytes& answer = answers[i];
    if (answer.size() < 2) {
      return fail(i, "an answer without a status word", 0);
    }
    const auto status = static_cast<uint16_t>(answer[answer.size() - 2] << 8 | answer.back());
    if (i == 0) {
      // EXTERNAL AUTHENTICATE: a plain status, no R-MAC.
      if (answer.size() != 2 || status != 0x9000) {
        return fail(i, "EXTERNAL AUTHENTICATE answered " + hex16(status), status);
      }
    } else {
      if (!host.check_response_at(i - 1, answer)) {
        // GP Amd D §6.2.5: an error status comes bare; the card's own refusal is then reported
        // as what it is, and only a protected answer can fail its R-MAC.
        return fail(i,
                    Scp03Host::carries_rmac(status)
                        ? "the answer (" + hex16(status) + ") has no valid R-MAC"
                        : "the error status " + hex16(status) + " came with data or an R-MAC",
                    status);
      }
      if (status != 0x9000) {
        return fail(i, "answered " + hex16(status), status);
      }
    }
    verdict.accepted = i + 1;
  }
  verdict.complete = true;
  return verdict;
}

}  // namespace mk::center::issuer
