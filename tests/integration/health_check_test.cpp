// Issue 15, defect 4: failures nobody saw are counted in `mynakiosk --check` (JSON, exit 6 when
// someone must act): dead letters, undecryptable rows, damaged files moved aside, an audit row
// edited on disk, and the problems the kiosk reported, by their stable codes.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "offline-cache/database.hpp"
#include "offline-cache/problem.hpp"
#include "offline-cache/store.hpp"
#include "tests/offline_cache/cache_support.hpp"
#include "tests/support/run_process.hpp"

namespace {

namespace fs = std::filesystem;
namespace oc = mk::offline_cache;
using mk::test::quote;
using mk::test::run_process;

class HealthCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_ / "kiosk.toml")
        << "[store]\ndir = \"" << (dir_ / "data").string() << "\"\nkey_file = \""
        << (dir_ / "store.key").string() << "\"\n";
    store_ = oc::Store::open(dir_ / "data", oc::KeyFile::create(dir_ / "store.key"));
  }
  // Runs --check; returns its JSON, and the exit code in `code`.
  nlohmann::json check(int& code) {
    const auto r = run_process(quote(MK_KIOSK_EXE) + " --check --config " +
                               quote((dir_ / "kiosk.toml").string()) + " 2>/dev/null");
    code = r.exit_code;
    return nlohmann::json::parse(r.output);
  }
  mk::test::TempDir dir_;
  std::unique_ptr<oc::Store> store_;
};

TEST_F(HealthCheck, AHealthyStoreIsOk) {
  store_->outbox().enqueue("holding-form", "waiting", mk::test::as_bytes("{}"));
  int code = -1;
  const auto j = check(code);
  EXPECT_EQ(code, 0) << j.dump(2);
  EXPECT_TRUE(j.at("ok").get<bool>());
  EXPECT_EQ(j.at("store").at("pending"), 1);
  EXPECT_TRUE(j.at("audit").at("chain_ok").get<bool>());
}

TEST_F(HealthCheck, DeadLettersMovedAsideFilesAndAnEditedAuditRowNeedSomeone) {
  store_->outbox().enqueue("holding-form", "refused", mk::test::as_bytes("{}"));
  store_->outbox().deliver_due(oc::system_now() + std::chrono::hours(1), [](const auto&) {
    return oc::DeliveryResult::rejected_permanently("holder_not_found");
  });
  store_->audit().append(
      {"system", oc::problem_code::kDeadLetter, "reported", "T", "row 1", {}, {}});
  store_->audit().append({"holder", "record.write", "ok", "T", "done", {}, {}});
  store_.reset();
  mk::test::write_bytes(dir_ / "data" / "cache.db.corrupt-20261205T000000Z", {1, 2, 3});
  {
    // Someone edits an audit row on disk.
    auto db = oc::open_database(dir_ / "data" / "audit.db", false);
    db.exec("UPDATE audit_log SET result = 'refused' WHERE action = 'record.write'");
  }
  int code = -1;
  const auto j = check(code);
  EXPECT_EQ(code, 6) << j.dump(2);
  EXPECT_FALSE(j.at("ok").get<bool>());
  EXPECT_EQ(j.at("store").at("dead_letters"), 1);
  EXPECT_EQ(j.at("store").at("moved_aside").size(), 1U);
  EXPECT_FALSE(j.at("audit").at("chain_ok").get<bool>());
  EXPECT_EQ(j.at("problems").at(oc::problem_code::kDeadLetter), 1);
  std::set<std::string> codes;
  for (const auto& a : j.at("attention")) {
    codes.insert(a.at("code").get<std::string>());
  }
  EXPECT_TRUE(codes.contains(oc::problem_code::kDeadLetter));
  EXPECT_TRUE(codes.contains(oc::problem_code::kMovedAside));
  EXPECT_TRUE(codes.contains(oc::problem_code::kAuditChainBroken));
}

}  // namespace
