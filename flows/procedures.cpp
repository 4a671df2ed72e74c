#include "flows/procedures.hpp"

#include <algorithm>

#include "flows/faq/faq_flow.hpp"
#include "flows/holding_form/holding_form_flow.hpp"
#include "flows/my_status/my_status_flow.hpp"
#include "flows/one_stop/one_stop_cancel_flow.hpp"
#include "flows/one_stop/one_stop_flow.hpp"
#include "flows/pin_unlock/pin_unlock_flow.hpp"
#include "flows/portal_linkage/portal_linkage_flow.hpp"
#include "flows/read_back/read_back_flow.hpp"
#include "flows/record/record_flow.hpp"
#include "flows/renewal/renewal_flow.hpp"

namespace mk::flows {

const std::vector<Procedure>& procedures() {
  static const std::vector<Procedure> list = {
      {.id = "record",
       .label_key = "menu.record",
       .summary = "record the licence on the My Number card",
       .make = [](Language language, const ProcedureContext& c) -> std::unique_ptr<RunningFlow> {
         return std::make_unique<FlowAdapter<RecordFlow>>("record", language, c.today);
       },
       .definition = &RecordFlow::definition()},
      // The card's own record and signature: nothing kept, and the centre only asked whether
      // the card moved (the record is shown without that answer when it is out of reach).
      {.id = "read_back",
       .label_key = "menu.read_back",
       .summary = "read back what is recorded on the card",
       .keeps_records = false,
       .needs_center = false,
       .make = [](Language language, const ProcedureContext&) -> std::unique_ptr<RunningFlow> {
         return std::make_unique<FlowAdapter<ReadBackFlow>>("read_back", language);
       },
       .definition = &ReadBackFlow::definition()},
      {.id = "holding_form",
       .label_key = "menu.holding_form",
       .summary = "change the holding form (the plastic licence, the record on the card)",
       .make = [](Language language, const ProcedureContext&) -> std::unique_ptr<RunningFlow> {
         return std::make_unique<FlowAdapter<HoldingFormFlow>>("holding_form", language);
       },
       .definition = &HoldingFormFlow::definition()},
      {.id = "renewal",
       .label_key = "menu.renewal",
       .summary = "renew the licence recorded on the card",
       .make = [](Language language, const ProcedureContext& c) -> std::unique_ptr<RunningFlow> {
         return std::make_unique<FlowAdapter<RenewalFlow>>("renewal", language, c.today);
       },
       .definition = &RenewalFlow::definition()},
      {.id = "history",
       .label_key = "menu.history",
       .summary = "record the driving history certificate (運転経歴証明書) on the card",
       .make = [](Language language, const ProcedureContext& c) -> std::unique_ptr<RunningFlow> {
         return std::make_unique<FlowAdapter<RecordFlow>>("history", language, c.today,
                                                          RecordKind::driving_history);
       },
       .definition = &RecordFlow::history_definition()},
      // R-OS-*: the consent signed with the card's signing key; doing it again renews it.
      {.id = "one_stop",
       .label_key = "menu.one_stop",
       .summary = "start or renew the address-change one-stop service (signed consent)",
       .make = [](Language language, const ProcedureContext& c) -> std::unique_ptr<RunningFlow> {
         return std::make_unique<FlowAdapter<OneStopFlow>>("one_stop", language, c.today,
                                                           c.terminal);
       },
       .definition = &OneStopFlow::definition()},
      // R-OS-CANCEL: no signing PIN; the centre's answer says which consent ended.
      {.id = "one_stop_cancel",
       .label_key = "menu.one_stop_cancel",
       .summary = "cancel the address-change one-stop service",
       .make = [](Language language, const ProcedureContext&) -> std::unique_ptr<RunningFlow> {
         return std::make_unique<FlowAdapter<OneStopCancelFlow>>("one_stop_cancel", language);
       },
       .definition = &OneStopCancelFlow::definition()},
      // R-PL-*: the signing certificate submitted; the hand-over says when and how to go on on
      // the portal, with a QR code and a printed slip.
      {.id = "portal_linkage",
       .label_key = "menu.portal_linkage",
       .summary = "submit the signing certificate for the Myna Portal linkage",
       .make = [](Language language, const ProcedureContext& c) -> std::unique_ptr<RunningFlow> {
         return std::make_unique<FlowAdapter<PortalLinkageFlow>>("portal_linkage", language,
                                                                 c.today, c.terminal, c.printer);
       },
       .definition = &PortalLinkageFlow::definition()},
      // What a person may ask about themselves: nothing kept, nothing sent.
      {.id = "my_status",
       .label_key = "menu.my_status",
       .summary = "my one-stop consent, portal linkage and online lecture (status)",
       .keeps_records = false,
       .make = [](Language language, const ProcedureContext& c) -> std::unique_ptr<RunningFlow> {
         return std::make_unique<FlowAdapter<MyStatusFlow>>("my_status", language, c.today);
       },
       .definition = &MyStatusFlow::definition()},
      // R-LIC-PIN-LOCK, after hours by appointment: card, PIN and face checked by the centre,
      // then the issuer resets the counter with the new PIN.
      {.id = "pin_unlock",
       .label_key = "menu.pin_unlock",
       .summary = "unlock a locked licence PIN, by appointment",
       .needs_camera = true,
       .make = [](Language language, const ProcedureContext& c) -> std::unique_ptr<RunningFlow> {
         return std::make_unique<FlowAdapter<PinUnlockFlow>>("pin_unlock", language, c.camera);
       },
       .definition = &PinUnlockFlow::definition()},
      // What a person may ask: the NPA's FAQ, by section or by a word. No card, nothing kept.
      {.id = "faq",
       .label_key = "menu.faq",
       .summary = "read the NPA's questions and answers (FAQ), by section or by a word",
       .keeps_records = false,
       .needs_center = false,
       .make = [](Language language, const ProcedureContext& c) -> std::unique_ptr<RunningFlow> {
         return std::make_unique<FlowAdapter<FaqFlow>>("faq", language,
                                                       c.faq != nullptr ? *c.faq : no_faq());
       },
       .definition = &FaqFlow::definition()},
  };
  return list;
}

const Procedure* find_procedure(std::string_view id) {
  const auto& list = procedures();
  const auto it =
      std::find_if(list.begin(), list.end(), [&](const Procedure& p) { return p.id == id; });
  return it == list.end() ? nullptr : &*it;
}

}  // namespace mk::flows
