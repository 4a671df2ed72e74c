// A kiosk whose centre is out of reach (a remote centre on a port where nothing listens): the
// person who chooses a procedure that needs the centre while they wait is told at once, before
// any card or PIN, and the read-back, which does not need it, still starts (issue 10).
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "center/sim/test_tls.hpp"
#include "tests/offline_cache/cache_support.hpp"
#include "tests/support/run_process.hpp"

namespace {

namespace fs = std::filesystem;
using mk::test::quote;
using mk::test::run_process;
using ::testing::HasSubstr;

// A kiosk whose remote centre listens nowhere (127.0.0.1:1), with its own store, in `dir`.
void write_unreachable_config(const fs::path& dir) {
  const auto tls = mk::center::sim::ensure_test_tls(dir / "tls");
  std::ofstream(dir / "kiosk.toml")
      << "[kiosk]\nterminal_id = \"" << mk::center::sim::kTestTerminalId << "\"\n"
      << "[center]\nmode = \"remote\"\nurl = \"https://127.0.0.1:1\"\nca_file = \""
      << tls.ca_cert.string() << "\"\nclient_cert = \"" << tls.client_cert.string()
      << "\"\nclient_key = \"" << tls.client_key.string() << "\"\nconnect_timeout_s = 1\n"
      << "[store]\ndir = \"" << (dir / "store").string() << "\"\nkey_file = \""
      << (dir / "store.key").string() << "\"\n[log]\njournal = \"off\"\n";
}

// The kiosk on that configuration, playing dir/test.script.
mk::test::ProcessResult run_script(const fs::path& dir) {
  return run_process(quote(MK_KIOSK_EXE) + " --headless --strict --config " +
                     quote((dir / "kiosk.toml").string()) + " --script " +
                     quote((dir / "test.script").string()));
}

TEST(CenterUnreachable, AProcedureThatNeedsTheCentreSaysSoBeforeItStarts) {
  mk::test::TempDir dir;
  write_unreachable_config(dir.path());
  // The menu stays a moment (real time) so that the kiosk's first contact has failed.
  std::ofstream(dir / "test.script") << "tap start\nexpect screen menu\nstays screen menu 2s\n"
                                        "tap record\nexpect screen out_of_service\n"
                                        "tap back\nexpect screen menu\n"
                                        "tap read_back\nexpect screen read_back.place_card\n";
  const auto r = run_script(dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("procedure record not started: out_of_service.center"));
}

// The PIN unlock needs its photo: on a kiosk without a camera it does not start (nobody checks an
// appointment in here to be told at the photo that it cannot be done).
TEST(CenterUnreachable, ThePinUnlockDoesNotStartWithoutACamera) {
  mk::test::TempDir dir;
  write_unreachable_config(dir.path());
  std::ofstream(dir / "test.script") << "camera off\ntap start\nexpect screen menu\n"
                                        "tap pin_unlock\nexpect screen out_of_service\n";
  const auto r = run_script(dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("procedure pin_unlock not started: out_of_service.camera"));
}

}  // namespace
