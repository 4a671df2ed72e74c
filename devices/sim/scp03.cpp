#include "devices/sim/scp03.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

namespace mk::devices::sim::scp03 {

namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("scp03: " + what);
}

void check_key(std::span<const uint8_t> key) {
  if (key.size() != 16) {
    fail("AES-128 key of " + std::to_string(key.size()) + " bytes");
  }
}

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

Bytes aes_128(const EVP_CIPHER* cipher, bool encrypt, std::span<const uint8_t> key,
              const uint8_t* iv, std::span<const uint8_t> data) {
  check_key(key);
  if (data.size() % 16 != 0) {
    fail("AES input not a multiple of 16 bytes");
  }
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  Bytes out(data.size() + 16);
  int n = 0, tail = 0;
  if (!ctx || EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.data(), iv, encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_CipherUpdate(ctx.get(), out.data(), &n, data.data(), static_cast<int>(data.size())) !=
          1 ||
      EVP_CipherFinal_ex(ctx.get(), out.data() + n, &tail) != 1) {
    fail("AES-128");
  }
  out.resize(static_cast<size_t>(n + tail));
  return out;
}

void append(Bytes& out, std::span<const uint8_t> b) {
  out.insert(out.end(), b.begin(), b.end());
}

bool same(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

Bytes aes_cmac(std::span<const uint8_t> key, std::span<const uint8_t> data) {
  check_key(key);
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
  EVP_MAC_CTX* ctx = mac == nullptr ? nullptr : EVP_MAC_CTX_new(mac);
  char cipher[] = "AES-128-CBC";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher, 0),
                               OSSL_PARAM_END};
  Bytes out(16);
  size_t n = 0;
  const bool ok = ctx != nullptr && EVP_MAC_init(ctx, key.data(), key.size(), params) == 1 &&
                  EVP_MAC_update(ctx, data.data(), data.size()) == 1 &&
                  EVP_MAC_final(ctx, out.data(), &n, out.size()) == 1 && n == 16;
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  if (!ok) {
    fail("AES-CMAC");
  }
  return out;
}

Bytes aes_ecb_block(std::span<const uint8_t> key, std::span<const uint8_t> block) {
  return aes_128(EVP_aes_128_ecb(), true, key, nullptr, block);
}

Bytes aes_cbc_decrypt(std::span<const uint8_t> key, std::span<const uint8_t> iv,
                      std::span<const uint8_t> data) {
  if (iv.size() != 16) {
    fail("ICV of " + std::to_string(iv.size()) + " bytes");
  }
  return aes_128(EVP_aes_128_cbc(), false, key, iv.data(), data);
}

Bytes kdf(std::span<const uint8_t> key, uint8_t constant, uint16_t l_bits,
          std::span<const uint8_t> context) {
  Bytes out;
  for (uint8_t i = 1; out.size() * 8 < l_bits; ++i) {
    Bytes input(11, 0x00);
    input.push_back(constant);
    input.push_back(0x00);
    input.push_back(static_cast<uint8_t>(l_bits >> 8));
    input.push_back(static_cast<uint8_t>(l_bits & 0xFF));
    input.push_back(i);
    append(input, context);
    append(out, aes_cmac(key, input));
  }
  out.resize(l_bits / 8);
  return out;
}

Bytes diversification_data(const std::string& fixture_id) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(fixture_id.data()), fixture_id.size(), digest);
  Bytes out(kDivDataSize);
  out[0] = 'M';
  out[1] = 'K';
  std::copy(digest, digest + 8, out.begin() + 2);
  return out;
}

StaticKeys diversify(const StaticKeys& master, std::span<const uint8_t> div_data) {
  Bytes input(std::begin(kDiversificationLabel), std::end(kDiversificationLabel) - 1);
  append(input, div_data);
  return {aes_cmac(master.enc, input), aes_cmac(master.mac, input), aes_cmac(master.dek, input)};
}

