// Outbox: durable, idempotent enqueue; the delivery outcomes; backoff; the AES-GCM binding of a
// payload to its row; no plaintext in the files; the background sender.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "offline-cache/background_sender.hpp"
#include "offline-cache/database.hpp"
#include "offline-cache/store.hpp"
#include "tests/offline_cache/cache_support.hpp"

namespace oc = mk::offline_cache;
using mk::test::as_bytes;
using mk::test::FakeClock;
using mk::test::TempDir;
using Outcome = oc::DeliveryResult::Outcome;

namespace {

struct Fixture {
  TempDir dir;
  FakeClock clock;
  double random = 0.5;
  std::unique_ptr<oc::Store> store;

  explicit Fixture(uint8_t key_fill = 0x42) { reopen(key_fill); }

  void reopen(uint8_t key_fill = 0x42) {
    store.reset();
    oc::StoreOptions options;
    options.clock = clock.clock();
    options.random = [this] { return random; };
    options.outbox.backoff = {std::chrono::seconds(10), std::chrono::minutes(10)};
    store = oc::Store::open(dir.path(), mk::test::test_key(key_fill), std::move(options));
  }
  oc::Outbox& outbox() { return store->outbox(); }
};

oc::Outbox::Deliver answer(Outcome outcome, std::vector<std::string>* seen = nullptr) {
  return [outcome, seen](const oc::OutboxItem& item) {
    if (seen != nullptr) {
      seen->push_back(item.idempotency_key + "=" + std::string(item.payload.reveal()));
    }
    return oc::DeliveryResult{outcome, outcome == Outcome::acknowledged ? "" : "centre said no"};
  };
}

}  // namespace

TEST(Outbox, EnqueueIsDurableAcrossAReopen) {
  Fixture f;
  const auto result =
      f.outbox().enqueue("onestop-consent", "k1", as_bytes("payload one"), "{\"v\":1}");
  EXPECT_TRUE(result.created);
  EXPECT_GT(result.id, 0);
  f.reopen();
  EXPECT_EQ(f.outbox().pending_count(), 1);
  std::vector<std::string> seen;
  f.outbox().deliver_due(f.clock.now(), answer(Outcome::acknowledged, &seen));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], "k1=payload one");
}

TEST(Outbox, SameIdempotencyKeyTwiceIsOneRow) {
  Fixture f;
  const auto first = f.outbox().enqueue("holding-form", "same", as_bytes("a"));
  const auto second = f.outbox().enqueue("holding-form", "same", as_bytes("b"));
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.id, first.id);
  EXPECT_EQ(f.outbox().pending_count(), 1);
  // Still a no-op after delivery (the tombstone keeps the key).
  f.outbox().deliver_due(f.clock.now(), answer(Outcome::acknowledged));
  const auto third = f.outbox().enqueue("holding-form", "same", as_bytes("c"));
  EXPECT_FALSE(third.created);
  EXPECT_EQ(third.state, oc::OutboxState::acknowledged);
  EXPECT_EQ(f.outbox().pending_count(), 0);
}

TEST(Outbox, AcknowledgedRowLosesItsPayloadAndIsNotSentAgain) {
  Fixture f;
  f.outbox().enqueue("portal-linkage", "k", as_bytes("secret"));
  const auto report = f.outbox().deliver_due(f.clock.now(), answer(Outcome::acknowledged));
  EXPECT_EQ(report.acknowledged, 1);
  EXPECT_EQ(f.outbox().pending_count(), 0);
  EXPECT_EQ(f.outbox().state_of("k"), oc::OutboxState::acknowledged);
  std::vector<std::string> seen;
  f.clock.advance(std::chrono::hours(1));
  f.outbox().deliver_due(f.clock.now(), answer(Outcome::acknowledged, &seen));
  EXPECT_TRUE(seen.empty());
  f.store.reset();
  auto db = oc::open_database(f.dir / "cache.db", false);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM outbox WHERE ciphertext IS NOT NULL"), 0);
}

