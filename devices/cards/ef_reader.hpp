#pragma once

#include <optional>

#include "devices/apdu/channel.hpp"
#include "devices/profile/card_profile.hpp"

namespace mk::devices {

// Selects an application (or DF) by AID, unless the channel already has it selected: a second
// SELECT costs an APDU and would also log out the PINs verified in it. Returns false when the
// card answers 6A82 (not on this card); throws CardError on any other failure.
bool select_application(ApduChannel& channel, std::span<const uint8_t> aid, std::string_view what);

// Reads a whole EF of the selected application in as few APDUs as the card allows: one READ
// BINARY by short file identifier with extended Le (the card returns what there is, up to the
// EF's end, with 9000 — card-profile.md §2), falling back to 256-byte short reads for a card
// or reader without extended length. `size_hint` (e.g. from a DER header) stops early.
Bytes read_whole_ef(ApduChannel& channel, profile::Fid fid, std::string_view what);

// Reads a DER object (a certificate) from an EF: length from its header, nothing more.
Bytes read_der_ef(ApduChannel& channel, profile::Fid fid, std::string_view what);

}  // namespace mk::devices
