#pragma once

#include <string>
#include <vector>

#include "flows/intent.hpp"
#include "flows/language.hpp"
#include "flows/view_model.hpp"

namespace mk::flows {

// The procedures a person can start from the menu, in the order the menu shows them.
struct Procedure {
  std::string id;         // action id, e.g. "record"
  std::string label_key;  // catalog key of its menu label
};
const std::vector<Procedure>& procedures();
// The procedure with this id; nullptr when there is none.
const Procedure* find_procedure(const std::string& id);

// The way into the kiosk: the attract screen (language choice, touch to start), the menu of
// procedures, and the page shown for a procedure this kiosk does not offer yet.
//
//   attract --start--> menu --<procedure>--> unavailable --back--> menu --back--> attract
//   unavailable --(the runtime: the store cannot keep it)--> out_of_service --back--> menu
//   attract --lang_ja / lang_en--> attract in that language
//   any state --idle timeout / cancel--> attract (language back to the default)
class WelcomeFlow {
 public:
  enum class State { attract, menu, unavailable, out_of_service };

  explicit WelcomeFlow(Language default_language);

  // Returns true when the intent changed what is shown.
  bool handle(const Intent& intent);
  ViewModel view() const;

  State state() const { return state_; }
  // The procedure chosen from the menu (empty on the attract screen and the menu).
  const std::string& chosen_procedure() const { return chosen_procedure_; }
  // Back to the menu after a procedure's own flow ended (the person is still there).
  void show_menu();
  // The chosen procedure cannot start now because the kiosk could not keep what it accepts (a
  // full disk, a store that fails): the page says why (`reason_key`) and to call staff.
  void show_out_of_service(std::string reason_key);
  Language language() const { return language_; }

 private:
  void reset();

  Language default_language_;
  Language language_;
  State state_ = State::attract;
  std::string chosen_procedure_;
  std::string out_of_service_key_;
};

}  // namespace mk::flows
