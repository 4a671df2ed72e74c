#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "flows/language.hpp"
#include "flows/reader_place.hpp"

namespace mk::flows {

// A text to show, by catalog key, with named parameters ("{count}") filled in by the UI. Flows
// never hold display strings: the same view model renders in any language and reads in a test.
struct TextRef {
  std::string key;
  std::vector<std::pair<std::string, std::string>> params;

  friend bool operator==(const TextRef&, const TextRef&) = default;
};

// Where an action goes and how it looks: the primary action on the right of the action row and
// back or cancel on the left, the same on every screen; a choice among several answers (a menu,
// a holding form) in the content; a language or a kiosk tool (text size and colours) in the bar
// at the top. `language` is also any option of a set, the one in use drawn selected (disabled).
enum class ActionStyle { primary, secondary, language, back, choice, tool };

// Which kind of screen a view is; one composer lays out each kind, so the same kind looks and
// behaves the same in every flow.
enum class ScreenKind {
  message,         // a title, texts, actions
  attract,         // the first screen: one big start, touch anywhere
  choice,          // choose one of several answers (the choice actions, as a list)
  card_placement,  // put a card on the reader
  pin_entry,       // a PIN pad beside the texts
  confirm_data,    // data to check before going on
  progress,        // the kiosk is working with the card or the centre: do not move the card
  result,          // the procedure is done
  error,           // something went wrong: what, and what to do
  card_removal,    // the session is over: take every card from the reader
};

// What a picture beside the texts shows the person to do; the kiosk draws it.
enum class Illustration {
  none,
  place_my_number_card,   // the My Number card face up on the reader
  place_driving_licence,  // the IC driving licence face up on the reader
  take_cards,             // the card lifted off the reader
};

// Something the person can do on a screen; the UI turns a touch on it into an Intent with its id.
struct ActionView {
  std::string id;
  TextRef label;
  ActionStyle style = ActionStyle::primary;
  bool enabled = true;
  // One of several choices that may all be taken (the one-stop's items): ticked or not; a touch
  // changes it. nullopt for every other action.
  std::optional<bool> checked;

  friend bool operator==(const ActionView&, const ActionView&) = default;
};

// A PIN pad on the screen. The digits typed stay in the UI until the person confirms; then they
// reach the flow once, as Event::typed(submit_action, pin). The view only knows how many. Made
// with designated initializers (.submit_action = …): a field added never shifts another's value.
struct PinPadView {
  std::string submit_action;  // the action id the confirm key sends
  int min_length = 4;
  int max_length = 4;
  bool alphanumeric = false;  // the JPKI signing PIN (6–16 of A–Z, 0–9)
  int entered = 0;            // filled in by the UI: how many characters are typed so far
  // A PIN's characters are shown as dots; what is no secret (an appointment's number, a word to
  // search for) as typed.
  bool masked = true;
  // Filled in by the UI on a pad that is not masked only: what is typed so far.
  std::string typed = {};

  friend bool operator==(const PinPadView&, const PinPadView&) = default;
};

// How far something has come, as a bar under the texts, which say it in words too: the steps of
// writing to the card, or the seconds left before the session ends.
struct MeterView {
  int value = 0;
  int total = 0;
  TextRef caption;  // above the bar, e.g. "step {value} of {total}"; empty key: none

  friend bool operator==(const MeterView&, const MeterView&) = default;
};

// Everything a screen shows, as plain data: the touch UI, a script and a test all see this.
struct ViewModel {
  std::string screen;  // screen id, e.g. "attract"
  ScreenKind kind = ScreenKind::message;
  Language language = Language::ja;      // language the screen is shown in
  std::map<std::string, TextRef> texts;  // by role: "title", "subtitle", "body", ...
  std::vector<ActionView> actions;       // in reading order
  std::vector<TextRef> details;          // lines of data (a record's fields), in reading order
  std::optional<PinPadView> pin_pad;
  std::optional<MeterView> meter;
  // The face photo a card holds (JPEG 2000 as read), shown beside the data; empty for none.
  std::vector<uint8_t> photo;
  Illustration illustration = Illustration::none;
  // Where the readers the illustration shows are: filled in by the kiosk, which knows its
  // readers, not by the flows; marked in the picture, and said in the texts ("where").
  std::vector<ReaderPlace> readers;
  // A link for the person's phone (the Myna Portal's address), drawn as a QR code beside the
  // texts, which say the address too; empty for none. Never anything personal.
  std::string qr_code;

  friend bool operator==(const ViewModel&, const ViewModel&) = default;
};

}  // namespace mk::flows
