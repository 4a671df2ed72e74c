#pragma once

// The printed slip (a flow's PrintRequest): its view model laid out for an 80 mm receipt roll as
// PostScript, with Cairo and Pango — the texts in the person's language from the catalogue, in
// the order a screen shows them (title, body, when, the lines, the note), the QR code as vector
// modules, the footer last. The page is as long as its content.
//
// PostScript, not PDF: CUPS filters a PDF through a PostScript renderer that turns CJK text into
// outlines; a PostScript job goes to the printer's filter as it is, so a PDF printer keeps the
// text (and a receipt printer's own filter gets plain PostScript).

#include <string>

#include "flows/view_model.hpp"
#include "kiosk/i18n/catalog.hpp"

namespace mk::kiosk {

struct SlipLayout {
  double width_mm = 80;    // the roll
  double margin_mm = 5;    // each side, and top and bottom
  double qr_side_mm = 36;  // with its quiet zone: a phone reads it from a hand's length
  std::string font_family = "Noto Sans CJK JP";
};

// The PostScript of `slip`. Throws std::runtime_error when Cairo cannot make it (the QR code's
// text too long, say).
std::string slip_postscript(const flows::ViewModel& slip, const Catalog& catalog,
                            const SlipLayout& layout = {});

}  // namespace mk::kiosk
