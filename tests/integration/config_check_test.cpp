// Issue 15, fail closed: --check-config checks what the configuration points to (files exist and
// parse, the client key matches its certificate, private keys are 0600), and a directory given
// as --config is a configuration error, not a kiosk on its defaults.
#include "kiosk/app/config_check.hpp"

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "center/sim/test_tls.hpp"
#include "offline-cache/key_file.hpp"
#include "tests/offline_cache/cache_support.hpp"
#include "tests/support/run_process.hpp"

namespace mk::kiosk {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class ConfigCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    tls_ = center::sim::ensure_test_tls(dir_ / "tls");
    for (const auto& f : {tls_.client_key, tls_.rogue_client_key}) {
      fs::permissions(f, fs::perms::owner_read | fs::perms::owner_write);
    }
    config_.center.mode = CenterMode::remote;
    config_.center.url = "https://centre.example.jp";
    config_.center.ca_file = tls_.ca_cert.string();
    config_.center.client_cert = tls_.client_cert.string();
    config_.center.client_key = tls_.client_key.string();
    config_.kiosk.terminal_id = center::sim::kTestTerminalId;
    paths_.dir = dir_ / "store";
    paths_.key_file = dir_ / "store.key";
  }
  std::string problems() {
    std::string all;
    for (const auto& p : check_config_files(config_, paths_)) {
      all += p + "\n";
    }
    return all;
  }
  test::TempDir dir_;
  center::sim::TestTls tls_;
  Config config_;
  StorePaths paths_;
};

TEST_F(ConfigCheck, WhatTheConfigurationPointsToIsChecked) {
  EXPECT_EQ(problems(), "");
  config_.center.client_key = tls_.rogue_client_key.string();
  EXPECT_THAT(problems(), HasSubstr("center:")) << "a key that is not the certificate's";
  config_.center.client_key = tls_.client_key.string();
  fs::permissions(tls_.client_key, fs::perms::owner_read | fs::perms::owner_write |
                                       fs::perms::group_read | fs::perms::others_read);
  EXPECT_THAT(problems(), HasSubstr("has mode 644"));
  fs::permissions(tls_.client_key, fs::perms::owner_read | fs::perms::owner_write);
  std::ofstream(dir_ / "garbage.pem") << "not a certificate\n";
  config_.cards.license_ca_file = (dir_ / "garbage.pem").string();
  EXPECT_THAT(problems(), HasSubstr("cards.license_ca_file"));
  config_.cards.license_ca_file.clear();
  offline_cache::KeyFile::create(paths_.key_file);
  EXPECT_EQ(problems(), "");
  fs::permissions(paths_.key_file,
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
  EXPECT_THAT(problems(), HasSubstr("store.key_file"));
}

TEST_F(ConfigCheck, ADirectoryAsTheConfigurationIsRefused) {
  const auto r = test::run_process(test::quote(MK_KIOSK_EXE) + " --check-config --config " +
                                   test::quote(dir_.path().string()));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("not a regular file"));
}

}  // namespace
}  // namespace mk::kiosk
