// The read-back flow end to end on the real card stack: the flow runtime and the kiosk's card
// service over pcscd (vpcd) and a virtual My Number card, inside a private pcscd namespace
// (tests/support/pcsc_namespace.sh). Placing the card, a wrong PIN, the right PIN, the record with
// a valid signature; and a card pulled while the PIN is being typed.
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "devices/pcsc/reader_manager.hpp"
#include "devices/sim/background_card.hpp"
#include "devices/sim/pki.hpp"
#include "flows/card_ops.hpp"
#include "flows/read_back/read_back_flow.hpp"
#include "kiosk/runtime/card_service.hpp"
#include "kiosk/runtime/flow_runtime.hpp"

namespace mk::kiosk {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using flows::Event;

constexpr const char* kReader = "Virtual PCD 00 00";

fs::path work_dir() {
  static const fs::path dir =
      fs::path(testing::TempDir()) / ("read-back-" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir;
}

std::unique_ptr<devices::sim::BackgroundCard> place_card(const std::string& person) {
  devices::sim::SimOptions o;
  o.card = "mynumber";
  o.fixture = std::string(MK_SOURCE_DIR) + "/devices/sim/fixtures/" + person + ".toml";
  o.port = 35963;
  o.state_file = work_dir() / (person + ".json");
  return std::make_unique<devices::sim::BackgroundCard>(o);
}

class ReadBackOnCards : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("MK_PCSCD_PID") == nullptr) {  // NOLINT(concurrency-mt-unsafe): before threads
      GTEST_SKIP() << "runs under tests/support/pcsc_namespace.sh (ctest does that)";
    }
    ASSERT_TRUE(devices::sim::wait_for_reader(kReader, false));
    fs::remove_all(work_dir());
    fs::create_directories(work_dir());
    readers_.emplace([this](const devices::ReaderEvent& e) {
      if (cards_) {
        cards_->on_reader_event(e);
      }
    });
    cards_ = std::make_unique<CardService>(
        *readers_, devices::sim::PkiCache::default_dir() / "license-ca.pem");
    FlowServices services;
    services.card = [this](flows::CardRequest r, Post p) {
      cards_->submit(std::move(r), std::move(p));
    };
    services.release_card = [this] { cards_->release(); };
    runtime_ = std::make_unique<FlowRuntime>(std::move(services));
  }
  void TearDown() override {
    if (cards_) {
      cards_->stop();  // nothing posts to the runtime after this
    }
    runtime_.reset();
    cards_.reset();
    readers_.reset();
    fs::remove_all(work_dir());
  }

  // Pumps the runtime until the flow is in `state` (or has ended in it), at most `limit`.
  bool reach(const std::string& state, std::chrono::milliseconds limit = 15s) {
    const auto end = FlowRuntime::Clock::now() + limit;
    while (FlowRuntime::Clock::now() < end) {
      runtime_->wait_for_post(100ms);
      runtime_->pump(FlowRuntime::Clock::now());
      if (runtime_->state() == state ||
          (!runtime_->active() && runtime_->last_outcome() == state)) {
        return true;
      }
    }
    return false;
  }
  std::string detail(const std::string& key) const {
    const auto& view = runtime_->view();
    if (view) {
      for (const auto& d : view->details) {
        if (d.key == key && !d.params.empty()) {
          return d.params.front().second;
        }
      }
    }
    return "<none>";
  }
  std::string text_param(const std::string& role) const {
    const auto& view = runtime_->view();
    if (!view || view->texts.count(role) == 0 || view->texts.at(role).params.empty()) {
      return "<none>";
    }
    return view->texts.at(role).params.front().second;
  }

  std::optional<devices::ReaderManager> readers_;
  std::unique_ptr<CardService> cards_;
  std::unique_ptr<FlowRuntime> runtime_;
};

