// The virtual cards through a real pcscd + vpcd (in the private namespace of
// tests/support/pcsc_namespace.sh), seen by opensc-tool, pkcs15-tool, pkcs11-tool and scriptor.

#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/hex.hpp"
#include "devices/profile/card_profile.hpp"
#include "devices/sim/runner.hpp"
#include "tests/sim/sim_support.hpp"
#include "tests/support/run_process.hpp"

namespace mk::test {
namespace {

namespace prof = devices::profile;

// mynacard-sim as a child process; SIGTERM and reaped on destruction (and killed with us).
class SimProcess {
 public:
  explicit SimProcess(std::vector<std::string> args) : args_(std::move(args)) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(MK_SIM_EXE));
    for (auto& a : args_) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~SimProcess() { stop(); }
  int stop() {
    if (pid_ <= 0) {
      return status_;
    }
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return status_;
  }

 private:
  std::vector<std::string> args_;
  pid_t pid_ = -1;
  int status_ = -1;
};

bool in_pcsc_namespace() {
  return std::getenv("MK_IN_PCSC_NAMESPACE") != nullptr;  // NOLINT(concurrency-mt-unsafe)
}

std::string tmp_dir() {
  static const std::string dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("mk-sim-pcsc-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d.string();
  }();
  return dir;
}

// Waits until opensc-tool lists the reader with (or without) a card.
bool wait_for_card(const std::string& reader_index, bool present = true) {
  for (int i = 0; i < 100; ++i) {
    const auto r = run_process("opensc-tool -l");
    std::istringstream lines(r.output);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.rfind(reader_index + " ", 0) == 0 &&
          (line.find("Yes") != std::string::npos) == present) {
        return true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

std::string fixture_file() {
  return std::string(MK_SOURCE_DIR) + "/devices/sim/fixtures/yamada-taro.toml";
}

std::unique_ptr<SimProcess> start_mynumber() {
  return std::make_unique<SimProcess>(std::vector<std::string>{
      "--card", "mynumber", "--fixture", fixture_file(), "--port", "35963", "--pki-cache",
      pki_cache(), "--state", tmp_dir() + "/mynumber.json"});
}

// The two cards are inserted once for the suite: pcscd notices a removal only when it next polls
// the reader, so a card pulled and pushed between tests would race with the next client.
class PcscInterop : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!in_pcsc_namespace()) {
      return;
    }
    std::filesystem::remove(tmp_dir() + "/mynumber.json");
    mynumber_ = start_mynumber();
    dl_ = std::make_unique<SimProcess>(
        std::vector<std::string>{"--card", "dl", "--fixture", fixture_file(), "--port", "35964"});
    ready_ = wait_for_card("0") && wait_for_card("1");
  }
  static void TearDownTestSuite() {
    if (mynumber_) {
      EXPECT_EQ(mynumber_->stop(), 0);  // SIGTERM stops it cleanly
    }
    if (dl_) {
      EXPECT_EQ(dl_->stop(), 0);
    }
    mynumber_.reset();
    dl_.reset();
    std::filesystem::remove_all(tmp_dir());
  }
  void SetUp() override {
    if (!in_pcsc_namespace()) {
      GTEST_SKIP() << "run under tests/support/pcsc_namespace.sh";
    }
    ASSERT_TRUE(ready_);
  }
  static inline std::unique_ptr<SimProcess> mynumber_, dl_;
  static inline bool ready_ = false;
};

TEST_F(PcscInterop, OpenscSeesTheMyNumberCard) {
  const auto list = run_process("opensc-tool -l");
  EXPECT_NE(list.output.find("Yes             Virtual PCD 00 00"), std::string::npos)
      << list.output;
  const auto atr = run_process("opensc-tool -r 0 -a");
  EXPECT_NE(atr.output.find("3b:e0:00:ff:81:31:fe:45:14"), std::string::npos) << atr.output;
}

