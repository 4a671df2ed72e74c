// mynacard-card-bench: APDUs and wall time of the kiosk's card operations on the virtual My Number
// card (devices/sim), against OpenSC's pkcs15-tool / pkcs11-tool on the same card in the same run
// (issue 3). APDUs are counted card-side, from the virtual card's log, for both clients alike.
// Runs only inside tests/support/pcsc_namespace.sh (a private pcscd with the vpcd readers).
//
//   tests/support/pcsc_namespace.sh build/ci/bench/mynacard-card-bench --runs 5
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <spawn.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <winscard.h>

#include "base/hex.hpp"
#include "bench/bench_support.hpp"
#include "bench/card_log_analysis.hpp"
#include "bench/opensc_children.hpp"
#include "center/issuer/license_write_plan.hpp"
#include "center/issuer/master_keys.hpp"
#include "center/issuer/scp03_host.hpp"
#include "devices/apdu/command.hpp"
#include "devices/cards/license_ap.hpp"
#include "devices/cards/my_number_card.hpp"
#include "devices/pcsc/pcsc.hpp"
#include "devices/sim/background_card.hpp"
#include "devices/sim/card_engine.hpp"
#include "devices/sim/fixture.hpp"
#include "devices/sim/pki.hpp"
#include "devices/sim/runner.hpp"
#include "flows/rules/one_stop.hpp"

