// Store::open: migrations, a newer schema refused, corrupt files moved aside with a report and a
// working fresh store; the key file's rules.
#include "offline-cache/store.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "offline-cache/database.hpp"
#include "offline-cache/schema.hpp"
#include "tests/offline_cache/cache_support.hpp"

namespace oc = mk::offline_cache;
using mk::test::TempDir;

namespace {

std::unique_ptr<oc::Store> open_store(const TempDir& dir, oc::StoreOptions options = {}) {
  return oc::Store::open(dir.path(), mk::test::test_key(), std::move(options));
}

int user_version(const std::filesystem::path& path) {
  auto db = oc::open_database(path, false);
  return static_cast<int>(db.query_int("PRAGMA user_version"));
}

// A store with a pending row and some audit rows, closed (so the WAL is checkpointed away).
void fill_store(const TempDir& dir) {
  auto store = open_store(dir);
  for (int i = 0; i < 40; ++i) {
    store->outbox().enqueue("holding-form", "key-" + std::to_string(i),
                            mk::test::as_bytes(std::string(300, 'p')), "{}");
  }
  store->audit().append({.actor = "holder",
                         .action = "test",
                         .result = "ok",
                         .terminal = "t1",
                         .detail = "",
                         .at = std::nullopt,
                         .must_not_contain = {}});
}

void expect_fresh_working_store(const TempDir& dir, const std::string& damaged_file) {
  auto store = open_store(dir);
  const auto& report = store->open_report();
  ASSERT_TRUE(report.recovered_from_corruption()) << report.summary();
  ASSERT_EQ(report.moved_aside.size(), 1u);
  EXPECT_EQ(report.moved_aside[0].original.filename(), damaged_file);
  EXPECT_TRUE(std::filesystem::exists(report.moved_aside[0].moved_to));
  EXPECT_NE(report.moved_aside[0].moved_to.filename().string().find(damaged_file + ".corrupt-"),
            std::string::npos);
  EXPECT_FALSE(report.moved_aside[0].reason.empty());
  EXPECT_NE(report.summary().find("DAMAGED"), std::string::npos);
  // The fresh store works.
  EXPECT_EQ(store->check_cache(), "ok");
  const auto result =
      store->outbox().enqueue("portal-linkage", "after-recovery", mk::test::as_bytes("payload"));
  EXPECT_TRUE(result.created);
  // The recovery itself is in the audit log.
  const auto rows = store->audit().batch_for_upload(0, 100);
  ASSERT_FALSE(rows.empty());
  EXPECT_TRUE(std::any_of(rows.begin(), rows.end(),
                          [](const auto& r) { return r.action == "store.moved_aside"; }));
  EXPECT_TRUE(store->audit().verify_all().ok);
}

}  // namespace

TEST(StoreOpen, CreatesBothFilesInWalModeAtTheNewestSchema) {
  TempDir dir;
  auto store = open_store(dir);
  EXPECT_TRUE(store->open_report().cache_created);
  EXPECT_TRUE(store->open_report().audit_created);
  EXPECT_FALSE(store->open_report().recovered_from_corruption());
  store.reset();
  EXPECT_EQ(user_version(dir / "cache.db"), oc::schema::kCacheVersion);
  EXPECT_EQ(user_version(dir / "audit.db"), oc::schema::kAuditVersion);
  auto db = oc::open_database(dir / "cache.db", false);
  EXPECT_EQ(db.query_text("PRAGMA journal_mode"), "wal");
}

TEST(StoreOpen, ReopenKeepsData) {
  TempDir dir;
  open_store(dir)->outbox().enqueue("onestop-consent", "k1", mk::test::as_bytes("x"));
  auto store = open_store(dir);
  EXPECT_FALSE(store->open_report().cache_created);
  EXPECT_EQ(store->open_report().cache_version_before, oc::schema::kCacheVersion);
  EXPECT_EQ(store->outbox().pending_count(), 1);
}

TEST(StoreOpen, MigratesFromThePreviousVersionKeepingRows) {
  TempDir dir;
  {
    // A cache.db as version N-1 wrote it, with a row in the outbox.
    auto db = oc::open_database(dir / "cache.db");
    db.exec("PRAGMA journal_mode = WAL");
    oc::schema::migrate_cache(db, oc::schema::kCacheVersion - 1);
    db.exec(
        "INSERT INTO outbox (kind, idempotency_key, metadata, created_at, next_attempt_at, nonce, "
        "ciphertext) VALUES ('holding-form', 'old-row', '', 1, 1, x'00', x'00')");
  }
  ASSERT_EQ(user_version(dir / "cache.db"), oc::schema::kCacheVersion - 1);
  auto store = open_store(dir);
  EXPECT_EQ(store->open_report().cache_version_before, oc::schema::kCacheVersion - 1);
  EXPECT_EQ(store->outbox().state_of("old-row"), oc::OutboxState::pending);
  store.reset();
  EXPECT_EQ(user_version(dir / "cache.db"), oc::schema::kCacheVersion);
  // The table version N added is there (the store sealed its key check into it).
  auto db = oc::open_database(dir / "cache.db", false);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM key_check"), 1);
}

