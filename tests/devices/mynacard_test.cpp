// The mynacard tool end to end: the executable, on a private pcscd with the virtual cards. Its
// JSON shapes, PINs from standard input only, and its exit codes (0 ok, 2 wrong PIN, 3 blocked,
// 4 no reader or card, 5 an invalid answer).
#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include "devices/pcsc/pcsc.hpp"
#include "devices/sim/background_card.hpp"
#include "tests/support/run_process.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using mk::test::quote;
using nlohmann::json;
using ::testing::HasSubstr;

bool in_namespace() {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): the tests set no environment
  return std::getenv("MK_PCSCD_PID") != nullptr;
}

fs::path work_dir() {
  static const fs::path dir =
      fs::path(testing::TempDir()) / ("mynacard-" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir;
}

// A virtual card of a fixture person on a vpcd port, starting from a fresh state.
class VirtualCard : public mk::devices::sim::BackgroundCard {
 public:
  VirtualCard(const std::string& card, const std::string& person, int port,
              mk::devices::sim::FaultOptions faults = {})
      : BackgroundCard(options(card, person, port, faults)) {}

 private:
  static mk::devices::sim::SimOptions options(const std::string& card, const std::string& person,
                                              int port, mk::devices::sim::FaultOptions faults) {
    mk::devices::sim::SimOptions o;
    o.card = card;
    o.fixture = std::string(MK_SOURCE_DIR) + "/devices/sim/fixtures/" + person + ".toml";
    o.port = port;
    o.state_file = work_dir() / (person + "-" + card + ".json");
    fs::remove(o.state_file);
    o.faults = faults;
    return o;
  }
};

struct ToolRun {
  int exit_code;
  std::string out;  // stdout and stderr
  json parsed() const {
    const auto start = out.find('{');
    return start == std::string::npos ? json() : json::parse(out.substr(start), nullptr, false);
  }
};

ToolRun mynacard(const std::string& args, const std::string& stdin_text = "") {
  const fs::path input = work_dir() / "stdin.txt";
  std::ofstream(input) << stdin_text;
  const auto r =
      mk::test::run_process(quote(MK_MYNACARD_EXE) + " " + args + " < " + quote(input.string()));
  fs::remove(input);
  return {r.exit_code, r.output};
}

class Mynacard : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!in_namespace()) {
      GTEST_SKIP() << "runs under tests/support/pcsc_namespace.sh (ctest does that)";
    }
    ASSERT_TRUE(mk::devices::sim::wait_for_reader("Virtual PCD 00 00", false));
    ASSERT_TRUE(mk::devices::sim::wait_for_reader("Virtual PCD 00 01", false));
  }
};

TEST_F(Mynacard, ReadsBothCardsAsJson) {
  VirtualCard mynumber("mynumber", "yamada-taro", 35963);
  VirtualCard dl("dl", "yamada-taro", 35964);
  ASSERT_TRUE(mk::devices::sim::wait_for_reader("Virtual PCD 00 00", true));
  ASSERT_TRUE(mk::devices::sim::wait_for_reader("Virtual PCD 00 01", true));

  ToolRun r = mynacard("readers");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  ASSERT_EQ(r.parsed()["readers"].size(), 2U);
  EXPECT_EQ(r.parsed()["readers"][0]["atr"], "3BE000FF8131FE4514");

  r = mynacard("status");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.parsed()["card"], "mynumber");
  EXPECT_EQ(r.parsed()["pins"],
            json::parse(R"({"jpki_auth":3,"jpki_sign":5,"basic4":3,"license":10})"));

  r = mynacard("basic4", "1234\n");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.parsed(),
            json::parse(R"({"name":"山田　太郎","address":"東京都千代田区霞が関二丁目１番２号",
                                         "birth_date":"1985-04-12","sex":"male"})"));

  r = mynacard("license", "4321\n");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.parsed()["signature_valid"], true) << r.out;
  EXPECT_EQ(r.parsed()["number"], "301234567890");

  r = mynacard("--reader 'Virtual PCD 00 01' dl", "1111\n");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const json dl_json = r.parsed();
  for (const char* key :
       {"name", "birth_date", "license_number", "expiry", "color", "conditions", "classes"}) {
    EXPECT_TRUE(dl_json.contains(key)) << key;
  }
  EXPECT_EQ(dl_json["classes"][0]["class"], "futsu");
  EXPECT_FALSE(dl_json.contains("honseki")) << "the 本籍 needs PIN2";

  r = mynacard("--reader 'Virtual PCD 00 01' status");
  EXPECT_EQ(r.parsed()["pins"], json::parse(R"({"pin1":3,"pin2":3})"));
  // The reader may be named after the command as well.
  r = mynacard("status --reader 'Virtual PCD 00 01'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.parsed()["reader"], "Virtual PCD 00 01");
  EXPECT_EQ(r.parsed()["pins"], json::parse(R"({"pin1":3,"pin2":3})"));
}

