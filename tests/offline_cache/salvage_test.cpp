// Issue 15, defect 3: a damaged cache.db is moved aside and every row that can still be read is
// salvaged into the new one: truncated files, an overwritten header, rows only in the -wal,
// overflow pages; each restored payload is proven byte for byte, what was lost is counted.
#include "offline-cache/salvage.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "offline-cache/database.hpp"
#include "offline-cache/schema.hpp"
#include "offline-cache/store.hpp"
#include "tests/offline_cache/cache_support.hpp"

namespace oc = mk::offline_cache;
using mk::test::TempDir;

namespace {

constexpr int kRows = 40;

// Row i's payload: unique, and every fifth one longer than a page (an overflow chain).
std::string payload(int i) {
  const size_t size = i % 5 == 0 ? 9000 + static_cast<size_t>(i) : 200 + static_cast<size_t>(i);
  std::string p = "payload-" + std::to_string(i) + "-";
  while (p.size() < size) {
    p += static_cast<char>('a' + (p.size() * 7 + static_cast<size_t>(i)) % 26);
  }
  return p;
}

std::string key_of(int i) {
  return "key-" + std::to_string(i);
}

// kRows pending rows, of which row 1 is then delivered and row 2 refused for good.
void fill(oc::Store& store) {
  for (int i = 0; i < kRows; ++i) {
    store.outbox().enqueue("holding-form", key_of(i), mk::test::as_bytes(payload(i)), "{}");
  }
  store.outbox().deliver_due(
      oc::system_now() + std::chrono::hours(1),
      [](const oc::OutboxItem& item) {
        if (item.idempotency_key == key_of(1)) {
          return oc::DeliveryResult::acknowledged();
        }
        if (item.idempotency_key == key_of(2)) {
          return oc::DeliveryResult::rejected_permanently("refused");
        }
        return oc::DeliveryResult::retry_later("later");
      },
      kRows);
}

// Every pending payload in the store, by key (delivered from a far future, then left pending).
std::map<std::string, std::string> pending_payloads(oc::Store& store) {
  std::map<std::string, std::string> seen;
  store.outbox().deliver_due(
      oc::system_now() + std::chrono::hours(24 * 365),
      [&seen](const oc::OutboxItem& item) {
        const auto bytes = item.payload.bytes();
        seen[item.idempotency_key] = std::string(bytes.begin(), bytes.end());
        return oc::DeliveryResult::retry_later("looked");
      },
      1000);
  return seen;
}

void expect_restored_rows_are_the_written_ones(oc::Store& store) {
  for (const auto& [key, bytes] : pending_payloads(store)) {
    const int i = std::stoi(key.substr(4));
    EXPECT_EQ(bytes, payload(i)) << key;
  }
}

const oc::SalvageReport& salvage_of(const oc::Store& store) {
  const auto& moved = store.open_report().moved_aside;
  EXPECT_EQ(moved.size(), 1U);
  EXPECT_TRUE(moved.at(0).salvage.has_value());
  return *moved.at(0).salvage;
}

class Salvage : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = oc::Store::open(dir_.path(), mk::test::test_key());
    fill(*store);
  }
  std::unique_ptr<oc::Store> reopen(uint8_t key = 0x42) {
    return oc::Store::open(dir_.path(), mk::test::test_key(key));
  }
  TempDir dir_;
};

