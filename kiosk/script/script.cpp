#include "kiosk/script/script.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

#include "kiosk/audio/sound.hpp"

namespace mk::kiosk {

namespace {

std::vector<std::string> words(std::string_view line) {
  std::istringstream in{std::string(line)};
  std::vector<std::string> out;
  for (std::string w; in >> w;) {
    out.push_back(w);
  }
  return out;
}

bool parse_int(const std::string& s, int& out) {
  const auto* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end;
}

bool parse_count(const std::string& s, int& out) {
  return parse_int(s, out) && out >= 0;
}

bool parse_duration(const std::string& s, std::chrono::milliseconds& out) {
  int value = 0;
  if (s.size() > 2 && s.ends_with("ms") && parse_int(s.substr(0, s.size() - 2), value) &&
      value >= 0) {
    out = std::chrono::milliseconds(value);
    return true;
  }
  if (s.size() > 1 && s.ends_with("s") && parse_int(s.substr(0, s.size() - 1), value) &&
      value >= 0) {
    out = std::chrono::seconds(value);
    return true;
  }
  return false;
}

}  // namespace

std::vector<ScriptStep> parse_script(std::string_view text, const std::string& name) {
  std::vector<ScriptStep> steps;
  std::istringstream in{std::string(text)};
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (const auto hash = line.find('#'); hash != std::string::npos) {
      line.erase(hash);
    }
    const auto w = words(line);
    if (w.empty()) {
      continue;
    }
    const auto fail = [&](const std::string& why) {
      throw ScriptError(name + ":" + std::to_string(number) + ": " + why);
    };
    ScriptStep step;
    step.line = number;
    if (w[0] == "tap" && w.size() == 2) {
      step.kind = ScriptStep::Kind::tap_action;
      step.arg = w[1];
    } else if (w[0] == "tap" && w.size() == 3) {
      step.kind = ScriptStep::Kind::tap_point;
      if (!parse_int(w[1], step.x) || !parse_int(w[2], step.y) || step.x < 0 || step.y < 0) {
        fail("tap needs two non-negative whole numbers (x y), got \"" + w[1] + " " + w[2] + "\"");
      }
    } else if (w[0] == "key" && (w.size() == 2 || w.size() == 3)) {
      step.kind = ScriptStep::Kind::key;
      step.arg = w.size() == 2 ? w[1] : w[1] + " " + w[2];  // "keypad 3"
    } else if (w[0] == "wait" && w.size() == 2) {
      step.kind = ScriptStep::Kind::wait;
      if (!parse_duration(w[1], step.duration)) {
        fail("wait needs a duration like 500ms or 3s, got \"" + w[1] + "\"");
      }
    } else if (w[0] == "expect" && w.size() == 3 && w[1] == "sound") {
      step.kind = ScriptStep::Kind::expect_sound;
      step.arg = w[2];
      if (!sound_from_name(step.arg)) {
        fail("expect sound needs key, idle_warning or take_cards, got \"" + step.arg + "\"");
      }
    } else if (w[0] == "expect" && w.size() == 3 && w[1] == "dead_letters") {
      step.kind = ScriptStep::Kind::expect_dead_letters;
      if (!parse_count(w[2], step.count)) {
        fail("expect dead_letters needs a number, got \"" + w[2] + "\"");
      }
    } else if (w[0] == "expect" && w.size() == 3 && w[1] == "focus") {
      step.kind = ScriptStep::Kind::expect_focus;
      step.arg = w[2];
    } else if (w[0] == "expect" && w.size() == 3 && w[1] == "screen") {
      step.kind = ScriptStep::Kind::expect_screen;
      step.arg = w[2];
    } else if (w[0] == "await" && (w.size() == 3 || w.size() == 4) && w[1] == "screen") {
      step.kind = ScriptStep::Kind::await_screen;
      step.arg = w[2];
      step.duration = std::chrono::seconds(20);
      if (w.size() == 4 && !parse_duration(w[3], step.duration)) {
        fail("await needs a duration like 10s, got \"" + w[3] + "\"");
      }
    } else if (w[0] == "stays" && w.size() == 4 && w[1] == "screen") {
      step.kind = ScriptStep::Kind::stays_screen;
      step.arg = w[2];
      if (!parse_duration(w[3], step.duration)) {
        fail("stays needs a duration like 2s, got \"" + w[3] + "\"");
      }
    } else if (w[0] == "card" && w.size() == 3 && w[1] == "remove" &&
               (w[2] == "mynumber" || w[2] == "dl")) {
      step.kind = ScriptStep::Kind::card_remove;
      step.arg = w[2];
    } else if (w[0] == "card" && w.size() >= 4 && w[1] == "place" &&
               (w[2] == "mynumber" || w[2] == "dl")) {
      step.kind = ScriptStep::Kind::card_place;
      step.arg = w[2];
      step.fixture = w[3];
      if (step.fixture.find('/') != std::string::npos || step.fixture.starts_with(".") ||
          step.fixture.find('+') != std::string::npos) {
        fail("card place needs a fixture name, got \"" + step.fixture + "\"");
      }
      for (size_t i = 4; i < w.size(); ++i) {
        if (w[i] == "replacement" && w[2] == "mynumber" && !step.replacement) {
          step.replacement = true;
        } else if (w[i] == "pull_at" && i + 1 < w.size() && step.pull_at_apdu == 0 &&
                   parse_int(w[i + 1], step.pull_at_apdu) && step.pull_at_apdu > 0) {
          ++i;
        } else {
          fail(
              "card place takes \"replacement\" (mynumber) and \"pull_at <n>\" (n >= 1) after "
              "the fixture, got \"" +
              w[i] + "\"");
        }
      }
    } else if (w[0] == "card") {
      fail(
          "card steps are \"card place <mynumber|dl> <fixture> [replacement] [pull_at <n>]\" and "
          "\"card remove <mynumber|dl>\"");
    } else if (w[0] == "camera" && w.size() == 3 && w[1] == "show") {
      step.kind = ScriptStep::Kind::camera_show;
      step.arg = w[2];
    } else if (w[0] == "camera" && w.size() == 2 && w[1] == "off") {
      step.kind = ScriptStep::Kind::camera_show;
    } else if (w[0] == "camera") {
      fail("camera steps are \"camera show <image or folder>\" and \"camera off\"");
    } else if (w[0] == "center" && w.size() == 3 && w[1] == "counter_renewal") {
      step.kind = ScriptStep::Kind::center_event;
      step.arg = w[1];
      step.fixture = w[2];
      if (step.fixture.find('/') != std::string::npos || step.fixture.starts_with(".")) {
        fail("center counter_renewal needs a fixture name, got \"" + step.fixture + "\"");
      }
    } else if (w[0] == "center" && w.size() == 3 &&
               (w[1] == "revoke_signing_certificate" || w[1] == "reinstate_signing_certificate")) {
      step.kind = ScriptStep::Kind::center_event;
      step.arg = w[1];
      step.fixture = w[2];
      if (step.fixture.find('/') != std::string::npos || step.fixture.starts_with(".")) {
        fail("center " + w[1] + " needs a fixture name, got \"" + step.fixture + "\"");
      }
    } else if (w[0] == "center" && (w.size() == 3 || w.size() == 4) && w[1] == "fault") {
      step.kind = ScriptStep::Kind::center_event;
      step.arg = w[1];
      step.fixture = w[2];  // the mode: the centre knows its names
      if (w.size() == 4 && !parse_count(w[3], step.count)) {
        fail("center fault takes a number of requests, got \"" + w[3] + "\"");
      }
    } else if (w[0] == "center" && w.size() == 3 && w[1] == "slow") {
      step.kind = ScriptStep::Kind::center_event;
      step.arg = w[1];
      if (!parse_duration(w[2], step.duration)) {
        fail("center slow needs a duration like 800ms (0ms: answer at once), got \"" + w[2] + "\"");
      }
    } else if (w[0] == "center") {
      fail(
          "center steps are \"center counter_renewal <fixture>\", \"center slow <duration>\", "
          "\"center fault <mode> [<n>]\", \"center revoke_signing_certificate <fixture>\" and "
          "\"center reinstate_signing_certificate <fixture>\"");
    } else if (w[0] == "session" && w.size() == 2) {
      step.kind = ScriptStep::Kind::session;
      step.arg = w[1];
    } else if (w.size() == 4 && w[0] == "on" && w[1] == "failure" && w[2] == "next" &&
               w[3] == "session") {
      step.kind = ScriptStep::Kind::on_failure_next_session;
    } else if (w[0] == "await" && (w.size() == 2 || w.size() == 3) && w[1] == "drained") {
      step.kind = ScriptStep::Kind::await_drained;
      step.duration = std::chrono::seconds(900);
      if (w.size() == 3 && !parse_duration(w[2], step.duration)) {
        fail("await drained needs a duration like 60s, got \"" + w[2] + "\"");
      }
    } else if (w[0] == "type" && w.size() == 2) {
      step.kind = ScriptStep::Kind::type;
      step.arg = w[1];
    } else if (w[0] == "screenshot" && w.size() == 2) {
      step.kind = ScriptStep::Kind::screenshot;
      step.arg = w[1];
      if (step.arg.find('/') != std::string::npos || step.arg.starts_with(".")) {
        fail("screenshot name must be a plain file name, got \"" + step.arg + "\"");
      }
    } else {
      fail("unknown step \"" + line.substr(line.find_first_not_of(" \t")) +
           "\" (expected tap, key, wait, expect screen, expect sound, await screen, await "
           "drained, screenshot, card, center, type, session or on failure next session)");
    }
    steps.push_back(step);
  }
  return steps;
}

std::vector<ScriptStep> load_script(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw ScriptError(file.string() + ": cannot be read");
  }
  std::ostringstream content;
  content << in.rdbuf();
  std::vector<ScriptStep> steps = parse_script(content.str(), file.string());
  for (auto& step : steps) {
    // A camera's images are named from the script's own folder.
    if (step.kind == ScriptStep::Kind::camera_show && !step.arg.empty() &&
        std::filesystem::path(step.arg).is_relative()) {
      step.arg = (file.parent_path() / step.arg).lexically_normal().string();
    }
  }
  return steps;
}

}  // namespace mk::kiosk
