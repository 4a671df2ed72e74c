#include "kiosk/app/screen_variants.hpp"

#include "kiosk/ui/frame_check.hpp"
#include "kiosk/ui/image.hpp"
#include "kiosk/ui/screens/screens.hpp"

namespace mk::kiosk {

const std::vector<ScreenVariant>& screen_variants() {
  static const std::vector<ScreenVariant> variants = {
      {"ja", flows::Language::ja, {1.0, Contrast::standard}},
      {"en", flows::Language::en, {1.0, Contrast::standard}},
      {"ja-large", flows::Language::ja, {2.0, Contrast::standard}},
      {"ja-high-contrast", flows::Language::ja, {1.0, Contrast::high}},
  };
  return variants;
}

ScreenVariantWriter::ScreenVariantWriter(std::filesystem::path dir, const Config& config,
                                         const Catalog& catalog, TextRenderer& text)
    : dir_(std::move(dir)),
      config_(config),
      catalog_(catalog),
      text_(text),
      canvas_(Canvas::offscreen(config.display.width, config.display.height)) {
  std::filesystem::create_directories(dir_);
}

namespace {

// The view as it is shown in `language`: the language in use is the one drawn selected.
flows::ViewModel in_language(flows::ViewModel vm, flows::Language language) {
  vm.language = language;
  for (auto& action : vm.actions) {
    if (action.style == flows::ActionStyle::language && action.id.starts_with("lang_")) {
      action.enabled = action.id.substr(5) != flows::to_string(language);
    }
  }
  return vm;
}

}  // namespace

std::vector<std::string> ScreenVariantWriter::capture(const flows::ViewModel& vm,
                                                      const flows::ViewModel* beneath) {
  std::vector<std::string> problems;
  if (!seen_.insert(vm.screen).second) {
    return problems;
  }
  const int width = config_.display.width;
  const int height = config_.display.height;
  for (const ScreenVariant& variant : screen_variants()) {
    const flows::ViewModel shown = in_language(vm, variant.language);
    std::optional<flows::ViewModel> under;
    if (beneath != nullptr) {
      under = in_language(*beneath, variant.language);
    }
    const Theme theme = Theme::for_panel(width, height, config_.display.diagonal_in, variant.look);
    const Frame frame =
        layout_view(shown, under ? &*under : nullptr, catalog_, text_, theme, width, height);
    canvas_->draw(frame, text_);
    const Image drawn = canvas_->read_pixels();
    const std::string where = std::string(" (in the ") + variant.name + " variant)";
    for (const auto& found : {frame.warnings, check_frame(shown, frame, theme, width, height),
                              check_pixels(frame, drawn, theme)}) {
      for (const auto& problem : found) {
        problems.push_back(problem + where);
      }
    }
    write_png(dir_ / (vm.screen + "." + variant.name + ".png"), half_size(drawn));
  }
  return problems;
}

}  // namespace mk::kiosk
