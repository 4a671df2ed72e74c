#include "flows/rules/one_stop.hpp"

#include <stdexcept>

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

bool one_line(std::string_view value) {
  return value.find_first_of("\r\n") == std::string_view::npos;
}

bool upper_hex(std::string_view text) {
  if (text.empty() || text.size() % 2 != 0) {
    return false;
  }
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
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
  for (const std::string* v :
       {&d.holder_ref, &d.terms_version, &d.terminal, &d.time, &d.nonce_hex}) {
    if (v->empty() || !one_line(*v)) {
      throw std::invalid_argument("a consent field is empty or holds a line break");
    }
  }
  std::string out(kConsentDocumentHeader);
  out += "\nholder: " + d.holder_ref;
  out += "\nitems: " + consent_item_list(d.items);
  out += "\nterms: " + d.terms_version;
  out += "\nterminal: " + d.terminal;
  out += "\ntime: " + d.time;
  out += "\nnonce: " + d.nonce_hex + "\n";
  return out;
}

std::optional<ConsentDocument> parse_consent_document(std::string_view text) {
  const std::string_view whole = text;
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    if (end == std::string_view::npos) {
      return std::nullopt;  // the last line ends in LF too
    }
    lines.push_back(text.substr(0, end));
    text.remove_prefix(end + 1);
  }
  if (lines.size() != 7 || lines[0] != kConsentDocumentHeader) {
    return std::nullopt;
  }
  const char* const labels[] = {
      "holder: ", "items: ", "terms: ", "terminal: ", "time: ", "nonce: "};
  std::string_view values[6];
  for (size_t i = 0; i < 6; ++i) {
    const std::string_view label = labels[i];
    if (!lines[i + 1].starts_with(label)) {
      return std::nullopt;
    }
    values[i] = lines[i + 1].substr(label.size());
  }
  ConsentDocument d;
  d.holder_ref = values[0];
  const auto items = parse_consent_item_list(values[1]);
  if (!items) {
    return std::nullopt;
  }
  d.items = *items;
  d.terms_version = values[2];
  d.terminal = values[3];
  d.time = values[4];
  d.nonce_hex = values[5];
  if (!upper_hex(d.nonce_hex)) {
    return std::nullopt;
  }
  // Canonical only: a repeated item, another order or stray spaces give other bytes.
  try {
    if (to_canonical_text(d) != whole) {
      return std::nullopt;
    }
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
  return d;
}

}  // namespace mk::flows
