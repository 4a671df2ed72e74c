#include "devices/apdu/command.hpp"

#include <stdexcept>

#include "base/hex.hpp"

namespace mk::devices {

Bytes Command::encode() const {
  Bytes out = {cla, ins, p1, p2};
  const bool long_form = data.size() > 255 || (le && *le > 256);
  if (data.size() > 65535) {
    throw std::invalid_argument("APDU data longer than 65535 bytes");
  }
  if (!data.empty()) {
    if (long_form) {
      out.push_back(0x00);
      out.push_back(static_cast<uint8_t>(data.size() >> 8));
      out.push_back(static_cast<uint8_t>(data.size()));
    } else {
      out.push_back(static_cast<uint8_t>(data.size()));
    }
    out.insert(out.end(), data.begin(), data.end());
  }
  if (le) {
    if (long_form) {
      if (data.empty()) {
        out.push_back(0x00);
      }
      const size_t v = *le >= 65536 ? 0 : *le;
      out.push_back(static_cast<uint8_t>(v >> 8));
      out.push_back(static_cast<uint8_t>(v));
    } else {
      out.push_back(static_cast<uint8_t>(*le >= 256 ? 0 : *le));
    }
  }
  return out;
}

std::optional<Command> Command::decode(std::span<const uint8_t> a) {
  if (a.size() < 4) {
    return std::nullopt;
  }
  Command c{a[0], a[1], a[2], a[3], {}, std::nullopt, false};
  const auto body = a.subspan(4);
  if (body.empty()) {
    return c;  // case 1
  }
  if (body.size() == 1) {
    c.le = body[0] == 0 ? 256 : body[0];  // case 2 short
    return c;
  }
  if (body[0] != 0) {  // short Lc
    const size_t lc = body[0];
    if (body.size() == 1 + lc) {
      c.data.assign(body.begin() + 1, body.end());  // case 3 short
      return c;
    }
    if (body.size() == 2 + lc) {
      c.data.assign(body.begin() + 1, body.begin() + 1 + static_cast<std::ptrdiff_t>(lc));
      c.le = body.back() == 0 ? 256 : body.back();  // case 4 short
      return c;
    }
    return std::nullopt;
  }
  // Extended: 00 then two bytes.
  if (body.size() < 3) {
    return std::nullopt;
  }
  c.extended = true;
  if (body.size() == 3) {
    const size_t le = size_t{body[1]} << 8 | body[2];
    c.le = le == 0 ? 65536 : le;  // case 2 extended
    return c;
  }
  const size_t lc = size_t{body[1]} << 8 | body[2];
  if (lc == 0) {
    return std::nullopt;
  }
  if (body.size() == 3 + lc) {
    c.data.assign(body.begin() + 3, body.end());
    return c;
  }
  if (body.size() == 5 + lc) {
    c.data.assign(body.begin() + 3, body.begin() + 3 + static_cast<std::ptrdiff_t>(lc));
    const size_t le = size_t{body[3 + lc]} << 8 | body[4 + lc];
    c.le = le == 0 ? 65536 : le;
    return c;
  }
  return std::nullopt;
}

std::string Command::trace() const {
  std::string t = base::to_hex(Bytes{cla, ins, p1, p2}, " ");
  if (!data.empty()) {
    t += " [" + std::to_string(data.size()) + "] ";
    t += secret ? std::string("**") : base::to_hex(data);
  }
  if (le) {
    t += " Le=" + std::to_string(*le);
  }
  return t;
}

Command Command::select_aid(std::span<const uint8_t> aid) {
  return {0x00, 0xA4, 0x04, 0x0C, bytes_of(aid), std::nullopt, false};
}

Command Command::select_ef(uint16_t fid) {
  return {
      0x00,         0xA4, 0x02, 0x0C, {static_cast<uint8_t>(fid >> 8), static_cast<uint8_t>(fid)},
      std::nullopt, false};
}

Command Command::read_binary(uint16_t offset, size_t le) {
  if (offset > 0x7FFF) {
    throw std::invalid_argument("READ BINARY offset beyond 15 bits");
  }
  return {0x00, 0xB0, static_cast<uint8_t>(offset >> 8), static_cast<uint8_t>(offset), {},
          le,   false};
}

Command Command::read_binary_sfi(uint8_t sfi, uint8_t offset, size_t le) {
  return {0x00, 0xB0, static_cast<uint8_t>(0x80 | (sfi & 0x1F)), offset, {}, le, false};
}

Command Command::verify_status(uint8_t p2) {
  return {0x00, 0x20, 0x00, p2, {}, std::nullopt, false};
}

Command Command::verify(uint8_t p2, const base::SecretBytes& pin) {
  return {0x00, 0x20, 0x00, p2, bytes_of(pin.bytes()), std::nullopt, true};
}

Command Command::get_response(uint8_t le) {
  return {0x00, 0xC0, 0x00, 0x00, {}, le == 0 ? 256 : le, false};
}

Command Command::compute_signature(uint8_t p2, std::span<const uint8_t> digest_info) {
  return {0x80, 0x2A, 0x00, p2, bytes_of(digest_info), 256, false};
}

}  // namespace mk::devices
