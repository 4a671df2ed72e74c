#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "kiosk/ui/frame.hpp"
#include "kiosk/ui/image.hpp"
#include "kiosk/ui/text_renderer.hpp"

struct SDL_Window;
struct SDL_Renderer;
struct SDL_Surface;
struct SDL_Texture;
struct SDL_Rect;

namespace mk::kiosk {

// Where frames are drawn: a window (accelerated renderer when there is one) or an offscreen
// surface with SDL's software renderer (headless runs, tests and benchmarks: pixel-stable).
// Either way the same SDL_Renderer calls draw the same Frame.
class Canvas {
 public:
  struct WindowOptions {
    int width = 1920;
    int height = 1080;
    bool fullscreen = false;
    std::string title = "MynaKiosk";
  };
  static std::unique_ptr<Canvas> open_window(const WindowOptions& options);
  static std::unique_ptr<Canvas> offscreen(int width, int height);
  ~Canvas();
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  int width() const { return width_; }
  int height() const { return height_; }
  bool has_window() const { return window_ != nullptr; }

  void draw(const Frame& frame, TextRenderer& text);
  void present();
  Image read_pixels() const;

 private:
  Canvas() = default;
  // The frame, over its backdrop when it is a dialog.
  void paint(const Frame& frame, TextRenderer& text);
  void fill_rounded(const Rect& rect, int radius, Color color);
  // A rounded box, its border `border_px` wide inside `rect` (none when 0).
  void fill_box(const Rect& rect, int radius, Color fill, Color border, int border_px);
  void draw_label(const Label& label, TextRenderer& text);
  void draw_picture(const Picture& picture);
  SDL_Texture* text_texture(const std::string& line, int px, bool bold, Color color,
                            TextRenderer& text, int& w, int& h);

  std::vector<SDL_Rect> spans_;  // fill_rounded's, kept to save allocations
  SDL_Window* window_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  SDL_Surface* surface_ = nullptr;
  int width_ = 0;
  int height_ = 0;
  struct CachedText {
    SDL_Texture* texture;
    int w, h;
    uint64_t last_used;
  };
  std::map<std::tuple<std::string, int, bool, uint32_t>, CachedText> text_cache_;
  uint64_t frame_counter_ = 0;
};

}  // namespace mk::kiosk
