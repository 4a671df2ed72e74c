#pragma once

#include <string>

#include "flows/engine/machine.hpp"
#include "flows/intent.hpp"
#include "flows/language.hpp"
#include "flows/procedures.hpp"
#include "flows/view_model.hpp"

namespace mk::flows {

// The way into the kiosk: the attract screen (language choice, touch to start), the menu of
// procedures (flows/procedures.hpp, in its order), and the page shown for a procedure this kiosk
// does not offer yet (the kiosk starts the flow of one it offers from that state). It runs on
// the flow engine like every other flow (its table is drawn in docs/flows.md); its final state
// is the person leaving (cancel, the idle timeout), after which it starts again for the next
// person, in the default language.
//
//   attract --start--> menu --<procedure>--> unavailable --back--> menu --back--> attract
//   unavailable --(the kiosk: the store cannot keep it)--> out_of_service --back--> menu
//   attract --lang_ja / lang_en--> attract in that language
//   any state --idle timeout / cancel--> left (wiped: language back to the default) -> attract
class WelcomeFlow {
 public:
  enum class State { attract, menu, unavailable, out_of_service };

  explicit WelcomeFlow(Language default_language);

  // The table, for the engine and for docs/flows.md.
  static const FlowDefinition& definition();

  // Returns true when the intent changed what is shown.
  bool handle(const Intent& intent);
  ViewModel view() const;

  State state() const;
  // The procedure chosen from the menu (empty on the attract screen and the menu).
  const std::string& chosen_procedure() const { return chosen_procedure_; }
  // Back to the menu after a procedure's own flow ended (the person is still there).
  void show_menu();
  // The chosen procedure cannot start now because the kiosk could not keep what it accepts (a
  // full disk, a store that fails): the page says why (`reason_key`) and to call staff.
  void show_out_of_service(std::string reason_key);
  Language language() const { return language_; }

 private:
  void feed(Event event);
  Step choose(const Event& e);
  Step back_to_menu(const Event& e);
  void wipe();

  Language default_language_;
  Language language_;
  std::string chosen_procedure_;
  std::string out_of_service_key_;
  FlowMachine machine_;
};

}  // namespace mk::flows