namespace {

namespace fs = std::filesystem;
namespace dev = mk::devices;
namespace sim = mk::devices::sim;
using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr const char* kReader = "Virtual PCD 00 00";  // port 35963 in pcsc_namespace.sh
constexpr int kPort = 35963;

using CardThread = sim::BackgroundCard;
using mk::bench::analyse;
using mk::bench::Analysis;
using mk::bench::ChildEnvironment;
using mk::bench::join;
using mk::bench::ms_since;
using mk::bench::pem_certificate_der;
using mk::bench::pkcs15_ids;
using mk::bench::ProcessResult;
using mk::bench::read_file;
using mk::bench::run;
using mk::bench::sequence_json;
using mk::bench::signature_verifies;
using mk::bench::Span;

// pcscd notices a card only at its next poll of the reader.
bool wait_for_card(bool present, std::chrono::milliseconds limit = 15s) {
  return sim::wait_for_reader(kReader, present, limit);
}

// A warm reset of the card through pcscd (vpcd sends its "reset" control code, which the card
// model answers like a power cycle): nothing selected, no PIN verified. Not an APDU, not timed.
void reset_card() {
  SCARDCONTEXT context = 0;
  LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context);
  if (rv != SCARD_S_SUCCESS) {
    throw std::runtime_error("reset: SCardEstablishContext failed");
  }
  SCARDHANDLE card = 0;
  DWORD protocol = 0;
  rv = SCardConnect(context, kReader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
                    &card, &protocol);
  if (rv == SCARD_S_SUCCESS) {
    rv = SCardDisconnect(card, SCARD_RESET_CARD);
  }
  SCardReleaseContext(context);
  if (rv != SCARD_S_SUCCESS) {
    throw std::runtime_error(std::string("reset: ") + pcsc_stringify_error(rv));
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring.

double median(std::vector<double> v) {
  if (v.empty()) {
    return 0;
  }
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct ClientResult {
  bool applicable = true;  // false: OpenSC cannot do this operation ("n/a")
  std::string did;         // what this client did, in words
  std::vector<size_t> apdus;
  std::vector<double> ms;
  std::vector<size_t> redundant;
  std::optional<Analysis> first;  // the first measured run, in full
  json sequence;                  // its APDUs
  std::vector<std::string> errors;

  bool ok() const { return !applicable || (errors.empty() && !apdus.empty()); }
  json to_json() const {
    if (!applicable) {
      return json{{"applicable", false}, {"did", did}};
    }
    json j{{"applicable", true}, {"did", did}, {"ok", ok()}};
    j["apdus_per_run"] = apdus;
    j["apdus"] =
        apdus.empty() ? json(nullptr) : json(*std::max_element(apdus.begin(), apdus.end()));
    j["apdus_constant"] = !apdus.empty() && std::all_of(apdus.begin(), apdus.end(), [&](size_t n) {
      return n == apdus.front();
    });
    std::vector<double> rounded;
    for (const double m : ms) {
      rounded.push_back(std::round(m * 1000) / 1000);
    }
    j["ms_per_run"] = rounded;
    j["median_ms"] = std::round(median(ms) * 1000) / 1000;
    if (!ms.empty()) {
      j["min_ms"] = *std::min_element(rounded.begin(), rounded.end());
      j["max_ms"] = *std::max_element(rounded.begin(), rounded.end());
    }
    j["redundant_selects_per_run"] = redundant;
    if (first) {
      j["redundant_selects"] = first->redundant_selects;
      j["redundant_selects_card_side"] = first->redundant_selects_card_side;
      j["redundant_select_commands"] = first->redundant;
      j["repeated_failed_selects"] = first->repeated_failed_selects;
      j["apdus_per_session"] = first->apdus_per_session;
      j["response_bytes"] = first->response_bytes;
      j["apdus_by_kind"] = first->categories;
      j["card_was_reset_before"] = first->started_at_mf;
      j["sequence_first_run"] = sequence;
    }
    if (!errors.empty()) {
      j["errors"] = errors;
    }
    return j;
  }
};

class Bench {
 public:
  Bench(sim::CardEngine& card, int runs) : card_(card), runs_(runs) {}

  // One run of `f` on a fresh PC/SC connection (context, connect, transaction, the operation,
  // release), timed from before the context to after the release. Returns the log span.
  Span ours_once(const std::function<void(dev::ApduChannel&)>& f, double* ms) {
    reset_card();
    const size_t begin = card_.log().size();
    const auto t0 = Clock::now();
    size_t counted = 0;
    {
      dev::PcscContext context;
      dev::PcscCard card(context, kReader);
      dev::ApduChannel channel(card);
      f(channel);
      counted = channel.apdu_count();
    }
    *ms = ms_since(t0);
    const Span s{begin, card_.log().size()};
    if (s.end - s.begin != counted) {
      throw std::runtime_error("the card logged " + std::to_string(s.end - s.begin) +
                               " APDUs, the channel counted " + std::to_string(counted));
    }
    return s;
  }

  // The commands one after another, each its own process and PC/SC session.
  std::vector<Span> opensc_once(const std::vector<std::vector<std::string>>& commands,
                                ChildEnvironment& env, const fs::path& log_file, double* ms) {
    reset_card();
    std::vector<Span> sessions;
    const auto t0 = Clock::now();
    for (const auto& argv : commands) {
      const size_t begin = card_.log().size();
      const ProcessResult r = run(argv, env, log_file);
      sessions.push_back({begin, card_.log().size()});
      if (r.exit_code != 0) {
        throw std::runtime_error(join(argv) + ": exit " + std::to_string(r.exit_code) + ": " +
                                 r.output);
      }
    }
    *ms = ms_since(t0);
    return sessions;
  }

  // A warm-up run (not recorded, but it must work), then `runs_` measured runs.
  void measure(ClientResult& into, const std::function<std::vector<Span>(double*)>& once,
               const std::function<void()>& check) {
    for (int i = 0; i <= runs_; ++i) {
      try {
        double ms = 0;
        const std::vector<Span> sessions = once(&ms);
        check();
        if (i == 0) {
          continue;
        }
        const Analysis a = analyse(card_.log(), sessions);
        into.apdus.push_back(a.apdus);
        into.ms.push_back(ms);
        into.redundant.push_back(a.redundant_selects);
        if (!into.first) {
          into.first = a;
          into.sequence = sequence_json(card_.log(), sessions);
        }
      } catch (const std::exception& e) {
        into.errors.push_back((i == 0 ? "warm-up: " : "run " + std::to_string(i) + ": ") +
                              std::string(e.what()));
      }
    }
  }

 private:
  sim::CardEngine& card_;
  int runs_;
};

struct Operation {
  std::string id, title;
  ClientResult ours, opensc;
};

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  (void)std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string first_line_with(const std::string& file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) {
      const auto colon = line.find(':');
      auto v = colon == std::string::npos ? line : line.substr(colon + 1);
      v.erase(0, v.find_first_not_of(" \t"));
      return v;
    }
  }
  return "";
}

json machine_json() {
  utsname u{};
  uname(&u);
  std::string debian;
  std::getline(std::ifstream("/etc/debian_version") >> std::ws, debian);
  std::ifstream loadavg("/proc/loadavg");
  std::string l1, l5, l15;
  loadavg >> l1 >> l5 >> l15;
  return json{{"cpu_model", first_line_with("/proc/cpuinfo", "model name")},
              {"cores", std::thread::hardware_concurrency()},
              {"kernel", std::string(u.sysname) + " " + u.release + " " + u.machine},
              {"debian_version", debian},
              {"date_utc", utc_now()},
              {"load_average_at_start", l1 + " " + l5 + " " + l15}};
}

std::string opensc_version(ChildEnvironment& env, const fs::path& log) {
  const ProcessResult r = run({"opensc-tool", "--info"}, env, log);
  return r.output.substr(0, r.output.find('\n'));
}

// What starting an OpenSC tool costs without any card I/O: `opensc-tool --info` (loads
// libopensc, reads opensc.conf, exits), median of `runs`.
double opensc_process_start_ms(ChildEnvironment& env, const fs::path& log, int runs) {
  std::vector<double> ms;
  for (int i = 0; i <= runs; ++i) {
    const auto t0 = Clock::now();
    run({"opensc-tool", "--info"}, env, log);
    if (i > 0) {
      ms.push_back(ms_since(t0));
    }
  }
  return median(ms);
}

std::string cell(const ClientResult& c, const std::function<std::string(const ClientResult&)>& f) {
  if (!c.applicable) {
    return "n/a";
  }
  if (!c.ok()) {
    return "FAILED";
  }
  return f(c);
}

std::string fmt_ms(double v) {
  char buf[32];
  (void)std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"APDUs and wall time of the kiosk's card operations vs OpenSC (issue 3)"};
  int runs = 5;
  std::string out_file = "bench-results/cards.json";
  std::string fixture = std::string(MK_SOURCE_DIR) + "/devices/sim/fixtures/yamada-taro.toml";
  std::string pki_cache;
  std::string module = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so";
  app.add_option("--runs", runs, "measured runs per operation and client (after one warm-up)")
      ->check(CLI::Range(1, 1000));
  app.add_option("--out", out_file, "JSON results file");
  app.add_option("--fixture", fixture, "virtual card fixture (TOML)");
  app.add_option("--pki-cache", pki_cache, "the virtual cards' key cache (default: sim's)");
  app.add_option("--opensc-module", module, "OpenSC's PKCS#11 module");
  CLI11_PARSE(app, argc, argv);

