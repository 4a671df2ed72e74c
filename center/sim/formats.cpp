// How the centre simulator writes times, dates and identifiers (formats.hpp).
#include "center/sim/formats.hpp"

#include <cstdio>
#include <stdexcept>
#include <vector>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "base/hex.hpp"

namespace mk::center::sim {

namespace {

std::vector<uint8_t> sha256(std::span<const uint8_t> data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  return {md, md + n};
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text) {
  using namespace std::chrono;
  int y = 0;
  unsigned mo = 0;
  unsigned d = 0;
  int h = 0;
  int mi = 0;
  int se = 0;
  char sign = 0;
  int oh = 0;
  int om = 0;
  const std::string t(text);
  if (std::sscanf(t.c_str(), "%4d-%2u-%2uT%2d:%2d:%2d%c%2d:%2d", &y, &mo, &d, &h, &mi, &se, &sign,
                  &oh, &om) < 7) {
    return std::nullopt;
  }
  const year_month_day ymd{year{y}, month{mo}, day{d}};
  if (!ymd.ok() || h > 23 || mi > 59 || se > 60 || (sign != 'Z' && sign != '+' && sign != '-')) {
    return std::nullopt;
  }
  const minutes offset =
      sign == 'Z' ? minutes(0) : (sign == '+' ? 1 : -1) * (hours(oh) + minutes(om));
  return sys_days{ymd} + hours(h) + minutes(mi) + seconds(se) - offset;
}

std::string rfc3339_jst(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto local = floor<seconds>(t + hours(9));
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  char buf[40];
  (void)std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d+09:00",
                      static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                      static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                      static_cast<int>(hms.minutes().count()),
                      static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string iso(const devices::sim::Date& d) {
  char buf[16];
  (void)std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::chrono::year_month_day ymd_of(const devices::sim::Date& d) {
  return {std::chrono::year(d.year), std::chrono::month(static_cast<unsigned>(d.month)),
          std::chrono::day(static_cast<unsigned>(d.day))};
}

devices::sim::Date clamped(std::chrono::year_month_day d) {
  if (!d.ok()) {
    d = std::chrono::year_month_day_last(d.year(), std::chrono::month_day_last(d.month()));
  }
  return {static_cast<int>(d.year()), static_cast<int>(static_cast<unsigned>(d.month())),
          static_cast<int>(static_cast<unsigned>(d.day()))};
}

std::string random_hex(size_t bytes) {
  std::vector<uint8_t> b(bytes);
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return base::to_hex(b);
}

std::string sha256_hex(std::string_view text) {
  return base::to_hex(
      sha256(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size())));
}

std::string card_id_of_certificate(std::span<const uint8_t> der) {
  return base::to_lower_hex(sha256(der));
}

}  // namespace mk::center::sim
