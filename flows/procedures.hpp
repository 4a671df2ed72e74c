#pragma once

// The procedures of the kiosk, in one table: the menu lists them in this order, the kiosk starts
// the flow of the one chosen, asks the store before one that keeps records, and docs/flows.md
// lists them (a test keeps that list equal to this table). A procedure without a flow is not on
// the menu (its flow is still to be built).

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flows/engine/machine.hpp"
#include "flows/engine/running_flow.hpp"
#include "flows/faq/faq.hpp"
#include "flows/language.hpp"
#include "flows/rules/calendar.hpp"

namespace mk::flows {

// What a procedure's flow is made with besides the language.
struct ProcedureContext {
  CivilDate today;       // the kiosk's day (the simulated world's in the demo)
  std::string terminal;  // the identity the centre knows this kiosk by
  bool printer = false;  // a slip printer is configured (a flow offers "print" only then)
  bool camera = false;   // a camera is there (a QR code to check in, the photo of a PIN unlock)
  const FaqLibrary* faq = nullptr;  // the FAQ to browse; none: the browser says it cannot
};

struct Procedure {
  using MakeFlow = std::function<std::unique_ptr<RunningFlow>(Language, const ProcedureContext&)>;

  std::string id;         // the menu's action id, and the flow's name in the log
  std::string label_key;  // catalogue key of its menu label
  std::string summary;    // one line (English) for the docs and the staff view
  // Keeps something (an audit trail of a card write, a submission): it does not start while the
  // store cannot keep it.
  bool keeps_records = true;
  // Asks the centre while the person waits (looks up their licence, has the issuer write it): it
  // does not start while the centre is known to be out of reach, so that nobody is taken through
  // PINs to be told so at the end.
  bool needs_center = true;
  // Looks through the camera (the PIN unlock's photo): not started on a kiosk without one, so that
  // nobody checks an appointment in here to be told at the photo that it cannot be done.
  bool needs_camera = false;
  MakeFlow make;                               // empty: not offered yet
  const FlowDefinition* definition = nullptr;  // its transition table (docs/flows.md)

  bool offered() const { return static_cast<bool>(make); }
};

const std::vector<Procedure>& procedures();
// The procedure with this id; nullptr when there is none.
const Procedure* find_procedure(std::string_view id);

}  // namespace mk::flows