  // NOLINTBEGIN(concurrency-mt-unsafe): read once at start, before any thread
  const char* in_ns = std::getenv("MK_IN_PCSC_NAMESPACE");
  const bool in_namespace =
      in_ns != nullptr && std::string(in_ns) == "1" && std::getenv("MK_PCSCD_PID") != nullptr;
  // NOLINTEND(concurrency-mt-unsafe)
  if (!in_namespace) {
    std::cerr << "mynacard-card-bench: run it inside tests/support/pcsc_namespace.sh (a private "
                 "pcscd with the vpcd readers; root), e.g.\n"
                 "  tests/support/pcsc_namespace.sh "
              << argv[0] << " --runs 5\n";
    return 77;
  }

  // A temporary folder for this run: the card's state file (a fresh card), OpenSC's HOME, the
  // files OpenSC writes.
  std::string tmpl = (fs::temp_directory_path() / "mk-card-bench-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::cerr << "mynacard-card-bench: cannot create a temporary folder\n";
    return 2;
  }
  const fs::path tmp = tmpl;
  struct RemoveOnExit {
    fs::path dir;
    ~RemoveOnExit() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{tmp};
  fs::create_directories(tmp / "home");
  ChildEnvironment env(tmp / "home");
  const fs::path child_log = tmp / "child.log";

