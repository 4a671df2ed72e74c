// The flow engine: a table that does not hold together is refused, an outcome the table does
// not name is refused, a handler may refuse an event, every way into a final state cleans up,
// and the generic exits follow each state's declaration. A small PIN-entry flow stands in for the
// real ones.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flows/engine/machine.hpp"
#include "tests/flows/flow_effects.hpp"

namespace mk::flows {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// place card -> enter PIN -> verify -> done; wrong PIN goes back to entry.
FlowDefinition pin_flow() {
  FlowDefinition def;
  def.name = "pin";
  def.initial = "place_card";
  def.states = {
      {"place_card", "place_card", "cancelled", "cancelled", false, ""},
      {"enter_pin", "card_pulled", "cancelled", "cancelled", false, "tries left shown"},
      {"verifying", "card_pulled", "verifying", "verifying", false, "cancel waits for the card"},
      {"done", "", "", "", true, ""},
      {"card_pulled", "", "", "", true, ""},
      {"cancelled", "", "", "", true, ""},
  };
  def.transitions = {
      {"place_card", "card:detect=ok", "enter_pin"},  // no handler: the event's label
      {"enter_pin", "pin_sent", "verifying"},        {"enter_pin", "pin_format", "enter_pin"},
      {"verifying", "card:verify=ok", "done"},       {"verifying", "wrong_pin", "enter_pin"},
      {"verifying", "card:verify=*", "cancelled"},
  };
  return def;
}

Effects show(const char* screen) {
  Effects e;
  ViewModel vm;
  vm.screen = screen;
  e.emplace_back(ShowView{vm});
  return e;
}

struct PinFlow {
  FlowDefinition def = pin_flow();
  std::string pin_seen;
  int wipes = 0;
  bool misbehave = false;      // the handler names an outcome the table does not have
  bool refuse_detect = false;  // the handler refuses an event its table has an edge for

