// The flow runtime carries out a flow's effects and feeds answers back: here the read-back flow
// runs against a scripted card service on another thread. Late answers for an ended flow must
// never reach the next one.
#include "kiosk/runtime/flow_runtime.hpp"

#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flows/card_ops.hpp"
#include "flows/read_back/read_back_flow.hpp"

namespace mk::kiosk {
namespace {

using flows::Event;
using namespace std::chrono_literals;

struct ScriptedCard {
  std::vector<std::string> ops;
  std::vector<std::string> pins;  // what reached the card layer
  std::vector<Post> posts;
  int releases = 0;
  std::vector<std::string> audits;
  std::vector<std::string> problems;  // "code: text"
};

FlowServices services(ScriptedCard& card) {
  FlowServices s;
  s.card = [&card](flows::CardRequest request, Post post) {
    card.ops.push_back(request.op);
    card.pins.emplace_back(request.pin.reveal());
    card.posts.push_back(std::move(post));
  };
  s.release_card = [&card] { ++card.releases; };
  s.audit = [&card](const flows::AuditEntry& e, const std::string& flow, const std::string&) {
    card.audits.push_back(flow + " " + e.action + " " + e.result);
  };
  s.problem = [&card](const std::string& code, bool, const std::string& text) {
    card.problems.push_back(code + ": " + text);
  };
  return s;
}

std::unique_ptr<flows::RunningFlow> read_back() {
  return std::make_unique<flows::FlowAdapter<flows::ReadBackFlow>>("read_back",
                                                                   flows::Language::ja);
}

TEST(FlowRuntime, RunsTheReadBackFlowWithAnswersFromAnotherThread) {
  ScriptedCard card;
  FlowRuntime runtime(services(card));
  const auto t0 = FlowRuntime::Clock::now();
  runtime.begin(read_back(), t0);
  ASSERT_TRUE(runtime.view());
  EXPECT_EQ(runtime.view()->screen, "read_back.place_card");
  ASSERT_THAT(card.ops, ::testing::ElementsAre(flows::card_ops::kProbeLicenseAp));

  std::thread device([post = card.posts[0]] {
    post(Event::card(flows::card_ops::kProbeLicenseAp, "ok",
                     {{"has_license_ap", "1"}, {"record_state", "02"}, {"tries", "9"}}));
  });
  device.join();
  ASSERT_TRUE(runtime.wait_for_post(1s));
  EXPECT_TRUE(runtime.pump(t0));
  EXPECT_EQ(runtime.view()->screen, "read_back.enter_pin");

  runtime.input(Event::typed("pin", base::SecretBytes("4321")), t0);
  ASSERT_EQ(card.ops.size(), 2U);
  EXPECT_EQ(card.pins[1], "4321");
  card.posts[1](Event::card(flows::card_ops::kReadLicense, "ok", {{"number", "301234567890"}}));
  runtime.pump(t0);
  EXPECT_EQ(runtime.view()->screen, "read_back.showing");
  EXPECT_THAT(card.audits, ::testing::ElementsAre("read_back read_back.read started",
                                                  "read_back read_back.read ok"));

  runtime.input(Event::tap("done"), t0);
  EXPECT_FALSE(runtime.active());
  EXPECT_EQ(runtime.last_outcome(), "finished");
  EXPECT_FALSE(runtime.view());  // the record left the screen with the flow
  EXPECT_EQ(card.releases, 1);
}

TEST(FlowRuntime, ALateAnswerNeverReachesTheNextFlow) {
  ScriptedCard card;
  FlowRuntime runtime(services(card));
  const auto t0 = FlowRuntime::Clock::now();
  runtime.begin(read_back(), t0);
  runtime.input(Event::cancel(), t0);
  EXPECT_FALSE(runtime.active());
  runtime.begin(read_back(), t0);
  // The first flow's probe answers now: it must be dropped.
  card.posts[0](Event::card(flows::card_ops::kProbeLicenseAp, "ok",
                            {{"has_license_ap", "1"}, {"record_state", "02"}, {"tries", "9"}}));
  runtime.pump(t0);
  EXPECT_EQ(runtime.state(), "place_card");
  card.posts[1](Event::card(flows::card_ops::kProbeLicenseAp, "not_my_number_card"));
  runtime.pump(t0);
  EXPECT_EQ(runtime.state(), "wrong_card");
}

TEST(FlowRuntime, TimersFireOnTheirDeadline) {
  ScriptedCard card;
  FlowRuntime runtime(services(card));
  const auto t0 = FlowRuntime::Clock::now();
  runtime.begin(read_back(), t0);
  card.posts[0](Event::card(flows::card_ops::kProbeLicenseAp, "ok",
                            {{"has_license_ap", "1"}, {"record_state", "02"}, {"tries", "9"}}));
  runtime.pump(t0);
  runtime.input(Event::typed("pin", base::SecretBytes("4321")), t0);
  runtime.input(Event::removed(), t0);
  EXPECT_EQ(runtime.state(), "card_pulled");
  ASSERT_TRUE(runtime.next_deadline());
  EXPECT_EQ(*runtime.next_deadline(), t0 + 15s);
  runtime.pump(t0 + 14s);
  EXPECT_EQ(runtime.state(), "card_pulled");
  runtime.pump(t0 + 15s);
  EXPECT_FALSE(runtime.active());
  EXPECT_EQ(runtime.last_outcome(), "cancelled");
  EXPECT_FALSE(runtime.next_deadline());
}

TEST(FlowRuntime, ARequestWithNoServiceIsAnsweredAsAnError) {
  FlowRuntime runtime(FlowServices{});
  const auto t0 = FlowRuntime::Clock::now();
  runtime.begin(read_back(), t0);
  runtime.pump(t0);
  EXPECT_EQ(runtime.state(), "card_error");
}

// A flow whose handler breaks its own table (a bug) must not take the kiosk down: it ends, the
// card is released and the screen forgets.
struct BrokenFlow {
  flows::FlowDefinition def = [] {
    flows::FlowDefinition d;
    d.name = "broken";
    d.initial = "a";
    d.states = {{"a", "done", "done", "done", false, ""}, {"done", "", "", "", true, ""}};
    return d;
  }();
  flows::FlowMachine machine{def,
                             {{"a",
                               {nullptr,
                                [](flows::Event&) -> flows::Step {
                                  return {"done", {}};  // an outcome the table has no edge for
                                }}}},
                             nullptr};
  flows::Effects start() { return machine.start(); }
  flows::Effects dispatch(flows::Event e) { return machine.dispatch(std::move(e)); }
  std::string state() const { return machine.state(); }
  void abandon() { machine.abandon(); }
  std::string diagnostic() const { return {}; }
};

TEST(FlowRuntime, AFlowThatBreaksItsTableEndsInsteadOfTheKiosk) {
  ScriptedCard card;
  FlowRuntime runtime(services(card));
  runtime.begin(std::make_unique<flows::FlowAdapter<BrokenFlow>>("broken"),
                FlowRuntime::Clock::now());
  runtime.input(Event::tap("anything"), FlowRuntime::Clock::now());
  EXPECT_FALSE(runtime.active());
  EXPECT_EQ(runtime.last_outcome(), "failed");
  EXPECT_EQ(card.releases, 1);
  ASSERT_EQ(card.problems.size(), 1U);
  EXPECT_THAT(card.problems[0], ::testing::StartsWith("MK-FLOW-FAILED: broken: "));
}

// Issue 12 §6, the three tiers of an error: what the card said (the event), what the person is
// told (the state's screen), and the code staff look up, with the flow and the state — in the log
// and, small, on the screen.
TEST(FlowRuntime, AStateWhereSomethingWentWrongIsReportedWithItsCode) {
  ScriptedCard card;
  FlowRuntime runtime(services(card));
  const auto t0 = FlowRuntime::Clock::now();
  runtime.begin(read_back(), t0);
  EXPECT_FALSE(runtime.view()->texts.contains("diagnostic"));
  card.posts[0](Event::card(flows::card_ops::kProbeLicenseAp, "transport_error"));
  runtime.pump(t0);
  ASSERT_EQ(runtime.view()->screen, "read_back.card_error");
  EXPECT_THAT(card.problems, ::testing::ElementsAre("MK-CARD-UNREADABLE: read_back/card_error "
                                                    "after card:probe_license_ap=transport_error"));
  const auto& shown = runtime.view()->texts.at("diagnostic");
  EXPECT_EQ(shown.key, "common.diagnostic");
  EXPECT_THAT(shown.params, ::testing::ElementsAre(
                                std::pair<std::string, std::string>{"code", "MK-CARD-UNREADABLE"}));
  runtime.input(Event::tap("retry"), t0);  // back to placing the card: no code there
  EXPECT_FALSE(runtime.view()->texts.contains("diagnostic"));
}

// Issue 15, defect 6: every way out of a flow wipes what it held — a final state, a flow error,
// a forced end when another flow starts, and the runtime itself going away. The flow's wipe runs
// through its machine, as every real flow's does.
struct WipeCountingFlow {
  explicit WipeCountingFlow(std::shared_ptr<int> wipes) : wipes_(std::move(wipes)) {}
  flows::FlowDefinition def = [] {
    flows::FlowDefinition d;
    d.name = "wipe_counting";
    d.initial = "holding";
    // Cancel waits in "holding" (as a card write does), so only a forced end can stop it.
    d.states = {{"holding", "done", "holding", "done", false, ""}, {"done", "", "", "", true, ""}};
    d.transitions = {{"holding", "tap:finish", "done"}};
    return d;
  }();
  std::shared_ptr<int> wipes_;
  flows::FlowMachine machine{def,
                             {{"holding",
                               {nullptr,
                                [](flows::Event& e) -> flows::Step {
                                  if (e.label() == "tap:break") {
                                    return {"nowhere", {}};  // no edge for it: a FlowError
                                  }
                                  return {};
                                }}}},
                             [this] { ++*wipes_; }};
  flows::Effects start() { return machine.start(); }
  flows::Effects dispatch(flows::Event e) { return machine.dispatch(std::move(e)); }
  std::string state() const { return machine.state(); }
  void abandon() { machine.abandon(); }
  std::string diagnostic() const { return {}; }
};

std::unique_ptr<flows::RunningFlow> wipe_counting(const std::shared_ptr<int>& wipes) {
  return std::make_unique<flows::FlowAdapter<WipeCountingFlow>>("wipe_counting", wipes);
}

TEST(FlowRuntimeWipe, EveryWayOutOfAFlowWipesIt) {
  ScriptedCard card;
  const auto now = FlowRuntime::Clock::now();
  {
    auto wipes = std::make_shared<int>(0);
    FlowRuntime runtime(services(card));
    runtime.begin(wipe_counting(wipes), now);
    runtime.input(Event::tap("finish"), now);
    EXPECT_FALSE(runtime.active());
    EXPECT_GE(*wipes, 1) << "a final state";
  }
  {
    auto wipes = std::make_shared<int>(0);
    FlowRuntime runtime(services(card));
    runtime.begin(wipe_counting(wipes), now);
    runtime.input(Event::tap("break"), now);
    EXPECT_EQ(runtime.last_outcome(), "failed");
    EXPECT_EQ(*wipes, 1) << "a flow error";
  }
  {
    auto wipes = std::make_shared<int>(0);
    FlowRuntime runtime(services(card));
    runtime.begin(wipe_counting(wipes), now);
    runtime.input(Event::cancel(), now);
    EXPECT_EQ(runtime.state(), "holding") << "cancel waits here";
    EXPECT_EQ(*wipes, 0);
    runtime.begin(read_back(), now);
    EXPECT_EQ(*wipes, 1) << "a forced end when another flow starts";
  }
  {
    auto wipes = std::make_shared<int>(0);
    {
      FlowRuntime runtime(services(card));
      runtime.begin(wipe_counting(wipes), now);
    }
    EXPECT_EQ(*wipes, 1) << "the runtime going away with a flow running";
  }
}

TEST(FlowRuntimeWipe, AnAbandonedFlowTakesNoMoreEvents) {
  auto wipes = std::make_shared<int>(0);
  WipeCountingFlow flow(wipes);
  flow.start();
  flow.abandon();
  EXPECT_TRUE(flow.dispatch(Event::tap("finish")).empty());
  EXPECT_EQ(flow.state(), "holding");
}

}  // namespace
}  // namespace mk::kiosk
