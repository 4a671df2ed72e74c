#include "offline-cache/crypto.hpp"

#include <memory>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "offline-cache/store_error.hpp"

namespace mk::offline_cache::crypto {
namespace {

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext new_context() {
  CipherContext context(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (!context) {
    throw StoreError(StoreErrorKind::io, "OpenSSL: cannot allocate a cipher context");
  }
  return context;
}

int as_int(size_t size) {
  if (size > static_cast<size_t>(1) << 30) {
    throw StoreError(StoreErrorKind::invalid_argument, "payload too large (over 1 GiB)");
  }
  return static_cast<int>(size);
}

}  // namespace

Sealed seal(std::span<const uint8_t, 32> key, std::span<const uint8_t> aad,
            std::span<const uint8_t> plaintext) {
  Sealed sealed;
  if (RAND_bytes(sealed.nonce.data(), static_cast<int>(sealed.nonce.size())) != 1) {
    throw StoreError(StoreErrorKind::io, "OpenSSL: the random generator failed");
  }
  auto context = new_context();
  sealed.ciphertext.resize(plaintext.size() + kTagSize);
  int length = 0;
  int total = 0;
  const bool ok =
      EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, key.data(),
                         sealed.nonce.data()) == 1 &&
      EVP_EncryptUpdate(context.get(), nullptr, &length, aad.data(), as_int(aad.size())) == 1 &&
      EVP_EncryptUpdate(context.get(), sealed.ciphertext.data(), &length, plaintext.data(),
                        as_int(plaintext.size())) == 1 &&
      (total = length,
       EVP_EncryptFinal_ex(context.get(), sealed.ciphertext.data() + total, &length) == 1) &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize),
                          sealed.ciphertext.data() + plaintext.size()) == 1;
  if (!ok) {
    throw StoreError(StoreErrorKind::io, "OpenSSL: AES-256-GCM encryption failed");
  }
  return sealed;
}

base::SecretBytes open(std::span<const uint8_t, 32> key, std::span<const uint8_t> nonce,
                       std::span<const uint8_t> aad, std::span<const uint8_t> ciphertext) {
  if (nonce.size() != kNonceSize || ciphertext.size() < kTagSize) {
    throw StoreError(StoreErrorKind::decrypt_failed,
                     "encrypted payload is malformed (nonce or tag missing)");
  }
  const size_t body = ciphertext.size() - kTagSize;
  base::SecretBytes plaintext;
  plaintext.resize(body);
  auto context = new_context();
  // The tag is read from const storage; OpenSSL's ctrl takes a void* but only reads it.
  std::array<uint8_t, kTagSize> tag{};
  std::copy(ciphertext.begin() + static_cast<std::ptrdiff_t>(body), ciphertext.end(), tag.begin());
  int length = 0;
  const bool ok =
      EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) ==
          1 &&
      EVP_DecryptUpdate(context.get(), nullptr, &length, aad.data(), as_int(aad.size())) == 1 &&
      EVP_DecryptUpdate(context.get(), plaintext.mutable_bytes().data(), &length, ciphertext.data(),
                        as_int(body)) == 1 &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize),
                          tag.data()) == 1 &&
      EVP_DecryptFinal_ex(context.get(), plaintext.mutable_bytes().data() + length, &length) == 1;
  if (!ok) {
    plaintext.clear();
    throw StoreError(StoreErrorKind::decrypt_failed,
                     "payload failed authentication (wrong key or altered data)");
  }
  return plaintext;
}

Sha256 sha256(std::span<const uint8_t> data) {
  Sha256 digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw StoreError(StoreErrorKind::io, "OpenSSL: SHA-256 failed");
  }
  return digest;
}

Encoder& Encoder::add(std::string_view text) {
  add(static_cast<int64_t>(text.size()));
  data_.insert(data_.end(), text.begin(), text.end());
  return *this;
}

Encoder& Encoder::add(std::span<const uint8_t> bytes) {
  add(static_cast<int64_t>(bytes.size()));
  data_.insert(data_.end(), bytes.begin(), bytes.end());
  return *this;
}

Encoder& Encoder::add(int64_t value) {
  const auto bits = static_cast<uint64_t>(value);
  for (int shift = 56; shift >= 0; shift -= 8) {
    data_.push_back(static_cast<uint8_t>(bits >> shift));
  }
  return *this;
}

}  // namespace mk::offline_cache::crypto
