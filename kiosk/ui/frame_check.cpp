#include "kiosk/ui/frame_check.hpp"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

namespace mk::kiosk {

namespace {

bool overlap(const Rect& a, const Rect& b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

bool inside(const Rect& inner, const Rect& outer) {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
         inner.y + inner.h <= outer.y + outer.h;
}

std::string describe(const Label& label) {
  return label.lines.empty() ? std::string("(empty)") : "\"" + label.lines.front() + "\"";
}

}  // namespace

std::vector<std::string> check_frame(const flows::ViewModel& vm, const Frame& frame,
                                     const Theme& theme, int width, int height) {
  std::vector<std::string> problems;
  const auto problem = [&](const std::string& what) {
    problems.push_back(frame.screen + ": " + what);
  };
  // A dialog is checked on its own (what it covers was checked when it was shown): everything of
  // it inside its panel, and the panel on the screen.
  Rect screen{0, 0, width, height};
  if (frame.panel) {
    if (!inside(frame.panel->rect, screen)) {
      problem("the dialog is partly off the screen");
    }
    screen = frame.panel->rect;
  }
  // A pixel less than 20 mm is rounding, not a smaller target.
  const int min_target = theme.mm(mm::kMinTarget) - 1;
  for (size_t i = 0; i < frame.buttons.size(); ++i) {
    const Button& b = frame.buttons[i];
    if (b.rect.w < min_target || b.rect.h < min_target) {
      problem(fmt::format("{} is {:.1f} × {:.1f} mm, under the {} mm a finger needs", b.action,
                          b.rect.w / theme.px_per_mm(), b.rect.h / theme.px_per_mm(),
                          mm::kMinTarget));
    }
    if (!inside(b.rect, screen)) {
      problem(b.action + " is partly off the screen");
    }
    if (!inside(b.label.box, b.rect)) {
      problem("the label of " + b.action + " is clipped by its button");
    }
    for (size_t j = i + 1; j < frame.buttons.size(); ++j) {
      if (overlap(b.rect, frame.buttons[j].rect)) {
        problem(b.action + " overlaps " + frame.buttons[j].action);
      }
    }
    for (const auto& label : frame.labels) {
      if (overlap(b.rect, label.box)) {
        problem(describe(label) + " is under " + b.action);
      }
    }
  }
  // Something drawn under the texts and buttons (a picture, a meter): on the screen, under none.
  const auto check_covered = [&](const Rect& box, const std::string& what) {
    if (!inside(box, screen)) {
      problem(what + " is partly off the screen");
    }
    for (const auto& label : frame.labels) {
      if (overlap(box, label.box)) {
        problem(describe(label) + " is over " + what);
      }
    }
    for (const auto& b : frame.buttons) {
      if (overlap(box, b.rect)) {
        problem(b.action + " is over " + what);
      }
    }
  };
  for (const auto& picture : frame.pictures) {
    check_covered(picture.box, "a picture");
  }
  for (const auto& shape : frame.shapes) {
    check_covered(shape.rect, "a meter");
    for (const auto& picture : frame.pictures) {
      if (overlap(shape.rect, picture.box)) {
        problem("a picture is over a meter");
      }
    }
  }
  for (size_t i = 0; i < frame.labels.size(); ++i) {
    const Label& label = frame.labels[i];
    if (!inside(label.box, screen)) {
      problem(describe(label) + " is partly off the screen");
    }
    for (size_t j = i + 1; j < frame.labels.size(); ++j) {
      if (overlap(label.box, frame.labels[j].box)) {
        problem(describe(label) + " overlaps " + describe(frame.labels[j]));
      }
    }
  }
  // Back and cancel on the left of the primary action, wherever both are in the action row.
  for (const auto& back : vm.actions) {
    if (back.style != flows::ActionStyle::back) {
      continue;
    }
    for (const auto& primary : vm.actions) {
      if (primary.style != flows::ActionStyle::primary) {
        continue;
      }
      const Button* b = frame.button(back.id);
      const Button* p = frame.button(primary.id);
      if (b != nullptr && p != nullptr && b->rect.x >= p->rect.x) {
        problem(back.id + " is not left of " + primary.id);
      }
    }
  }
  return problems;
}

namespace {

Color pixel(const Image& image, int x, int y) {
  const size_t at =
      (static_cast<size_t>(y) * static_cast<size_t>(image.width) + static_cast<size_t>(x)) * 4;
  return {image.rgba[at], image.rgba[at + 1], image.rgba[at + 2], 255};
}

// The contrast of a text with what is behind it: the most common colour in its box is the
// background; the pixel that stands out from it the most is the text's own colour (the glyphs'
// inside, past their anti-aliased edges).
std::optional<double> measured_contrast(const Image& image, const Rect& box) {
  const int x0 = std::max(0, box.x);
  const int y0 = std::max(0, box.y);
  const int x1 = std::min(image.width, box.x + box.w);
  const int y1 = std::min(image.height, box.y + box.h);
  if (x0 >= x1 || y0 >= y1) {
    return std::nullopt;
  }
  std::unordered_map<uint32_t, int> counts;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      const Color c = pixel(image, x, y);
      ++counts[(uint32_t{c.r} << 16) | (uint32_t{c.g} << 8) | c.b];
    }
  }
  uint32_t most = 0;
  int most_count = 0;
  for (const auto& [value, count] : counts) {
    if (count > most_count) {
      most = value;
      most_count = count;
    }
  }
  const auto unpack = [](uint32_t v) {
    return Color{static_cast<uint8_t>(v >> 16), static_cast<uint8_t>(v >> 8),
                 static_cast<uint8_t>(v), 255};
  };
  const Color background = unpack(most);
  double best = 1.0;
  for (const auto& [value, count] : counts) {
    best = std::max(best, contrast_ratio(background, unpack(value)));
  }
  return best;
}

}  // namespace

std::vector<std::string> check_pixels(const Frame& frame, const Image& image, const Theme& theme) {
  std::vector<std::string> problems;
  const auto check = [&](const Label& label) {
    if (label.lines.empty()) {
      return;
    }
    const auto ratio = measured_contrast(image, label.box);
    if (!ratio) {
      problems.push_back(frame.screen + ": " + describe(label) + " is not on the screen");
    } else if (*ratio < theme.min_text_contrast()) {
      problems.push_back(
          fmt::format("{}: {} has a contrast of {:.2f}:1 on the screen, under "
                      "{:.1f}:1",
                      frame.screen, describe(label), *ratio, theme.min_text_contrast()));
    }
  };
  for (const auto& label : frame.labels) {
    check(label);
  }
  for (const auto& button : frame.buttons) {
    check(button.label);
  }
  return problems;
}

}  // namespace mk::kiosk
