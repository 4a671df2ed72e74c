#pragma once

#include <map>
#include <string>
#include <utility>

#include "kiosk/ui/font_locator.hpp"
#include "kiosk/ui/text_metrics.hpp"

struct _TTF_Font;  // NOLINT(bugprone-reserved-identifier): SDL_ttf's name for TTF_Font
struct SDL_Surface;

namespace mk::kiosk {

// Fonts through SDL_ttf with HarfBuzz shaping; one TTF_Font per (size, weight), opened on first
// use. Renders UTF-8 runs to surfaces; measures them for layout.
class TextRenderer final : public TextMetrics {
 public:
  // Throws std::runtime_error when SDL_ttf cannot start or the font files cannot be opened.
  explicit TextRenderer(FontWeights faces);
  ~TextRenderer() override;
  TextRenderer(const TextRenderer&) = delete;
  TextRenderer& operator=(const TextRenderer&) = delete;

  int width(std::string_view utf8, int px, bool bold) override;
  int line_height(int px, bool bold) override;
  std::string missing_glyphs(std::string_view utf8, int px, bool bold) override;

  // A new ARGB surface with the text in `rgba` on transparent; the caller frees it.
  SDL_Surface* render(std::string_view utf8, int px, bool bold, uint32_t rgba);

  const FontWeights& faces() const { return faces_; }
  static std::string harfbuzz_version();

 private:
  _TTF_Font* font(int px, bool bold);

  FontWeights faces_;
  std::map<std::pair<int, bool>, _TTF_Font*> fonts_;
};

}  // namespace mk::kiosk
