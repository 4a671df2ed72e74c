#pragma once

// The card side of the issuer channel, written for the tests straight from
// docs/issuer-channel.md with OpenSSL calls of its own — it shares no code with center/issuer/, so
// a test that passes means two separate readings of the doc agree. One object is one application
// (ISD or 免許AP) with its SCP03 session state; what a command means is left to `handler`.

#include <array>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace mk::tests::card_double {

using Bytes = std::vector<uint8_t>;

inline Bytes hex(const std::string& text) {
  Bytes out;
  std::string digits;
  for (char c : text) {
    if (c != ' ') {
      digits.push_back(c);
    }
  }
  for (size_t i = 0; i + 1 < digits.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  }
  return out;
}

inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) {
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

inline Bytes cmac(const Bytes& key, const Bytes& message) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  char cipher[] = "AES-128-CBC";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("cipher", cipher, 0),
                               OSSL_PARAM_construct_end()};
  Bytes out(16);
  size_t n = 0;
  if (EVP_MAC_init(ctx, key.data(), key.size(), params) != 1 ||
      EVP_MAC_update(ctx, message.data(), message.size()) != 1 ||
      EVP_MAC_final(ctx, out.data(), &n, out.size()) != 1) {
    throw std::runtime_error("test CMAC failed");
  }
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  return out;
}

// AES-128, no padding; ECB when iv is empty.
inline Bytes aes(bool encrypt, const Bytes& key, const Bytes& iv, const Bytes& in) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  const EVP_CIPHER* cipher = iv.empty() ? EVP_aes_128_ecb() : EVP_aes_128_cbc();
  Bytes out(in.size() + 16);
  int n = 0;
  int tail = 0;
  if (EVP_CipherInit_ex(ctx, cipher, nullptr, key.data(), iv.empty() ? nullptr : iv.data(),
                        encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx, 0) != 1 ||
      EVP_CipherUpdate(ctx, out.data(), &n, in.data(), static_cast<int>(in.size())) != 1 ||
      EVP_CipherFinal_ex(ctx, out.data() + n, &tail) != 1) {
    throw std::runtime_error("test AES failed");
  }
  EVP_CIPHER_CTX_free(ctx);
  out.resize(static_cast<size_t>(n) + static_cast<size_t>(tail));
  return out;
}

// The doc's session key / cryptogram derivation, byte by byte.
inline Bytes derive(const Bytes& key, uint8_t constant, uint16_t bits, const Bytes& context) {
  Bytes input = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};  // label: 11 bytes 00
  input.push_back(constant);
  input.push_back(0x00);
  input.push_back(static_cast<uint8_t>(bits >> 8));
  input.push_back(static_cast<uint8_t>(bits));
  input.push_back(0x01);
  input.insert(input.end(), context.begin(), context.end());
  Bytes out = cmac(key, input);
  out.resize(static_cast<size_t>(bits / 8));
  return out;
}

// The doc's card static keys: CMAC(master_x, "MK-SCP03-DIV" || div data).
inline Bytes diversify(const Bytes& master, const Bytes& div_data) {
  const std::string label = "MK-SCP03-DIV";
  return cmac(master, concat({Bytes(label.begin(), label.end()), div_data}));
}

struct Command {  // a command as the application sees it, after unwrapping
  uint8_t cla, ins, p1, p2;
  Bytes data;
};
struct Answer {
  Bytes data;
  uint16_t sw = 0x9000;
};

class Application {
 public:
  Application(const Bytes& master_enc, const Bytes& master_mac, const Bytes& div_data,
              const Bytes& card_challenge)
      : k_enc_(diversify(master_enc, div_data)),
        k_mac_(diversify(master_mac, div_data)),
        div_data_(div_data),
        card_challenge_(card_challenge) {}

  std::function<Answer(const Command&)> handler = [](const Command&) { return Answer{}; };
  std::vector<Command> received;  // unwrapped commands, in order
  std::vector<Bytes> ivs;         // the ICV used for each command that had data
  Bytes key_info = {0x30, 0x03, 0x20};

  bool channel_open() const { return open_; }
  Bytes s_enc() const { return s_enc_; }
  Bytes s_mac() const { return s_mac_; }
  Bytes s_rmac() const { return s_rmac_; }
  Bytes card_cryptogram() const { return card_cryptogram_; }

  // Everything the application receives; answers with SW1 SW2.
  Bytes transmit(const Bytes& apdu) {
    if (apdu.size() >= 2 && apdu[0] == 0x80 && apdu[1] == 0x50) {
      return initialize_update(apdu);
    }
    if (apdu.size() >= 2 && apdu[0] == 0x84 && apdu[1] == 0x82) {
      return external_authenticate(apdu);
    }
    return secured(apdu);
  }

