#include "devices/cards/certificate_days.hpp"

#include <chrono>
#include <ctime>
#include <memory>

#include <fmt/format.h>
#include <openssl/x509.h>

#include "devices/apdu/card_error.hpp"

namespace mk::devices {

namespace {

[[noreturn]] void malformed(const char* what) {
  throw CardError(CardErrorKind::invalid_response, what);
}

std::string japan_day(const ASN1_TIME* t) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
    malformed("the certificate's validity does not parse");
  }
  const auto utc = std::chrono::sys_seconds(std::chrono::seconds(timegm(&tm)));
  const std::chrono::year_month_day day{
      std::chrono::floor<std::chrono::days>(utc + std::chrono::hours(9))};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(day.year()),
                     static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
}

}  // namespace

CertificateDays certificate_days(std::span<const uint8_t> der) {
  const unsigned char* p = der.data();
  const std::unique_ptr<X509, decltype(&X509_free)> cert(
      d2i_X509(nullptr, &p, static_cast<long>(der.size())), &X509_free);
  if (!cert || p != der.data() + der.size()) {
    malformed("the card's certificate is not one DER X.509 certificate");
  }
  return {japan_day(X509_get0_notBefore(cert.get())), japan_day(X509_get0_notAfter(cert.get()))};
}

}  // namespace mk::devices
