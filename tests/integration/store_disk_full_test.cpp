// Issue 15, defect 7, on a real file system: the kiosk's store on a small tmpfs that is nearly
// full. The person who chooses a procedure that keeps data is told at once that the kiosk is out
// of service because its disk is full (not taken through the procedure to lose it at the end);
// the read-back, which keeps nothing, still works; the log has the stable code.
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/offline_cache/cache_support.hpp"
#include "tests/support/run_process.hpp"

namespace {

namespace fs = std::filesystem;
using mk::test::quote;
using mk::test::run_process;
using ::testing::HasSubstr;

TEST(StoreDiskFull, ProceduresThatKeepDataAreRefusedWithTheReason) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "mounts a tmpfs in a private mount namespace: needs root (CI runs as root)";
  }
  mk::test::TempDir dir;
  fs::create_directories(dir / "store");
  std::ofstream(dir / "kiosk.toml")
      << "[store]\ndir = \"" << (dir / "store").string() << "\"\nkey_file = \""
      << (dir / "store.key").string() << "\"\nmin_free_mb = 1\n[log]\njournal = \"off\"\n";
  std::ofstream(dir / "test.script") << "tap start\nexpect screen menu\n"
                                        "tap holding_form\nexpect screen out_of_service\n"
                                        "screenshot out_of_service\n"
                                        "tap back\nexpect screen menu\n"
                                        "tap read_back\nexpect screen read_back.place_card\n";
  // 3 MiB of tmpfs, of which a filler takes all but ~512 KiB once the store exists.
  const std::string store = quote((dir / "store").string());
  const std::string script =
      "set -e; mount -t tmpfs -o size=3m tmpfs " + store + "; " + quote(MK_KIOSK_EXE) +
      " --headless --exit-after-first-frame --config " + quote((dir / "kiosk.toml").string()) +
      "; free=$(df --output=avail -B1 " + store + " | tail -1); " +
      "fallocate -l $((free - 512*1024)) " + store + "/filler; " + quote(MK_KIOSK_EXE) +
      " --headless --strict --config " + quote((dir / "kiosk.toml").string()) + " --script " +
      quote((dir / "test.script").string()) + " --screenshots " + quote((dir / "shots").string());
  const auto r = run_process("unshare --mount --propagation private sh -c " + quote(script));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("MK-STORE-DISK-FULL"));
  EXPECT_THAT(r.output, HasSubstr("procedure holding_form not started"));
  EXPECT_TRUE(fs::exists(dir / "shots"));
}

}  // namespace
