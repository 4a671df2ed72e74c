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
  }
  logger("staff")->info("staff call: raised from screen {}", screen);
  center_.submit(flows::CenterRequest{ops::kStaffCall, {{"screen", screen}}, {}, {}},
                 [this](flows::Event answer) {
                   {
                     const std::lock_guard lock(mutex_);
                     if (answer.outcome == "ok") {
                       state_ = State::raised;
                       call_id_ = flows::field(answer.fields, "call_id");
                     } else {
                       state_ = State::unreachable;
                     }
                   }
                   if (answer.outcome == "ok") {
                     logger("staff")->info("staff call: the centre has it");
                   } else {
                     logger("staff")->warn("staff call: the centre was not told ({})",
                                           answer.outcome);
                   }
                   wake_();
                 });
}

void StaffCall::answer(const std::string& staff_id, std::function<void(bool answered)> done) {
  std::string call_id;
  {
    const std::lock_guard lock(mutex_);
    if (state_ != State::raised && state_ != State::unreachable) {
      done(false);
      return;
    }
    call_id = call_id_;
    // Staff are here: the person's notice goes, whatever the centre says next.
    state_ = State::none;
    call_id_.clear();
  }
  wake_();
  if (call_id.empty()) {  // never reached the centre: nothing there to answer
    done(true);
    return;
  }
  center_.submit(
      flows::CenterRequest{
          ops::kStaffCallAnswer, {{"call_id", call_id}, {"staff_id", staff_id}}, {}, {}},
      [done = std::move(done)](const flows::Event& answer) {
        if (answer.outcome != "ok") {
          logger("staff")->warn("staff call: the answer was not told to the centre ({})",
                                answer.outcome);
        }
        done(true);
      });
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
