#pragma once

// The issuer's master keys and a card's diversified static keys (docs/issuer-channel.md, "Keys").

#include <filesystem>
#include <span>
#include <string_view>

#include "center/issuer/types.hpp"

namespace mk::center::issuer {

// The three AES-128 master keys (ENC, MAC, DEK). Wiped (OPENSSL_cleanse) when destroyed.
struct MasterKeys {
  AesKey enc{};
  AesKey mac{};
  AesKey dek{};

  MasterKeys() = default;
  MasterKeys(const AesKey& enc_key, const AesKey& mac_key, const AesKey& dek_key)
      : enc(enc_key), mac(mac_key), dek(dek_key) {}
  ~MasterKeys();
  MasterKeys(const MasterKeys&) = default;
  MasterKeys& operator=(const MasterKeys&) = default;
  MasterKeys(MasterKeys&&) = default;
  MasterKeys& operator=(MasterKeys&&) = default;
};

// One card's static keys (the same for its ISD and its 免許AP). Wiped when destroyed.
struct CardKeys {
  AesKey enc{};
  AesKey mac{};
  AesKey dek{};

  CardKeys() = default;
  ~CardKeys();
  CardKeys(const CardKeys&) = default;
  CardKeys& operator=(const CardKeys&) = default;
  CardKeys(CardKeys&&) = default;
  CardKeys& operator=(CardKeys&&) = default;
};

// Reads `{"enc":"<32 hex>","mac":"<32 hex>","dek":"<32 hex>"}` (upper or lower case hex; other
// members are refused). Throws IssuerError naming the file and the problem: missing or
// unreadable, not JSON, a key missing, not a string, not 32 hex digits.
MasterKeys load_master_keys(const std::filesystem::path& path);

// The diversification label, 12 ASCII bytes.
inline constexpr std::string_view kDiversificationLabel = "MK-SCP03-DIV";
inline constexpr size_t kDiversificationDataSize = 10;

// K_x = AES-CMAC(master_x, "MK-SCP03-DIV" || div_data) for x in ENC, MAC, DEK. `div_data` is the
// first 10 bytes of the INITIALIZE UPDATE answer; any other length throws IssuerError.
CardKeys derive_card_keys(const MasterKeys& master, std::span<const uint8_t> div_data);

}  // namespace mk::center::issuer
