#pragma once

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mk::kiosk {

// One step of a UI script. The format, one step a line ('#' starts a comment):
//   tap <action>          touch the centre of the button with that action id
//   tap <x> <y>           touch a point, in layout pixels
//   key <name>            press a key (SDL key names, lower case: escape, return, 7, a,
//                         backspace, keypad 3, ...); on a PIN pad's screen, keys type on it
//   wait <n>ms | <n>s     let time pass (virtual time in a headless run)
//   expect screen <id>    stop with a failure unless the screen shown is <id>
//   expect focus <action>  stop with a failure unless the keyboard's focus is on that button
//   expect sound <name>   stop with a failure unless the kiosk played <name> (key,
//                         idle_warning, take_cards) since the last `expect sound <name>`
//   await screen <id> [<n>s]
//                         wait (real time, default 20 s) until the screen is <id>: for answers
//                         from a card or the centre, which take real time
//   stays screen <id> <n>s
//                         stop with a failure unless the screen is <id> and stays <id> for that
//                         much real time: an answer that must not come (a card left behind)
//   screenshot <name>     write the current frame as <name>.png, changed or not
//   card place <mynumber|dl> <fixture>
//                         put a virtual card of a fixture person (devices/sim/fixtures) on its
//                         reader; its PIN tries and data persist for the rest of the run
//   card place mynumber <fixture> replacement
//                         a My Number card that replaced the person's lost one (R-LOST): the
//                         same person, a card of its own without a 免許AP
//   card place <mynumber|dl> <fixture> [replacement] pull_at <n>
//                         ... which the person pulls off the reader as its n-th command APDU
//                         arrives (it stays off)
//   card remove <mynumber|dl>
//                         take it off
//   camera show <image or folder>
//                         the camera sees that still image, or that folder's frames in turn
//                         (PNG/JPEG; a relative path is from the script's folder) from now on
//   camera off            the camera sees nothing
//   type <characters>     press those keys of the on-screen PIN pad, one by one
//   center counter_renewal <fixture>
//                         the built-in centre's counter finishes that person's renewal (適性検査,
//                         講習, fee): what staff do before the kiosk may rewrite the card
//   center fault <mode> [<n>]
//                         the built-in centre fails as <mode> says (down, http_500, http_503,
//                         garbage, truncated, drop_after_commit, wrong_tls; none: heal) for
//                         the next n requests, or until the next `center fault`
//   center revoke_signing_certificate <fixture>
//                         the municipality revoked that person's JPKI signing certificate
//                         (R-OS-REFLECT): the centre's revocation list has it
//   center reinstate_signing_certificate <fixture>
//                         the municipality lifted its hold on it: off the list again
//   expect dead_letters <n>
//                         stop with a failure unless exactly n submissions were refused for
//                         good (the outbox's dead letters) since the script began: nothing lost
//                         without anyone told
//   center slow <duration>
//                         the built-in centre waits that long before each answer from now on
//                         (0ms: at once again), as a distant centre does
//   session <name>        a new person's visit begins (the soak's unit; logged)
//   on failure next session
//                         from here on a failing step abandons its session instead of the
//                         script: the person takes their cards and walks away, the kiosk must be
//                         back on its attract screen, and the script goes on at the next session
//   await drained [<n>s]  wait (real time, default 900 s: the outbox's longest back-off) until
//                         nothing waits to be sent to the centre (outbox and audit rows)
struct ScriptStep {
  enum class Kind {
    tap_action,
    tap_point,
    key,
    wait,
    expect_screen,
    expect_focus,
    await_screen,
    stays_screen,
    screenshot,
    card_place,
    card_remove,
    camera_show,
    center_event,
    type,
    session,
    on_failure_next_session,
    await_drained,
    expect_sound,
    expect_dead_letters,
  };
  Kind kind = Kind::wait;
  // action, key, screen, screenshot name, card kind, typed characters, session, sound, camera
  // images ("": camera off)
  std::string arg;
  std::string fixture;       // card place, center
  bool replacement = false;  // card place: a replacement My Number card
  int pull_at_apdu = 0;      // card place: pulled off as this command APDU arrives; 0: never
  int count = 0;             // center fault: requests (0: until healed); expect dead_letters
  int x = 0;
  int y = 0;
  std::chrono::milliseconds duration{0};  // wait, await, stays, center slow
  int line = 0;                           // in the script file, for error messages
};

class ScriptError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws ScriptError("<name>:<line>: <reason>") on the first bad line.
std::vector<ScriptStep> parse_script(std::string_view text, const std::string& name);
std::vector<ScriptStep> load_script(const std::filesystem::path& file);

}  // namespace mk::kiosk
