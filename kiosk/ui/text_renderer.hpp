#pragma once

#include <future>
#include <map>
#include <string>
#include <utility>
#include <vector>

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

  // Opens these fonts on a thread of its own while the caller starts everything else; the
  // renderer's first use waits for it (and throws what it could not open). Opening a size of
  // the Noto CJK collection takes ~4 ms, and the first screen needs four to six of them.
  void open_ahead(std::vector<FontUse> fonts);

  const FontWeights& faces() const { return faces_; }
  static std::string harfbuzz_version();

 private:
  _TTF_Font* font(int px, bool bold);  // waits for open_ahead first
  _TTF_Font* open(int px, bool bold);  // the font, opened when not yet
  void finish_opening();

  FontWeights faces_;
  std::map<std::pair<int, bool>, _TTF_Font*> fonts_;
  std::future<void> opening_;  // open_ahead's thread, until the first use
};

}  // namespace mk::kiosk