TEST_F(PcscInterop, Pkcs15ListsPinsAndCertificates) {
  const auto r = run_process("pkcs15-tool -r 0 -D");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* s : {"PIN [User Authentication PIN]", "PIN [Digital Signature PIN]",
                        "X.509 Certificate [User Authentication Certificate]",
                        "X.509 Certificate [Digital Signature Certificate]", "Tries left     : 3",
                        "Tries left     : 5"}) {
    EXPECT_NE(r.output.find(s), std::string::npos) << s << "\n" << r.output;
  }
  // The auth certificate read through OpenSC is the card's.
  const std::string pem = tmp_dir() + "/auth.pem";
  ASSERT_EQ(run_process("pkcs15-tool -r 0 --read-certificate 01 -o " + quote(pem)).exit_code, 0);
  const auto der = run_process("openssl x509 -in " + quote(pem) + " -outform DER | od -An -tx1 -v");
  devices::sim::SimOptions o;
  o.card = "mynumber";
  o.fixture = std::string(MK_SOURCE_DIR) + "/devices/sim/fixtures/yamada-taro.toml";
  o.pki_cache = pki_cache();
  auto card = devices::sim::build_virtual_card(o);
  ASSERT_EQ(sw(tx(*card, select_aid(prof::kJpkiAid))), 0x9000);
  ASSERT_EQ(sw(tx(*card, select_ef(prof::jpki::kAuthCert))), 0x9000);
  Bytes expected = read_all(*card);
  const size_t len = (static_cast<size_t>(expected[2]) << 8 | expected[3]) + 4;
  expected.resize(len);
  std::string got_hex;
  for (const char c : der.output) {
    if (c != ' ' && c != '\n') {
      got_hex += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  EXPECT_EQ(got_hex, base::to_hex(expected));
}

TEST_F(PcscInterop, Pkcs11SignatureVerifiesWithOpenssl) {
  const std::string d = tmp_dir();
  std::ofstream(d + "/data") << "MynaKiosk virtual card\n";
  ASSERT_EQ(run_process("pkcs15-tool -r 0 --read-certificate 01 -o " + d + "/auth.pem").exit_code,
            0);
  ASSERT_EQ(run_process("openssl x509 -in " + d + "/auth.pem -noout -pubkey > " + d + "/pub.pem")
                .exit_code,
            0);
  const auto sign = run_process(
      "pkcs11-tool --module /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so --slot-index 0 --login "
      "--pin 1234 --id 01 --sign -m SHA256-RSA-PKCS -i " +
      d + "/data -o " + d + "/sig");
  ASSERT_EQ(sign.exit_code, 0) << sign.output;
  const auto verify = run_process("openssl dgst -sha256 -verify " + d + "/pub.pem -signature " + d +
                                  "/sig " + d + "/data");
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(verify.output.find("Verified OK"), std::string::npos);
}

TEST_F(PcscInterop, ScriptorTalksToTheLicenseCard) {
  const std::string script = tmp_dir() + "/dl.apdu";
  std::ofstream(script) << "00A4020C022F01\n00B000000D\n00200081\n"
                           "00A4040C10A0000002310100000000000000000000\n00A4020C020001\n"
                           "00B0000004\n00200081043131313100\n00A4020C020001\n00B0000004\n";
  const auto r = run_process("scriptor -r 'Virtual PCD 00 01' " + script);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("45 0B 30 30 38 20 24 05 10 20 29 05 12 90 00"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("63 C3"), std::string::npos);
  EXPECT_NE(r.output.find("69 82"), std::string::npos);
  EXPECT_NE(r.output.find("12 0A 3B 33 90 00"), std::string::npos) << r.output;
}

// With TCP_QUICKACK a command costs well under a millisecond through pcscd + vpcd; with delayed
// ACKs it costs ~44 ms (docs/virtual-cards.md). 20 APDUs stay far under the old 900 ms.
TEST_F(PcscInterop, TwentyApdusAreFast) {
  const std::string script = tmp_dir() + "/t.apdu";
  {
    std::ofstream out(script);
    out << "00A4040C0AD392F000260100000001\n";
    for (int i = 0; i < 19; ++i) {
      out << "00A4020C02000A\n";
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = run_process("scriptor -r 'Virtual PCD 00 00' " + script);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_LT(ms, 500) << "20 APDUs took " << ms << " ms";
  std::cout << "20 APDUs through pcscd+vpcd: " << ms << " ms\n";
}

TEST_F(PcscInterop, BlockedPinSurvivesARestart) {
  for (int i = 0; i < 3; ++i) {
    run_process(
        "pkcs11-tool --module /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so --slot-index 0 "
        "--login --pin 0000 --list-objects");
  }
  const auto blocked = run_process("pkcs15-tool -r 0 -D");
  ASSERT_NE(blocked.output.find("Tries left     : 0"), std::string::npos) << blocked.output;
  auto restart = [](bool keep_state) {
    EXPECT_EQ(mynumber_->stop(), 0);
    EXPECT_TRUE(wait_for_card("0", false));
    if (!keep_state) {
      std::filesystem::remove(tmp_dir() + "/mynumber.json");
    }
    mynumber_ = start_mynumber();
    EXPECT_TRUE(wait_for_card("0"));
  };
  restart(true);
  const auto r = run_process("pkcs15-tool -r 0 -D");
  EXPECT_NE(r.output.find("Tries left     : 0"), std::string::npos) << r.output;
  restart(false);  // a fresh card for whatever runs next
  const auto fresh = run_process("pkcs15-tool -r 0 -D");
  EXPECT_NE(fresh.output.find("Tries left     : 3"), std::string::npos) << fresh.output;
}

}  // namespace
}  // namespace mk::test
