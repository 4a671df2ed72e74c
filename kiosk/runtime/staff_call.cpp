#include "kiosk/runtime/staff_call.hpp"

#include "flows/center_ops.hpp"
#include "kiosk/logging/log.hpp"

namespace mk::kiosk {

namespace ops = flows::center_ops;

void StaffCall::raise(const std::string& screen) {
  {
    const std::lock_guard lock(mutex_);
    if (state_ == State::raising || state_ == State::raised) {
      return;
    }
    state_ = State::raising;
    answered_while_raising_.clear();
  }
  logger("staff")->info("staff call: raised from screen {}", screen);
  center_.submit(flows::CenterRequest{ops::kStaffCall, {{"screen", screen}}, {}, {}},
                 [this](const flows::Event& answer) { raised(answer); });
}

void StaffCall::raised(const flows::Event& answer) {
  std::string answered_by;
  std::string call_id;
  {
    const std::lock_guard lock(mutex_);
    answered_by = std::move(answered_while_raising_);
    answered_while_raising_.clear();
    if (answer.outcome != "ok") {
      state_ = answered_by.empty() ? State::unreachable : State::none;
    } else if (answered_by.empty()) {
      state_ = State::raised;
      call_id_ = flows::field(answer.fields, "call_id");
    } else {
      state_ = State::none;  // staff signed in while the call was on its way
      call_id = flows::field(answer.fields, "call_id");
    }
  }
  if (answer.outcome == "ok") {
    logger("staff")->info("staff call: the centre has it");
  } else {
    logger("staff")->warn("staff call: the centre was not told ({})", answer.outcome);
  }
  if (!call_id.empty()) {
    tell_answered(call_id, answered_by, [](bool) {});
  }
  wake_();
}

void StaffCall::tell_answered(const std::string& call_id, const std::string& staff_id,
                              std::function<void(bool answered)> done) {
  center_.submit(
      flows::CenterRequest{
          ops::kStaffCallAnswer, {{"call_id", call_id}, {"staff_id", staff_id}}, {}, {}},
      [done = std::move(done)](const flows::Event& answer) {
        if (answer.outcome != "ok") {
          // The person is attended (staff are at the kiosk); the centre's board keeps the call
          // open until someone closes it there.
          logger("staff")->warn("staff call: the answer was not told to the centre ({})",
                                answer.outcome);
        }
        done(true);
      });
}

void StaffCall::answer(const std::string& staff_id, std::function<void(bool answered)> done) {
  std::string call_id;
  bool answered = false;
  {
    const std::lock_guard lock(mutex_);
    if (state_ == State::raising) {
      answered_while_raising_ = staff_id;  // told to the centre once the call has reached it
      answered = true;
    } else if (state_ == State::raised || state_ == State::unreachable) {
      call_id = std::move(call_id_);
      call_id_.clear();
      state_ = State::none;  // staff are here: the person's notice goes
      answered = true;
    }
  }
  if (!answered) {
    done(false);
    return;
  }
  wake_();
  if (call_id.empty()) {  // never reached the centre (yet): nothing there to answer now
    done(true);
    return;
  }
  tell_answered(call_id, staff_id, std::move(done));
}

void StaffCall::session_ended() {
  const std::lock_guard lock(mutex_);
  if (state_ == State::unreachable) {
    state_ = State::none;
  }
}

StaffCall::State StaffCall::state() const {
  const std::lock_guard lock(mutex_);
  return state_;
}

}  // namespace mk::kiosk