TEST_F(Salvage, AnOverwrittenHeaderLosesNothing) {
  auto bytes = mk::test::read_bytes(dir_ / "cache.db");
  for (size_t i = 0; i < 4096; ++i) {
    bytes[i] = static_cast<uint8_t>(i * 13 + 5);
  }
  mk::test::write_bytes(dir_ / "cache.db", bytes);
  auto store = reopen();
  const auto& salvage = salvage_of(*store);
  EXPECT_EQ(salvage.pending, kRows - 2) << salvage.summary();
  EXPECT_EQ(salvage.dead_letters, 1);
  EXPECT_EQ(salvage.delivered, 1);
  EXPECT_EQ(salvage.unreadable, 0);
  EXPECT_EQ(store->outbox().pending_count(), kRows - 2);
  EXPECT_EQ(store->outbox().dead_letter_count(), 1);
  EXPECT_EQ(store->outbox().state_of(key_of(1)), oc::OutboxState::acknowledged);
  EXPECT_EQ(store->outbox().state_of(key_of(2)), oc::OutboxState::dead);
  EXPECT_EQ(pending_payloads(*store).size(), static_cast<size_t>(kRows - 2));
  expect_restored_rows_are_the_written_ones(*store);
  // The salvage is in the log and the audit trail.
  EXPECT_NE(store->open_report().summary().find("38 pending submission(s)"), std::string::npos)
      << store->open_report().summary();
  const auto rows = store->audit().batch_for_upload(0, 100);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.back().action, "store.salvaged");
  // A row enqueued after the salvage gets a fresh id (no clash with a restored row's AAD).
  EXPECT_TRUE(store->outbox().enqueue("holding-form", "new", mk::test::as_bytes("x")).created);
  EXPECT_EQ(pending_payloads(*store).count("new"), 1U);
}

// With the header gone the page size is guessed. Ciphertext and overflow content are random, and
// a 1 KiB slice of them now and then starts with a b-tree page's type byte: counting those hits
// once outscored the real 4 KiB pages (CI lost 36 of 38 rows). Here a trailing page plants three
// such slices, each with a cell pointer past the slice's end, as random bytes would.
TEST_F(Salvage, RandomBytesThatStartLikePagesDoNotChangeThePageSize) {
  auto bytes = mk::test::read_bytes(dir_ / "cache.db");
  for (size_t i = 0; i < 4096; ++i) {
    bytes[i] = static_cast<uint8_t>(i * 13 + 5);
  }
  std::vector<uint8_t> lookalikes(4096, 0x5A);
  for (const size_t at : {size_t{1024}, size_t{2048}, size_t{3072}}) {
    const std::array<uint8_t, 10> header = {0x0D, 0x00, 0x00, 0x00, 0x01,
                                            0x03, 0x00, 0x00, 0xC3, 0x50};
    std::copy(header.begin(), header.end(), lookalikes.begin() + static_cast<std::ptrdiff_t>(at));
  }
  bytes.insert(bytes.end(), lookalikes.begin(), lookalikes.end());
  mk::test::write_bytes(dir_ / "cache.db", bytes);
  auto store = reopen();
  const auto& salvage = salvage_of(*store);
  EXPECT_EQ(salvage.pending, kRows - 2) << salvage.summary();
  EXPECT_EQ(salvage.unreadable, 0) << salvage.summary();
  expect_restored_rows_are_the_written_ones(*store);
}

TEST_F(Salvage, ATruncatedFileGivesBackWhatItStillHolds) {
  const auto size = std::filesystem::file_size(dir_ / "cache.db");
  std::filesystem::resize_file(dir_ / "cache.db", size * 2 / 3);
  auto store = reopen();
  const auto& salvage = salvage_of(*store);
  EXPECT_GT(salvage.pending, 0) << salvage.summary();
  EXPECT_LT(salvage.pending, kRows) << salvage.summary();
  EXPECT_EQ(store->outbox().pending_count(), salvage.pending);
  EXPECT_GT(salvage.damaged_pages, 0) << "the pages cut off are counted";
  EXPECT_FALSE(salvage.complete());
  expect_restored_rows_are_the_written_ones(*store);
}

