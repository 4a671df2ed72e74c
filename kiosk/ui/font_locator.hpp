#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace mk::kiosk {

struct FontFace {
  std::filesystem::path file;
  int index = 0;  // face index inside a .ttc collection
  std::string family;
};

struct FontWeights {
  FontFace regular;
  FontFace bold;
};

// Thrown when no installed font can draw Japanese: the kiosk refuses to start rather than
// show boxes ("tofu") to a person who cannot read them.
class MissingFontError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Finds `family` (or fontconfig's best Japanese substitute) in regular and bold, and checks that
// it really covers Japanese: kana, common kanji and Japanese punctuation.
FontWeights find_japanese_font(const std::string& family);

}  // namespace mk::kiosk
