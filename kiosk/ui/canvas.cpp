#include "kiosk/ui/canvas.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <SDL.h>

namespace mk::kiosk {

namespace {

uint32_t pack(Color c) {
  return (uint32_t{c.r} << 24) | (uint32_t{c.g} << 16) | (uint32_t{c.b} << 8) | c.a;
}

// Texts not drawn for this many frames are dropped from the cache.
constexpr uint64_t kTextCacheFrames = 8;

}  // namespace

std::unique_ptr<Canvas> Canvas::open_window(const WindowOptions& options) {
  std::unique_ptr<Canvas> canvas(new Canvas());
  const Uint32 flags = SDL_WINDOW_SHOWN | (options.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
  canvas->window_ = SDL_CreateWindow(options.title.c_str(), SDL_WINDOWPOS_CENTERED,
                                     SDL_WINDOWPOS_CENTERED, options.width, options.height, flags);
  if (canvas->window_ == nullptr) {
    throw std::runtime_error(std::string("cannot open a window: ") + SDL_GetError());
  }
  canvas->renderer_ = SDL_CreateRenderer(canvas->window_, -1, SDL_RENDERER_PRESENTVSYNC);
  if (canvas->renderer_ == nullptr) {
    canvas->renderer_ = SDL_CreateRenderer(canvas->window_, -1, SDL_RENDERER_SOFTWARE);
  }
  if (canvas->renderer_ == nullptr) {
    throw std::runtime_error(std::string("cannot create a renderer: ") + SDL_GetError());
  }
  // Layout works in the configured size; SDL scales to the real screen and maps mouse input
  // back (touch input is mapped by the input translation, see kiosk/app/sdl_input.cpp).
  SDL_RenderSetLogicalSize(canvas->renderer_, options.width, options.height);
  canvas->width_ = options.width;
  canvas->height_ = options.height;
  if (options.fullscreen) {
    SDL_ShowCursor(SDL_DISABLE);
  }
  return canvas;
}

std::unique_ptr<Canvas> Canvas::offscreen(int width, int height) {
  std::unique_ptr<Canvas> canvas(new Canvas());
  canvas->surface_ = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
  if (canvas->surface_ == nullptr) {
    throw std::runtime_error(std::string("cannot allocate the frame: ") + SDL_GetError());
  }
  canvas->renderer_ = SDL_CreateSoftwareRenderer(canvas->surface_);
  if (canvas->renderer_ == nullptr) {
    throw std::runtime_error(std::string("cannot create the software renderer: ") + SDL_GetError());
  }
  canvas->width_ = width;
  canvas->height_ = height;
  return canvas;
}

Canvas::~Canvas() {
  for (auto& [key, cached] : text_cache_) {
    SDL_DestroyTexture(cached.texture);
  }
  if (renderer_ != nullptr) {
    SDL_DestroyRenderer(renderer_);
  }
  if (surface_ != nullptr) {
    SDL_FreeSurface(surface_);
  }
  if (window_ != nullptr) {
    SDL_DestroyWindow(window_);
  }
}

void Canvas::fill_rounded(const Rect& rect, int radius, Color color) {
  SDL_SetRenderDrawColor(renderer_, color.r, color.g, color.b, color.a);
  radius = std::min({radius, rect.w / 2, rect.h / 2});
  // The middle, then one span per pixel row of the corners, inset by the circle: one call (a
  // 38-key pad is ~2,000 spans).
  spans_.clear();
  spans_.push_back({rect.x, rect.y + radius, rect.w, rect.h - 2 * radius});
  for (int row = 0; row < radius; ++row) {
    const double dy = radius - row - 0.5;
    const int inset =
        radius - static_cast<int>(std::lround(std::sqrt(double(radius) * radius - dy * dy)));
    spans_.push_back({rect.x + inset, rect.y + row, rect.w - 2 * inset, 1});
    spans_.push_back({rect.x + inset, rect.y + rect.h - 1 - row, rect.w - 2 * inset, 1});
  }
  SDL_RenderFillRects(renderer_, spans_.data(), static_cast<int>(spans_.size()));
}

void Canvas::fill_box(const Rect& rect, int radius, Color fill, Color border, int border_px) {
  if (border_px <= 0) {
    fill_rounded(rect, radius, fill);
    return;
  }
  fill_rounded(rect, radius, border);
  const Rect inner{rect.x + border_px, rect.y + border_px, rect.w - 2 * border_px,
                   rect.h - 2 * border_px};
  fill_rounded(inner, std::max(0, radius - border_px), fill);
}

SDL_Texture* Canvas::text_texture(const std::string& line, int px, bool bold, Color color,
                                  TextRenderer& text, int& w, int& h) {
  const auto key = std::make_tuple(line, px, bold, pack(color));
  if (auto it = text_cache_.find(key); it != text_cache_.end()) {
    it->second.last_used = frame_counter_;
    w = it->second.w;
    h = it->second.h;
    return it->second.texture;
  }
  SDL_Surface* surface = text.render(line, px, bold, pack(color));
  if (surface == nullptr) {
    return nullptr;
  }
  SDL_Texture* texture = SDL_CreateTextureFromSurface(renderer_, surface);
  w = surface->w;
  h = surface->h;
  SDL_FreeSurface(surface);
  if (texture != nullptr) {
    text_cache_.emplace(key, CachedText{texture, w, h, frame_counter_});
  }
  return texture;
}

void Canvas::draw_label(const Label& label, TextRenderer& text) {
  int y = label.box.y;
  for (const auto& line : label.lines) {
    int w = 0, h = 0;
    SDL_Texture* texture = text_texture(line, label.px, label.bold, label.color, text, w, h);
    if (texture != nullptr) {
      const int x =
          label.align == Align::center ? label.box.x + (label.box.w - w) / 2 : label.box.x;
      // Centre the font's own line box in the (taller) line height.
      const SDL_Rect dst{x, y + (label.line_height - h) / 2, w, h};
      SDL_RenderCopy(renderer_, texture, nullptr, &dst);
    }
    y += label.line_height;
  }
}

void Canvas::draw_picture(const Picture& picture) {
  const Image& image = picture.image;
  if (image.width <= 0 || image.height <= 0 ||
      image.rgba.size() !=
          static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 4) {
    return;
  }
  SDL_Texture* texture = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_RGBA32,
                                           SDL_TEXTUREACCESS_STATIC, image.width, image.height);
  if (texture == nullptr) {
    return;
  }
  SDL_SetTextureScaleMode(texture, SDL_ScaleModeLinear);
  SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND);
  SDL_UpdateTexture(texture, nullptr, image.rgba.data(), image.width * 4);
  const SDL_Rect dst{picture.box.x, picture.box.y, picture.box.w, picture.box.h};
  SDL_RenderCopy(renderer_, texture, nullptr, &dst);
  SDL_DestroyTexture(texture);
}