TEST(Outbox, TombstonesArePrunedAfterTheirRetention) {
  Fixture f;
  f.outbox().enqueue("portal-linkage", "old", as_bytes("x"));
  f.outbox().deliver_due(f.clock.now(), answer(Outcome::acknowledged));
  f.clock.advance(std::chrono::hours(24 * 8));
  f.outbox().enqueue("portal-linkage", "new", as_bytes("y"));
  f.outbox().deliver_due(f.clock.now(), answer(Outcome::acknowledged));
  EXPECT_FALSE(f.outbox().state_of("old").has_value());
  EXPECT_EQ(f.outbox().state_of("new"), oc::OutboxState::acknowledged);
}

TEST(Outbox, RetryLaterKeepsTheRowAndWaitsForTheBackoff) {
  Fixture f;
  f.outbox().enqueue("holding-form", "k", as_bytes("x"));
  const auto report = f.outbox().deliver_due(f.clock.now(), answer(Outcome::retry_later));
  EXPECT_EQ(report.retried, 1);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_NE(report.problems[0].text.find("centre said no"), std::string::npos);
  EXPECT_EQ(report.problems[0].code, oc::problem_code::kOutboxRetry);
  EXPECT_FALSE(report.problems[0].needs_staff) << "a retry is the system coping";
  EXPECT_EQ(f.outbox().pending_count(), 1);
  // Not due before the backoff (10 s base, random 0.5: 7.5 s).
  std::vector<std::string> seen;
  f.clock.advance(std::chrono::seconds(7));
  f.outbox().deliver_due(f.clock.now(), answer(Outcome::acknowledged, &seen));
  EXPECT_TRUE(seen.empty());
  f.clock.advance(std::chrono::seconds(1));
  f.outbox().deliver_due(f.clock.now(), answer(Outcome::acknowledged, &seen));
  EXPECT_EQ(seen.size(), 1u);
}

TEST(Outbox, AThrowingDeliveryIsARetry) {
  Fixture f;
  f.outbox().enqueue("holding-form", "k", as_bytes("x"));
  const auto report =
      f.outbox().deliver_due(f.clock.now(), [](const oc::OutboxItem&) -> oc::DeliveryResult {
        throw std::runtime_error("connection reset");
      });
  EXPECT_EQ(report.retried, 1);
  EXPECT_EQ(f.outbox().pending_count(), 1);
  EXPECT_NE(report.problems.at(0).text.find("connection reset"), std::string::npos);
}

TEST(Outbox, RejectedPermanentlyGoesToDeadLettersStillEncrypted) {
  Fixture f;
  f.outbox().enqueue("onestop-consent", "k", as_bytes("DEADLETTER-PLAINTEXT"), "{\"form\":3}");
  const auto report = f.outbox().deliver_due(f.clock.now(), answer(Outcome::rejected_permanently));
  EXPECT_EQ(report.rejected, 1);
  EXPECT_EQ(f.outbox().pending_count(), 0);
  EXPECT_EQ(f.outbox().dead_letter_count(), 1);
  const auto letters = f.outbox().dead_letters();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].idempotency_key, "k");
  EXPECT_EQ(letters[0].metadata, "{\"form\":3}");
  EXPECT_NE(letters[0].reason.find("centre said no"), std::string::npos);
  EXPECT_EQ(f.outbox().state_of("k"), oc::OutboxState::dead);
  EXPECT_FALSE(f.outbox().enqueue("onestop-consent", "k", as_bytes("again")).created);
  f.store.reset();
  auto db = oc::open_database(f.dir / "cache.db", false);
  EXPECT_EQ(db.query_int("SELECT length(ciphertext) FROM dead_letter"),
            static_cast<int64_t>(std::string("DEADLETTER-PLAINTEXT").size() + 16));
}

