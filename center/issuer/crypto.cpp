#include "center/issuer/crypto.hpp"

#include <algorithm>
#include <memory>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

namespace mk::center::issuer {
namespace {

struct MacDeleter {
  void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
};
struct MacCtxDeleter {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};
struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

[[noreturn]] void fail(const char* what) {
  throw IssuerError(std::string("OpenSSL: ") + what + " failed");
}

// AES-128 without padding, in ECB or CBC mode; the input is a whole number of blocks.
Bytes aes_encrypt(const EVP_CIPHER* cipher, const AesKey& key, const uint8_t* iv,
                  std::span<const uint8_t> in) {
  if (in.size() % 16 != 0) {
    throw IssuerError("AES: the input is not a multiple of 16 bytes");
  }
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), cipher, nullptr, key.data(), iv) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) {
    fail("AES init");
  }
  Bytes out(in.size() + 16);
  int n = 0;
  int tail = 0;
  if (EVP_EncryptUpdate(ctx.get(), out.data(), &n, in.data(), static_cast<int>(in.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out.data() + n, &tail) != 1) {
    fail("AES encryption");
  }
  out.resize(static_cast<size_t>(n) + static_cast<size_t>(tail));
  return out;
}

}  // namespace

Block aes_cmac(const AesKey& key, std::span<const uint8_t> message) {
  std::unique_ptr<EVP_MAC, MacDeleter> mac(EVP_MAC_fetch(nullptr, "CMAC", nullptr));
  if (!mac) {
    fail("EVP_MAC_fetch(CMAC)");
  }
  std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter> ctx(EVP_MAC_CTX_new(mac.get()));
  char cipher_name[] = "AES-128-CBC";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher_name, 0),
      OSSL_PARAM_construct_end()};
  if (!ctx || EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), message.data(), message.size()) != 1) {
    fail("CMAC");
  }
  Block tag{};
  size_t length = 0;
  if (EVP_MAC_final(ctx.get(), tag.data(), &length, tag.size()) != 1 || length != tag.size()) {
    fail("CMAC final");
  }
  return tag;
}

Block aes_ecb_encrypt_block(const AesKey& key, const Block& block) {
  const Bytes out = aes_encrypt(EVP_aes_128_ecb(), key, nullptr, block);
  Block result{};
  std::copy(out.begin(), out.end(), result.begin());
  return result;
}

Bytes aes_cbc_encrypt(const AesKey& key, const Block& iv, std::span<const uint8_t> plaintext) {
  return aes_encrypt(EVP_aes_128_cbc(), key, iv.data(), plaintext);
}

Bytes random_bytes(size_t n) {
  Bytes out(n);
  if (n > 0 && RAND_bytes(out.data(), static_cast<int>(n)) != 1) {
    fail("RAND_bytes");
  }
  return out;
}

}  // namespace mk::center::issuer