TEST_F(Mynacard, SignsWithTheAuthKeyAndTheSignatureVerifiesWithTheCertificate) {
  VirtualCard mynumber("mynumber", "yamada-taro", 35963);
  ASSERT_TRUE(mk::devices::sim::wait_for_reader("Virtual PCD 00 00", true));
  const fs::path data = work_dir() / "data.bin";
  std::ofstream(data) << "the consent document";
  const ToolRun cert = mynacard("cert auth");
  ASSERT_EQ(cert.exit_code, 0) << cert.out;
  ASSERT_THAT(cert.out, HasSubstr("-----BEGIN CERTIFICATE-----"));
  const ToolRun sig = mynacard("sign --key auth --in " + quote(data.string()), "1234\n");
  ASSERT_EQ(sig.exit_code, 0) << sig.out;
  const std::string b64 = sig.parsed()["signature"];

  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(cert.out.data(), static_cast<int>(cert.out.size())), BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> x509(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  ASSERT_TRUE(x509);
  std::vector<unsigned char> signature(b64.size());
  const int n =
      EVP_DecodeBlock(signature.data(), reinterpret_cast<const unsigned char*>(b64.data()),
                      static_cast<int>(b64.size()));
  ASSERT_GE(n, 256);
  signature.resize(256);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  const std::string text = "the consent document";
  ASSERT_EQ(
      EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, X509_get0_pubkey(x509.get())),
      1);
  EXPECT_EQ(EVP_DigestVerify(md.get(), signature.data(), signature.size(),
                             reinterpret_cast<const unsigned char*>(text.data()), text.size()),
            1)
      << "the card's signature verifies with its certificate";
}

TEST_F(Mynacard, ExitCodesTellWrongPinBlockedNoCardAndInvalidCardApart) {
  {
    VirtualCard yamada("mynumber", "yamada-taro", 35963);
    ASSERT_TRUE(mk::devices::sim::wait_for_reader("Virtual PCD 00 00", true));
    ToolRun r = mynacard("basic4", "9999\n");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_THAT(r.out, HasSubstr("2 tries left"));
    r = mynacard("basic4", "12a4\n");
    EXPECT_EQ(r.exit_code, 1) << "a malformed PIN is refused before it is sent: " << r.out;
    EXPECT_EQ(mynacard("status").parsed()["pins"]["basic4"], 2) << "the malformed PIN cost nothing";
    r = mynacard("basic4");
    EXPECT_EQ(r.exit_code, 1) << "no PIN on stdin: " << r.out;
    r = mynacard("basic4 --pin 1234");
    EXPECT_NE(r.exit_code, 0) << "PINs are never taken from arguments";
  }
  ASSERT_TRUE(mk::devices::sim::wait_for_reader("Virtual PCD 00 00", false));
  {
    VirtualCard sato("mynumber", "sato-ichiro", 35963);  // license PIN blocked
    ASSERT_TRUE(mk::devices::sim::wait_for_reader("Virtual PCD 00 00", true));
    EXPECT_EQ(mynacard("status").parsed()["pins"]["license"], 0);
    const ToolRun r = mynacard("license", "8642\n");
    EXPECT_EQ(r.exit_code, 3) << r.out;
  }
  ASSERT_TRUE(mk::devices::sim::wait_for_reader("Virtual PCD 00 00", false));
  EXPECT_EQ(mynacard("status").exit_code, 4) << "no card in any reader";
  EXPECT_EQ(mynacard("--reader 'No Such Reader' status").exit_code, 4);
  {
    mk::devices::sim::FaultOptions garbage;
    garbage.garbage_at_apdu = 1;
    VirtualCard broken("mynumber", "yamada-taro", 35963, garbage);
    ASSERT_TRUE(mk::devices::sim::wait_for_reader("Virtual PCD 00 00", true));
    const ToolRun r = mynacard("status");
    EXPECT_EQ(r.exit_code, 5) << r.out;
  }
}

}  // namespace