TEST(Outbox, ADeadLetterSentAgainByStaffIsDeliveredWithItsPayloadUnderANewKey) {
  Fixture f;
  f.outbox().enqueue("onestop-consent", "k", as_bytes("SENT-AGAIN"), "{\"form\":3}");
  f.outbox().deliver_due(f.clock.now(), answer(Outcome::rejected_permanently));
  ASSERT_EQ(f.outbox().dead_letter_count(), 1);
  const int64_t id = f.outbox().dead_letters().at(0).id;
  EXPECT_FALSE(f.outbox().requeue_dead_letter(id + 1, "k2"));
  int woken = 0;
  f.outbox().set_enqueue_listener([&woken] { ++woken; });
  ASSERT_TRUE(f.outbox().requeue_dead_letter(id, "k2"));
  EXPECT_EQ(woken, 1);
  EXPECT_EQ(f.outbox().dead_letter_count(), 0);
  EXPECT_EQ(f.outbox().pending_count(), 1);
  EXPECT_FALSE(f.outbox().state_of("k").has_value());  // the centre refused that key
  EXPECT_EQ(f.outbox().state_of("k2"), oc::OutboxState::pending);
  EXPECT_FALSE(f.outbox().requeue_dead_letter(id, "k3"));  // once
  std::vector<std::string> seen;
  const auto report = f.outbox().deliver_due(f.clock.now(), answer(Outcome::acknowledged, &seen));
  EXPECT_EQ(report.acknowledged, 1);
  EXPECT_EQ(seen, std::vector<std::string>{"k2=SENT-AGAIN"});  // sealed again for the new key
  EXPECT_EQ(f.outbox().pending_count(), 0);
}

// Issue 15: a wrong key (a stale backup, another kiosk's) is refused when the store opens,
// before any row can turn into an undecryptable dead letter.
TEST(Outbox, AWrongKeyIsRefusedAtOpen) {
  Fixture f;
  f.outbox().enqueue("holding-form", "a", as_bytes("one"));
  try {
    f.reopen(0x99);
    FAIL() << "another key opened the store";
  } catch (const oc::StoreError& e) {
    EXPECT_EQ(e.kind(), oc::StoreErrorKind::key_file);
  }
  f.reopen();
  EXPECT_EQ(f.outbox().pending_count(), 1);
}

TEST(Outbox, AnAlteredPayloadIsNeverSentAndKeptAsADeadLetter) {
  Fixture f;
  f.outbox().enqueue("holding-form", "a", as_bytes("one"));
  f.outbox().enqueue("holding-form", "b", as_bytes("two"));
  {
    auto db = oc::open_database(f.dir / "cache.db", false);
    db.exec("UPDATE outbox SET ciphertext = zeroblob(length(ciphertext))");
  }
  std::vector<std::string> seen;
  const auto report = f.outbox().deliver_due(f.clock.now(), answer(Outcome::acknowledged, &seen));
  EXPECT_TRUE(seen.empty());
  EXPECT_EQ(report.undecryptable, 2);
  ASSERT_EQ(report.problems.size(), 2u);
  EXPECT_EQ(report.problems[0].code, oc::problem_code::kUndecryptable);
  EXPECT_TRUE(report.problems[0].needs_staff);
  EXPECT_EQ(f.outbox().dead_letter_count(), 2);
  EXPECT_NE(f.outbox().dead_letters()[0].reason.find("did not decrypt"), std::string::npos);
}

TEST(Outbox, SwappedCiphertextsFailToDecrypt) {
  Fixture f;
  f.outbox().enqueue("holding-form", "a", as_bytes("payload A"));
  f.outbox().enqueue("holding-form", "b", as_bytes("payload B"));
  f.store.reset();
  {
    auto db = oc::open_database(f.dir / "cache.db", false);
    db.exec(
        "CREATE TEMP TABLE saved AS SELECT idempotency_key, nonce, ciphertext FROM outbox;"
        "UPDATE outbox SET (nonce, ciphertext) = (SELECT nonce, ciphertext FROM saved WHERE "
        "saved.idempotency_key = CASE outbox.idempotency_key WHEN 'a' THEN 'b' ELSE 'a' END);");
  }
  f.reopen();
  std::vector<std::string> seen;
  const auto report = f.outbox().deliver_due(f.clock.now(), answer(Outcome::acknowledged, &seen));
  EXPECT_TRUE(seen.empty());
  EXPECT_EQ(report.undecryptable, 2);
}

