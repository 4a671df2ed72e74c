// Reference data with versions, and the appointments cache (personal fields encrypted).
#include <gtest/gtest.h>

#include "offline-cache/database.hpp"
#include "offline-cache/store.hpp"
#include "tests/offline_cache/cache_support.hpp"

namespace oc = mk::offline_cache;
using mk::test::FakeClock;
using mk::test::TempDir;

namespace {

struct Fixture {
  TempDir dir;
  FakeClock clock;
  std::unique_ptr<oc::Store> store;

  Fixture() { reopen(); }
  void reopen(uint8_t key_fill = 0x42) {
    store.reset();
    oc::StoreOptions options;
    options.clock = clock.clock();
    store = oc::Store::open(dir.path(), mk::test::test_key(key_fill), std::move(options));
  }
};

oc::Appointment appointment(const std::string& number, const FakeClock& clock) {
  oc::Appointment a;
  a.number = number;
  a.kind = "pin-unlock";
  a.slot_start = clock.now() + std::chrono::hours(1);
  a.slot_end = clock.now() + std::chrono::hours(2);
  a.holder_reference = "HOLDER-REF-" + number;
  return a;
}

}  // namespace

TEST(ReferenceCache, KeepsTheNewestVersionAcrossAReopen) {
  Fixture f;
  EXPECT_FALSE(f.store->reference().get("fees").has_value());
  EXPECT_TRUE(f.store->reference().put("fees", 3, R"({"renewal": 2850})"));
  f.clock.advance(std::chrono::minutes(5));
  EXPECT_TRUE(f.store->reference().put("fees", 4, R"({"renewal": 3000})"));
  EXPECT_FALSE(f.store->reference().put("fees", 2, R"({"renewal": 1})"));  // older: ignored
  f.reopen();
  const auto entry = f.store->reference().get("fees");
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->version, 4);
  EXPECT_EQ(entry->text, R"({"renewal": 3000})");
  EXPECT_EQ(entry->fetched_at, f.clock.now());
  EXPECT_EQ(f.store->reference().version("fees"), 4);
  EXPECT_EQ(f.store->reference().names(), std::vector<std::string>{"fees"});
}

TEST(ReferenceCache, RefusesTextThatIsNotJsonAndKeepsTheCachedCopy) {
  Fixture f;
  f.store->reference().put("offices", 1, R"(["Fuchu"])");
  try {
    f.store->reference().put("offices", 2, R"(["Fuchu")");
    FAIL() << "accepted broken JSON";
  } catch (const oc::StoreError& error) {
    EXPECT_EQ(error.kind(), oc::StoreErrorKind::invalid_argument);
  }
  EXPECT_EQ(f.store->reference().get("offices")->version, 1);
}

TEST(Appointments, UpsertFindAndCheckIn) {
  Fixture f;
  f.store->appointments().upsert(appointment("A-100", f.clock));
  auto found = f.store->appointments().find("A-100");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->kind, "pin-unlock");
  EXPECT_EQ(found->holder_reference, "HOLDER-REF-A-100");
  EXPECT_FALSE(found->checked_in_at.has_value());
  EXPECT_FALSE(f.store->appointments().find("A-999").has_value());

  EXPECT_TRUE(f.store->appointments().mark_checked_in("A-100", f.clock.now()));
  EXPECT_FALSE(f.store->appointments().mark_checked_in("A-100", f.clock.now()));
  EXPECT_FALSE(f.store->appointments().mark_checked_in("A-999", f.clock.now()));
  // The centre's next upsert does not undo a local check-in.
  auto changed = appointment("A-100", f.clock);
  changed.slot_end += std::chrono::minutes(30);
  f.store->appointments().upsert(changed);
  f.reopen();
  found = f.store->appointments().find("A-100");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->checked_in_at, f.clock.now());
  EXPECT_EQ(found->slot_end, changed.slot_end);
}

TEST(Appointments, PersonalFieldsAreEncryptedAndBoundToTheRow) {
  Fixture f;
  std::vector<oc::Appointment> list{appointment("A-1", f.clock), appointment("A-2", f.clock)};
  f.store->appointments().upsert_all(list);
  f.store.reset();
  for (const auto& entry : std::filesystem::directory_iterator(f.dir.path())) {
    EXPECT_FALSE(mk::test::contains(mk::test::read_bytes(entry.path()), "HOLDER-REF"));
  }
  {
    auto db = oc::open_database(f.dir / "cache.db", false);
    db.exec(
        "UPDATE appointments SET (nonce, personal) = (SELECT nonce, personal FROM appointments "
        "WHERE number = 'A-2') WHERE number = 'A-1'");
  }
  f.reopen();
  try {
    f.store->appointments().find("A-1");
    FAIL() << "a moved ciphertext decrypted";
  } catch (const oc::StoreError& error) {
    EXPECT_EQ(error.kind(), oc::StoreErrorKind::decrypt_failed);
  }
  EXPECT_EQ(f.store->appointments().find("A-2")->holder_reference, "HOLDER-REF-A-2");
  // Another key does not even open the store (its key check).
  EXPECT_THROW(f.reopen(0x07), oc::StoreError);
}

TEST(Appointments, RefusesAMyNumberAndBadSlots) {
  Fixture f;
  auto a = appointment("A-1", f.clock);
  a.holder_reference = "123456789018";
  EXPECT_THROW(f.store->appointments().upsert(a), oc::StoreError);
  a = appointment("A-1", f.clock);
  a.slot_end = a.slot_start - std::chrono::minutes(1);
  EXPECT_THROW(f.store->appointments().upsert(a), oc::StoreError);
  EXPECT_EQ(f.store->appointments().count(), 0);
}

TEST(Appointments, RemovesEndedOnes) {
  Fixture f;
  f.store->appointments().upsert(appointment("A-1", f.clock));
  f.clock.advance(std::chrono::hours(5));
  f.store->appointments().upsert(appointment("A-2", f.clock));
  EXPECT_EQ(f.store->appointments().remove_ended_before(f.clock.now()), 1);
  EXPECT_FALSE(f.store->appointments().find("A-1").has_value());
  EXPECT_TRUE(f.store->appointments().find("A-2").has_value());
}