  const sim::Person person = sim::load_person(fixture, sim::today_in_japan());
  sim::SimOptions options;
  options.card = "mynumber";
  options.fixture = fixture;
  options.state_file = tmp / "card-state.json";
  options.pki_cache = pki_cache.empty() ? sim::PkiCache::default_dir() : fs::path(pki_cache);
  options.port = kPort;
  const fs::path license_ca = options.pki_cache / "license-ca.pem";

  if (!wait_for_card(false)) {
    std::cerr << "mynacard-card-bench: pcscd does not list an empty \"" << kReader << "\"\n";
    return 2;
  }
  CardThread card_thread(options);
  if (!wait_for_card(true, 120s) || card_thread.engine() == nullptr) {
    std::cerr << "mynacard-card-bench: the virtual card did not appear in \"" << kReader << "\"\n";
    return 2;
  }
  sim::CardEngine& card = *card_thread.engine();
  const std::map<std::string, int> tries_at_start = card.pin_tries();
  const json machine = machine_json();
  Bench bench(card, runs);
  std::vector<std::string> failures;

  // OpenSC's object ids on this card (not measured).
  const ProcessResult dump = run({"pkcs15-tool", "--reader", "0", "-D"}, env, child_log);
  const auto ids = pkcs15_ids(dump.output);
  auto id_of = [&](const std::string& header) {
    const auto it = ids.find(header);
    return it == ids.end() ? std::string() : it->second;
  };
  const std::string auth_cert_id = id_of("X.509 Certificate [User Authentication Certificate]");
  const std::string sign_cert_id = id_of("X.509 Certificate [Digital Signature Certificate]");
  const std::string sign_pin_id = id_of("PIN [Digital Signature PIN]");
  const std::string auth_key_id = id_of("Private RSA Key [User Authentication Key]");
  const std::string sign_key_id = id_of("Private RSA Key [Digital Signature Key]");
  const bool have_ids = dump.exit_code == 0 && !auth_cert_id.empty() && !sign_cert_id.empty() &&
                        !sign_pin_id.empty() && !auth_key_id.empty();
  if (!have_ids) {
    failures.push_back("pkcs15-tool -D: no ids for the certificates, sign PIN and auth key (exit " +
                       std::to_string(dump.exit_code) + "): " + dump.output);
  }

  const std::string sign_data = "MynaKiosk card bench (issue 3)\n";
  std::ofstream(tmp / "data", std::ios::binary) << sign_data;
  const dev::Bytes digest_info = dev::sha256_digest_info(
      std::span(reinterpret_cast<const uint8_t*>(sign_data.data()), sign_data.size()));
  const auto& pins = person.pins;
  const std::string auth_pem = (tmp / "auth.pem").string();
  const std::string sign_pem = (tmp / "sign.pem").string();
  const std::string sig_file = (tmp / "signature").string();

  std::vector<Operation> ops(6);

  // 1. Both certificates.
  Operation& certs = ops[0];
  certs.id = "read_certificates";
  certs.title = "read both certificates";
  dev::Bytes our_auth, our_sign;
  certs.ours.did =
      "one PC/SC session: read_certificate(auth), verify_jpki(sign, PIN), "
      "read_certificate(sign)";
  bench.measure(
      certs.ours,
      [&](double* ms) {
        return std::vector<Span>{bench.ours_once(
            [&](dev::ApduChannel& ch) {
              dev::MyNumberCard c(ch);
              our_auth = c.read_certificate(dev::JpkiKey::auth);
              if (c.verify_jpki(dev::JpkiKey::sign, mk::base::SecretBytes(pins.jpki_sign))
                      .outcome != dev::VerifyOutcome::ok) {
                throw std::runtime_error("the sign PIN was refused");
              }
              our_sign = c.read_certificate(dev::JpkiKey::sign);
            },
            ms)};
      },
      [&] {
        if (our_auth.size() < 500 || our_sign.size() < 500 || our_auth == our_sign) {
          throw std::runtime_error("the certificates read are not two certificates");
        }
      });
  const std::vector<std::vector<std::string>> cert_cmds = {
      {"pkcs15-tool", "--reader", "0", "--read-certificate", auth_cert_id, "-o", auth_pem},
      {"pkcs15-tool", "--reader", "0", "--verify-pin", "--auth-id", sign_pin_id, "--pin",
       pins.jpki_sign, "--read-certificate", sign_cert_id, "-o", sign_pem}};
  certs.opensc.did = "two processes (one PC/SC session each): `" + join(cert_cmds[0]) + "`; `" +
                     join(cert_cmds[1]) + "` (the sign PIN shown here is the fixture's)";
  if (have_ids) {
    bench.measure(
        certs.opensc, [&](double* ms) { return bench.opensc_once(cert_cmds, env, child_log, ms); },
        [&] {
          if (pem_certificate_der(auth_pem) != our_auth ||
              pem_certificate_der(sign_pem) != our_sign) {
            throw std::runtime_error("OpenSC's certificates differ from ours");
          }
        });
  } else {
    certs.opensc.errors.push_back("no pkcs15 ids");
  }

