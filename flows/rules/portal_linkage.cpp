#include "flows/rules/portal_linkage.hpp"

#include "flows/rules/canonical_text.hpp"

namespace mk::flows {

LinkageEligibility linkage_eligibility(bool recorded_on_card, bool record_on_this_card,
                                       bool at_home_centre) {
  if (!recorded_on_card) {
    return LinkageEligibility::not_recorded;
  }
  if (!record_on_this_card) {
    return LinkageEligibility::record_elsewhere;
  }
  return at_home_centre ? LinkageEligibility::eligible : LinkageEligibility::not_home_centre;
}

std::string to_canonical_text(const LinkageDocument& d) {
  return canonical_text(kLinkageDocumentHeader, {{"holder", d.holder_ref},
                                                 {"terminal", d.terminal},
                                                 {"time", d.time},
                                                 {"nonce", d.nonce_hex}});
}

std::optional<LinkageDocument> parse_linkage_document(std::string_view text) {
  const auto values =
      parse_canonical_text(text, kLinkageDocumentHeader, {"holder", "terminal", "time", "nonce"});
  if (!values || !is_upper_hex((*values)[3])) {
    return std::nullopt;
  }
  return LinkageDocument{(*values)[0], (*values)[1], (*values)[2], (*values)[3]};
}

}  // namespace mk::flows
