// Reference data with versions, and the appointments cache (personal fields encrypted).
#include <sstream>

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

namespace {

std::vector<oc::StaffVerifier> staff_list() {
  return {{"100001", "staff", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$AAAA"},
          {"100002", "supervisor", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$BBBB"}};
}

}  // namespace

TEST(StaffVerifiers, CachedSealedAndFoundAcrossAReopen) {
  Fixture f;
  EXPECT_EQ(f.store->staff().count(), 0);
  EXPECT_TRUE(f.store->staff().replace_all(staff_list()));
  f.reopen();
  const auto found = f.store->staff().find("100002");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->role, "supervisor");
  EXPECT_EQ(found->verifier.reveal(), staff_list()[1].verifier);
  EXPECT_EQ(found->wrong_pins, 0);
  EXPECT_FALSE(f.store->staff().find("999999").has_value());
  // Sealed: the verifiers are nowhere in cache.db as text.
  f.store.reset();
  for (const auto& name : {"cache.db", "cache.db-wal"}) {
    std::ifstream in(f.dir / name, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    EXPECT_EQ(bytes.str().find("argon2id"), std::string::npos) << name;
  }
}

TEST(StaffVerifiers, TheSameListWritesNothingAndAChangedOneKeepsTheCounts) {
  Fixture f;
  ASSERT_TRUE(f.store->staff().replace_all(staff_list()));
  EXPECT_FALSE(f.store->staff().replace_all(staff_list()));
  EXPECT_EQ(f.store->staff().count_wrong_pin("100001"), 1);
  EXPECT_EQ(f.store->staff().count_wrong_pin("100001"), 2);
  auto changed = staff_list();
  changed[1].verifier = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$CCCC";
  EXPECT_TRUE(f.store->staff().replace_all(changed));
  EXPECT_EQ(f.store->staff().find("100001")->wrong_pins, 2);
  EXPECT_EQ(f.store->staff().find("100002")->verifier.reveal(), changed[1].verifier);
  f.store->staff().clear_wrong_pins("100001");
  EXPECT_EQ(f.store->staff().find("100001")->wrong_pins, 0);
}

TEST(StaffVerifiers, AMemberTheCentreNoLongerListsCannotBeFound) {
  Fixture f;
  ASSERT_TRUE(f.store->staff().replace_all(staff_list()));
  const std::vector<oc::StaffVerifier> one = {staff_list()[0]};
  EXPECT_TRUE(f.store->staff().replace_all(one));
  EXPECT_EQ(f.store->staff().count(), 1);
  EXPECT_FALSE(f.store->staff().find("100002").has_value());
  EXPECT_EQ(f.store->staff().count_wrong_pin("100002"), 0);  // no row to count on
}

TEST(StaffVerifiers, AVerifierSealedWithAnotherKeyDoesNotOpenAndIsWrittenAnew) {
  Fixture f;
  ASSERT_TRUE(f.store->staff().replace_all(staff_list()));
  f.store.reset();
  {
    // The key file replaced over a store (what a new key does): the seal no longer opens.
    auto db = oc::open_database(f.dir / "cache.db", false);
    db.exec("DELETE FROM key_check");
  }
  f.reopen(0x43);
  try {
    (void)f.store->staff().find("100001");
    FAIL() << "a verifier sealed with another key opened";
  } catch (const oc::StoreError& e) {
    EXPECT_EQ(e.kind(), oc::StoreErrorKind::decrypt_failed);
  }
  EXPECT_TRUE(f.store->staff().replace_all(staff_list()));  // the same list, sealed anew
  EXPECT_EQ(f.store->staff().find("100001")->verifier.reveal(), staff_list()[0].verifier);
}

TEST(DayCounts, CountsByDayProcedureAndOutcomeWithDurations) {
  Fixture f;
  auto& days = f.store->day_counts();
  days.add_procedure("2026-11-27", "record", "done", 90'000);
  days.add_procedure("2026-11-27", "record", "done", 30'000);
  days.add_procedure("2026-11-27", "record", "cancelled", 5'000);
  days.add_procedure("2026-11-27", "read_back", "showing", 40'000);
  days.add_procedure("2026-11-28", "record", "done", 1'000);
  days.add_code("2026-11-27", "MK-CARD-PULLED");
  days.add_code("2026-11-27", "MK-CARD-PULLED");
  days.add_code("2026-11-27", "MK-CENTER-UNREACHABLE");
  f.reopen();
  const oc::DayReport r = f.store->day_counts().report("2026-11-27");
  ASSERT_EQ(r.procedures.size(), 3U);
  EXPECT_EQ(r.procedures[0].procedure, "read_back");
  EXPECT_EQ(r.procedures[1].outcome, "cancelled");
  EXPECT_EQ(r.procedures[2].outcome, "done");
  EXPECT_EQ(r.procedures[2].count, 2);
  EXPECT_EQ(r.procedures[2].total_ms, 120'000);
  EXPECT_EQ(r.procedures[2].max_ms, 90'000);
  ASSERT_EQ(r.codes.size(), 2U);
  EXPECT_EQ(r.codes[0].code, "MK-CARD-PULLED");
  EXPECT_EQ(r.codes[0].count, 2);
  EXPECT_EQ(f.store->day_counts().remove_before("2026-11-28"), 5);
  EXPECT_TRUE(f.store->day_counts().report("2026-11-27").procedures.empty());
  EXPECT_EQ(f.store->day_counts().report("2026-11-28").procedures.size(), 1U);
}

TEST(DayCounts, OnlyNamesTheCodeGivesNeverFreeText) {
  Fixture f;
  auto& days = f.store->day_counts();
  const auto refused = [](auto&& call) {
    try {
      call();
    } catch (const oc::StoreError& e) {
      return e.kind() == oc::StoreErrorKind::invalid_argument;
    }
    return false;
  };
  EXPECT_TRUE(refused([&] { days.add_procedure("27 Nov", "record", "done", 1); }));
  EXPECT_TRUE(refused([&] { days.add_procedure("2026-11-27", "山田 太郎", "done", 1); }));
  EXPECT_TRUE(refused([&] { days.add_procedure("2026-11-27", "record", "Done, said X", 1); }));
  EXPECT_TRUE(refused([&] { days.add_code("2026-11-27", "card pulled"); }));
  EXPECT_TRUE(refused([&] { days.add_code("2026-11-27", "MK-card"); }));
  EXPECT_TRUE(f.store->day_counts().report("2026-11-27").procedures.empty());
}