TEST(Outbox, AlteredCiphertextFailsToDecrypt) {
  Fixture f;
  f.outbox().enqueue("holding-form", "a", as_bytes("payload A"));
  f.store.reset();
  {
    auto db = oc::open_database(f.dir / "cache.db", false);
    db.exec("UPDATE outbox SET ciphertext = zeroblob(length(ciphertext))");
  }
  f.reopen();
  const auto report = f.outbox().deliver_due(f.clock.now(), answer(Outcome::acknowledged));
  EXPECT_EQ(report.undecryptable, 1);
  EXPECT_EQ(report.acknowledged, 0);
}

TEST(Outbox, PlaintextPayloadNeverReachesTheFiles) {
  Fixture f;
  const std::string marker = "MARKER-Yamada-Taro-1980-01-01";
  for (int i = 0; i < 20; ++i) {
    f.outbox().enqueue("onestop-consent", "k" + std::to_string(i),
                       as_bytes(marker + "-" + std::to_string(i)));
  }
  f.outbox().deliver_due(f.clock.now(), answer(Outcome::retry_later), 5);
  f.outbox().deliver_due(f.clock.now(), answer(Outcome::acknowledged), 5);
  // While the store is open the rows are in the -wal; look at every file in the directory.
  bool saw_wal = false;
  for (const auto& entry : std::filesystem::directory_iterator(f.dir.path())) {
    saw_wal = saw_wal || entry.path().filename() == "cache.db-wal";
    EXPECT_FALSE(mk::test::contains(mk::test::read_bytes(entry.path()), marker)) << entry.path();
  }
  EXPECT_TRUE(saw_wal);
  f.store.reset();
  EXPECT_FALSE(mk::test::contains(mk::test::read_bytes(f.dir / "cache.db"), marker));
}

TEST(Outbox, MetadataWithAMyNumberIsRefused) {
  Fixture f;
  try {
    f.outbox().enqueue("holding-form", "k", as_bytes("x"), "{\"n\":\"123456789018\"}");
    FAIL() << "accepted";
  } catch (const oc::StoreError& error) {
    EXPECT_EQ(error.kind(), oc::StoreErrorKind::sensitive_data);
    EXPECT_EQ(std::string(error.what()).find("123456789018"), std::string::npos);
  }
  EXPECT_EQ(f.outbox().pending_count(), 0);
}

TEST(Outbox, HealthNumbers) {
  Fixture f;
  EXPECT_FALSE(f.outbox().oldest_pending_age(f.clock.now()).has_value());
  f.outbox().enqueue("holding-form", "a", as_bytes("x"));
  f.clock.advance(std::chrono::minutes(3));
  f.outbox().enqueue("holding-form", "b", as_bytes("x"));
  f.clock.advance(std::chrono::minutes(2));
  EXPECT_EQ(f.outbox().pending_count(), 2);
  EXPECT_EQ(f.outbox().oldest_pending_age(f.clock.now()), std::chrono::minutes(5));
}

