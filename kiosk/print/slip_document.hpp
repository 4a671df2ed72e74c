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
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "flows/view_model.hpp"
#include "kiosk/i18n/catalog.hpp"

namespace mk::kiosk {

struct SlipLayout {
  double width_mm = 80;    // the roll
  double margin_mm = 5;    // each side, and top and bottom
  double qr_side_mm = 36;  // with its quiet zone: a phone reads it from a hand's length
  std::string font_family = "Noto Sans CJK JP";
};

// A slip's words, in the person's language, in the order they are printed.
struct SlipText {
  std::string title, body, when;
  std::vector<std::string> details;
  std::string note;
  std::string qr_code;  // the link drawn as a QR code; "" for none
  std::string footer;

  friend bool operator==(const SlipText&, const SlipText&) = default;
};

// The words of `slip` (its texts by role, its lines, its QR code) from the catalogue.
SlipText slip_text(const flows::ViewModel& slip, const Catalog& catalog);

// The PostScript of `slip`. Throws std::runtime_error when Cairo cannot make it (the QR code's
// text too long, say). In the kiosk it runs in the helper process (slip_renderer.hpp).
std::string slip_postscript(const SlipText& slip, const SlipLayout& layout = {});

// What the kiosk hands the helper process, and back.
nlohmann::json slip_request(const SlipText& slip, const SlipLayout& layout);
// Throws std::runtime_error for a request that is not one.
std::pair<SlipText, SlipLayout> parse_slip_request(const nlohmann::json& request);

}  // namespace mk::kiosk