Bytes CardChannel::initialize_update(const StaticKeys& keys, std::span<const uint8_t> div_data,
                                     std::span<const uint8_t> host_challenge) {
  *this = CardChannel{};
  Bytes card_challenge(8);
  if (RAND_bytes(card_challenge.data(), static_cast<int>(card_challenge.size())) != 1) {
    fail("RAND_bytes");
  }
  context_.assign(host_challenge.begin(), host_challenge.end());
  append(context_, card_challenge);
  s_enc_ = kdf(keys.enc, kSEnc, 0x0080, context_);
  s_mac_ = kdf(keys.mac, kSMac, 0x0080, context_);
  s_rmac_ = kdf(keys.mac, kSRmac, 0x0080, context_);
  Bytes out(div_data.begin(), div_data.end());
  out.push_back(kKeyVersion);
  out.push_back(kScpId);
  out.push_back(kScpI);
  append(out, card_challenge);
  append(out, kdf(s_mac_, kCardCryptogram, 0x0040, context_));
  return out;
}

bool CardChannel::external_authenticate(std::span<const uint8_t> header4,
                                        std::span<const uint8_t> data) {
  if (s_mac_.empty() || authenticated_ || data.size() != 16) {
    return false;
  }
  const Bytes host_cryptogram = kdf(s_mac_, kHostCryptogram, 0x0040, context_);
  Bytes macked = chaining_;
  append(macked, header4);
  macked.push_back(static_cast<uint8_t>(data.size()));
  append(macked, data.first(8));
  const Bytes mac = aes_cmac(s_mac_, macked);
  // Both checks always run, so the time does not tell which one failed.
  const bool cryptogram_ok = same(data.first(8), host_cryptogram);
  const bool mac_ok = same(data.subspan(8), std::span<const uint8_t>(mac).first(8));
  if (!cryptogram_ok || !mac_ok) {
    return false;
  }
  chaining_ = mac;
  counter_ = {};
  counter_[15] = 1;
  authenticated_ = true;
  return true;
}

std::optional<Bytes> CardChannel::unwrap(std::span<const uint8_t> header4,
                                         std::span<const uint8_t> data, bool extended) {
  if (!authenticated_ || data.size() < 8) {
    return std::nullopt;
  }
  const auto body = data.first(data.size() - 8);
  Bytes macked = chaining_;
  append(macked, header4);
  if (extended) {
    macked.push_back(0x00);
    macked.push_back(static_cast<uint8_t>(data.size() >> 8));
  }
  macked.push_back(static_cast<uint8_t>(data.size() & 0xFF));
  append(macked, body);
  const Bytes mac = aes_cmac(s_mac_, macked);
  if (!same(data.last(8), std::span<const uint8_t>(mac).first(8))) {
    return std::nullopt;
  }
  chaining_ = mac;
  const std::array<uint8_t, 16> counter = counter_;
  for (size_t i = counter_.size(); i-- > 0;) {  // every command moves the counter on
    if (++counter_[i] != 0) {
      break;
    }
  }
  if (body.empty()) {
    return Bytes{};
  }
  if (body.size() % 16 != 0) {
    return std::nullopt;
  }
  const Bytes icv = aes_ecb_block(s_enc_, counter);
  Bytes plain = aes_cbc_decrypt(s_enc_, icv, body);
  size_t end = plain.size();
  while (end > 0 && plain[end - 1] == 0x00) {
    --end;
  }
  if (end == 0 || plain[end - 1] != 0x80 || plain.size() - end >= 16) {
    return std::nullopt;  // no 80, or a whole block of padding that was not needed
  }
  plain.resize(end - 1);
  return plain;
}

Bytes CardChannel::rmac(std::span<const uint8_t> response_data, uint16_t status) const {
  Bytes macked = chaining_;
  append(macked, response_data);
  macked.push_back(static_cast<uint8_t>(status >> 8));
  macked.push_back(static_cast<uint8_t>(status & 0xFF));
  Bytes mac = aes_cmac(s_rmac_, macked);
  mac.resize(8);
  return mac;
}

}  // namespace mk::devices::sim::scp03
