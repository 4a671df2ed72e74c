// mynacard: the card tool for staff and engineers. JSON on stdout; PINs from standard input
// (first line, and a second line for a second PIN), never from arguments or the environment.
// Exit codes: 0 ok, 1 anything else, 2 wrong PIN, 3 PIN blocked, 4 no reader or no card,
// 5 the card answered something invalid. See docs/mynacard.md.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "base/hex.hpp"
#include "devices/cards/dl_card.hpp"
#include "devices/cards/license_ap.hpp"
#include "devices/cards/my_number_card.hpp"
#include "devices/pcsc/pcsc.hpp"
#include "devices/profile/card_profile.hpp"
#include "devices/sim/pki.hpp"
#include "devices/sim/sim_cli.hpp"
#include "devices/tools/card_json.hpp"

namespace {

using namespace mk::devices;
using nlohmann::json;

// Where an installed kiosk keeps the license authority's CA certificates.
constexpr const char* kSystemLicenseCa = "/etc/mynakiosk/license-ca.pem";

enum Exit : int {
  kOk = 0,
  kOther = 1,
  kWrongPin = 2,
  kPinBlocked = 3,
  kNoCard = 4,
  kInvalidCard = 5,
};

// A PIN failure carried to main() as its exit code and message.
struct PinFailure {
  int code;
  std::string message;
};

// Reads one line of standard input into wiped memory (no std::string ever holds it).
std::optional<mk::base::SecretBytes> read_pin_line() {
  mk::base::SecretBytes pin;
  for (int c = std::getchar(); c != EOF && c != '\n'; c = std::getchar()) {
    if (c != '\r') {
      pin.push_back(static_cast<uint8_t>(c));
    }
  }
  if (pin.empty()) {
    return std::nullopt;
  }
  return pin;
}

mk::base::SecretBytes require_pin(const char* which) {
  auto pin = read_pin_line();
  if (!pin) {
    throw std::runtime_error(fmt::format("no {} on standard input (one PIN a line)", which));
  }
  return std::move(*pin);
}

void check(const VerifyResult& result, const char* which) {
  if (result.outcome == VerifyOutcome::ok) {
    return;
  }
  if (result.outcome == VerifyOutcome::blocked) {
    throw PinFailure{kPinBlocked, fmt::format("{} PIN is now blocked", which)};
  }
  throw PinFailure{kWrongPin, fmt::format("wrong {} PIN: {} tries left", which, result.tries_left)};
}

std::string pick_reader(PcscContext& context, const std::string& wanted) {
  const auto readers = list_readers(context);
  if (readers.empty()) {
    throw CardError(CardErrorKind::no_reader, "no card reader");
  }
  for (const auto& r : readers) {
    if (wanted.empty() ? r.card_present : r.name == wanted) {
      if (!r.card_present) {
        throw CardError(CardErrorKind::no_card, "no card in \"" + r.name + "\"");
      }
      return r.name;
    }
  }
  throw CardError(wanted.empty() ? CardErrorKind::no_card : CardErrorKind::no_reader,
                  wanted.empty() ? "no reader holds a card" : "no reader \"" + wanted + "\"");
}

std::string base64(std::span<const uint8_t> bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string pem_certificate(const Bytes& der) {
  const unsigned char* p = der.data();
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
  if (!cert) {
    throw CardError(CardErrorKind::invalid_response,
                    "the certificate on the card is not DER X.509");
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509(bio.get(), cert.get());
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

int exit_code(CardErrorKind kind) {
  switch (kind) {
    case CardErrorKind::no_reader:
    case CardErrorKind::no_card:
    case CardErrorKind::no_service:
    case CardErrorKind::card_removed:
    case CardErrorKind::reader_removed:
      return kNoCard;
    case CardErrorKind::invalid_response:
      return kInvalidCard;
    case CardErrorKind::pin_blocked:
      return kPinBlocked;
    default:
      return kOther;
  }
}

json pin_tries(const std::function<int()>& read) {
  try {
    return read();
  } catch (const CardError& e) {
    if (e.kind() == CardErrorKind::wrong_card) {
      return nullptr;
    }
    throw;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mynacard: read and test My Number cards and driving licenses over PC/SC"};
  app.require_subcommand(1);
  std::string reader;
  bool trace = false;
  app.add_option("--reader", reader, "reader name (default: the first reader with a card)");
  app.add_flag("--trace", trace, "print every APDU on standard error (PINs as **)");
  // --reader and --trace after the command too ("mynacard status --reader X"): a subcommand hands
  // the options it does not know to the tool. Set before the subcommands, which inherit it.
  app.fallthrough();

  auto* readers_cmd = app.add_subcommand("readers", "list readers and whether they hold a card");
  auto* status_cmd = app.add_subcommand("status", "card kind and PIN tries left (spends none)");
  auto* basic4_cmd = app.add_subcommand("basic4", "the basic 4 info (入力補助 PIN on stdin)");
  auto* cert_cmd = app.add_subcommand("cert", "a JPKI certificate as PEM (sign: PIN on stdin)");
  std::string cert_key;
  cert_cmd->add_option("key", cert_key, "auth or sign")
      ->required()
      ->check(CLI::IsMember({"auth", "sign"}));
  auto* sign_cmd = app.add_subcommand("sign", "sign a file with a JPKI key (PIN on stdin)");
  std::string sign_key;
  std::string sign_in;
  sign_cmd->add_option("--key", sign_key, "auth or sign")
      ->required()
      ->check(CLI::IsMember({"auth", "sign"}));
  sign_cmd->add_option("--in", sign_in, "file to sign")->required()->check(CLI::ExistingFile);
  auto* license_cmd = app.add_subcommand("license", "the 免許AP record (license PIN on stdin)");
  std::string license_ca;
  license_cmd->add_option(
      "--license-ca", license_ca,
      "license authority CA certificates (PEM); default: " + std::string(kSystemLicenseCa) +
          " when present, else the virtual cards' test CA");
  auto* dl_cmd =
      app.add_subcommand("dl", "the conventional license (PIN1, optionally PIN2, on stdin)");
  auto* sim_cmd = app.add_subcommand("sim", "run a virtual card on pcscd's vpcd driver");
  sim::SimOptions sim_options;
  sim::SimCliFlags sim_flags;
  sim::add_sim_options(*sim_cmd, sim_options, sim_flags);

  CLI11_PARSE(app, argc, argv);

  json out;
  try {
    if (sim_cmd->parsed()) {
      sim::finish_sim_options(sim_options, sim_flags);
      sim_options.stop = sim::stop_on_signals();
      return sim::run_virtual_card(sim_options);
    }
    if (license_ca.empty()) {
      license_ca = std::filesystem::exists(kSystemLicenseCa)
                       ? std::string(kSystemLicenseCa)
                       : (sim::PkiCache::default_dir() / "license-ca.pem").string();
    }
    PcscContext context;
    if (readers_cmd->parsed()) {
      out["readers"] = json::array();
      for (const auto& r : list_readers(context)) {
        out["readers"].push_back(
            {{"name", r.name},
             {"card_present", r.card_present},
             {"atr", r.card_present ? json(mk::base::to_hex(r.atr)) : json(nullptr)}});
      }
      std::cout << out.dump(2) << "\n";
      return kOk;
    }
    PcscCard card(context, pick_reader(context, reader));
    ApduChannel channel(
        card, trace ? ApduChannel::Tracer([](std::string_view line) { std::cerr << line << "\n"; })
                    : ApduChannel::Tracer());
    MyNumberCard mynumber(channel);
    DlCard dl(channel);

    if (status_cmd->parsed()) {
      out["reader"] = card.reader();
      out["atr"] = mk::base::to_hex(card.atr());
      if (mynumber.is_my_number_card()) {
        out["card"] = "mynumber";
        LicenseAp license(channel);
        out["pins"] = {{"jpki_auth", mynumber.jpki_tries(JpkiKey::auth)},
                       {"jpki_sign", mynumber.jpki_tries(JpkiKey::sign)},
                       {"basic4", mynumber.basic4_tries()},
                       {"license", pin_tries([&] { return license.tries(); })}};
        if (license.present()) {
          const auto setting = license.pin_setting();
          out["license_record"] =
              setting.state == profile::license_ap::RecordState::complete  ? "complete"
              : setting.state == profile::license_ap::RecordState::writing ? "writing"
                                                                           : "empty";
        } else {
          out["license_record"] = nullptr;
        }
      } else if (dl.is_driving_license()) {
        out["card"] = "dl";
        out["pins"] = {{"pin1", dl.tries(PinKind::dl_pin1)}, {"pin2", dl.tries(PinKind::dl_pin2)}};
      } else {
        throw CardError(CardErrorKind::wrong_card,
                        "neither a My Number card nor a driving license");
      }
    } else if (basic4_cmd->parsed()) {
      check(mynumber.verify_basic4(require_pin("入力補助 PIN")), "入力補助");
      out = to_json(mynumber.read_basic4());
    } else if (cert_cmd->parsed()) {
      const JpkiKey key = cert_key == "auth" ? JpkiKey::auth : JpkiKey::sign;
      if (key == JpkiKey::sign) {
        check(mynumber.verify_jpki(key, require_pin("signing PIN")), "signing");
      }
      std::cout << pem_certificate(mynumber.read_certificate(key));
      return kOk;
    } else if (sign_cmd->parsed()) {
      const JpkiKey key = sign_key == "auth" ? JpkiKey::auth : JpkiKey::sign;
      check(
          mynumber.verify_jpki(key, require_pin(key == JpkiKey::auth ? "auth PIN" : "signing PIN")),
          key == JpkiKey::auth ? "auth" : "signing");
      std::ifstream in(sign_in, std::ios::binary);
      const Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      out = {{"key", sign_key},
             {"algorithm", "sha256WithRSAEncryption"},
             {"signature", base64(mynumber.sign(key, sha256_digest_info(data)))}};
    } else if (license_cmd->parsed()) {
      LicenseAp license(channel);
      if (!license.present()) {
        throw CardError(CardErrorKind::wrong_card, "no license data is recorded on this card");
      }
      check(license.verify(require_pin("license PIN")), "license");
      out = to_json(license.read(license_ca));
    } else if (dl_cmd->parsed()) {
      if (!dl.pin_set()) {
        throw CardError(CardErrorKind::wrong_card, "this license has no PIN set");
      }
      const auto common = dl.read_common_data();
      check(dl.verify(PinKind::dl_pin1, require_pin("PIN1")), "PIN1");
      out = to_json(dl.read_entries());
      out["card_issued"] = common.issued.iso();
      if (auto pin2 = read_pin_line()) {
        check(dl.verify(PinKind::dl_pin2, std::move(*pin2)), "PIN2");
        out["honseki"] = dl.read_honseki();
        out["photo_bytes"] = dl.read_photo().size();
      }
    }
    std::cout << out.dump(2) << "\n";
    return kOk;
  } catch (const PinFailure& f) {
    std::cerr << "mynacard: " << f.message << "\n";
    return f.code;
  } catch (const CardError& e) {
    std::cerr << "mynacard: " << e.what() << " [" << to_string(e.kind()) << "]\n";
    return exit_code(e.kind());
  } catch (const std::exception& e) {
    std::cerr << "mynacard: " << e.what() << "\n";
    return kOther;
  }
}
