#pragma once

// What a flow hears: a person's intent, the answer to a request it made (card, centre, store),
// a timer, a pulled card, cancel, idle timeout. Plain data, so that the touch UI, a scenario file
// and a test all feed a flow the same way.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/secret_bytes.hpp"

namespace mk::flows {

// Named values that travel with an event or an effect (a card's answer, a centre's reply).
using Fields = std::map<std::string, std::string>;

// The value of `name`, or "" when the answer has none.
std::string field(const Fields& fields, const std::string& name);
// `name` as a whole number from 0 to `max` (a PIN's tries); -1 for anything else: missing,
// not a number, out of range — what a broken or hostile card might send.
int count_field(const Fields& fields, const std::string& name, int max);
// A list in one field (conditions, classes): its items joined by "、", as the screens show it.
std::string join_list(const std::vector<std::string>& items);
// The items of such a field again ("" has none).
std::vector<std::string> split_list(const std::string& joined);
// Overwrites every value (personal data), then empties the map.
void wipe(Fields& fields);
void wipe(std::string& text);
void wipe(std::vector<uint8_t>& bytes);

enum class EventKind {
  intent,        // a tap on an action: name = the action id
  card,          // a card request answered: name = request op, outcome = "ok" or an error code
  center,        // a centre call answered: name = op, outcome = "ok" or the centre's error code
  store,         // a store write answered (outbox enqueue, audit): name = op, outcome
  printed,       // a print job finished: name = the request's name, outcome = "ok" or an error
  camera,        // a camera request answered: name = op, outcome; blob = the photo
  kiosk,         // a request to the kiosk itself answered (staff: its state, the day's report)
  timer,         // a timer fired: name = timer id
  card_removed,  // the card left the reader while the flow needed it
  cancel,        // the cancel key
  idle_timeout,  // nobody touched the screen for the configured time
};

struct Event {
  EventKind kind = EventKind::intent;
  std::string name;
  std::string outcome = "ok";
  Fields fields;
  std::vector<uint8_t> blob;  // binary payload (a photo)
  base::SecretBytes secret;   // what the person typed on a PIN pad (intent only)

  // How the transition table names this event: "tap:confirm", "card:read_dl=wrong_pin",
  // "center:lookup=ok", "print:slip=ok", "camera:scan_qr=ok", "kiosk:status=ok",
  // "timer:entry", "card_removed", "cancel", "idle".
  std::string label() const;

  static Event tap(std::string action);  // tap("cancel") is the cancel key
  static Event typed(std::string action, base::SecretBytes pin);
  static Event card(std::string op, std::string outcome, Fields fields = {});
  static Event center(std::string op, std::string outcome, Fields fields = {});
  static Event store(std::string op, std::string outcome);
  static Event printed(std::string name, std::string outcome);
  static Event camera(std::string op, std::string outcome, Fields fields = {});
  static Event kiosk(std::string op, std::string outcome, Fields fields = {});
  static Event timer(std::string id);
  static Event removed();
  static Event cancel();
  static Event idle();
};

}  // namespace mk::flows