TEST(Backoff, GrowsAndIsCapped) {
  const oc::BackoffPolicy policy{std::chrono::seconds(5), std::chrono::minutes(15)};
  oc::Milliseconds previous_floor{0};
  for (int attempts = 1; attempts <= 30; ++attempts) {
    const auto low = oc::backoff_delay(policy, attempts, 0.0);
    const auto high = oc::backoff_delay(policy, attempts, 0.999999);
    EXPECT_LE(high, policy.cap) << attempts;
    EXPECT_LE(low, high);
    EXPECT_GE(low, previous_floor) << attempts;
    previous_floor = low;
  }
  EXPECT_EQ(oc::backoff_delay(policy, 1, 0.0), std::chrono::milliseconds(2500));
  EXPECT_EQ(oc::backoff_delay(policy, 2, 0.0), std::chrono::milliseconds(5000));
  EXPECT_EQ(oc::backoff_delay(policy, 3, 0.0), std::chrono::milliseconds(10000));
  EXPECT_EQ(oc::backoff_delay(policy, 30, 0.0), std::chrono::milliseconds(450'000));
  EXPECT_EQ(oc::backoff_delay(policy, 1000, 0.0), std::chrono::milliseconds(450'000));
  // The jitter comes from the injected source.
  EXPECT_NE(oc::backoff_delay(policy, 4, 0.1), oc::backoff_delay(policy, 4, 0.9));
}

TEST(Outbox, RepeatedFailuresSpreadOutToTheCap) {
  Fixture f;
  f.random = 0.0;
  f.outbox().enqueue("holding-form", "k", as_bytes("x"));
  std::vector<int64_t> delays;
  for (int i = 0; i < 12; ++i) {
    const auto due = f.outbox().next_due_at();
    ASSERT_TRUE(due.has_value());
    f.clock.advance(*due - f.clock.now());
    f.outbox().deliver_due(f.clock.now(), answer(Outcome::retry_later));
    delays.push_back((*f.outbox().next_due_at() - f.clock.now()).count());
  }
  EXPECT_EQ(delays.front(), 5'000);  // half of the 10 s base
  for (size_t i = 1; i < delays.size(); ++i) {
    EXPECT_GE(delays[i], delays[i - 1]);
  }
  EXPECT_EQ(delays.back(), 300'000);  // half of the 10 min cap
}

TEST(BackgroundSender, DeliversOnEnqueueAndStopsCleanly) {
  Fixture f;
  std::mutex mutex;
  std::condition_variable arrived;
  std::set<std::string> received;
  oc::BackgroundSender sender(
      f.outbox(),
      [&](const oc::OutboxItem& item) {
        std::lock_guard lock(mutex);
        received.insert(item.idempotency_key);
        arrived.notify_all();
        return oc::DeliveryResult::acknowledged();
      },
      f.clock.clock(), {.idle_poll = std::chrono::minutes(10), .batch = 4, .on_problem = {}});
  f.outbox().enqueue("holding-form", "before-start", as_bytes("x"));
  sender.start();
  for (int i = 0; i < 10; ++i) {
    f.outbox().enqueue("holding-form", "k" + std::to_string(i), as_bytes("x"));
  }
  {
    // The idle poll is 10 minutes: only the enqueue wake-ups can deliver within this wait.
    std::unique_lock lock(mutex);
    EXPECT_TRUE(
        arrived.wait_for(lock, std::chrono::seconds(60), [&] { return received.size() == 11; }));
  }
  sender.stop();
  EXPECT_EQ(f.outbox().pending_count(), 0);
  EXPECT_EQ(sender.delivered(), 11);
  // After stop, nothing is delivered any more.
  f.outbox().enqueue("holding-form", "after-stop", as_bytes("x"));
  EXPECT_EQ(f.outbox().pending_count(), 1);
}

TEST(BackgroundSender, ReportsRetriesAsProblems) {
  Fixture f;
  std::mutex mutex;
  std::condition_variable called;
  int calls = 0;
  std::vector<oc::StoreProblem> heard;  // what the on_problem callback was told, as it happened
  oc::BackgroundSender sender(f.outbox(),
                              [&](const oc::OutboxItem&) {
                                std::lock_guard lock(mutex);
                                ++calls;
                                called.notify_all();
                                return oc::DeliveryResult::retry_later("centre unreachable");
                              },
                              f.clock.clock(),
                              {.idle_poll = std::chrono::minutes(10),
                               .batch = 4,
                               .on_problem = [&](const oc::StoreProblem& p) {
                                 std::lock_guard lock(mutex);
                                 heard.push_back(p);
                               }});
  sender.start();
  f.outbox().enqueue("holding-form", "k", as_bytes("x"));
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(called.wait_for(lock, std::chrono::seconds(60), [&] { return calls >= 1; }));
  }
  sender.stop();
  ASSERT_FALSE(heard.empty());
  EXPECT_NE(heard[0].text.find("centre unreachable"), std::string::npos);
  EXPECT_EQ(heard[0].code, oc::problem_code::kOutboxRetry);
  EXPECT_EQ(f.outbox().pending_count(), 1);
}
