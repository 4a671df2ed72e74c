#pragma once

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "flows/view_model.hpp"
#include "kiosk/config/config.hpp"
#include "kiosk/i18n/catalog.hpp"
#include "kiosk/ui/canvas.hpp"
#include "kiosk/ui/text_renderer.hpp"
#include "kiosk/ui/theme.hpp"

namespace mk::kiosk {

// One look a screen's golden image is kept in.
struct ScreenVariant {
  const char* name = "";  // file name suffix: "ja", "en", "ja-large", "ja-high-contrast"
  flows::Language language = flows::Language::ja;
  Look look;
};

// Japanese and English at text scale 1, Japanese at 2 and in high contrast (issue 10).
const std::vector<ScreenVariant>& screen_variants();

// Draws each screen a script shows, the first time it shows it, in every variant — whatever
// language and look the person chose — at half size: <dir>/<screen>.<variant>.png, the images
// the screens' goldens and docs/screens.html are made of. Each drawing is checked like the
// frames the person sees, so every screen is checked in every look.
class ScreenVariantWriter {
 public:
  ScreenVariantWriter(std::filesystem::path dir, const Config& config, const Catalog& catalog,
                      TextRenderer& text);
  // The layout and pixel problems found in the variants drawn (none when the screen was seen).
  // `beneath`: the screen a dialog `vm` is open over (nullptr: `vm` is a screen).
  std::vector<std::string> capture(const flows::ViewModel& vm, const flows::ViewModel* beneath);

 private:
  std::filesystem::path dir_;
  const Config& config_;
  const Catalog& catalog_;
  TextRenderer& text_;
  std::unique_ptr<Canvas> canvas_;
  std::set<std::string> seen_;
};

}  // namespace mk::kiosk
