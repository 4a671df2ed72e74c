#include "center/issuer/master_keys.hpp"

#include <fstream>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>

#include "base/hex.hpp"
#include "center/issuer/crypto.hpp"

namespace mk::center::issuer {
namespace {

constexpr std::uintmax_t kMaxFileSize = 4096;  // three hex keys need about 120 bytes

void wipe_keys(AesKey& a, AesKey& b, AesKey& c) {
  OPENSSL_cleanse(a.data(), a.size());
  OPENSSL_cleanse(b.data(), b.size());
  OPENSSL_cleanse(c.data(), c.size());
}

// Wipes a std::string's characters in place.
void wipe_string(std::string& s) {
  if (!s.empty()) {
    OPENSSL_cleanse(s.data(), s.size());
  }
}

AesKey parse_key(nlohmann::json& doc, const char* name, const std::string& where) {
  const auto it = doc.find(name);
  if (it == doc.end()) {
    throw IssuerError(where + ": the key \"" + name + "\" is missing");
  }
  if (!it->is_string()) {
    throw IssuerError(where + ": \"" + name + "\" is not a string of 32 hex digits");
  }
  auto& hex = it->get_ref<std::string&>();
  AesKey key{};
  const bool ok = base::decode_hex(hex, key);
  const size_t length = hex.size();
  wipe_string(hex);
  if (!ok) {
    OPENSSL_cleanse(key.data(), key.size());
    throw IssuerError(where + ": \"" + name + "\" is not 32 hex digits (" + std::to_string(length) +
                      " characters)");
  }
  return key;
}

}  // namespace

MasterKeys::~MasterKeys() {
  wipe_keys(enc, mac, dek);
}
CardKeys::~CardKeys() {
  wipe_keys(enc, mac, dek);
}

MasterKeys load_master_keys(const std::filesystem::path& path) {
  const std::string where = "master key file " + path.string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw IssuerError(where + ": no such file");
  }
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw IssuerError(where + ": not a regular file");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxFileSize) {
    throw IssuerError(where + (ec ? ": cannot be read" : ": too large for a key file"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw IssuerError(where + ": cannot be opened for reading");
  }
  // One read into a buffer this function owns, so that it can be wiped afterwards.
  std::string text(static_cast<size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (static_cast<size_t>(in.gcount()) != text.size()) {
    wipe_string(text);
    throw IssuerError(where + ": read error");
  }
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  wipe_string(text);
  if (doc.is_discarded()) {
    throw IssuerError(where + ": not valid JSON");
  }
  if (!doc.is_object()) {
    throw IssuerError(where + ": not a JSON object {\"enc\",\"mac\",\"dek\"}");
  }
  // Wipe every hex string the document still holds, whatever happens below.
  struct DocWiper {
    nlohmann::json& doc;
    ~DocWiper() {
      for (auto& [name, value] : doc.items()) {
        if (value.is_string()) {
          wipe_string(value.get_ref<std::string&>());
        }
      }
    }
  } wiper{doc};
  for (const auto& [name, value] : doc.items()) {
    if (name != "enc" && name != "mac" && name != "dek") {
      throw IssuerError(where + ": unknown member \"" + name + "\" (expected enc, mac, dek)");
    }
  }
  MasterKeys keys;
  keys.enc = parse_key(doc, "enc", where);
  keys.mac = parse_key(doc, "mac", where);
  keys.dek = parse_key(doc, "dek", where);
  return keys;
}

CardKeys derive_card_keys(const MasterKeys& master, std::span<const uint8_t> div_data) {
  if (div_data.size() != kDiversificationDataSize) {
    throw IssuerError("diversification data must be 10 bytes, got " +
                      std::to_string(div_data.size()));
  }
  Bytes input(kDiversificationLabel.begin(), kDiversificationLabel.end());
  input.insert(input.end(), div_data.begin(), div_data.end());
  CardKeys keys;
  keys.enc = aes_cmac(master.enc, input);
  keys.mac = aes_cmac(master.mac, input);
  keys.dek = aes_cmac(master.dek, input);
  return keys;
}

}  // namespace mk::center::issuer
