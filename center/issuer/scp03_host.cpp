#include "center/issuer/scp03_host.hpp"

#include <algorithm>

#include <openssl/crypto.h>

#include "base/hex.hpp"
#include "base/secret_bytes.hpp"
#include "center/issuer/crypto.hpp"

namespace mk::center::issuer {
namespace scp03 {

Bytes kdf(const AesKey& key, uint8_t constant, std::span<const uint8_t> context, uint16_t bits) {
  if (bits != 64 && bits != 128) {
    throw IssuerError("SCP03 KDF: only L = 64 or 128 bits is used, not " + std::to_string(bits));
  }
  Bytes input(11, 0x00);  // label
  input.push_back(constant);
  input.push_back(0x00);  // separation indicator
  input.push_back(static_cast<uint8_t>(bits >> 8));
  input.push_back(static_cast<uint8_t>(bits & 0xFF));
  input.push_back(0x01);  // counter i: one block is enough
  input.insert(input.end(), context.begin(), context.end());
  const Block out = aes_cmac(key, input);
  return Bytes(out.begin(), out.begin() + bits / 8);
}

}  // namespace scp03

namespace {

std::string hex_byte(uint8_t b) {
  return base::to_hex(std::span<const uint8_t>(&b, 1));
}

AesKey to_key(Bytes&& bytes) {
  AesKey key{};
  std::copy(bytes.begin(), bytes.end(), key.begin());
  base::wipe(bytes);
  return key;
}

}  // namespace

Bytes Scp03Host::initialize_update_command(std::span<const uint8_t> host_challenge) {
  if (host_challenge.size() != scp03::kChallengeSize) {
    throw IssuerError("INITIALIZE UPDATE: the host challenge must be 8 bytes, got " +
                      std::to_string(host_challenge.size()));
  }
  Bytes apdu = {0x80, 0x50, scp03::kKeyVersion, 0x00, scp03::kChallengeSize};
  apdu.insert(apdu.end(), host_challenge.begin(), host_challenge.end());
  apdu.push_back(0x00);
  return apdu;
}

Bytes Scp03Host::random_host_challenge() {
  return random_bytes(scp03::kChallengeSize);
}

Scp03Host::Scp03Host(const MasterKeys& master, std::span<const uint8_t> host_challenge,
                     std::span<const uint8_t> answer) {
  if (host_challenge.size() != scp03::kChallengeSize) {
    throw IssuerError("SCP03: the host challenge must be 8 bytes, got " +
                      std::to_string(host_challenge.size()));
  }
  if (answer.size() != scp03::kInitializeUpdateAnswerSize) {
    throw IssuerError("INITIALIZE UPDATE answer: expected 29 bytes (without SW), got " +
                      std::to_string(answer.size()));
  }
  const auto div = answer.subspan(0, kDiversificationDataSize);
  const auto key_info = answer.subspan(10, 3);
  const auto card_challenge = answer.subspan(13, scp03::kChallengeSize);
  const auto card_cryptogram = answer.subspan(21, scp03::kCryptogramSize);
  if (key_info[0] != scp03::kKeyVersion) {
    throw IssuerError("INITIALIZE UPDATE answer: key version " + hex_byte(key_info[0]) +
                      ", the issuer holds keys of version 30");
  }
  if (key_info[1] != scp03::kScpIdentifier) {
    throw IssuerError("INITIALIZE UPDATE answer: secure channel protocol " + hex_byte(key_info[1]) +
                      ", expected 03 (SCP03)");
  }
  if (key_info[2] != scp03::kParameterI) {
    throw IssuerError("INITIALIZE UPDATE answer: SCP03 parameter i = " + hex_byte(key_info[2]) +
                      ", expected 20");
  }
  div_data_.assign(div.begin(), div.end());
  card_challenge_.assign(card_challenge.begin(), card_challenge.end());

  Bytes context(host_challenge.begin(), host_challenge.end());
  context.insert(context.end(), card_challenge.begin(), card_challenge.end());
  {
    const CardKeys card = derive_card_keys(master, div_data_);
    s_enc_ = to_key(scp03::kdf(card.enc, scp03::kSessionEnc, context, 128));
    s_mac_ = to_key(scp03::kdf(card.mac, scp03::kSessionMac, context, 128));
    s_rmac_ = to_key(scp03::kdf(card.mac, scp03::kSessionRmac, context, 128));
  }
  const Bytes expected = scp03::kdf(s_mac_, scp03::kCardCryptogram, context, 64);
  if (CRYPTO_memcmp(expected.data(), card_cryptogram.data(), expected.size()) != 0) {
    throw IssuerError(
        "INITIALIZE UPDATE answer: the card cryptogram does not verify (a card personalised with "
        "other master keys, or an altered answer)");
  }
  host_cryptogram_ = scp03::kdf(s_mac_, scp03::kHostCryptogram, context, 64);
}

Scp03Host::~Scp03Host() {
  base::wipe(s_enc_);
  base::wipe(s_mac_);
  base::wipe(s_rmac_);
  base::wipe(chain_);
}

Bytes Scp03Host::mac_command(uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2, const Bytes& data) {
  const size_t lc = data.size() + scp03::kMacSize;
  if (lc > 255) {
    throw IssuerError("SCP03: the wrapped command is too long for a short APDU");
  }
  const uint8_t secured_cla = static_cast<uint8_t>(cla | 0x04);
  Bytes mac_input(chain_.begin(), chain_.end());
  const Bytes header = {secured_cla, ins, p1, p2, static_cast<uint8_t>(lc)};
  mac_input.insert(mac_input.end(), header.begin(), header.end());
  mac_input.insert(mac_input.end(), data.begin(), data.end());
  chain_ = aes_cmac(s_mac_, mac_input);

  Bytes apdu = header;
  apdu.insert(apdu.end(), data.begin(), data.end());
  apdu.insert(apdu.end(), chain_.begin(), chain_.begin() + scp03::kMacSize);
  return apdu;
}

Bytes Scp03Host::external_authenticate() {
  if (authenticated_) {
    throw IssuerError("SCP03: EXTERNAL AUTHENTICATE was already sent in this session");
  }
  chain_.fill(0x00);
  Bytes apdu = mac_command(0x80, 0x82, scp03::kSecurityLevel, 0x00, host_cryptogram_);
  authenticated_ = true;
  counter_ = 1;
  return apdu;
}

Bytes Scp03Host::wrap(uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2,
                      std::span<const uint8_t> plaintext) {
  if (!authenticated_) {
    throw IssuerError("SCP03: wrap() before EXTERNAL AUTHENTICATE");
  }
  if (plaintext.size() > scp03::kMaxPlaintext) {
    throw IssuerError("SCP03: " + std::to_string(plaintext.size()) +
                      " bytes of command data, at most 239 fit one wrapped command");
  }
  Block counter{};
  for (size_t i = 0; i < 8; ++i) {
    counter[15 - i] = static_cast<uint8_t>(counter_ >> (8 * i));
  }
  ++counter_;  // for every command, with or without data

  Bytes data;
  if (!plaintext.empty()) {
    Bytes padded(plaintext.begin(), plaintext.end());
    padded.push_back(0x80);
    while (padded.size() % 16 != 0) {
      padded.push_back(0x00);
    }
    const Block icv = aes_ecb_encrypt_block(s_enc_, counter);
    data = aes_cbc_encrypt(s_enc_, icv, padded);
    base::wipe(padded);
  }
  Bytes apdu = mac_command(cla, ins, p1, p2, data);
  chaining_.push_back(chain_);
  return apdu;
}

bool Scp03Host::check_response(std::span<const uint8_t> response_with_sw) const {
  if (chaining_.empty()) {
    return false;
  }
  return check_response_at(chaining_.size() - 1, response_with_sw);
}

bool Scp03Host::carries_rmac(uint16_t status) {
  const auto sw1 = static_cast<uint8_t>(status >> 8);
  return status == 0x9000 || sw1 == 0x62 || sw1 == 0x63;
}

bool Scp03Host::check_response_at(size_t index, std::span<const uint8_t> response) const {
  if (index >= chaining_.size() || response.size() < 2) {
    return false;
  }
  const auto status = static_cast<uint16_t>(response[response.size() - 2] << 8 | response.back());
  if (!carries_rmac(status)) {
    return response.size() == 2;  // an error is its status word alone
  }
  if (response.size() < scp03::kMacSize + 2) {
    return false;
  }
  const size_t data_size = response.size() - scp03::kMacSize - 2;
  const Block& chain = chaining_[index];
  Bytes input(chain.begin(), chain.end());
  input.insert(input.end(), response.begin(),
               response.begin() + static_cast<std::ptrdiff_t>(data_size));
  input.insert(input.end(), response.end() - 2, response.end());
  const Block rmac = aes_cmac(s_rmac_, input);
  return CRYPTO_memcmp(rmac.data(), response.data() + data_size, scp03::kMacSize) == 0;
}

Bytes Scp03Host::unwrap_response(std::span<const uint8_t> response_with_sw) const {
  if (!check_response(response_with_sw)) {
    throw IssuerError("SCP03: the card's answer does not carry a valid R-MAC");
  }
  if (response_with_sw.size() == 2) {
    return {};  // a bare error status
  }
  return Bytes(response_with_sw.begin(),
               response_with_sw.end() - static_cast<std::ptrdiff_t>(scp03::kMacSize + 2));
}

}  // namespace mk::center::issuer