  FlowMachine machine() {
    std::map<std::string, StateBehaviour> b;
    b["place_card"] = {[] { return show("place_card"); },
                       [this](Event&) -> Step { return refuse_detect ? stay() : Step{}; }};
    b["enter_pin"] = {[] { return show("enter_pin"); },
                      [this](Event& ev) -> Step {
                        if (ev.label() != "tap:pin_ok") {
                          return {};
                        }
                        if (misbehave) {
                          return {"verified", {}};
                        }
                        if (ev.secret.empty()) {
                          return {"pin_format", {}};
                        }
                        Effects e;
                        pin_seen = std::string(ev.secret.reveal());
                        e.emplace_back(CardRequest{"verify", {}, std::move(ev.secret)});
                        return {"pin_sent", std::move(e)};
                      }};
    b["verifying"] = {nullptr, [](Event& ev) -> Step {
                        if (ev.label() == "card:verify=wrong_pin") {
                          return {"wrong_pin", {}};
                        }
                        return {};  // ok and the rest: the table's labels
                      }};
    return FlowMachine(def, std::move(b), [this] { ++wipes; });
  }
};

using testing::names;

TEST(FlowEngine, HappyPathEndsWithCleanUp) {
  PinFlow f;
  FlowMachine m = f.machine();
  EXPECT_THAT(names(m.start()), ElementsAre("show"));
  m.dispatch(Event::card("detect", "ok"));
  EXPECT_EQ(m.state(), "enter_pin");
  const Effects sent = m.dispatch(Event::typed("pin_ok", base::SecretBytes("4821")));
  ASSERT_THAT(names(sent), ElementsAre("card"));
  EXPECT_EQ(std::get<CardRequest>(sent[0]).pin.reveal(), "4821");
  EXPECT_THAT(names(m.dispatch(Event::card("verify", "ok"))),
              ElementsAre("wipe", "release_card", "ended"));
  EXPECT_TRUE(m.finished());
  EXPECT_EQ(f.wipes, 1);
  EXPECT_TRUE(m.dispatch(Event::tap("anything")).empty());
}

TEST(FlowEngine, EveryAbortPathCleansUp) {
  for (const auto& abort : {Event::cancel(), Event::idle(), Event::removed()}) {
    PinFlow f;
    FlowMachine m = f.machine();
    m.start();
    m.dispatch(Event::card("detect", "ok"));
    Event e;
    e.kind = abort.kind;
    const Effects effects = m.dispatch(std::move(e));
    EXPECT_TRUE(m.finished()) << abort.label();
    EXPECT_THAT(names(effects), ElementsAre("wipe", "release_card", "ended")) << abort.label();
    EXPECT_EQ(f.wipes, 1);
  }
}

TEST(FlowEngine, AStateMayDeclareThatCancelWaits) {
  PinFlow f;
  FlowMachine m = f.machine();
  m.start();
  m.dispatch(Event::card("detect", "ok"));
  m.dispatch(Event::typed("pin_ok", base::SecretBytes("4821")));
  EXPECT_TRUE(m.dispatch(Event::cancel()).empty());
  EXPECT_EQ(m.state(), "verifying");
  m.dispatch(Event::card("verify", "wrong_pin"));
  EXPECT_EQ(m.state(), "enter_pin");
  m.dispatch(Event::typed("pin_ok", base::SecretBytes("4822")));
  m.dispatch(Event::card("verify", "blocked"));  // matched by card:verify=*
  EXPECT_EQ(m.state(), "cancelled");
}

TEST(FlowEngine, AnOutcomeTheTableDoesNotNameIsRefused) {
  PinFlow f;
  f.misbehave = true;
  FlowMachine m = f.machine();
  m.start();
  m.dispatch(Event::card("detect", "ok"));
  try {
    m.dispatch(Event::tap("pin_ok"));
    FAIL() << "an outcome without an edge went through";
  } catch (const FlowError& e) {
    EXPECT_THAT(e.what(), HasSubstr("state 'enter_pin' has no edge for outcome 'verified'"));
  }
}

TEST(FlowEngine, AHandlerMayRefuseAnEventItsTableHasAnEdgeFor) {
  PinFlow f;
  f.refuse_detect = true;
  FlowMachine m = f.machine();
  m.start();
  EXPECT_TRUE(m.dispatch(Event::card("detect", "ok")).empty());
  EXPECT_EQ(m.state(), "place_card");
}

TEST(FlowEngine, ASelfEdgeShowsTheStateAgain) {
  PinFlow f;
  FlowMachine m = f.machine();
  m.start();
  m.dispatch(Event::card("detect", "ok"));
  EXPECT_THAT(names(m.dispatch(Event::tap("pin_ok"))), ElementsAre("show"));  // no PIN typed
  EXPECT_EQ(m.state(), "enter_pin");
  EXPECT_TRUE(m.dispatch(Event::tap("unknown")).empty()) << "an event nobody expects";
}

TEST(FlowEngine, ATypedPinNobodyTookIsWiped) {
  PinFlow f;
  FlowMachine m = f.machine();
  m.start();
  // In place_card, a typed PIN is not for anyone: the handler ignores it and it must not linger.
  Event e = Event::typed("pin_ok", base::SecretBytes("4821"));
  m.dispatch(std::move(e));
  EXPECT_EQ(m.state(), "place_card");
  EXPECT_TRUE(f.pin_seen.empty());
}

TEST(FlowEngine, ATableThatDoesNotHoldTogetherIsRefusedWithEveryProblem) {
  FlowDefinition def = pin_flow();
  def.states[1].on_idle.clear();
  def.transitions.push_back({"enter_pin", "tap:x", "nowhere"});
  def.transitions.push_back({"done", "tap:again", "place_card"});
  def.transitions.push_back({"verifying", "wrong_pin", "cancelled"});
  def.states.push_back({"orphan", "orphan", "orphan", "orphan", false, ""});
  try {
    def.validate();
    FAIL() << "validated";
  } catch (const FlowError& e) {
    const std::string what = e.what();
    EXPECT_THAT(what, HasSubstr("'enter_pin' does not say where idle leads"));
    EXPECT_THAT(what, HasSubstr("to unknown state 'nowhere'"));
    EXPECT_THAT(what, HasSubstr("out of final state 'done'"));
    EXPECT_THAT(what, HasSubstr("'orphan' is never reached"));
    EXPECT_THAT(what, HasSubstr("'verifying' has two edges for 'wrong_pin'"));
  }
}

TEST(FlowEngine, TheDiagramHasEveryDeclaredEdge) {
  const std::string mermaid = to_mermaid(pin_flow());
  EXPECT_THAT(mermaid, HasSubstr("stateDiagram-v2\n  [*] --> place_card\n"));
  EXPECT_THAT(mermaid, HasSubstr("verifying --> enter_pin : wrong_pin"));
  EXPECT_THAT(mermaid, HasSubstr("enter_pin --> cancelled : cancel / idle"));
  EXPECT_THAT(mermaid, HasSubstr("enter_pin --> card_pulled : card_removed"));
  EXPECT_THAT(mermaid, HasSubstr("done --> [*]"));
  EXPECT_THAT(mermaid, ::testing::Not(HasSubstr("verifying --> verifying")));
}

TEST(FlowEngine, SecretTextWipesOnMoveAndNeverCopies) {
  static_assert(!std::is_copy_constructible_v<base::SecretBytes>);
  base::SecretBytes a("1234");
  base::SecretBytes b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the point of the test
  EXPECT_EQ(b.reveal(), "1234");
  b.clear();
  EXPECT_TRUE(b.empty());
}

}  // namespace
}  // namespace mk::flows
