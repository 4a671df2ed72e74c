#pragma once

// What a flow asked for, read from its effects: the flow tests drive a flow with scripted card
// and centre answers and assert on these (one copy, not one per test file).

#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "flows/engine/effect.hpp"
#include "flows/engine/event.hpp"
#include "flows/view_model.hpp"

namespace mk::flows::testing {

// The effects' names in order ("show", "card", "wipe", "release_card", "ended", ...).
inline std::vector<std::string> names(const Effects& effects) {
  std::vector<std::string> out;
  for (const auto& e : effects) {
    out.push_back(effect_name(e));
  }
  return out;
}

// The view the effects show; a test that expected one fails with the exception's message.
inline const ViewModel& shown(const Effects& effects) {
  for (const auto& e : effects) {
    if (const auto* v = std::get_if<ShowView>(&e)) {
      return v->view;
    }
  }
  throw std::logic_error("the flow showed no view");
}

// The card request among the effects, or nullptr when there is none.
inline const CardRequest* find_card_request(const Effects& effects) {
  for (const auto& e : effects) {
    if (const auto* r = std::get_if<CardRequest>(&e)) {
      return r;
    }
  }
  return nullptr;
}

// The card request the effects must hold; a test that expected one fails with the message.
inline const CardRequest& card_request(const Effects& effects) {
  if (const CardRequest* r = find_card_request(effects)) {
    return *r;
  }
  throw std::logic_error("the flow asked no card");
}

// What the flow asked for, the latest of each kind, as effects come in.
struct Asked {
  // "card:<op>", "center:<op>", "outbox:<kind>", "print:<name>", "camera:<op>", "kiosk:<op>",
  // "audit:<action>=<result>"
  std::vector<std::string> ops;
  std::string pin;         // the PIN of the last card or centre request
  Fields args;             // of the last card or centre request
  Fields center_args;      // of the last centre request
  std::string center_key;  // the idempotency key of the last centre request
  std::optional<OutboxEnqueue> outbox;
  std::optional<PrintRequest> printed;  // the last slip asked for
  std::string screen;
  ViewModel view;  // the last shown (empty before the first)

  void record(const Effects& effects) {
    for (const auto& e : effects) {
      if (const auto* show = std::get_if<ShowView>(&e)) {
        screen = show->view.screen;
        view = show->view;
      } else if (const auto* card = std::get_if<CardRequest>(&e)) {
        ops.push_back("card:" + card->op);
        pin = std::string(card->pin.reveal());
        args = card->args;
      } else if (const auto* center = std::get_if<CenterRequest>(&e)) {
        ops.push_back("center:" + center->op);
        pin = std::string(center->pin.reveal());
        args = center->args;
        center_args = center->args;
        center_key = center->idempotency_key;
      } else if (const auto* out = std::get_if<OutboxEnqueue>(&e)) {
        ops.push_back("outbox:" + out->kind);
        outbox = *out;
      } else if (const auto* print = std::get_if<PrintRequest>(&e)) {
        ops.push_back("print:" + print->name);
        printed = *print;
      } else if (const auto* camera = std::get_if<CameraRequest>(&e)) {
        ops.push_back("camera:" + camera->op);
      } else if (const auto* kiosk = std::get_if<KioskRequest>(&e)) {
        ops.push_back("kiosk:" + kiosk->op);
      } else if (const auto* audit = std::get_if<AuditEntry>(&e)) {
        ops.push_back("audit:" + audit->action + "=" + audit->result);
      } else {
        ops.push_back(effect_name(e));
      }
    }
  }

  // The ids of the actions the last view offers, in order.
  std::vector<std::string> action_ids() const {
    std::vector<std::string> ids;
    for (const auto& a : view.actions) {
      ids.push_back(a.id);
    }
    return ids;
  }
};

}  // namespace mk::flows::testing
