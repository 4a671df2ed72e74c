#include "devices/apdu/response.hpp"

#include <fmt/format.h>

#include "devices/apdu/status_words.hpp"

namespace mk::devices {

StatusWord StatusWord::decode(uint16_t sw) {
  StatusWord s;
  s.sw = sw;
  const auto sw1 = static_cast<uint8_t>(sw >> 8);
  const auto sw2 = static_cast<uint8_t>(sw);
  if (sw == sw::kOk) {
    s.status = Status::ok;
  } else if (sw1 == 0x61) {
    s.status = Status::more_data;
    s.length = sw2;
  } else if (sw1 == 0x6C) {
    s.status = Status::wrong_le;
    s.length = sw2;
  } else if (sw1 == 0x63 && (sw2 & 0xF0) == 0xC0) {
    s.tries_left = sw2 & 0x0F;
    s.status = s.tries_left == 0 ? Status::pin_blocked : Status::wrong_pin;
  } else if (sw == sw::kBlocked) {
    s.status = Status::pin_blocked;
    s.tries_left = 0;
  } else if (sw == sw::kSecurityNotSatisfied) {
    s.status = Status::security_not_satisfied;
  } else if (sw == sw::kConditionsNotSatisfied) {
    s.status = Status::conditions_not_satisfied;
  } else if (sw == sw::kNotFound) {
    s.status = Status::file_not_found;
  } else if (sw == sw::kBadP1P2) {
    s.status = Status::wrong_p1p2;
  } else if (sw == sw::kNoCurrentEf) {
    s.status = Status::no_current_ef;
  } else if (sw == sw::kOffsetBeyondEf) {
    s.status = Status::offset_beyond_end;
  } else if (sw == sw::kWrongLength) {
    s.status = Status::wrong_length;
  } else if (sw == sw::kInsUnknown) {
    s.status = Status::ins_not_supported;
  } else if (sw == sw::kClaUnknown) {
    s.status = Status::cla_not_supported;
  }
  return s;
}

std::string StatusWord::describe() const {
  const char* what = "unexpected status";
  switch (status) {
    case Status::ok:
      what = "ok";
      break;
    case Status::more_data:
      what = "more data";
      break;
    case Status::wrong_le:
      what = "wrong Le";
      break;
    case Status::wrong_pin:
      what = "wrong PIN or tries left";
      break;
    case Status::pin_blocked:
      what = "PIN blocked";
      break;
    case Status::security_not_satisfied:
      what = "security status not satisfied";
      break;
    case Status::conditions_not_satisfied:
      what = "conditions not satisfied";
      break;
    case Status::file_not_found:
      what = "file or application not found";
      break;
    case Status::wrong_p1p2:
      what = "wrong P1/P2";
      break;
    case Status::no_current_ef:
      what = "no current EF";
      break;
    case Status::offset_beyond_end:
      what = "offset beyond the EF";
      break;
    case Status::wrong_length:
      what = "wrong length";
      break;
    case Status::ins_not_supported:
      what = "instruction not supported";
      break;
    case Status::cla_not_supported:
      what = "class not supported";
      break;
    case Status::other:
      break;
  }
  if (status == Status::wrong_pin) {
    return fmt::format("{:04X} {} tries left", sw, tries_left);
  }
  return fmt::format("{:04X} {}", sw, what);
}

std::optional<Response> Response::parse(std::span<const uint8_t> raw) {
  if (raw.size() < 2) {
    return std::nullopt;
  }
  Response r;
  r.data.assign(raw.begin(), raw.end() - 2);
  r.status = StatusWord::decode(static_cast<uint16_t>(raw[raw.size() - 2] << 8 | raw.back()));
  return r;
}

Bytes Response::raw() const {
  Bytes out = data;
  out.push_back(static_cast<uint8_t>(status.sw >> 8));
  out.push_back(static_cast<uint8_t>(status.sw & 0xFF));
  return out;
}

}  // namespace mk::devices