  // 2. The basic 4 info (券面事項入力補助): OpenSC has no driver for this AP.
  Operation& basic4 = ops[1];
  basic4.id = "read_basic4";
  basic4.title = "read the 4 info";
  basic4.ours.did = "one PC/SC session: verify_basic4(PIN), read_basic4()";
  basic4.opensc.applicable = false;
  basic4.opensc.did = "OpenSC has no 券面事項入力補助 support";
  dev::Basic4Info info;
  bench.measure(
      basic4.ours,
      [&](double* ms) {
        return std::vector<Span>{bench.ours_once(
            [&](dev::ApduChannel& ch) {
              dev::MyNumberCard c(ch);
              if (c.verify_basic4(mk::base::SecretBytes(pins.basic4)).outcome !=
                  dev::VerifyOutcome::ok) {
                throw std::runtime_error("the basic 4 PIN was refused");
              }
              info = c.read_basic4();
            },
            ms)};
      },
      [&] {
        if (info.name != person.family_name + "\u3000" + person.given_name ||
            info.address != person.address) {
          throw std::runtime_error("the basic 4 info read is not the fixture's");
        }
      });

  // 3. Sign with the auth key.
  Operation& sign = ops[2];
  sign.id = "sign";
  sign.title = "sign (auth key, SHA-256)";
  sign.ours.did =
      "one PC/SC session: verify_jpki(auth, PIN), sign(auth, sha256_digest_info(data)); the "
      "digest is computed on the host";
  dev::Bytes our_signature;
  bench.measure(
      sign.ours,
      [&](double* ms) {
        return std::vector<Span>{bench.ours_once(
            [&](dev::ApduChannel& ch) {
              dev::MyNumberCard c(ch);
              if (c.verify_jpki(dev::JpkiKey::auth, mk::base::SecretBytes(pins.jpki_auth))
                      .outcome != dev::VerifyOutcome::ok) {
                throw std::runtime_error("the auth PIN was refused");
              }
              our_signature = c.sign(dev::JpkiKey::auth, digest_info);
            },
            ms)};
      },
      [&] {
        if (our_auth.empty() || !signature_verifies(our_auth, sign_data, our_signature)) {
          throw std::runtime_error("our signature does not verify with the auth certificate");
        }
      });
  const std::vector<std::vector<std::string>> sign_cmds = {
      {"pkcs11-tool", "--module", module, "--slot-index", "0", "--login", "--pin", pins.jpki_auth,
       "--id", auth_key_id, "--sign", "-m", "SHA256-RSA-PKCS", "-i", (tmp / "data").string(), "-o",
       sig_file}};
  sign.opensc.did = "one process: `" + join(sign_cmds[0]) + "` (C_Initialize to C_Finalize)";
  if (have_ids) {
    bench.measure(
        sign.opensc, [&](double* ms) { return bench.opensc_once(sign_cmds, env, child_log, ms); },
        [&] {
          const std::string sig = read_file(sig_file);
          if (dev::Bytes(sig.begin(), sig.end()) != our_signature) {
            throw std::runtime_error(
                "OpenSC's signature differs from ours (PKCS#1 v1.5 is "
                "deterministic: same key, same data, same bytes)");
          }
        });
  } else {
    sign.opensc.errors.push_back("no pkcs15 ids");
  }

