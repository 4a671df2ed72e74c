// The centre simulator's own secret and the PIN sealing it keys (sealing.hpp).
#include "center/sim/sealing.hpp"

#include <fstream>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>

namespace mk::center::sim {

using Bytes = std::vector<uint8_t>;

Bytes load_or_create_secret(const std::filesystem::path& file) {
  Bytes key(64);
  if (std::ifstream in(file, std::ios::binary); in) {
    in.read(reinterpret_cast<char*>(key.data()), static_cast<std::streamsize>(key.size()));
    if (in.gcount() == static_cast<std::streamsize>(key.size())) {
      return key;
    }
    throw std::runtime_error("centre secret " + file.string() + " is not 64 bytes");
  }
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  const mode_t old = ::umask(077);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(key.data()), static_cast<std::streamsize>(key.size()));
  ::umask(old);
  if (!out) {
    throw std::runtime_error("cannot write the centre secret " + file.string());
  }
  return key;
}

Bytes seal(std::span<const uint8_t> key, std::span<const uint8_t> plaintext) {
  Bytes out(12 + plaintext.size() + 16);
  RAND_bytes(out.data(), 12);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int n = 0;
  const bool ok =
      ctx != nullptr &&
      EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), out.data()) == 1 &&
      EVP_EncryptUpdate(ctx, out.data() + 12, &n, plaintext.data(),
                        static_cast<int>(plaintext.size())) == 1 &&
      EVP_EncryptFinal_ex(ctx, out.data() + 12 + n, &n) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out.data() + 12 + plaintext.size()) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) {
    throw std::runtime_error("AES-GCM sealing failed");
  }
  return out;
}

base::SecretBytes unseal(std::span<const uint8_t> key, std::span<const uint8_t> sealed) {
  if (sealed.size() < 28) {
    throw std::runtime_error("sealed PIN too short");
  }
  const size_t len = sealed.size() - 28;
  Bytes plain(len + 16);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int n = 0;
  Bytes tag(sealed.end() - 16, sealed.end());
  const bool ok =
      ctx != nullptr &&
      EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), sealed.data()) == 1 &&
      EVP_DecryptUpdate(ctx, plain.data(), &n, sealed.data() + 12, static_cast<int>(len)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx, plain.data() + n, &n) == 1;
  EVP_CIPHER_CTX_free(ctx);
  base::SecretBytes out(std::span<const uint8_t>(plain.data(), ok ? len : 0));
  base::wipe(plain);
  if (!ok) {
    throw std::runtime_error("sealed PIN does not authenticate");
  }
  return out;
}

}  // namespace mk::center::sim
