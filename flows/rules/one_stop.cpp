#include "flows/rules/one_stop.hpp"

#include <stdexcept>

#include "flows/rules/canonical_text.hpp"

namespace mk::flows {

namespace {

bool* item_slot(ConsentItems& items, std::string_view name) {
  if (name == "address") {
    return &items.address;
  }
  if (name == "name") {
    return &items.name;
  }
  if (name == "birth_date") {
    return &items.birth_date;
  }
  return nullptr;
}

}  // namespace

bool set_consent_item(ConsentItems& items, std::string_view name) {
  bool* slot = item_slot(items, name);
  if (slot != nullptr) {
    *slot = true;
  }
  return slot != nullptr;
}

bool toggle_consent_item(ConsentItems& items, std::string_view name) {
  bool* slot = item_slot(items, name);
  if (slot != nullptr) {
    *slot = !*slot;
  }
  return slot != nullptr;
}

bool consent_item(const ConsentItems& items, std::string_view name) {
  ConsentItems copy = items;
  const bool* slot = item_slot(copy, name);
  return slot != nullptr && *slot;
}

std::string consent_item_list(const ConsentItems& items) {
  std::string out;
  for (const std::string_view name : kConsentItemNames) {
    if (consent_item(items, name)) {
      out += (out.empty() ? "" : " ") + std::string(name);
    }
  }
  return out;
}

std::optional<ConsentItems> parse_consent_item_list(std::string_view list) {
  ConsentItems items;
  std::string_view rest = list;
  while (!rest.empty()) {
    const auto space = rest.find(' ');
    if (!set_consent_item(items, rest.substr(0, space))) {
      return std::nullopt;
    }
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  }
  if (consent_item_list(items) != list) {
    return std::nullopt;  // repeated, out of order, or spaced otherwise
  }
  return items;
}

OneStopEligibility one_stop_eligibility(HoldingForm form, bool recorded_on_card, bool history,
                                        bool record_on_this_card, bool at_home_centre) {
  if (!recorded_on_card) {
    return OneStopEligibility::not_recorded;
  }
  if (!record_on_this_card) {
    return OneStopEligibility::record_elsewhere;
  }
  if (history) {
    return OneStopEligibility::driving_history;
  }
  if (form != HoldingForm::myna_only) {
    return OneStopEligibility::not_myna_only;
  }
  return at_home_centre ? OneStopEligibility::eligible : OneStopEligibility::not_home_centre;
}

std::string to_canonical_text(const ConsentDocument& d) {
  if (!d.items.any()) {
    throw std::invalid_argument("a consent names at least one item");
  }
  const std::string items = consent_item_list(d.items);
  return canonical_text(kConsentDocumentHeader, {{"holder", d.holder_ref},
                                                 {"items", items},
                                                 {"terms", d.terms_version},
                                                 {"terminal", d.terminal},
                                                 {"time", d.time},
                                                 {"nonce", d.nonce_hex}});
}

std::optional<ConsentDocument> parse_consent_document(std::string_view text) {
  const auto values = parse_canonical_text(
      text, kConsentDocumentHeader, {"holder", "items", "terms", "terminal", "time", "nonce"});
  if (!values) {
    return std::nullopt;
  }
  const auto items = parse_consent_item_list((*values)[1]);
  if (!items || !items->any() || !is_upper_hex((*values)[5])) {
    return std::nullopt;
  }
  return ConsentDocument{(*values)[0], *items,       (*values)[2],
                         (*values)[3], (*values)[4], (*values)[5]};
}

}  // namespace mk::flows