TEST_F(ReadBackOnCards, PlaceCardWrongPinThenTheRecordWithAValidSignature) {
  runtime_->begin(
      std::make_unique<flows::FlowAdapter<flows::ReadBackFlow>>("read_back", flows::Language::ja),
      FlowRuntime::Clock::now());
  EXPECT_EQ(runtime_->state(), "place_card");
  auto card = place_card("yamada-taro");  // placed after the flow asked: the probe waits for it
  ASSERT_TRUE(reach("enter_pin")) << runtime_->state();
  EXPECT_EQ(text_param("tries"), "10");

  runtime_->input(Event::typed("pin", base::SecretBytes("1111")), FlowRuntime::Clock::now());
  EXPECT_EQ(runtime_->state(), "reading");
  ASSERT_TRUE(reach("enter_pin"));
  EXPECT_EQ(text_param("tries"), "9");  // the wrong PIN cost one try, as the card says

  runtime_->input(Event::typed("pin", base::SecretBytes("4321")), FlowRuntime::Clock::now());
  ASSERT_TRUE(reach("showing")) << runtime_->state();
  EXPECT_EQ(detail("read_back.field.number"), "301234567890");
  ASSERT_FALSE(runtime_->view()->details.empty());
  EXPECT_EQ(runtime_->view()->details.back().key, "read_back.field.signature_valid");
  EXPECT_EQ(detail("read_back.field.expiry"), "2029-05-12");

  runtime_->input(Event::tap("done"), FlowRuntime::Clock::now());
  EXPECT_FALSE(runtime_->active());
  EXPECT_EQ(runtime_->last_outcome(), "finished");
}

TEST_F(ReadBackOnCards, ACardPulledWhileThePinIsTypedIsToldApart) {
  auto card = place_card("yamada-taro");
  ASSERT_TRUE(devices::sim::wait_for_reader(kReader, true));
  runtime_->begin(
      std::make_unique<flows::FlowAdapter<flows::ReadBackFlow>>("read_back", flows::Language::en),
      FlowRuntime::Clock::now());
  ASSERT_TRUE(reach("enter_pin")) << runtime_->state();
  card.reset();  // pulled
  ASSERT_TRUE(reach("card_pulled")) << runtime_->state();
  EXPECT_EQ(runtime_->view()->screen, "read_back.card_pulled");
}

// A flow that asks for the card again (a pulled card, "try again") waits for the newer probe only:
// when the card comes, the older probe's answer must not reach it too, or the flow would move
// twice (e.g. out of the record's verification; record_resume_sweep_test met it under load).
TEST_F(ReadBackOnCards, AProbeAskedAgainIsAnsweredOnceByTheNewerOne) {
  // Shared with the answers: one that comes late (a failure) must not touch this stack.
  struct Seen {
    std::mutex mutex;
    std::vector<std::pair<int, Event>> answers;  // (which probe, its answer)
  };
  const auto seen = std::make_shared<Seen>();
  std::mutex& mutex = seen->mutex;
  std::vector<std::pair<int, Event>>& answers = seen->answers;
  const auto probe = [&](int which) {
    cards_->submit(flows::CardRequest{flows::card_ops::kProbeLicenseAp, {}, {}},
                   [seen, which](Event e) {
                     const std::lock_guard lock(seen->mutex);
                     seen->answers.emplace_back(which, std::move(e));
                   });
  };
  auto card = place_card("yamada-taro");
  ASSERT_TRUE(devices::sim::wait_for_reader(kReader, true));
  std::this_thread::sleep_for(500ms);  // the reader manager's event reached the card service
  probe(1);
  probe(2);  // asked again at once: the first has not answered yet
  const auto until = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < until) {
    {
      const std::lock_guard lock(mutex);
      if (!answers.empty()) {
        break;
      }
    }
    std::this_thread::sleep_for(20ms);
  }
  std::this_thread::sleep_for(1s);  // time for a second answer, were one coming
  const std::lock_guard lock(mutex);
  ASSERT_EQ(answers.size(), 1U);
  EXPECT_EQ(answers.front().first, 2) << "the newer probe answers";
  EXPECT_EQ(answers.front().second.name, flows::card_ops::kProbeLicenseAp);
  EXPECT_EQ(answers.front().second.outcome, flows::card_ops::kOk);
}

}  // namespace
}  // namespace mk::kiosk
