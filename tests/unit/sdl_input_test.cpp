#include "kiosk/app/sdl_input.hpp"

#include <SDL.h>
#include <gtest/gtest.h>

#include "kiosk/app/input.hpp"

namespace mk::kiosk {
namespace {

TEST(SdlInput, FingerUpIsATapInLayoutPixels) {
  SDL_Event e{};
  e.type = SDL_FINGERUP;
  e.tfinger.x = 0.5f;
  e.tfinger.y = 0.25f;
  const auto input = translate_sdl_event(e, 1920, 1080);
  ASSERT_TRUE(input);
  EXPECT_EQ(input->kind, InputEvent::Kind::tap);
  EXPECT_EQ(input->x, 960);
  EXPECT_EQ(input->y, 270);
}

TEST(SdlInput, FingerAtTheEdgeStaysOnScreen) {
  SDL_Event e{};
  e.type = SDL_FINGERUP;
  e.tfinger.x = 1.0f;
  e.tfinger.y = 1.0f;
  const auto input = translate_sdl_event(e, 1920, 1080);
  ASSERT_TRUE(input);
  EXPECT_EQ(input->x, 1919);
  EXPECT_EQ(input->y, 1079);
}

TEST(SdlInput, FingerDownIsNotATap) {
  SDL_Event e{};
  e.type = SDL_FINGERDOWN;
  EXPECT_FALSE(translate_sdl_event(e, 1920, 1080));
}

TEST(SdlInput, MouseSynthesisedFromTouchIsDroppedSoOneTouchIsOneTap) {
  SDL_Event e{};
  e.type = SDL_MOUSEBUTTONUP;
  e.button.button = SDL_BUTTON_LEFT;
  e.button.which = SDL_TOUCH_MOUSEID;
  EXPECT_FALSE(translate_sdl_event(e, 1920, 1080));
  e.button.which = 0;
  e.button.x = 10;
  e.button.y = 20;
  const auto input = translate_sdl_event(e, 1920, 1080);
  ASSERT_TRUE(input);
  EXPECT_EQ(input->x, 10);
  EXPECT_EQ(input->y, 20);
  e.button.button = SDL_BUTTON_RIGHT;
  EXPECT_FALSE(translate_sdl_event(e, 1920, 1080));
}

TEST(SdlInput, KeysAreLowerCaseNamesAndRepeatIsOff) {
  SDL_Event e{};
  e.type = SDL_KEYDOWN;
  e.key.keysym.sym = SDLK_ESCAPE;
  const auto input = translate_sdl_event(e, 1920, 1080);
  ASSERT_TRUE(input);
  EXPECT_EQ(input->kind, InputEvent::Kind::key);
  EXPECT_EQ(input->key, "escape");
  e.key.repeat = 1;
  EXPECT_FALSE(translate_sdl_event(e, 1920, 1080));
}

TEST(SdlInput, QuitAndExposeAreTranslated) {
  SDL_Event e{};
  e.type = SDL_QUIT;
  EXPECT_EQ(translate_sdl_event(e, 1, 1)->kind, InputEvent::Kind::quit);
  e = {};
  e.type = SDL_WINDOWEVENT;
  e.window.event = SDL_WINDOWEVENT_EXPOSED;
  EXPECT_EQ(translate_sdl_event(e, 1, 1)->kind, InputEvent::Kind::redraw);
}

TEST(SdlInput, KeyboardAndKeypadKeysStandForThePinPadsKeys) {
  EXPECT_EQ(pin_pad_key_of("7"), "7");
  EXPECT_EQ(pin_pad_key_of("keypad 3"), "3");
  EXPECT_EQ(pin_pad_key_of("a"), "A") << "the signing PIN is upper case";
  EXPECT_EQ(pin_pad_key_of("backspace"), "delete");
  EXPECT_EQ(pin_pad_key_of("return"), "confirm");
  EXPECT_EQ(pin_pad_key_of("keypad enter"), "confirm");
  for (const char* other : {"escape", "space", "f1", "keypad +", "tab", ""}) {
    EXPECT_FALSE(pin_pad_key_of(other)) << other;
  }
}

}  // namespace
}  // namespace mk::kiosk
