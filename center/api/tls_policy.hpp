#pragma once

// The TLS the kiosk and the centre speak (docs/center-link.md, "TLS"): TLS 1.3 with its default
// suites (all AEAD), or TLS 1.2 with forward secrecy (ECDHE) and AEAD only — no CBC, no static
// RSA key exchange, no SHA-1 MAC. Both ends use these lists, so a downgrade is refused by either.

namespace mk::center::api {

// OpenSSL cipher-list syntax for TLS 1.2.
inline constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// TLS 1.3 suites (OpenSSL names), all AEAD.
inline constexpr const char* kTls13Suites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

}  // namespace mk::center::api
