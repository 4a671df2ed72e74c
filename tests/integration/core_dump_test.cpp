// Issue 15, hardening: a kiosk that crashes while holding a PIN leaves it in no file. The real
// kiosk, with the shell's core limit unlimited and core_pattern writing to the working folder,
// is killed with SIGSEGV just after a PIN was typed (not yet confirmed); no core file appears and
// no file under its folder holds the digits.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/offline_cache/cache_support.hpp"
#include "tests/support/run_process.hpp"
#include "tests/support/secret_scan.hpp"

namespace {

namespace fs = std::filesystem;
using mk::test::quote;

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream text;
  text << in.rdbuf();  // (not istreambuf_iterator: GCC 12 -O2 warns of a null dereference there)
  return text.str();
}

TEST(CoreDump, AKioskThatCrashesHoldingAPinLeavesItInNoFile) {
  if (std::getenv("MK_PCSCD_PID") == nullptr) {
    GTEST_SKIP() << "runs under tests/support/pcsc_namespace.sh (ctest does that)";
  }
  if (read_text("/proc/sys/kernel/core_pattern").rfind("core", 0) != 0) {
    GTEST_SKIP() << "core_pattern does not write a core file to the working folder here";
  }
  mk::test::TempDir dir;
  std::ofstream(dir / "kiosk.toml")
      << "[store]\ndir = \"" << (dir / "store").string() << "\"\nkey_file = \""
      << (dir / "store.key").string() << "\"\n[log]\nlevel = \"debug\"\njournal = \"off\"\n";
  std::ofstream(dir / "crash.script") << "tap start\ntap read_back\n"
                                         "expect screen read_back.place_card\n"
                                         "card place mynumber yamada-taro\n"
                                         "await screen read_back.enter_pin\n"
                                         "type 4821\nscreenshot typed\n"
                                         "await screen read_back.never 120s\n";
  const pid_t pid = ::fork();
  if (pid == 0) {
    const std::string command = "cd " + quote(dir.path().string()) +
                                " && ulimit -c unlimited && exec " + quote(MK_KIOSK_EXE) +
                                " --headless --config kiosk.toml --script crash.script "
                                "--screenshots shots > kiosk.log 2>&1";
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  bool typed = false;
  for (int i = 0; i < 600 && !typed; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    typed = fs::exists(dir / "shots" / "typed.png");
  }
  ASSERT_TRUE(typed) << read_text(dir / "kiosk.log");
  const std::string limits = read_text("/proc/" + std::to_string(pid) + "/limits");
  EXPECT_NE(limits.find("Max core file size        0                    0"), std::string::npos)
      << limits;
  ::kill(pid, SIGSEGV);
  int status = 0;
  ::waitpid(pid, &status, 0);
  // (Under AddressSanitizer its own SEGV handler reports and exits with an error instead.)
  ASSERT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0))
      << "the kiosk did not die of the signal";
  EXPECT_FALSE(WIFSIGNALED(status) && WCOREDUMP(status)) << "the kernel wrote a core";
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir.path())) {
    if (e.is_regular_file()) {
      EXPECT_EQ(e.path().filename().string().rfind("core", 0), std::string::npos) << e.path();
      if (e.path().filename() != "crash.script") {  // the script itself holds the digits
        files.push_back(e.path());
      }
    }
  }
  const auto hits = mk::test::scan_for_secrets(files, {{"the PIN typed", "4821"}});
  for (const auto& hit : hits) {
    ADD_FAILURE() << "the PIN found as " << hit.form << " in " << hit.file.string();
  }
}

}  // namespace