 private:
  static Bytes sw(uint16_t status) {
    return {static_cast<uint8_t>(status >> 8), static_cast<uint8_t>(status)};
  }
  Bytes refuse() {
    open_ = false;
    authenticated_ = false;
    return sw(0x6982);
  }

  Bytes initialize_update(const Bytes& apdu) {
    if (apdu.size() != 14 || apdu[2] != 0x30 || apdu[3] != 0x00 || apdu[4] != 0x08 ||
        apdu[13] != 0x00) {
      return sw(0x6A86);
    }
    host_challenge_.assign(apdu.begin() + 5, apdu.begin() + 13);
    const Bytes context = concat({host_challenge_, card_challenge_});
    s_enc_ = derive(k_enc_, 0x04, 128, context);
    s_mac_ = derive(k_mac_, 0x06, 128, context);
    s_rmac_ = derive(k_mac_, 0x07, 128, context);
    card_cryptogram_ = derive(s_mac_, 0x00, 64, context);
    host_cryptogram_ = derive(s_mac_, 0x01, 64, context);
    open_ = true;
    authenticated_ = false;
    return concat({div_data_, key_info, card_challenge_, card_cryptogram_, sw(0x9000)});
  }

  // Checks and strips the C-MAC; moves the chaining value on.
  bool check_cmac(const Bytes& apdu, Bytes& body) {
    if (apdu.size() < 5 + 8 || static_cast<size_t>(apdu[4]) != apdu.size() - 5) {
      return false;
    }
    const Bytes header(apdu.begin(), apdu.begin() + 5);
    body.assign(apdu.begin() + 5, apdu.end() - 8);
    const Bytes mac = cmac(s_mac_, concat({chain_, header, body}));
    if (CRYPTO_memcmp(mac.data(), apdu.data() + apdu.size() - 8, 8) != 0) {
      return false;
    }
    chain_ = mac;
    return true;
  }

  Bytes external_authenticate(const Bytes& apdu) {
    if (!open_ || apdu.size() != 21 || apdu[2] != 0x13 || apdu[3] != 0x00) {
      return refuse();
    }
    chain_ = Bytes(16, 0x00);
    Bytes body;
    if (!check_cmac(apdu, body) || body != host_cryptogram_) {
      return refuse();
    }
    authenticated_ = true;
    counter_ = 1;
    return sw(0x9000);
  }

  Bytes secured(const Bytes& apdu) {
    Bytes body;
    if (!authenticated_ || (apdu[0] & 0x04) == 0 || !check_cmac(apdu, body)) {
      return refuse();
    }
    Bytes counter(16, 0x00);
    for (int i = 0; i < 8; ++i) {
      counter[static_cast<size_t>(15 - i)] = static_cast<uint8_t>(counter_ >> (8 * i));
    }
    ++counter_;
    Command command{static_cast<uint8_t>(apdu[0] & ~0x04), apdu[1], apdu[2], apdu[3], {}};
    if (!body.empty()) {
      if (body.size() % 16 != 0) {
        return refuse();
      }
      const Bytes icv = aes(true, s_enc_, {}, counter);
      ivs.push_back(icv);
      Bytes plain = aes(false, s_enc_, icv, body);
      // Strip 80 00..: there must be one.
      while (!plain.empty() && plain.back() == 0x00) {
        plain.pop_back();
      }
      if (plain.empty() || plain.back() != 0x80) {
        return refuse();
      }
      plain.pop_back();
      command.data = plain;
    }
    received.push_back(command);
    const Answer answer = handler(command);
    const Bytes status = sw(answer.sw);
    const auto sw1 = static_cast<uint8_t>(answer.sw >> 8);
    if (answer.sw != 0x9000 && sw1 != 0x62 && sw1 != 0x63) {
      return status;  // GP Amendment D §6.2.5: an error status alone, no data, no R-MAC
    }
    const Bytes rmac = cmac(s_rmac_, concat({chain_, answer.data, status}));
    return concat({answer.data, Bytes(rmac.begin(), rmac.begin() + 8), status});
  }

  Bytes k_enc_, k_mac_, div_data_, card_challenge_;
  Bytes host_challenge_, s_enc_, s_mac_, s_rmac_, card_cryptogram_, host_cryptogram_;
  Bytes chain_ = Bytes(16, 0x00);
  uint64_t counter_ = 0;
  bool open_ = false;
  bool authenticated_ = false;
};

}  // namespace mk::tests::card_double
