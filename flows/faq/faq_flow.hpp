#pragma once

// The FAQ browser (issue 16, "what a person may ask"): the NPA's questions and answers on the
// マイナ免許証, by section or by a word, in the person's language. No card, nothing kept or sent.
//
//   sections ─ a section → its questions ─ a question → its answer (its first link as a QR code)
//            └ search → words offered as buttons, or one typed (A–Z, 0–9) → the questions found
//
// The answer goes back to the list it was chosen from. A kiosk whose FAQ could not be loaded
// shows the sections screen empty, with what to do (staff were told at start-up).

#include <map>
#include <string>
#include <vector>

#include "flows/engine/machine.hpp"
#include "flows/engine/machine_flow.hpp"
#include "flows/engine/state_id.hpp"
#include "flows/faq/faq.hpp"
#include "flows/language.hpp"

namespace mk::flows {

class FaqFlow : public MachineFlow<FaqFlow> {
 public:
  // At most this many questions found are listed, best first (and the screen says when there are
  // more).
  static constexpr std::size_t kMaxResults = 20;

  FaqFlow(Language language, const FaqLibrary& library);

  static const FlowDefinition& definition();

 private:
  std::map<std::string, StateBehaviour> behaviours();
  static constexpr const char* kScreens = "faq";  // screen ids: "faq.<state>"
  ViewModel view(const std::string& screen) const;
  void list_entries(ViewModel& vm, const std::vector<const FaqEntry*>& entries) const;
  Step choose_section(const Event& e);
  Step choose_entry(const Event& e, StateId from);
  // Finds the questions for `query` (results_, more_results_).
  void search(std::string query);
  void wipe();

  Language language_;
  const FaqLibrary& library_;
  const FaqDocument& document_;
  int section_ = 0;                   // the section listed
  std::string entry_;                 // the entry shown
  std::string entry_from_;            // the list it was chosen from: "section" or "results"
  std::string query_;                 // the word searched for
  std::vector<std::string> results_;  // entry ids found for query_, the ones listed
  bool more_results_ = false;         // more were found than are listed
  friend class MachineFlow<FaqFlow>;
  FlowMachine machine_;
};

}  // namespace mk::flows
