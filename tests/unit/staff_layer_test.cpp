// The staff layer in the kiosk (App + FlowRuntime + StaffFlow, with a centre that answers at once):
// the hidden gesture and key open it over the person's screen, what staff type never appears in
// any frame laid out while they type or after, and closing it gives the person's screen back.
#include <chrono>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "flows/center_ops.hpp"
#include "kiosk/app/app.hpp"
#include "kiosk/app/input.hpp"
#include "kiosk/i18n/catalog.hpp"
#include "kiosk/runtime/flow_runtime.hpp"
#include "kiosk/ui/font_locator.hpp"
#include "kiosk/ui/text_renderer.hpp"

namespace mk::kiosk {
namespace {

constexpr const char* kStaffId = "100002";
constexpr const char* kStaffPin = "135791";

// Every text a frame draws, its backdrop's too.
std::string drawn_text(const Frame& frame) {
  std::string all;
  for (const auto& l : frame.labels) {
    for (const auto& line : l.lines) {
      all += line + "\n";
    }
  }
  for (const auto& b : frame.buttons) {
    for (const auto& line : b.label.lines) {
      all += line + "\n";
    }
  }
  if (frame.backdrop) {
    all += drawn_text(*frame.backdrop);
  }
  return all;
}

class StaffLayer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    catalog_ = new Catalog(Catalog::load(std::filesystem::path(MK_SOURCE_DIR) / "assets/texts"));
    text_ = new TextRenderer(find_japanese_font("Noto Sans CJK JP"));
  }
  static void TearDownTestSuite() {
    delete text_;
    delete catalog_;
  }

  StaffLayer() { app_.set_staff_runtime(&staff_); }

  FlowServices services() {
    FlowServices s;
    s.center = [this](flows::CenterRequest r, const Post& post) {
      ++center_calls_;
      const bool right =
          flows::field(r.args, "staff_id") == kStaffId && r.pin.reveal() == kStaffPin;
      post(right ? flows::Event::center(
                       r.op, "ok",
                       {{"staff_id", kStaffId}, {"role", "supervisor"}, {"checked_by", "center"}})
                 : flows::Event::center(r.op, "staff_sign_in_refused"));
    };
    s.kiosk = [this](const flows::KioskRequest& r, const Post& post) {
      app_.staff_request(r, post);  // as the kiosk does for the person's session
    };
    s.audit = [this](const flows::AuditEntry& e, const std::string&, const std::string&) {
      audit_ += e.actor + " " + e.action + "=" + e.result + "\n";
    };
    return s;
  }

  void tap_at(int x, int y) { app_.handle({InputEvent::Kind::tap, x, y, {}}, now_); }
  // A touch on the button with this action as laid out now (it must be there), and the time a
  // person takes before the next.
  void tap(const std::string& action) {
    const Button* b = app_.frame().button(action);
    ASSERT_NE(b, nullptr) << action << " on " << app_.frame().screen;
    tap_at(b->rect.center_x(), b->rect.center_y());
    later(std::chrono::milliseconds(600));
  }
  void key(const std::string& name) { app_.handle({InputEvent::Kind::key, 0, 0, name}, now_); }
  void later(std::chrono::milliseconds d) {
    now_ += d;
    app_.tick(now_);
  }
  // Types on the pad key by key, and checks every frame on the way that no part of what was typed
  // (three characters or more) is drawn.
  void type_secretly(const std::string& digits) {
    for (const char c : digits) {
      key(std::string(1, c));
      expect_not_drawn(digits);
    }
    key("return");  // the pad's confirm has no focus: Enter on the pad is its key
    later(std::chrono::milliseconds(10));
    expect_not_drawn(digits);
  }
  void expect_not_drawn(const std::string& typed) {
    const std::string drawn = drawn_text(app_.frame());
    for (size_t n = 3; n <= typed.size(); ++n) {
      for (size_t at = 0; at + n <= typed.size(); ++at) {
        EXPECT_EQ(drawn.find(typed.substr(at, n)), std::string::npos)
            << typed.substr(at, n) << " drawn on " << app_.frame().screen;
      }
    }
  }

  static Catalog* catalog_;
  static TextRenderer* text_;
  Config config_;
  std::chrono::steady_clock::time_point now_ = std::chrono::steady_clock::now();
  FlowRuntime staff_{services()};
  App app_{config_, *catalog_, *text_, now_};
  int center_calls_ = 0;
  std::string audit_;
};

Catalog* StaffLayer::catalog_ = nullptr;
TextRenderer* StaffLayer::text_ = nullptr;

TEST_F(StaffLayer, ThreeTouchesOnTheCornerOpenItOverTheAttractScreen) {
  ASSERT_EQ(app_.view().screen, "attract");
  tap_at(10, 10);
  tap_at(10, 10);
  EXPECT_EQ(app_.view().screen, "attract");  // two are not the gesture, and start nothing
  tap_at(10, 10);
  EXPECT_TRUE(app_.staff_open());
  EXPECT_EQ(app_.view().screen, "staff.enter_id");
}