  // 4. The 免許AP record with the photo.
  Operation& license = ops[3];
  license.id = "read_license_ap";
  license.title = "read the 免許AP record with photo";
  license.ours.did =
      "one PC/SC session: LicenseAp::verify(PIN), read() (WEF01 state, WEF02 record, WEF04 "
      "photo, WEF03 signature; signature checked on the host)";
  license.opensc.applicable = false;
  license.opensc.did = "OpenSC has no 免許AP support";
  dev::LicenseReadout readout;
  bench.measure(
      license.ours,
      [&](double* ms) {
        return std::vector<Span>{bench.ours_once(
            [&](dev::ApduChannel& ch) {
              dev::LicenseAp ap(ch);
              if (ap.verify(mk::base::SecretBytes(pins.license)).outcome !=
                  dev::VerifyOutcome::ok) {
                throw std::runtime_error("the license PIN was refused");
              }
              readout = ap.read(license_ca);
            },
            ms)};
      },
      [&] {
        if (!readout.signature.valid() || readout.photo.size() < 100 || !person.license_ap ||
            readout.record.number != person.license_ap->number) {
          throw std::runtime_error(
              "the 免許AP record read is not the fixture's, or its "
              "signature does not verify: " +
              readout.signature.detail);
        }
      });

  // 5. Sign a one-stop consent (issue 16): what the card service's jpki_sign does after the
  // flow's probe read the signing PIN's tries — VERIFY, the signing certificate (its days), SIGN.
  Operation& consent = ops[4];
  consent.id = "sign_consent";
  consent.title = "sign a one-stop consent (sign key, with its certificate)";
  consent.ours.did =
      "one PC/SC session: verify_jpki(sign, PIN), read_certificate(sign), sign(sign, "
      "sha256_digest_info(the canonical consent)) — the card service's jpki_sign";
  const std::string consent_text =
      mk::flows::to_canonical_text({"H0123",
                                    {true, false, true},
                                    std::string(mk::flows::kOneStopTermsVersion),
                                    "KIOSK-BENCH",
                                    "2026-11-27T10:15:00+09:00",
                                    std::string(64, 'C')});
  std::ofstream(tmp / "consent", std::ios::binary) << consent_text;
  const dev::Bytes consent_digest = dev::sha256_digest_info(
      std::span(reinterpret_cast<const uint8_t*>(consent_text.data()), consent_text.size()));
  dev::Bytes consent_certificate;
  dev::Bytes consent_signature;
  bench.measure(
      consent.ours,
      [&](double* ms) {
        return std::vector<Span>{bench.ours_once(
            [&](dev::ApduChannel& ch) {
              dev::MyNumberCard c(ch);
              if (c.verify_jpki(dev::JpkiKey::sign, mk::base::SecretBytes(pins.jpki_sign))
                      .outcome != dev::VerifyOutcome::ok) {
                throw std::runtime_error("the signing PIN was refused");
              }
              consent_certificate = c.read_certificate(dev::JpkiKey::sign);
              consent_signature = c.sign(dev::JpkiKey::sign, consent_digest);
            },
            ms)};
      },
      [&] {
        if (!signature_verifies(consent_certificate, consent_text, consent_signature)) {
          throw std::runtime_error("the consent's signature does not verify with its certificate");
        }
      });
  const std::string consent_sig_file = (tmp / "consent.sig").string();
  const std::vector<std::vector<std::string>> consent_cmds = {
      {"pkcs15-tool", "--reader", "0", "--verify-pin", "--auth-id", sign_pin_id, "--pin",
       pins.jpki_sign, "--read-certificate", sign_cert_id, "-o", sign_pem},
      {"pkcs11-tool", "--module", module, "--slot-index", "1", "--login", "--pin", pins.jpki_sign,
       "--id", sign_key_id, "--sign", "-m", "SHA256-RSA-PKCS", "-i", (tmp / "consent").string(),
       "-o", consent_sig_file}};
  consent.opensc.did = "two processes: `" + join(consent_cmds[0]) + "`, then `" +
                       join(consent_cmds[1]) + "` (the signing key's slot)";
  if (have_ids && !sign_key_id.empty()) {
    bench.measure(
        consent.opensc,
        [&](double* ms) { return bench.opensc_once(consent_cmds, env, child_log, ms); },
        [&] {
          const std::string sig = read_file(consent_sig_file);
          if (dev::Bytes(sig.begin(), sig.end()) != consent_signature) {
            throw std::runtime_error("OpenSC's consent signature differs from ours");
          }
        });
  } else {
    consent.opensc.errors.push_back("no pkcs15 id for the signing key");
  }

