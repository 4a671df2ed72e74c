#pragma once

// The host side of one SCP03 secure channel as the profile v1 issuer channel uses it
// (docs/issuer-channel.md, "SCP03 as used"; GlobalPlatform Amendment D): i = 0x20 (S8 mode,
// random card challenge, R-MAC, no R-ENC), security level 0x13 (C-MAC + C-DECRYPTION + R-MAC),
// key version 0x30.
//
// One object is one session with one application (the ISD or the 免許AP):
//
//   1. send initialize_update_command(host challenge) (after a plain SELECT of the application);
//   2. construct Scp03Host from the master keys, that host challenge and the 29 answer bytes
//      (without SW) — this verifies the card cryptogram, or throws IssuerError;
//   3. external_authenticate() — the first command of the session; its answer is a plain
//      9000 without R-MAC (the security level takes effect once it succeeds);
//   4. wrap() every further command, in the order they will reach the card; after the card
//      answered, check_response() (or check_response_at() for an earlier command, when a whole
//      list was wrapped before relaying it) verifies the R-MAC.
//
// Not copyable: a copy would wrap a second command with the same counter and chaining value.

#include <span>

#include "center/issuer/master_keys.hpp"

namespace mk::center::issuer::scp03 {

inline constexpr uint8_t kKeyVersion = 0x30;
inline constexpr uint8_t kScpIdentifier = 0x03;
inline constexpr uint8_t kParameterI = 0x20;
inline constexpr uint8_t kSecurityLevel = 0x13;  // C-MAC + C-DECRYPTION + R-MAC
inline constexpr size_t kChallengeSize = 8;
inline constexpr size_t kCryptogramSize = 8;
inline constexpr size_t kMacSize = 8;
inline constexpr size_t kInitializeUpdateAnswerSize = 29;  // without SW1 SW2
// The largest plaintext wrap() accepts: padded to 240 bytes plus the 8-byte MAC still fits a
// short Lc.
inline constexpr size_t kMaxPlaintext = 239;

// Derivation constants of Amendment D §6.2.2.2 (Table 6-1).
inline constexpr uint8_t kCardCryptogram = 0x00;
inline constexpr uint8_t kHostCryptogram = 0x01;
inline constexpr uint8_t kSessionEnc = 0x04;
inline constexpr uint8_t kSessionMac = 0x06;
inline constexpr uint8_t kSessionRmac = 0x07;

// The SP 800-108 counter-mode KDF with AES-CMAC of Amendment D §6.2.2.2, for L = 64 or 128 bits
// (one block, counter i = 01): the first L/8 bytes of
// CMAC(key, 00×11 || constant || 00 || L (2 bytes) || 01 || context).
Bytes kdf(const AesKey& key, uint8_t constant, std::span<const uint8_t> context, uint16_t bits);

}  // namespace mk::center::issuer::scp03

namespace mk::center::issuer {

class Scp03Host {
 public:
  // 80 50 30 00 08 <host challenge> 00. Throws IssuerError unless the challenge is 8 bytes.
  static Bytes initialize_update_command(std::span<const uint8_t> host_challenge);
  // 8 fresh random bytes (RAND_bytes).
  static Bytes random_host_challenge();

  // Parses the card's INITIALIZE UPDATE answer data (29 bytes: div data 10, key info 3 =
  // 30 03 20, card challenge 8, card cryptogram 8; without SW), derives the card's static keys
  // and the session keys S-ENC, S-MAC, S-RMAC, and verifies the card cryptogram. Throws
  // IssuerError (wrong length, wrong key info, cryptogram mismatch).
  Scp03Host(const MasterKeys& master, std::span<const uint8_t> host_challenge,
            std::span<const uint8_t> initialize_update_answer);
  ~Scp03Host();  // wipes the session keys
  Scp03Host(const Scp03Host&) = delete;
  Scp03Host& operator=(const Scp03Host&) = delete;
  Scp03Host(Scp03Host&&) noexcept = default;
  Scp03Host& operator=(Scp03Host&&) noexcept = default;

  const Bytes& diversification_data() const { return div_data_; }
  const Bytes& card_challenge() const { return card_challenge_; }

  // 84 82 13 00 10 <host cryptogram 8> <C-MAC 8>. Once per session, before any wrap(); the MAC
  // chaining value starts at 16 zero bytes. Throws IssuerError when called a second time.
  Bytes external_authenticate();

  // One command of the session: with data, C-DECRYPTION (ICV = AES-ECB(S-ENC, counter), data
  // padded 80 00.. to a multiple of 16 — always at least one padding byte — and AES-CBC
  // encrypted); then the C-MAC over the (encrypted) command with CLA | 0x04 and Lc counting
  // the MAC. No Le. The counter (1 for the first command after EXTERNAL AUTHENTICATE) moves on
  // for every command, with or without data. Throws IssuerError before external_authenticate()
  // or for more than kMaxPlaintext bytes. The padded plaintext copy is wiped.
  Bytes wrap(uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2, std::span<const uint8_t> plaintext);

  // Number of commands wrap() has produced in this session.
  size_t wrapped_count() const { return chaining_.size(); }

  // GlobalPlatform Amendment D §6.2.5: the card protects only a response whose status is 9000 or
  // a warning (62xx, 63xx); an error status word comes alone, without data or R-MAC.
  static bool carries_rmac(uint16_t status);

  // True when `response_with_sw` is what the card must answer to the last wrapped command: for
  // 9000 and warnings, data || R-MAC 8 || SW1 SW2 with the R-MAC CMAC(S-RMAC, chaining value ||
  // data || SW1 SW2)[0..8]; for an error status, SW1 SW2 alone. False on a mismatch, an answer
  // too short, an error status with more than its two bytes, or when no command was wrapped yet.
  bool check_response(std::span<const uint8_t> response_with_sw) const;
  // The same for the answer to the `index`-th wrapped command (0 = the first after EXTERNAL
  // AUTHENTICATE). False for an index not wrapped yet.
  bool check_response_at(size_t index, std::span<const uint8_t> response_with_sw) const;

  // The response data of the last wrapped command's answer, without R-MAC and without SW1 SW2
  // (the caller reads the status from the last two bytes it already has; a bare error has none).
  // Checks the answer like check_response() and throws IssuerError when it does not hold.
  Bytes unwrap_response(std::span<const uint8_t> response_with_sw) const;

 private:
  Bytes mac_command(uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2, const Bytes& data);

  AesKey s_enc_{};
  AesKey s_mac_{};
  AesKey s_rmac_{};
  Bytes div_data_;
  Bytes card_challenge_;
  Bytes host_cryptogram_;
  Block chain_{};                // the MAC chaining value
  std::vector<Block> chaining_;  // chaining value after each wrapped command, for R-MACs
  uint64_t counter_ = 0;         // the encryption counter for the next command; 0 = before EA
  bool authenticated_ = false;
};

}  // namespace mk::center::issuer
