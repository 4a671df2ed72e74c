#pragma once

// The card side of the profile v1 issuer channel (docs/issuer-channel.md): GlobalPlatform SCP03
// (Amendment D) with i = 0x20 (S8 mode, random card challenge, R-MAC) at security level 0x13
// (C-MAC + C-DECRYPTION + R-MAC), and the key diversification of profile v1. All cryptography is
// OpenSSL's (EVP_MAC "CMAC" over AES-128-CBC, EVP AES-128-ECB / -CBC).

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "devices/apdu/bytes.hpp"

namespace mk::devices::sim::scp03 {

// Profile v1 constants (docs/issuer-channel.md) that devices/profile/card_profile.hpp lacks.
inline constexpr uint8_t kKeyVersion = 0x30;
inline constexpr uint8_t kScpId = 0x03;
inline constexpr uint8_t kScpI = 0x20;
inline constexpr uint8_t kSecurityLevel = 0x13;                  // C-MAC + C-DECRYPTION + R-MAC
inline constexpr char kDiversificationLabel[] = "MK-SCP03-DIV";  // 12 bytes, no NUL
inline constexpr size_t kDivDataSize = 10;
// Derivation constants of Amendment D §6.2.2.
inline constexpr uint8_t kCardCryptogram = 0x00;
inline constexpr uint8_t kHostCryptogram = 0x01;
inline constexpr uint8_t kSEnc = 0x04;
inline constexpr uint8_t kSMac = 0x06;
inline constexpr uint8_t kSRmac = 0x07;

struct StaticKeys {
  Bytes enc, mac, dek;  // 16 bytes each
};

// AES-128 primitives (OpenSSL). Throw std::runtime_error if OpenSSL fails.
Bytes aes_cmac(std::span<const uint8_t> key, std::span<const uint8_t> data);
Bytes aes_ecb_block(std::span<const uint8_t> key, std::span<const uint8_t> block);
Bytes aes_cbc_decrypt(std::span<const uint8_t> key, std::span<const uint8_t> iv,
                      std::span<const uint8_t> data);  // no padding; size a multiple of 16

// The Amendment D KDF (SP 800-108 counter mode, AES-CMAC): one CMAC over
// 00×11 || constant || 00 || L (2 bytes, bits) || 01 || context, repeated with counter 02 when
// L > 128; returns L / 8 bytes.
Bytes kdf(std::span<const uint8_t> key, uint8_t constant, uint16_t l_bits,
          std::span<const uint8_t> context);

// Profile v1: "MK" + the first 8 bytes of SHA-256(fixture id).
Bytes diversification_data(const std::string& fixture_id);
// K_x = AES-CMAC(master_x, "MK-SCP03-DIV" || div_data).
StaticKeys diversify(const StaticKeys& master, std::span<const uint8_t> div_data);

// One SCP03 session of one application, card side.
class CardChannel {
 public:
  // INITIALIZE UPDATE: draws the card challenge, derives the session keys; returns the 29 answer
  // bytes: div data 10 || KVN 30 03 20 || card challenge 8 || card cryptogram 8.
  Bytes initialize_update(const StaticKeys& keys, std::span<const uint8_t> div_data,
                          std::span<const uint8_t> host_challenge);

  // EXTERNAL AUTHENTICATE (the whole command as received). True when the host cryptogram and the
  // C-MAC are right; the channel is then open at P1's level.
  bool external_authenticate(std::span<const uint8_t> header4, std::span<const uint8_t> data);
  bool authenticated() const { return authenticated_; }

  // A command in the open channel: checks the C-MAC over the chaining value, moves the chaining
  // value and the encryption counter on, decrypts the data and strips its 80 00.. padding. nullopt
  // on a wrong C-MAC, a length that is not a multiple of 16 or bad padding. `extended` tells how
  // Lc was coded on the wire.
  std::optional<Bytes> unwrap(std::span<const uint8_t> header4, std::span<const uint8_t> data,
                              bool extended);

  // The 8-byte R-MAC of an answer to the command just unwrapped.
  Bytes rmac(std::span<const uint8_t> response_data, uint16_t status) const;

 private:
  Bytes s_enc_, s_mac_, s_rmac_;
  Bytes context_;                  // host challenge || card challenge
  Bytes chaining_ = Bytes(16, 0);  // MAC chaining value
  std::array<uint8_t, 16> counter_{};
  bool authenticated_ = false;
};

}  // namespace mk::devices::sim::scp03
