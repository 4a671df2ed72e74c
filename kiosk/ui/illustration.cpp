#include "kiosk/ui/illustration.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

#include <SDL.h>
#include <SDL_image.h>
#include <fmt/format.h>

namespace mk::kiosk {

// Generated from assets/illustrations/*.svg by kiosk/CMakeLists.txt.
std::string_view illustration_source(std::string_view file_stem);

namespace {

std::string hex(Color c) {
  return fmt::format("#{:02X}{:02X}{:02X}", c.r, c.g, c.b);
}

// Every colour of the drawings is one of the standard palette's; each becomes the same role's
// colour of `palette`. One pass, so a colour replaced is never replaced again (white becomes
// black while dark grey becomes white in high contrast).
std::string recolour(std::string_view svg, const Palette& palette) {
  const Palette& standard = palette_of(Contrast::standard);
  const std::array<std::pair<std::string, std::string>, 5> roles{{
      {hex(standard.text), hex(palette.text)},
      {hex(standard.border), hex(palette.border)},
      {hex(standard.primary), hex(palette.primary)},
      {hex(standard.secondary), hex(palette.secondary)},
      {hex(standard.background), hex(palette.background)},
  }};
  std::string out;
  out.reserve(svg.size());
  for (size_t i = 0; i < svg.size();) {
    if (svg[i] == '#' && i + 7 <= svg.size()) {
      std::string colour(svg.substr(i, 7));
      for (char& c : colour) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      const auto* role = std::find_if(roles.begin(), roles.end(),
                                      [&](const auto& r) { return r.first == colour; });
      if (role != roles.end()) {
        out += role->second;
        i += 7;
        continue;
      }
    }
    out += svg[i++];
  }
  return out;
}

}  // namespace

std::string_view illustration_svg(flows::Illustration which) {
  switch (which) {
    case flows::Illustration::none:
      return {};
    case flows::Illustration::place_my_number_card:
      return illustration_source("place-my-number-card");
    case flows::Illustration::place_driving_licence:
      return illustration_source("place-driving-licence");
    case flows::Illustration::take_cards:
      return illustration_source("take-cards");
  }
  return {};
}

std::string with_reader_location(std::string_view svg,
                                 const std::vector<flows::ReaderPlace>& readers) {
  const std::string_view location = illustration_source("reader-location");
  const size_t end = svg.rfind("</svg>");
  const size_t open = location.find("<svg");
  const size_t body = open == std::string_view::npos ? open : location.find('>', open);
  const size_t close = location.rfind("</svg>");
  if (readers.empty() || end == std::string_view::npos || body == std::string_view::npos ||
      close == std::string_view::npos) {
    return std::string(svg);
  }
  const auto kept = [&](std::string_view line) {
    return std::any_of(readers.begin(), readers.end(), [&](flows::ReaderPlace place) {
      return line.find("<!-- reader:" + std::string(flows::reader_place_name(place)) + " -->") !=
             std::string_view::npos;
    });
  };
  std::string group = "<g transform=\"translate(0 24) scale(1.05)\">";
  // Line by line: the drawing's own lines, and of the "reader:" lines only the place's own.
  std::string_view lines = location.substr(body + 1, close - body - 1);
  while (!lines.empty()) {
    const size_t eol = lines.find('\n');
    const std::string_view line = lines.substr(0, eol);
    if (line.find("<!-- reader:") == std::string_view::npos || kept(line)) {
      group.append(line).append("\n");
    }
    lines = eol == std::string_view::npos ? std::string_view{} : lines.substr(eol + 1);
  }
  group += "</g>\n";
  std::string out(svg.substr(0, end));
  out += group;
  out += svg.substr(end);
  return out;
}

namespace {

std::string places_key(const std::vector<flows::ReaderPlace>& places) {
  std::string key;
  for (const auto place : places) {
    key += std::to_string(static_cast<int>(place));
  }
  return key;
}

Image rasterise(flows::Illustration which, const Palette& palette, int width, int height,
                const std::vector<flows::ReaderPlace>& readers) {
  const std::string_view source = illustration_svg(which);
  if (source.empty() || width <= 0 || height <= 0) {
    throw std::runtime_error("no illustration to draw");
  }
  std::string svg = recolour(with_reader_location(source, readers), palette);
  // IMG_LoadSizedSVG_RW scales to the size given; it keeps the drawing's proportions when one
  // side is 0, so the box's aspect is matched by fitting one side first.
  SDL_RWops* rw = SDL_RWFromConstMem(svg.data(), static_cast<int>(svg.size()));
  std::unique_ptr<SDL_Surface, decltype(&SDL_FreeSurface)> fitted(IMG_LoadSizedSVG_RW(rw, width, 0),
                                                                  SDL_FreeSurface);
  SDL_RWclose(rw);
  if (fitted && fitted->h > height) {
    rw = SDL_RWFromConstMem(svg.data(), static_cast<int>(svg.size()));
    fitted.reset(IMG_LoadSizedSVG_RW(rw, 0, height));
    SDL_RWclose(rw);
  }
  if (!fitted) {
    throw std::runtime_error(std::string("SDL2_image cannot draw the illustration: ") +
                             IMG_GetError());
  }
  std::unique_ptr<SDL_Surface, decltype(&SDL_FreeSurface)> rgba(
      SDL_ConvertSurfaceFormat(fitted.get(), SDL_PIXELFORMAT_RGBA32, 0), SDL_FreeSurface);
  if (!rgba) {
    throw std::runtime_error(std::string("SDL cannot convert the illustration: ") + SDL_GetError());
  }
  Image image;
  image.width = width;
  image.height = height;
  image.rgba.assign(static_cast<size_t>(width) * static_cast<size_t>(height) * 4, 0);
  const int left = (width - rgba->w) / 2;
  const int top = (height - rgba->h) / 2;
  const auto* pixels = static_cast<const uint8_t*>(rgba->pixels);
  for (int y = 0; y < rgba->h && top + y < height; ++y) {
    for (int x = 0; x < rgba->w && left + x < width; ++x) {
      const uint8_t* from =
          pixels + static_cast<ptrdiff_t>(y) * rgba->pitch + static_cast<ptrdiff_t>(x) * 4;
      const auto at = static_cast<size_t>((top + y) * width + left + x) * 4;
      uint8_t* to = &image.rgba[at];
      std::copy(from, from + 4, to);
    }
  }
  return image;
}

}  // namespace

Image render_illustration(flows::Illustration which, const Palette& palette, int width, int height,
                          const std::vector<flows::ReaderPlace>& readers) {
  // Rasterising takes ~8 ms; a screen is laid out again for each page and look, and the same few
  // drawings come back all day: the last ones drawn are kept.
  constexpr size_t kKept = 8;
  static std::mutex mutex;
  static std::deque<std::pair<std::string, Image>> kept;
  const std::string key =
      fmt::format("{} {} {}x{} {} {} {} {} {}", static_cast<int>(which), places_key(readers), width,
                  height, hex(palette.text), hex(palette.border), hex(palette.primary),
                  hex(palette.secondary), hex(palette.background));
  {
    const std::lock_guard lock(mutex);
    for (const auto& [k, image] : kept) {
      if (k == key) {
        return image;
      }
    }
  }
  Image image = rasterise(which, palette, width, height, readers);
  const std::lock_guard lock(mutex);
  kept.emplace_front(key, image);
  if (kept.size() > kKept) {
    kept.pop_back();
  }
  return image;
}

}  // namespace mk::kiosk
