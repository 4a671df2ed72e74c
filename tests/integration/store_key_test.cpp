// Issue 15, defect 2: a lost store key is never silently replaced over a store that holds rows
// sealed with it. The real kiosk refuses to start (exit 5, one line naming the key file) until
// an operator runs --rekey-store, which sets the old store aside intact. Also where the key lives
// by default: apart from the data.
#include <filesystem>
#include <fstream>
#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk/app/store_opening.hpp"
#include "tests/offline_cache/cache_support.hpp"
#include "tests/support/run_process.hpp"

namespace {

namespace fs = std::filesystem;
namespace oc = mk::offline_cache;
using mk::test::quote;
using mk::test::run_process;
using ::testing::HasSubstr;

mk::kiosk::Environment env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) {
    const auto it = vars.find(name);
    return it != vars.end() ? it->second : std::string();
  };
}

TEST(StorePaths, TheKeyLivesApartFromTheData) {
  const mk::kiosk::Config::Store none;
  EXPECT_EQ(mk::kiosk::store_paths(none, true, env_of({})).dir, "/var/lib/mynakiosk");
  mk::test::TempDir empty;  // no key of an older kiosk in it, whatever this machine has
  mk::kiosk::Config::Store data_only;
  data_only.dir = empty.path().string();
  EXPECT_EQ(mk::kiosk::store_paths(data_only, true, env_of({})).key_file,
            "/etc/mynakiosk/store.key");
  const auto user = mk::kiosk::store_paths(none, false, env_of({{"HOME", "/home/k"}}));
  EXPECT_EQ(user.dir, "/home/k/.local/state/mynakiosk");
  EXPECT_EQ(user.key_file, "/home/k/.config/mynakiosk/store.key");
  mk::kiosk::Config::Store configured;
  configured.dir = "/data";
  configured.key_file = "/keys/k";
  EXPECT_EQ(mk::kiosk::store_paths(configured, true, env_of({})).key_file, "/keys/k");
  // A systemd unit's StateDirectory= (the first of several), unless the configuration says.
  const auto unit = env_of({{"STATE_DIRECTORY", "/var/lib/mynakiosk-a:/var/lib/other"}});
  EXPECT_EQ(mk::kiosk::store_paths(none, true, unit).dir, "/var/lib/mynakiosk-a");
  EXPECT_EQ(mk::kiosk::store_paths(configured, true, unit).dir, "/data");
}

TEST(StorePaths, ASystemdCredentialAndAnOldKeyBesideTheDataAreFound) {
  mk::test::TempDir dir;
  mk::kiosk::Config::Store c;
  c.dir = (dir / "data").string();
  fs::create_directories(dir / "data");
  fs::create_directories(dir / "creds");
  // An older kiosk's key in the data folder, no key at the (user) default: the old one is used.
  std::ofstream(dir / "data" / "store.key") << "x";
  const auto old = mk::kiosk::store_paths(c, false, env_of({{"HOME", (dir / "home").string()}}));
  EXPECT_EQ(old.key_file, dir / "data" / "store.key");
  EXPECT_THAT(old.key_source, HasSubstr("old"));
  // A systemd credential wins over both.
  std::ofstream(dir / "creds" / "store.key") << "y";
  const auto cred =
      mk::kiosk::store_paths(c, false,
                             env_of({{"HOME", (dir / "home").string()},
                                     {"CREDENTIALS_DIRECTORY", (dir / "creds").string()}}));
  EXPECT_EQ(cred.key_file, dir / "creds" / "store.key");
  EXPECT_EQ(cred.key_source, "systemd credential");
}

class StoreKey : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_ / "kiosk.toml")
        << "[store]\ndir = \"" << (dir_ / "data").string() << "\"\nkey_file = \"" << key().string()
        << "\"\n[log]\njournal = \"off\"\n";
  }
  fs::path key() const { return dir_ / "keys" / "store.key"; }
  mk::test::ProcessResult kiosk(const std::string& extra = "") {
    return run_process(quote(MK_KIOSK_EXE) + " --headless --exit-after-first-frame --config " +
                       quote((dir_ / "kiosk.toml").string()) + " " + extra);
  }
  mk::test::TempDir dir_;
};

TEST_F(StoreKey, AMissingKeyOverPendingRowsStopsTheKioskUntilAnOperatorReKeys) {
  // First start: no key, no store: both are made; the key 0600, the databases 0600.
  auto r = kiosk();
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ASSERT_TRUE(fs::exists(key()));
  struct stat st {};
  ASSERT_EQ(::stat(key().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  ASSERT_EQ(::stat((dir_ / "data" / "cache.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  ASSERT_EQ(::stat((dir_ / "data" / "audit.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  // A submission waits in the outbox (the centre never saw it).
  {
    auto store = oc::Store::open(dir_ / "data", oc::KeyFile::load(key()));
    store->outbox().enqueue("holding-form", "waiting", mk::test::as_bytes("{}"));
  }
  const auto before = mk::test::read_bytes(dir_ / "data" / "cache.db");

  // The key is lost: the kiosk refuses, names the file, says what to do, and changes nothing.
  fs::remove(key());
  r = kiosk();
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_THAT(r.output, HasSubstr(key().string()));
  EXPECT_THAT(r.output, HasSubstr("--rekey-store"));
  EXPECT_FALSE(fs::exists(key())) << "a new key was made over rows sealed with the old one";
  EXPECT_EQ(mk::test::read_bytes(dir_ / "data" / "cache.db"), before);

  // The operator re-keys: the old store moves aside intact; the kiosk starts on a new one.
  r = run_process(quote(MK_KIOSK_EXE) + " --rekey-store --config " +
                  quote((dir_ / "kiosk.toml").string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  fs::path aside;
  for (const auto& e : fs::directory_iterator(dir_ / "data")) {
    if (e.path().filename().string().starts_with("set-aside-")) {
      aside = e.path();
    }
  }
  ASSERT_FALSE(aside.empty()) << r.output;
  EXPECT_THAT(r.output, HasSubstr(aside.string()));
  EXPECT_EQ(mk::test::read_bytes(aside / "cache.db"), before);
  EXPECT_TRUE(fs::exists(key()));
  r = kiosk();
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

// A key that is not the store's (a stale backup, another kiosk's) would turn every pending row
// into an undecryptable dead letter at its first delivery: refused at start instead.
TEST_F(StoreKey, AKeyThatIsNotTheStoresStopsTheKiosk) {
  ASSERT_EQ(kiosk().exit_code, 0);
  fs::remove(key());
  oc::KeyFile::create(key());  // another key in its place
  const auto r = kiosk();
  EXPECT_EQ(r.exit_code, 5) << r.output;
  EXPECT_THAT(r.output, HasSubstr("does not open the store"));
  EXPECT_THAT(r.output, HasSubstr(key().string()));
}

TEST_F(StoreKey, AMissingKeyOverAnEmptyStoreIsSimplyMade) {
  ASSERT_EQ(kiosk().exit_code, 0);
  fs::remove(key());
  const auto r = kiosk();
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(fs::exists(key()));
}

}  // namespace
