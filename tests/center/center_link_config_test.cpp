// The centre link configuration is checked before the first request: each problem names its
// field or file, and all of them are reported at once.
#include "center/client/center_link_config.hpp"

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "center/client/center_client.hpp"
#include "center/sim/test_tls.hpp"

namespace mk::center::client {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class CenterLinkConfigTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::path(testing::TempDir()) / ("center-config-tls-" + std::to_string(::getpid()));
    tls_ = std::make_unique<sim::TestTls>(sim::ensure_test_tls(dir_));
  }
  static void TearDownTestSuite() {
    tls_.reset();
    fs::remove_all(dir_);
  }

  static CenterLinkConfig good() {
    CenterLinkConfig c;
    c.base_url = "https://centre.example.jp/api";
    c.ca_file = tls_->ca_cert;
    c.client_cert_file = tls_->client_cert;
    c.client_key_file = tls_->client_key;
    c.terminal_id = sim::kTestTerminalId;
    return c;
  }

  // validate()'s message, or "" when it accepts.
  static std::string problems_of(const CenterLinkConfig& c) {
    try {
      validate(c);
    } catch (const CenterConfigError& e) {
      return e.what();
    }
    return {};
  }

  static fs::path write(const std::string& name, const std::string& text) {
    const fs::path file = dir_ / name;
    std::ofstream(file) << text;
    return file;
  }

  static inline fs::path dir_;
  static inline std::unique_ptr<sim::TestTls> tls_;
};

TEST_F(CenterLinkConfigTest, TheTestWorldIsAValidConfiguration) {
  EXPECT_EQ(problems_of(good()), "");
}

TEST_F(CenterLinkConfigTest, PlainHttpIsRefused) {
  auto c = good();
  c.base_url = "http://centre.example.jp/api";
  EXPECT_THAT(problems_of(c), HasSubstr("https only"));
  c.base_url = "centre.example.jp";
  EXPECT_THAT(problems_of(c), HasSubstr("base_url"));
  c.base_url = "https://user:pw@centre.example.jp/";
  EXPECT_THAT(problems_of(c), HasSubstr("user or password"));
}

TEST_F(CenterLinkConfigTest, AKeyOfAnotherCertificateIsRefusedNamingBothFiles) {
  auto c = good();
  c.client_key_file = tls_->rogue_client_key;
  const std::string message = problems_of(c);
  EXPECT_THAT(message, HasSubstr("does not belong"));
  EXPECT_THAT(message, HasSubstr(tls_->rogue_client_key.string()));
  EXPECT_THAT(message, HasSubstr(tls_->client_cert.string()));
}

TEST_F(CenterLinkConfigTest, TheClientConstructorRefusesAMismatchedKey) {
  auto c = good();
  c.client_key_file = tls_->server_key;
  EXPECT_THROW(CenterClient link(c), CenterConfigError);
}

TEST_F(CenterLinkConfigTest, MissingAndBrokenFilesAreNamed) {
  auto c = good();
  c.ca_file = dir_ / "no-such-ca.pem";
  c.client_cert_file = write("garbage.pem", "this is not PEM\n");
  const std::string message = problems_of(c);
  EXPECT_THAT(message, HasSubstr((dir_ / "no-such-ca.pem").string() + ": no such file"));
  EXPECT_THAT(message, HasSubstr((dir_ / "garbage.pem").string() + ": not a PEM certificate"));
}

TEST_F(CenterLinkConfigTest, ACaFileWithoutACaCertificateIsRefused) {
  auto c = good();
  c.ca_file = tls_->server_cert;
  EXPECT_THAT(problems_of(c), HasSubstr("holds no CA certificate"));
  c.ca_file = write("empty-ca.pem", "");
  EXPECT_THAT(problems_of(c), HasSubstr("no PEM certificate"));
}

TEST_F(CenterLinkConfigTest, AnUnreadableKeyIsNamed) {
  if (::geteuid() == 0) {
    GTEST_SKIP() << "root reads any file";
  }
  auto c = good();
  c.client_key_file = write("locked-key.pem", "x");
  fs::permissions(c.client_key_file, fs::perms::none);
  EXPECT_THAT(problems_of(c), HasSubstr("cannot be read"));
}

TEST_F(CenterLinkConfigTest, TheCertificateMustNameThisTerminal) {
  auto c = good();
  c.terminal_id = "KIOSK-OTHER-0002";
  EXPECT_THAT(problems_of(c), HasSubstr("is not the terminal id \"KIOSK-OTHER-0002\""));
}

TEST_F(CenterLinkConfigTest, APinMustBeSha256Base64) {
  auto c = good();
  c.pinned_public_key = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  EXPECT_EQ(problems_of(c), "");
  c.pinned_public_key += ";md5//abc";
  EXPECT_THAT(problems_of(c), HasSubstr("md5//abc"));
}

TEST_F(CenterLinkConfigTest, EveryProblemIsReportedAtOnce) {
  auto c = good();
  c.base_url = "http://x";
  c.terminal_id = "";
  c.connect_timeout = std::chrono::milliseconds(0);
  c.retry.max_attempts = 0;
  c.retry.jitter = 1.5;
  c.retry.max_delay = std::chrono::milliseconds(1);
  try {
    validate(c);
    FAIL() << "accepted";
  } catch (const CenterConfigError& e) {
    EXPECT_GE(e.problems().size(), 6U) << e.what();
  }
}

}  // namespace
}  // namespace mk::center::client
