#pragma once

// The slip drawn in a short-lived helper process (`mynakiosk-slip`, beside the kiosk's own
// executable): Cairo 1.16 loses 256 KiB each time it finishes a PostScript page with a CFF font
// subset, and a font library that crashes on a bad glyph would take the kiosk down with it. The
// helper reads the slip's words as JSON on stdin and writes the PostScript on stdout; whatever it
// leaks ends with it.

#include <filesystem>
#include <string>

#include "kiosk/print/slip_document.hpp"

namespace mk::kiosk {

// The helper beside the running executable.
std::filesystem::path default_slip_helper();

// The PostScript of `slip`, made by `helper`. Throws std::runtime_error when the helper cannot be
// started, fails (its words on stderr go into the message) or writes nothing.
std::string render_slip(const std::filesystem::path& helper, const SlipText& slip,
                        const SlipLayout& layout);

}  // namespace mk::kiosk