  // 6. Unlock the licence PIN (issue 16, R-LIC-PIN-LOCK): what the PIN unlock relays once the
  // centre's identity check passed — the issuer's RESET RETRY COUNTER with the new PIN over SCP03
  // (SELECT and INITIALIZE UPDATE plainly, EXTERNAL AUTHENTICATE and the wrapped 2C), then the
  // empty VERIFY that finds the counter back at 10. The fixture's own PIN is set again, so the
  // card ends as it began. The issuer's side runs here with the test master keys; in the product
  // it is the centre's (center/issuer), the kiosk only relays.
  Operation& unlock = ops[5];
  unlock.id = "unlock_license_pin";
  unlock.title = "unlock the licence PIN (issuer's RESET RETRY COUNTER relayed, then empty VERIFY)";
  unlock.ours.did =
      "one PC/SC session: LicenseAp::relay(SELECT, INITIALIZE UPDATE), relay(reset_pin_commands: "
      "EXTERNAL AUTHENTICATE, RESET RETRY COUNTER), LicenseAp::tries() (SELECT, empty VERIFY)";
  unlock.opensc.applicable = false;
  unlock.opensc.did = "OpenSC has no 免許AP support and no GlobalPlatform secure channel";
  sim::PkiCache issuer_pki(options.pki_cache);
  (void)sim::load_or_create_issuer_master_keys(issuer_pki);
  const mk::center::issuer::MasterKeys master =
      mk::center::issuer::load_master_keys(issuer_pki.dir() / "issuer-master-keys.json");
  int tries_after_unlock = -1;
  bench.measure(
      unlock.ours,
      [&](double* ms) {
        return std::vector<Span>{bench.ours_once(
            [&](dev::ApduChannel& ch) {
              namespace iss = mk::center::issuer;
              dev::LicenseAp ap(ch);
              const dev::Bytes challenge = iss::Scp03Host::random_host_challenge();
              const dev::Bytes aid(iss::card::kLicenseApAid.begin(),
                                   iss::card::kLicenseApAid.end());
              const auto opened = ap.relay(
                  {iss::select_command(aid), iss::Scp03Host::initialize_update_command(challenge)});
              if (opened.size() != 2 || !opened[1].ok()) {
                throw std::runtime_error("INITIALIZE UPDATE was not answered");
              }
              iss::Scp03Host host(master, challenge, opened[1].data);
              const auto answers =
                  ap.relay(iss::reset_pin_commands(host, mk::base::SecretBytes(pins.license)));
              if (answers.size() != 2 || !answers[1].ok()) {
                throw std::runtime_error("RESET RETRY COUNTER was refused");
              }
              tries_after_unlock = ap.tries();
            },
            ms)};
      },
      [&] {
        if (tries_after_unlock != 10) {
          throw std::runtime_error("the counter is at " + std::to_string(tries_after_unlock) +
                                   " after the unlock, not 10");
        }
      });

  // PIN tries must all be back at their maximum: nothing was spent.
  for (const auto& [id, tries] : card.pin_tries()) {
    if (tries != tries_at_start.at(id)) {
      failures.push_back("PIN " + id + " has " + std::to_string(tries) + " tries left, " +
                         std::to_string(tries_at_start.at(id)) + " at the start");
    }
  }

