// A staff PIN checked against the kiosk's copy of the centre's verifiers (CachedStaffCheck), on a
// real store: the answers a centre would give, the count of wrong PINs kept in the store and the
// lock at the fifth, and no copy — or one sealed with another key — as no answer at all.
#include "kiosk/runtime/cached_staff_check.hpp"

#include <gtest/gtest.h>

#include "base/pin_verifier.hpp"
#include "flows/rules/staff_sign_in.hpp"
#include "offline-cache/database.hpp"
#include "offline-cache/store.hpp"
#include "tests/offline_cache/cache_support.hpp"

namespace mk::kiosk {
namespace {

namespace oc = offline_cache;

class CachedStaff : public ::testing::Test {
 protected:
  CachedStaff() { open(); }
  void open(uint8_t key = 0x42) {
    store_.reset();
    store_ = oc::Store::open(dir_.path(), test::test_key(key));
  }
  void cache_the_centres_list() {
    const std::vector<oc::StaffVerifier> staff = {
        {"100001", "staff",
         base::make_pin_verifier(base::SecretBytes("246810"), base::VerifierCost::test)},
        {"100002", "supervisor",
         base::make_pin_verifier(base::SecretBytes("135791"), base::VerifierCost::test)}};
    ASSERT_TRUE(store_->staff().replace_all(staff));
  }
  flows::Event check(const char* id, const char* pin) {
    return CachedStaffCheck(store_->staff()).check(id, base::SecretBytes(pin));
  }

  test::TempDir dir_;
  std::unique_ptr<oc::Store> store_;
};

TEST_F(CachedStaff, WithoutACopyNothingCanBeChecked) {
  EXPECT_EQ(check("100001", "246810").outcome, "unavailable");
}

TEST_F(CachedStaff, TheRightPinSignsInAsTheCentreWouldSayingItWasTheKiosk) {
  cache_the_centres_list();
  const flows::Event e = check("100002", "135791");
  EXPECT_EQ(e.name, "staff_sign_in");
  EXPECT_EQ(e.outcome, "ok");
  EXPECT_EQ(flows::field(e.fields, "staff_id"), "100002");
  EXPECT_EQ(flows::field(e.fields, "role"), "supervisor");
  EXPECT_EQ(flows::field(e.fields, "checked_by"), "kiosk");
  EXPECT_EQ(check("999999", "135791").outcome, "staff_sign_in_refused");  // no such member
}

TEST_F(CachedStaff, TheFifthWrongPinInARowLocksUntilTheCentreSignsTheMemberIn) {
  cache_the_centres_list();
  EXPECT_EQ(check("100001", "000000").outcome, "staff_sign_in_refused");
  EXPECT_EQ(check("100001", "246810").outcome, "ok");  // a right one starts the count again
  for (int i = 1; i < flows::kStaffWrongPinsToLock; ++i) {
    EXPECT_EQ(check("100001", "000000").outcome, "staff_sign_in_refused") << i;
  }
  open();  // the count is in the store: a restart does not reset it
  EXPECT_EQ(check("100001", "000000").outcome, "staff_locked");
  EXPECT_EQ(check("100001", "246810").outcome, "staff_locked");
  EXPECT_EQ(check("100002", "135791").outcome, "ok");  // per member
  CachedStaffCheck(store_->staff()).signed_in_at_center("100001");
  EXPECT_EQ(check("100001", "246810").outcome, "ok");
}

TEST_F(CachedStaff, ACopySealedWithAnotherKeyIsNoCopy) {
  cache_the_centres_list();
  store_.reset();
  {
    auto db = oc::open_database(dir_ / "cache.db", false);
    db.exec("DELETE FROM key_check");  // a new key over the store (what --rekey-store avoids)
  }
  open(0x43);
  EXPECT_EQ(check("100001", "246810").outcome, "unavailable");
}

}  // namespace
}  // namespace mk::kiosk