TEST_F(StaffLayer, TouchesSpreadOverMoreThanThreeSecondsAreNotTheGesture) {
  tap_at(10, 10);
  later(std::chrono::seconds(2));
  tap_at(10, 10);
  later(std::chrono::milliseconds(1500));
  tap_at(10, 10);
  EXPECT_FALSE(app_.staff_open());
  tap_at(10, 10);  // the last three within 3 s
  EXPECT_TRUE(app_.staff_open());
}

TEST_F(StaffLayer, WhatStaffTypeIsNeverDrawnAndTheDeskShowsOnlyTheIdsEnd) {
  key("f12");
  ASSERT_EQ(app_.view().screen, "staff.enter_id");
  type_secretly(kStaffId);
  ASSERT_EQ(app_.view().screen, "staff.enter_pin");
  type_secretly(kStaffPin);
  EXPECT_EQ(center_calls_, 1);
  ASSERT_EQ(app_.view().screen, "staff.desk");
  expect_not_drawn(kStaffId);
  expect_not_drawn(kStaffPin);
  EXPECT_NE(drawn_text(app_.frame()).find("02"), std::string::npos);  // the ID's last two digits
  EXPECT_EQ(audit_, "staff:100002 staff.sign_in=ok\n");
}

TEST_F(StaffLayer, SigningOutGivesThePersonsScreenBack) {
  tap("start");
  ASSERT_EQ(app_.view().screen, "menu");
  key("f12");
  type_secretly(kStaffId);
  type_secretly(kStaffPin);
  ASSERT_EQ(app_.view().screen, "staff.desk");
  tap("sign_out");
  EXPECT_FALSE(app_.staff_open());
  EXPECT_EQ(app_.view().screen, "menu");
  EXPECT_EQ(audit_, "staff:100002 staff.sign_in=ok\nstaff:100002 staff.sign_out=ok\n");
}

TEST_F(StaffLayer, TheDeskSignsOutByItselfAfterItsIdleTime) {
  key("f12");
  type_secretly(kStaffId);
  type_secretly(kStaffPin);
  ASSERT_EQ(app_.view().screen, "staff.desk");
  later(std::chrono::seconds(config_.session.staff_idle_timeout_s) - std::chrono::seconds(1));
  EXPECT_TRUE(app_.staff_open());
  later(std::chrono::seconds(2));
  EXPECT_FALSE(app_.staff_open());
  EXPECT_EQ(app_.view().screen, "attract");
  EXPECT_NE(audit_.find("staff:100002 staff.sign_out=idle"), std::string::npos);
}

TEST_F(StaffLayer, EndingThePersonsSessionTakesTheKioskBackToItsFirstScreen) {
  tap("start");
  ASSERT_EQ(app_.view().screen, "menu");
  key("f12");
  type_secretly(kStaffId);
  type_secretly(kStaffPin);
  tap("end_session");
  tap("end");
  EXPECT_EQ(app_.view().screen, "staff.session_ended");
  tap("done");
  tap("sign_out");
  EXPECT_FALSE(app_.staff_open());
  EXPECT_EQ(app_.view().screen, "attract");  // the person's menu is gone
  EXPECT_NE(audit_.find("staff:100002 staff.end_session=no_session"), std::string::npos);
}

TEST_F(StaffLayer, StaffOpeningTheLayerUnderTheIdleWarningAreNotTimedOutByIt) {
  tap("start");
  later(std::chrono::seconds(config_.session.idle_timeout_s + 1));
  ASSERT_EQ(app_.view().screen, "session.idle_warning");
  tap_at(10, 10);  // a corner touch is not the person's: the warning stays
  EXPECT_EQ(app_.view().screen, "session.idle_warning");
  key("f12");
  EXPECT_EQ(app_.view().screen, "staff.enter_id");
  later(std::chrono::seconds(config_.session.idle_timeout_s - 1));
  EXPECT_EQ(app_.view().screen, "staff.enter_id");  // no warning over the staff's screen yet
  key("escape");
  EXPECT_EQ(app_.view().screen, "menu");  // the person's session is as it was
}

TEST_F(StaffLayer, TheCallButtonRaisesACallAndItsNoticeGoesWhenStaffAnswer) {
  std::vector<std::string> raised;
  StaffCall::State state = StaffCall::State::none;
  app_.set_staff_call({[&](const std::string& screen) {
                         raised.push_back(screen);
                         state = StaffCall::State::raised;
                       },
                       [&] { return state; }, [] {}});
  tap("start");
  tap("call_staff");
  EXPECT_EQ(raised, std::vector<std::string>{"menu"});
  EXPECT_EQ(app_.view().screen, "session.staff_call_raised");
  // Waiting for staff is not idle: no warning however long it takes.
  later(std::chrono::seconds(config_.session.idle_timeout_s + 5));
  EXPECT_EQ(app_.view().screen, "session.staff_call_raised");
  // Staff sign in here: the call is answered (the kiosk's state says none), the notice goes.
  key("f12");
  EXPECT_EQ(app_.view().screen, "staff.enter_id");
  EXPECT_EQ(app_.frame().button("call_staff"), nullptr);  // not on the staff's screens
  state = StaffCall::State::none;
  later(std::chrono::milliseconds(10));
  key("escape");
  EXPECT_EQ(app_.view().screen, "menu");
  EXPECT_EQ(raised.size(), 1U);
}

}  // namespace
}  // namespace mk::kiosk