  // Results.
  json results{{"benchmark", "mynacard-card-bench cards (issue 3)"}};
  bool all_ok = failures.empty();
  json op_json = json::object();
  for (const Operation& op : ops) {
    for (const auto* c : {&op.ours, &op.opensc}) {
      for (const auto& e : c->errors) {
        failures.push_back(op.id + (c == &op.ours ? " (ours): " : " (OpenSC): ") + e);
      }
      all_ok = all_ok && c->ok();
    }
    json j{{"title", op.title}, {"ours", op.ours.to_json()}, {"opensc", op.opensc.to_json()}};
    if (op.opensc.applicable && op.ours.ok() && op.opensc.ok()) {
      j["fewer_apdus_than_opensc"] =
          *std::max_element(op.ours.apdus.begin(), op.ours.apdus.end()) <
          *std::min_element(op.opensc.apdus.begin(), op.opensc.apdus.end());
    }
    op_json[op.id] = j;
  }
  size_t our_redundant = 0;
  for (const Operation& op : ops) {
    for (const size_t r : op.ours.redundant) {
      our_redundant += r;
    }
  }
  results["ok"] = all_ok;
  results["failures"] = failures;
  results["machine"] = machine;
  results["build"] = json{{"build_type", MK_BUILD_TYPE},
                          {"opensc", opensc_version(env, child_log)},
                          {"opensc_process_start_ms",
                           std::round(opensc_process_start_ms(env, child_log, runs) * 1000) / 1000},
                          {"opensc_module", module}};
  results["settings"] = json{{"runs", runs},
                             {"warm_up_runs", 1},
                             {"fixture", fixture},
                             {"reader", kReader},
                             {"card_reset_before_each_run", true},
                             {"opensc_ids", json{{"auth_certificate", auth_cert_id},
                                                 {"sign_certificate", sign_cert_id},
                                                 {"sign_pin", sign_pin_id},
                                                 {"auth_key", auth_key_id}}}};
  results["goals"] = json{{"our_redundant_selects", our_redundant}};
  results["operations"] = op_json;

  const fs::path out_path = out_file;
  if (out_path.has_parent_path()) {
    fs::create_directories(out_path.parent_path());
  }
  std::ofstream(out_path) << results.dump(2) << "\n";

  // The table.
  std::printf("\n%-36s %10s %12s %10s %12s %18s\n", "operation", "our APDUs", "OpenSC APDUs",
              "our ms", "OpenSC ms", "redundant SELECTs");
  for (const Operation& op : ops) {
    auto apdus = [](const ClientResult& c) {
      return std::to_string(*std::max_element(c.apdus.begin(), c.apdus.end()));
    };
    auto ms = [](const ClientResult& c) { return fmt_ms(median(c.ms)); };
    auto red = [](const ClientResult& c) {
      return std::to_string(*std::max_element(c.redundant.begin(), c.redundant.end()));
    };
    std::printf("%-36s %10s %12s %10s %12s %18s\n", op.id.c_str(), cell(op.ours, apdus).c_str(),
                cell(op.opensc, apdus).c_str(), cell(op.ours, ms).c_str(),
                cell(op.opensc, ms).c_str(),
                (cell(op.ours, red) + " / " + cell(op.opensc, red)).c_str());
  }
  std::printf(
      "(ms: median of %d runs, each after a card reset; redundant SELECTs: ours / OpenSC)\n", runs);
  for (const Operation& op : ops) {
    for (const auto* c : {&op.ours, &op.opensc}) {
      if (c->first && !c->first->redundant.empty()) {
        std::printf("%s, %s: redundant SELECTs:\n", op.id.c_str(),
                    c == &op.ours ? "ours" : "OpenSC");
        for (const auto& r : c->first->redundant) {
          std::printf("  %s\n", r.c_str());
        }
      }
    }
  }
  std::printf("starting an OpenSC tool without card I/O (opensc-tool --info): %.1f ms\n",
              results["build"]["opensc_process_start_ms"].get<double>());
  std::printf("results: %s\n", out_path.c_str());
  if (our_redundant != 0) {
    std::printf("GOAL MISSED: our client sent %zu redundant SELECT(s)\n", our_redundant);
  }
  if (!all_ok) {
    (void)std::fprintf(stderr, "mynacard-card-bench: FAILED:\n");
    for (const auto& f : failures) {
      (void)std::fprintf(stderr, "  %s\n", f.c_str());
    }
    return 1;
  }
  return 0;
}