TEST(StoreOpen, RefusesANewerSchemaAndLeavesTheFileUntouched) {
  TempDir dir;
  open_store(dir).reset();
  {
    auto db = oc::open_database(dir / "cache.db", false);
    db.exec("PRAGMA user_version = 99");
  }
  const auto before = mk::test::read_bytes(dir / "cache.db");
  try {
    open_store(dir);
    FAIL() << "a newer schema was accepted";
  } catch (const oc::StoreError& error) {
    EXPECT_EQ(error.kind(), oc::StoreErrorKind::schema_too_new);
    EXPECT_NE(std::string(error.what()).find("99"), std::string::npos);
  }
  EXPECT_EQ(mk::test::read_bytes(dir / "cache.db"), before);
  EXPECT_EQ(user_version(dir / "cache.db"), 99);
}

TEST(StoreCorruption, GarbageFileIsMovedAsideAndReported) {
  TempDir dir;
  std::vector<uint8_t> garbage(8192);
  for (size_t i = 0; i < garbage.size(); ++i) {
    garbage[i] = static_cast<uint8_t>(i * 7 + 3);
  }
  mk::test::write_bytes(dir / "cache.db", garbage);
  expect_fresh_working_store(dir, "cache.db");
}

TEST(StoreCorruption, TruncatedFileIsMovedAsideAndReported) {
  TempDir dir;
  fill_store(dir);
  const auto size = std::filesystem::file_size(dir / "cache.db");
  ASSERT_GT(size, 4 * 4096u);
  std::filesystem::resize_file(dir / "cache.db", size / 2);
  expect_fresh_working_store(dir, "cache.db");
}

TEST(StoreCorruption, TruncatedHeaderIsMovedAsideAndReported) {
  TempDir dir;
  fill_store(dir);
  std::filesystem::resize_file(dir / "cache.db", 50);
  expect_fresh_working_store(dir, "cache.db");
}

TEST(StoreCorruption, FlippedPageByteIsFoundByQuickCheck) {
  TempDir dir;
  fill_store(dir);
  auto bytes = mk::test::read_bytes(dir / "cache.db");
  const size_t page_size = 4096;
  ASSERT_GT(bytes.size(), 3 * page_size);
  // The b-tree page type byte of page 3 (a table page): no valid page has 0xFF there.
  bytes[2 * page_size] ^= 0xFF;
  mk::test::write_bytes(dir / "cache.db", bytes);
  expect_fresh_working_store(dir, "cache.db");
}

TEST(StoreCorruption, GarbageAuditFileIsMovedAsideAndTheChainStartsAgain) {
  TempDir dir;
  fill_store(dir);
  mk::test::write_bytes(dir / "audit.db", std::vector<uint8_t>(4096, 0xA5));
  auto store = open_store(dir);
  const auto& report = store->open_report();
  ASSERT_EQ(report.moved_aside.size(), 1u);
  EXPECT_EQ(report.moved_aside[0].original.filename(), "audit.db");
  // cache.db was sound: its rows are still there.
  EXPECT_EQ(store->outbox().pending_count(), 40);
  EXPECT_TRUE(store->audit().verify_all().ok);
  // The new chain says it is a restart (issue 15, defect 5), then the store notes the move.
  EXPECT_EQ(store->audit().head_seq(), 2);
  const auto rows = store->audit().batch_for_upload(0, 10);
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0].action, oc::kAuditChainRestarted);
  EXPECT_NE(rows[0].detail.find("moved aside"), std::string::npos) << rows[0].detail;
  ASSERT_TRUE(report.audit_restarted.has_value());
}

TEST(StoreCorruption, WalAndShmMoveWithTheDatabase) {
  TempDir dir;
  mk::test::write_bytes(dir / "cache.db", std::vector<uint8_t>(4096, 0x11));
  mk::test::write_bytes(dir / "cache.db-wal", std::vector<uint8_t>(100, 0x22));
  auto store = open_store(dir);
  ASSERT_EQ(store->open_report().moved_aside.size(), 1u);
  const auto moved = store->open_report().moved_aside[0].moved_to;
  EXPECT_TRUE(std::filesystem::exists(moved.string() + "-wal"));
  EXPECT_EQ(mk::test::read_bytes(moved.string() + "-wal"), std::vector<uint8_t>(100, 0x22));
}

