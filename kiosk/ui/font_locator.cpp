#include "kiosk/ui/font_locator.hpp"

#include <memory>

#include <fmt/format.h>
#include <fontconfig/fontconfig.h>

namespace mk::kiosk {

namespace {

// Characters every kiosk screen uses: hiragana, katakana incl. small kana and the long vowel
// mark, kanji, and the Japanese full stop, comma and brackets.
constexpr char32_t kJapaneseSample[] = {U'あ', U'ゃ', U'ア', U'ッ', U'ー', U'免',
                                        U'許', U'証', U'。', U'、', U'「', U'」'};

struct PatternDeleter {
  void operator()(FcPattern* p) const { FcPatternDestroy(p); }
};
using Pattern = std::unique_ptr<FcPattern, PatternDeleter>;

FontFace match(const std::string& family, int weight) {
  Pattern pattern(FcPatternCreate());
  FcPatternAddString(pattern.get(), FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
  FcPatternAddString(pattern.get(), FC_LANG, reinterpret_cast<const FcChar8*>("ja"));
  FcPatternAddInteger(pattern.get(), FC_WEIGHT, weight);
  FcConfigSubstitute(nullptr, pattern.get(), FcMatchPattern);
  FcDefaultSubstitute(pattern.get());
  FcResult result = FcResultNoMatch;
  Pattern found(FcFontMatch(nullptr, pattern.get(), &result));
  const std::string install_hint =
      " Install a Japanese font: apt-get install fonts-noto-cjk (or run installer/deps.sh run).";
  if (!found) {
    throw MissingFontError("No font found for \"" + family + "\"." + install_hint);
  }
  FcChar8* file = nullptr;
  FcChar8* found_family = nullptr;
  int index = 0;
  FcCharSet* charset = nullptr;
  if (FcPatternGetString(found.get(), FC_FILE, 0, &file) != FcResultMatch ||
      FcPatternGetCharSet(found.get(), FC_CHARSET, 0, &charset) != FcResultMatch) {
    throw MissingFontError("Fontconfig gave no usable font for \"" + family + "\"." + install_hint);
  }
  (void)FcPatternGetInteger(found.get(), FC_INDEX, 0, &index);  // absent: face 0
  FcPatternGetString(found.get(), FC_FAMILY, 0, &found_family);
  const std::string name = found_family != nullptr ? reinterpret_cast<char*>(found_family) : "";
  for (const char32_t c : kJapaneseSample) {
    if (FcCharSetHasChar(charset, static_cast<FcChar32>(c)) == FcFalse) {
      throw MissingFontError("No installed font can draw Japanese: the best match for \"" + family +
                             "\" is \"" + name + "\" (" + reinterpret_cast<char*>(file) +
                             "), which lacks U+" + fmt::format("{:04X}", static_cast<uint32_t>(c)) +
                             "." + install_hint);
    }
  }
  return {reinterpret_cast<char*>(file), index, name};
}

}  // namespace

FontWeights find_japanese_font(const std::string& family) {
  if (FcInit() == FcFalse) {
    throw MissingFontError("Fontconfig could not be initialised.");
  }
  return {match(family, FC_WEIGHT_REGULAR), match(family, FC_WEIGHT_BOLD)};
}

}  // namespace mk::kiosk
