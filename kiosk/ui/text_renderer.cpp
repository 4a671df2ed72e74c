#include "kiosk/ui/text_renderer.hpp"

#include <stdexcept>

#include <SDL.h>
#include <SDL_ttf.h>
#include <fmt/format.h>
#include <unicode/unistr.h>

namespace mk::kiosk {

TextRenderer::TextRenderer(FontWeights faces) : faces_(std::move(faces)) {
  if (TTF_WasInit() == 0 && TTF_Init() != 0) {
    throw std::runtime_error(std::string("SDL_ttf could not start: ") + TTF_GetError());
  }
}

TextRenderer::~TextRenderer() {
  if (opening_.valid()) {
    opening_.wait();  // what it could not open no longer matters
  }
  for (auto& [key, font] : fonts_) {
    TTF_CloseFont(font);
  }
}

std::string TextRenderer::harfbuzz_version() {
  int major = 0, minor = 0, patch = 0;
  TTF_GetHarfBuzzVersion(&major, &minor, &patch);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

void TextRenderer::open_ahead(std::vector<FontUse> fonts) {
  finish_opening();
  opening_ = std::async(std::launch::async, [this, wanted = std::move(fonts)] {
    // SDL keeps data per thread (its error message) that only its own threads free when they
    // end: this one frees it itself.
    struct SdlThreadData {
      SdlThreadData() = default;
      SdlThreadData(const SdlThreadData&) = delete;
      SdlThreadData& operator=(const SdlThreadData&) = delete;
      ~SdlThreadData() { SDL_TLSCleanup(); }
    } const sdl_thread_data;
    for (const FontUse& f : wanted) {
      open(f.px, f.bold);
    }
  });
}

void TextRenderer::finish_opening() {
  if (opening_.valid()) {
    opening_.get();
  }
}

TTF_Font* TextRenderer::font(int px, bool bold) {
  finish_opening();
  return open(px, bold);
}

TTF_Font* TextRenderer::open(int px, bool bold) {
  const auto key = std::make_pair(px, bold);
  if (const auto it = fonts_.find(key); it != fonts_.end()) {
    return it->second;
  }
  const FontFace& face = bold ? faces_.bold : faces_.regular;
  TTF_Font* opened = TTF_OpenFontIndex(face.file.c_str(), px, face.index);
  if (opened == nullptr) {
    throw std::runtime_error("cannot open font " + face.file.string() + ": " + TTF_GetError());
  }
  // HarfBuzz shaping of Japanese: kana and kanji share the "Hani"/"Hira"/"Kana" scripts, which
  // HarfBuzz guesses per run; the JP face of the collection gives Japanese glyph forms.
  TTF_SetFontHinting(opened, TTF_HINTING_LIGHT);
  fonts_.emplace(key, opened);
  return opened;
}

int TextRenderer::width(std::string_view utf8, int px, bool bold) {
  if (utf8.empty()) {
    return 0;
  }
  int w = 0, h = 0;
  const std::string text(utf8);
  if (TTF_SizeUTF8(font(px, bold), text.c_str(), &w, &h) != 0) {
    return 0;
  }
  return w;
}

int TextRenderer::line_height(int px, bool bold) {
  // Japanese reads best with generous leading: 1.5 × the font's own line skip is too much for
  // Noto's tall ascent, so use the larger of the line skip and 1.45 × size.
  return std::max(TTF_FontLineSkip(font(px, bold)), static_cast<int>(px * 1.45));
}

std::string TextRenderer::missing_glyphs(std::string_view utf8, int px, bool bold) {
  TTF_Font* f = font(px, bold);
  std::string missing;
  // ICU decodes; a malformed sequence becomes U+FFFD, which is then reported as missing.
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
    const UChar32 cp = text.char32At(i);
    if (cp == '\n' || cp == ' ') {
      continue;
    }
    if (cp == 0xFFFD || TTF_GlyphIsProvided32(f, static_cast<uint32_t>(cp)) == 0) {
      missing += fmt::format("{}U+{:04X}", missing.empty() ? "" : " ", cp);
    }
  }
  return missing;
}

SDL_Surface* TextRenderer::render(std::string_view utf8, int px, bool bold, uint32_t rgba) {
  const SDL_Color color{static_cast<uint8_t>(rgba >> 24), static_cast<uint8_t>(rgba >> 16),
                        static_cast<uint8_t>(rgba >> 8), static_cast<uint8_t>(rgba)};
  const std::string text(utf8);
  return TTF_RenderUTF8_Blended(font(px, bold), text.c_str(), color);
}

}  // namespace mk::kiosk