// ---------------------------------------------------------------------------------------------
// Key file

namespace {

void write_file(const std::filesystem::path& path, const std::string& text, mode_t mode) {
  std::filesystem::remove(path);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(fd);
  ASSERT_EQ(::chmod(path.c_str(), mode), 0);
}

oc::StoreErrorKind load_error(const std::filesystem::path& path,
                              oc::KeyFile::Options options = {}) {
  try {
    oc::KeyFile::load(path, options);
  } catch (const oc::StoreError& error) {
    return error.kind();
  }
  return oc::StoreErrorKind::internal;  // not refused
}

const std::string kHexKey = "000102030405060708090a0b0c0d0e0f101112131415161718191A1B1C1D1E1F";

}  // namespace

TEST(KeyFile, LoadsHexWithOrWithoutNewline) {
  TempDir dir;
  write_file(dir / "key", kHexKey + "\n", 0600);
  const auto key = oc::KeyFile::load(dir / "key");
  for (size_t i = 0; i < 32; ++i) {
    EXPECT_EQ(key.bytes()[i], i);
  }
  write_file(dir / "key", kHexKey, 0400);
  EXPECT_EQ(oc::KeyFile::load(dir / "key").bytes()[31], 31);
}

TEST(KeyFile, RefusesWrongModes) {
  TempDir dir;
  for (const mode_t mode : {0640u, 0644u, 0604u, 0660u, 0700u, 0666u}) {
    write_file(dir / "key", kHexKey, mode);
    EXPECT_EQ(load_error(dir / "key"), oc::StoreErrorKind::key_file) << std::oct << mode;
  }
}

TEST(KeyFile, RefusesWrongSizeAndBadDigitsAndMissingFile) {
  TempDir dir;
  write_file(dir / "key", kHexKey.substr(0, 62), 0600);
  EXPECT_EQ(load_error(dir / "key"), oc::StoreErrorKind::key_file);
  write_file(dir / "key", kHexKey + "00", 0600);
  EXPECT_EQ(load_error(dir / "key"), oc::StoreErrorKind::key_file);
  write_file(dir / "key", "zz" + kHexKey.substr(2), 0600);
  EXPECT_EQ(load_error(dir / "key"), oc::StoreErrorKind::key_file);
  EXPECT_EQ(load_error(dir / "missing"), oc::StoreErrorKind::key_file);
}

TEST(KeyFile, RefusesASymlinkAndADirectory) {
  TempDir dir;
  write_file(dir / "key", kHexKey, 0600);
  std::filesystem::create_symlink(dir / "key", dir / "link");
  EXPECT_EQ(load_error(dir / "link"), oc::StoreErrorKind::key_file);
  std::filesystem::create_directory(dir / "dir");
  EXPECT_EQ(load_error(dir / "dir"), oc::StoreErrorKind::key_file);
}

TEST(KeyFile, RefusesTheWrongOwner) {
  TempDir dir;
  write_file(dir / "key", kHexKey, 0600);
  // The owner is whoever runs the test; require another uid.
  EXPECT_EQ(load_error(dir / "key", {.required_owner = ::geteuid() + 1}),
            oc::StoreErrorKind::key_file);
  EXPECT_NO_THROW(oc::KeyFile::load(dir / "key", {.required_owner = ::geteuid()}));
  if (::geteuid() == 0) {
    // As root the default rule applies for real: a file owned by another user is refused.
    ASSERT_EQ(::chown((dir / "key").c_str(), 1, 1), 0);
    EXPECT_EQ(load_error(dir / "key"), oc::StoreErrorKind::key_file);
  }
}

TEST(KeyFile, CreateMakesA0600FileThatLoadsAndRefusesToOverwrite) {
  TempDir dir;
  const auto created = oc::KeyFile::create(dir / "key");
  struct stat info {};
  ASSERT_EQ(::stat((dir / "key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0600u);
  const auto loaded = oc::KeyFile::load(dir / "key");
  EXPECT_TRUE(std::equal(created.bytes().begin(), created.bytes().end(), loaded.bytes().begin()));
  EXPECT_THROW(oc::KeyFile::create(dir / "key"), oc::StoreError);
  // Two keys are different.
  const auto other = oc::KeyFile::create(dir / "key2");
  EXPECT_FALSE(std::equal(created.bytes().begin(), created.bytes().end(), other.bytes().begin()));
}
