#pragma once

// The running kiosk's parts, started in order and stopped in reverse: the simulated world (the
// demo build only), the card readers and the card service, the centre link and the centre
// service, the store (its outbox sender, its audit writer, its sync with the centre, the problems
// it reports) and the flow runtime wired to all of them. The UI (App, the canvas) is built on top
// by kiosk_main; nothing here draws.

#include <filesystem>
#include <functional>
#include <memory>

#include "kiosk/app/app.hpp"
#include "kiosk/app/runners.hpp"
#include "kiosk/app/simulated_world.hpp"
#include "kiosk/app/store_opening.hpp"
#include "kiosk/config/config.hpp"
#include "kiosk/i18n/catalog.hpp"
#include "kiosk/runtime/flow_runtime.hpp"

namespace mk::kiosk {

class KioskParts {
 public:
  // Starts everything. `simulated_world` makes the world when the configuration asks for one
  // (the caller has refused a configuration that asks without a factory); `wake_ui` is called
  // from any thread when an answer waits for the UI loop. Throws StoreRefused when the store
  // cannot be opened without losing what it holds, std::exception for anything else.
  // `catalog`: the texts a printed slip is written in (it outlives the parts).
  KioskParts(const Config& config, const StorePaths& store_location,
             const std::filesystem::path& assets, const SimulatedWorldFactory& simulated_world,
             const Catalog& catalog, const std::function<void()>& wake_ui);
  // Stops the card and centre workers before the runtime they answer to goes.
  ~KioskParts();
  KioskParts(const KioskParts&) = delete;
  KioskParts& operator=(const KioskParts&) = delete;

  FlowRuntime& runtime();
  // The staff layer's runtime: a staff member's sign-in and desk over the person's procedure.
  FlowRuntime& staff_runtime();
  // The person's call for staff (the button on every screen of theirs).
  App::StaffCallPort staff_call();
  // Who answers what staff ask of the person's session (kiosk_ops::kEndSession): the app.
  void set_session_ops(std::function<void(const flows::KioskRequest&, const Post&)> answer);
  // The terminal id of the centre link in use (the simulated world's own in the demo).
  const std::string& terminal_id() const;
  // Refuses a procedure that keeps records while the store cannot keep it.
  ProcedureGate gate();
  // What a person's session begins with: the cards already on a reader are set aside.
  std::function<void()> session_start();
  // How many cards are on the readers now (the "take your cards" screen waits for none).
  std::function<int()> cards_present();
  // The world's `card` steps for a script, and `await drained` (outbox and audit rows sent).
  ScriptDevices script_devices();
  // A camera is there now (configured, the demo's, or a script's `camera show`).
  bool camera_present();
  // The FAQ to browse (flows::no_faq() when its files could not be read: MK-FAQ-UNREADABLE).
  const flows::FaqLibrary& faq() const;

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace mk::kiosk
