#pragma once

#include "kiosk/ui/frame.hpp"

namespace mk::kiosk::theme {

// Colours chosen for contrast: text on background and button text on button fill are all at
// least 7:1 (WCAG AAA), measured by tests/unit/layout_test.cpp; selection is shown by shape too.
inline constexpr Color kBackground{0xF7, 0xF8, 0xFA};
inline constexpr Color kText{0x1A, 0x1A, 0x1A};
inline constexpr Color kTextMuted{0x3D, 0x44, 0x4F};
inline constexpr Color kPrimary{0x00, 0x3F, 0x8F};
inline constexpr Color kOnPrimary{0xFF, 0xFF, 0xFF};
inline constexpr Color kSecondary{0xFF, 0xFF, 0xFF};
inline constexpr Color kBorder{0x3D, 0x44, 0x4F};
inline constexpr Color kBand{0x00, 0x3F, 0x8F};
inline constexpr Color kProblem{0x9B, 0x00, 0x00};  // 8.6:1 on kBackground; always with words

// Sizes at the 1080-pixel reference height; scaled with the screen and the large-text setting.
inline constexpr int kTitlePx = 80;
inline constexpr int kHeadingPx = 60;
inline constexpr int kBodyPx = 42;
inline constexpr int kButtonPx = 44;
inline constexpr int kSmallPx = 38;
inline constexpr int kMargin = 96;
// Touch targets: at least 120 px high at 1080 px (about 33 mm on a 24-inch 1080p panel,
// above the 20 mm minimum).
inline constexpr int kButtonHeight = 140;
inline constexpr int kRadius = 18;

}  // namespace mk::kiosk::theme