void Canvas::draw(const Frame& frame, TextRenderer& text) {
  ++frame_counter_;
  paint(frame, text);
  for (auto it = text_cache_.begin(); it != text_cache_.end();) {
    if (frame_counter_ - it->second.last_used > kTextCacheFrames) {
      SDL_DestroyTexture(it->second.texture);
      it = text_cache_.erase(it);
    } else {
      ++it;
    }
  }
}

void Canvas::paint(const Frame& frame, TextRenderer& text) {
  if (frame.backdrop) {
    paint(*frame.backdrop, text);  // dimmed already
  } else {
    SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(renderer_, frame.background.r, frame.background.g, frame.background.b,
                           255);
    SDL_RenderClear(renderer_);
  }
  if (frame.panel) {
    const Shape& p = *frame.panel;
    fill_box(p.rect, p.radius, p.fill, p.border, p.border_px);
  }
  for (const auto& shape : frame.shapes) {
    fill_box(shape.rect, shape.radius, shape.fill, shape.border, shape.border_px);
  }
  for (const auto& picture : frame.pictures) {
    draw_picture(picture);
  }
  for (const auto& label : frame.labels) {
    draw_label(label, text);
  }
  for (const auto& button : frame.buttons) {
    if (button.focus_ring_px > 0) {
      const int out = button.focus_gap_px + button.focus_ring_px;
      const Rect ring{button.rect.x - out, button.rect.y - out, button.rect.w + 2 * out,
                      button.rect.h + 2 * out};
      fill_box(ring, button.radius + out, frame.background, button.focus_ring,
               button.focus_ring_px);
    }
    fill_box(button.rect, button.radius, button.fill, button.border, button.border_px);
    draw_label(button.label, text);
  }
}

void Canvas::present() {
  SDL_RenderPresent(renderer_);
}

Image Canvas::read_pixels() const {
  Image image;
  image.width = width_;
  image.height = height_;
  if (surface_ == nullptr) {
    // A full-screen window may be larger than the logical size: read what is really shown.
    SDL_GetRendererOutputSize(renderer_, &image.width, &image.height);
  }
  image.rgba.resize(static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 4);
  if (surface_ != nullptr) {
    SDL_ConvertPixels(width_, height_, surface_->format->format, surface_->pixels, surface_->pitch,
                      SDL_PIXELFORMAT_RGBA32, image.rgba.data(), width_ * 4);
  } else {
    SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_RGBA32, image.rgba.data(),
                         image.width * 4);
  }
  // What the screen shows is opaque; blending leaves 254 here and there in the surface's alpha.
  for (uint8_t* a = image.rgba.data() + 3; a < image.rgba.data() + image.rgba.size(); a += 4) {
    *a = 0xFF;
  }
  return image;
}

}  // namespace mk::kiosk
