#pragma once

// A person at the kiosk calls staff (issue 12 §2): the call raised at the centre (an API event
// its staff board shows), its state for the person's screen ("staff are coming", or "ask staff
// nearby" when the centre cannot be reached), and its answer when a staff member signs in at
// this kiosk. The centre calls run on the centre service's worker; the state is read by the UI
// thread.

#include <functional>
#include <mutex>
#include <string>

#include "kiosk/runtime/center_service.hpp"

namespace mk::kiosk {

class StaffCall {
 public:
  enum class State {
    none,         // no call (or the last one was answered)
    raising,      // asked of the centre
    raised,       // the centre has it: staff are coming
    unreachable,  // the centre could not be told: the person asks staff nearby
  };

  // `wake`: called (on the worker) when the state changed.
  StaffCall(CenterService& center, std::function<void()> wake)
      : center_(center), wake_(std::move(wake)) {}

  // Raises a call from the screen the person is on; nothing while one is raising or raised.
  void raise(const std::string& screen);
  // A staff member signed in here: an open call is answered (told to the centre; one still on
  // its way is answered as soon as it arrives); `done` says whether there was one — at once, or
  // on the worker once the centre answered (or could not be reached). Never under the lock.
  void answer(const std::string& staff_id, std::function<void(bool answered)> done);
  // The person's session ended: a call that could not be raised is forgotten (one raised stays:
  // staff are on their way).
  void session_ended();
  State state() const;

 private:
  void raised(const flows::Event& answer);  // the centre's answer to the call
  void tell_answered(const std::string& call_id, const std::string& staff_id,
                     std::function<void(bool answered)> done);

  CenterService& center_;
  std::function<void()> wake_;
  mutable std::mutex mutex_;
  State state_ = State::none;
  std::string call_id_;
  std::string answered_while_raising_;  // the staff ID that signed in before the call arrived
};

}  // namespace mk::kiosk