TEST_F(Salvage, TheAuditCheckpointComesBackToo) {
  {
    auto store = reopen();
    oc::AuditCheckpoint checkpoint;
    checkpoint.seq = 41;
    checkpoint.hash.fill(0x5A);
    store->remember_audit_checkpoint(checkpoint);
  }
  auto bytes = mk::test::read_bytes(dir_ / "cache.db");
  std::fill(bytes.begin(), bytes.begin() + 100, 0);
  mk::test::write_bytes(dir_ / "cache.db", bytes);
  auto store = reopen();
  EXPECT_TRUE(salvage_of(*store).audit_checkpoint);
  const auto checkpoint = store->remembered_audit_checkpoint();
  ASSERT_TRUE(checkpoint.has_value());
  EXPECT_EQ(checkpoint->seq, 41);
  EXPECT_EQ(checkpoint->hash[0], 0x5A);
}

// A salvage cut short (a crash, a full disk) is done again at the next start: a damaged file
// already moved aside, with no "salvaged" mark beside it, beside a new empty cache.db.
TEST_F(Salvage, ASalvageCutShortIsDoneAtTheNextStart) {
  std::filesystem::rename(dir_ / "cache.db", dir_ / "cache.db.corrupt-20261205T000000Z");
  std::filesystem::remove(dir_ / "cache.db-wal");
  std::filesystem::remove(dir_ / "cache.db-shm");
  {
    // The fresh cache.db the interrupted start had made (its salvage transaction rolled back).
    auto db = oc::open_database(dir_ / "cache.db");
    db.exec("PRAGMA journal_mode = WAL");
    oc::schema::migrate_cache(db);
  }
  auto store = reopen();
  EXPECT_EQ(salvage_of(*store).pending, kRows - 2);
  EXPECT_EQ(store->outbox().pending_count(), kRows - 2);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "cache.db.corrupt-20261205T000000Z.salvaged"));
  store.reset();
  auto again = reopen();
  EXPECT_TRUE(again->open_report().moved_aside.empty()) << "salvaged once, not twice";
}

TEST_F(Salvage, RowsOnlyInTheWalAreFound) {
  TempDir copy;
  {
    auto store = reopen();
    // Committed to the -wal, not yet checkpointed into cache.db: copy the files now, as a
    // power cut would leave them.
    store->outbox().enqueue("portal-linkage", "in-wal", mk::test::as_bytes(payload(99)));
    ASSERT_TRUE(std::filesystem::exists(dir_ / "cache.db-wal"));
    std::filesystem::copy_file(dir_ / "cache.db", copy / "cache.db");
    std::filesystem::copy_file(dir_ / "cache.db-wal", copy / "cache.db-wal");
  }
  auto bytes = mk::test::read_bytes(copy / "cache.db");
  std::fill(bytes.begin(), bytes.begin() + 100, 0);
  mk::test::write_bytes(copy / "cache.db", bytes);
  auto store = oc::Store::open(copy.path(), mk::test::test_key());
  const auto payloads = pending_payloads(*store);
  ASSERT_EQ(payloads.count("in-wal"), 1U) << salvage_of(*store).summary();
  EXPECT_EQ(payloads.at("in-wal"), payload(99));
  EXPECT_EQ(salvage_of(*store).pending, kRows - 2 + 1);
}

TEST_F(Salvage, RowsTheKeyCannotOpenAreCountedNotRestored) {
  auto bytes = mk::test::read_bytes(dir_ / "cache.db");
  std::fill(bytes.begin(), bytes.begin() + 100, 0);
  mk::test::write_bytes(dir_ / "cache.db", bytes);
  auto store = reopen(0x43);  // not the key the rows were sealed with
  const auto& salvage = salvage_of(*store);
  EXPECT_EQ(salvage.pending, 0);
  EXPECT_EQ(salvage.unreadable, kRows - 2) << salvage.summary();
  EXPECT_EQ(store->outbox().pending_count(), 0);
}

TEST(SalvageFile, AMissingFileIsReportedUnreadable) {
  TempDir dir;
  oc::Connection fresh;
  fresh.db = oc::open_database(dir / "fresh.db");
  const auto report = oc::salvage_cache(dir / "no-such.db", fresh, mk::test::test_key());
  EXPECT_TRUE(report.file_unreadable);
  EXPECT_EQ(report.restored(), 0);
}

}  // namespace
