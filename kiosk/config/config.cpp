#include "kiosk/config/config.hpp"

#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <sstream>

#include <toml++/toml.h>

#include "flows/rules/calendar.hpp"

namespace mk::kiosk {

std::string ConfigError::to_string(const std::string& file) const {
  std::ostringstream out;
  out << file;
  if (line > 0) {
    out << ':' << line << ':' << column;
  }
  out << ": ";
  if (!key.empty()) {
    out << key << ": ";
  }
  out << reason;
  return out.str();
}

namespace {

// Applies one key's value to the config, or returns why it cannot.
using Setter = std::function<std::optional<std::string>(const toml::node&, Config&)>;

std::string describe(const toml::node& node) {
  std::ostringstream out;
  if (node.is_string()) {
    out << '"' << node.as_string()->get() << '"';
  } else if (node.is_table()) {
    out << "a table";
  } else if (node.is_array()) {
    out << "an array";
  } else if (const auto* i = node.as_integer()) {
    out << i->get();
  } else if (const auto* f = node.as_floating_point()) {
    out << f->get();
  } else if (const auto* b = node.as_boolean()) {
    out << (b->get() ? "true" : "false");
  } else {
    out << "a date or time";
  }
  return out.str();
}

Setter integer(int min, int max, const std::function<int&(Config&)>& field) {
  return [=](const toml::node& node, Config& config) -> std::optional<std::string> {
    // Only an integer node is read as one: toml++ converting a float such as 1e80 to an
    // integer is undefined behaviour (the fuzzer found it, fuzz/crashes/fuzz_config).
    const auto* integer_node = node.as_integer();
    const std::optional<int64_t> value =
        integer_node != nullptr ? std::optional<int64_t>(integer_node->get()) : std::nullopt;
    if (!value || *value < min || *value > max) {
      return "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
             " (got " + describe(node) + ")";
    }
    field(config) = static_cast<int>(*value);
    return std::nullopt;
  };
}

Setter decimal(double min, double max, const std::function<double&(Config&)>& field) {
  return [=](const toml::node& node, Config& config) -> std::optional<std::string> {
    const auto value = node.value<double>();  // accepts integers too
    if (!(node.is_floating_point() || node.is_integer()) || !value || *value < min ||
        *value > max) {
      std::ostringstream reason;
      reason << "must be a number from " << min << " to " << max << " (got " << describe(node)
             << ")";
      return reason.str();
    }
    field(config) = *value;
    return std::nullopt;
  };
}

template <typename E>
Setter choice(const std::vector<std::pair<std::string, E>>& choices,
              const std::function<E&(Config&)>& field) {
  return [=](const toml::node& node, Config& config) -> std::optional<std::string> {
    if (const auto* s = node.as_string()) {
      for (const auto& [name, value] : choices) {
        if (s->get() == name) {
          field(config) = value;
          return std::nullopt;
        }
      }
    }
    std::string names;
    for (const auto& [name, value] : choices) {
      names += (names.empty() ? "\"" : ", \"") + name + "\"";
    }
    return "must be one of " + names + " (got " + describe(node) + ")";
  };
}

using TextCheck = std::function<bool(const std::string&)>;

TextCheck matches(const std::string& pattern) {
  return [re = std::regex(pattern)](const std::string& s) { return std::regex_match(s, re); };
}

// One line of at most `max` bytes, checked by hand: a regex with ".{0,4000}" compiles to
// thousands of states and took a sixth of the kiosk's start to first frame.
TextCheck one_line(size_t min, size_t max, bool absolute_path = false) {
  return [=](const std::string& s) {
    return s.size() >= min && s.size() <= max && s.find_first_of("\r\n") == std::string::npos &&
           (!absolute_path || s.starts_with('/'));
  };
}

TextCheck absolute_path() {
  return one_line(1, 4001, true);
}

Setter text(const TextCheck& valid, const std::string& what,
            const std::function<std::string&(Config&)>& field) {
  return [=](const toml::node& node, Config& config) -> std::optional<std::string> {
    const auto* s = node.as_string();
    if (s == nullptr || !valid(s->get())) {
      return "must be " + what + " (got " + describe(node) + ")";
    }
    field(config) = s->get();
    return std::nullopt;
  };
}

Setter reader_place(const std::function<flows::ReaderPlace&(Config&)>& field) {
  std::vector<std::pair<std::string, flows::ReaderPlace>> places;
  places.reserve(flows::kReaderPlaces.size());
  for (const auto place : flows::kReaderPlaces) {
    places.emplace_back(flows::reader_place_name(place), place);
  }
  return choice<flows::ReaderPlace>(places, field);
}

const std::map<std::string, Setter>& schema() {
  static const std::map<std::string, Setter> keys = {
      {"display.width", integer(640, 7680, [](Config& c) -> int& { return c.display.width; })},
      {"display.height", integer(480, 4320, [](Config& c) -> int& { return c.display.height; })},
      {"display.mode",
       choice<WindowMode>({{"window", WindowMode::window}, {"kiosk", WindowMode::kiosk}},
                          [](Config& c) -> WindowMode& { return c.display.mode; })},
      {"display.text_scale",
       decimal(1.0, 2.0, [](Config& c) -> double& { return c.display.text_scale; })},
      {"display.diagonal_in",
       decimal(15.0, 65.0, [](Config& c) -> double& { return c.display.diagonal_in; })},
      {"kiosk.terminal_id", text(matches("[A-Z0-9][A-Z0-9-]{0,31}"),
                                 "1 to 32 of A-Z, 0-9 and '-', starting with a letter or digit",
                                 [](Config& c) -> std::string& { return c.kiosk.terminal_id; })},
      {"kiosk.default_language",
       choice<flows::Language>(
           {{"ja", flows::Language::ja}, {"en", flows::Language::en}},
           [](Config& c) -> flows::Language& { return c.kiosk.default_language; })},
      {"session.idle_timeout_s",
       integer(30, 1800, [](Config& c) -> int& { return c.session.idle_timeout_s; })},
      {"session.idle_warning_s",
       integer(20, 300, [](Config& c) -> int& { return c.session.idle_warning_s; })},
      {"session.staff_idle_timeout_s",
       integer(15, 600, [](Config& c) -> int& { return c.session.staff_idle_timeout_s; })},
      {"audio.output", choice<bool>({{"on", true}, {"off", false}},
                                    [](Config& c) -> bool& { return c.audio.enabled; })},
      {"audio.volume", decimal(0.05, 1.0, [](Config& c) -> double& { return c.audio.volume; })},
      {"log.level", choice<LogLevel>({{"trace", LogLevel::trace},
                                      {"debug", LogLevel::debug},
                                      {"info", LogLevel::info},
                                      {"warn", LogLevel::warn},
                                      {"error", LogLevel::error}},
                                     [](Config& c) -> LogLevel& { return c.log.level; })},
      {"log.journal",
       choice<JournalMode>(
           {{"auto", JournalMode::automatic}, {"on", JournalMode::on}, {"off", JournalMode::off}},
           [](Config& c) -> JournalMode& { return c.log.journal; })},
      {"center.mode",
       choice<CenterMode>({{"simulator", CenterMode::simulator}, {"remote", CenterMode::remote}},
                          [](Config& c) -> CenterMode& { return c.center.mode; })},
      {"center.url", text(matches("https://[^\\s/]+(:[0-9]{1,5})?(/[^\\s]*)?"), "an https:// URL",
                          [](Config& c) -> std::string& { return c.center.url; })},
      {"center.ca_file", text(absolute_path(), "an absolute path",
                              [](Config& c) -> std::string& { return c.center.ca_file; })},
      {"center.pinned_public_key",
       text(matches("sha256//[A-Za-z0-9+/=]{44}(;sha256//[A-Za-z0-9+/=]{44}){0,7}"),
            "sha256//<base64 of the SPKI's SHA-256>[;sha256//...]",
            [](Config& c) -> std::string& { return c.center.pinned_public_key; })},
      {"center.client_cert", text(absolute_path(), "an absolute path",
                                  [](Config& c) -> std::string& { return c.center.client_cert; })},
      {"center.client_key", text(absolute_path(), "an absolute path",
                                 [](Config& c) -> std::string& { return c.center.client_key; })},
      {"center.connect_timeout_s",
       integer(1, 60, [](Config& c) -> int& { return c.center.connect_timeout_s; })},
      {"center.request_timeout_s",
       integer(2, 300, [](Config& c) -> int& { return c.center.request_timeout_s; })},
      {"cards.mode",
       choice<CardsMode>({{"virtual", CardsMode::virtual_cards}, {"readers", CardsMode::readers}},
                         [](Config& c) -> CardsMode& { return c.cards.mode; })},
      {"cards.my_number_reader",
       reader_place([](Config& c) -> flows::ReaderPlace& { return c.cards.my_number_reader; })},
      {"cards.license_reader",
       reader_place([](Config& c) -> flows::ReaderPlace& { return c.cards.license_reader; })},
      {"cards.license_ca_file",
       text(absolute_path(), "an absolute path",
            [](Config& c) -> std::string& { return c.cards.license_ca_file; })},
      {"store.dir", text(absolute_path(), "an absolute path",
                         [](Config& c) -> std::string& { return c.store.dir; })},
      {"store.key_file", text(absolute_path(), "an absolute path",
                              [](Config& c) -> std::string& { return c.store.key_file; })},
      {"store.min_free_mb",
       integer(0, 100000, [](Config& c) -> int& { return c.store.min_free_mb; })},
      {"simulation.dir", text(absolute_path(), "an absolute path",
                              [](Config& c) -> std::string& { return c.simulation.dir; })},
      {"simulation.today", text(matches("[0-9]{4}-[0-9]{2}-[0-9]{2}"), "a date (YYYY-MM-DD)",
                                [](Config& c) -> std::string& { return c.simulation.today; })},
      {"simulation.time", text(matches("([01][0-9]|2[0-3]):[0-5][0-9]"), "a time of day (HH:MM)",
                               [](Config& c) -> std::string& { return c.simulation.time; })},
      {"simulation.center_prefecture",
       text(matches("[A-Za-z]{1,40}"), "a prefecture's name in Latin letters (\"Tokyo\")",
            [](Config& c) -> std::string& { return c.simulation.center_prefecture; })},
      {"printer.queue", text(matches("[A-Za-z0-9_.-]{1,127}"), "a CUPS queue name",
                             [](Config& c) -> std::string& { return c.printer.queue; })},
      {"printer.job_timeout_s",
       integer(5, 600, [](Config& c) -> int& { return c.printer.job_timeout_s; })},
      {"camera.images", text(absolute_path(), "an absolute path",
                             [](Config& c) -> std::string& { return c.camera.images; })},
      {"ui.font_family", text(one_line(1, 100), "a font family name",
                              [](Config& c) -> std::string& { return c.ui.font_family; })},
      {"ui.assets_dir", text(absolute_path(), "an absolute path",
                             [](Config& c) -> std::string& { return c.ui.assets_dir; })},
  };
  return keys;
}

bool is_table_name(const std::string& key) {
  const std::string prefix = key + ".";
  for (const auto& [name, setter] : schema()) {
    if (name.compare(0, prefix.size(), prefix) == 0) {
      return true;
    }
  }
  return false;
}

void walk(const toml::table& table, const std::string& prefix, Config& config,
          std::vector<ConfigError>& errors) {
  for (const auto& [name, node] : table) {
    const std::string key =
        prefix.empty() ? std::string(name.str()) : prefix + "." + std::string(name.str());
    const auto& where = node.source().begin;
    ConfigError error{key, static_cast<int>(where.line), static_cast<int>(where.column), {}};
    if (const auto* sub = node.as_table()) {
      if (is_table_name(key)) {
        walk(*sub, key, config, errors);
      } else {
        error.reason = "unknown section";
        errors.push_back(error);
      }
      continue;
    }
    const auto it = schema().find(key);
    if (it == schema().end()) {
      error.reason = is_table_name(key) ? "must be a section ([" + key + "])" : "unknown key";
      errors.push_back(error);
      continue;
    }
    if (auto reason = it->second(node, config)) {
      error.reason = *reason;
      errors.push_back(error);
    }
  }
}

}  // namespace

ConfigResult parse_config(std::string_view toml_text) {
  ConfigResult result;
  Config config;
  try {
    const toml::table table = toml::parse(toml_text);
    walk(table, "", config, result.errors);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    result.errors.push_back({"", static_cast<int>(where.line), static_cast<int>(where.column),
                             "not valid TOML: " + std::string(e.description())});
  }
  // Keys that only make sense together.
  if (config.center.mode == CenterMode::remote) {
    for (const auto& [key, value] : {std::pair{"center.url", &config.center.url},
                                     std::pair{"center.ca_file", &config.center.ca_file},
                                     std::pair{"center.client_cert", &config.center.client_cert},
                                     std::pair{"center.client_key", &config.center.client_key}}) {
      if (value->empty()) {
        result.errors.push_back({key, 0, 0, "is needed when center.mode is \"remote\""});
      }
    }
  }
  // A pretend date is for the simulated world only (the built-in centre, or virtual cards beside
  // a centre simulator in its own process, as the soak runs them): a kiosk on a real centre with
  // real cards keeps the real one.
  if (config.center.mode == CenterMode::remote && config.cards.mode == CardsMode::readers &&
      !config.simulation.today.empty()) {
    result.errors.push_back({"simulation.today", 0, 0,
                             "is only for a simulated world (center.mode \"simulator\" or "
                             "cards.mode \"virtual\")"});
  }
  if (!config.simulation.time.empty() && config.simulation.today.empty()) {
    result.errors.push_back({"simulation.time", 0, 0, "needs simulation.today"});
  }
  if (!config.simulation.today.empty() && !flows::parse_iso_date(config.simulation.today)) {
    result.errors.push_back({"simulation.today", 0, 0, "is not a day of the calendar"});
  }
  if (config.cards.mode == CardsMode::readers && config.cards.license_ca_file.empty()) {
    result.errors.push_back(
        {"cards.license_ca_file", 0, 0, "is needed when cards.mode is \"readers\""});
  }
  if (config.center.request_timeout_s <= config.center.connect_timeout_s) {
    result.errors.push_back(
        {"center.request_timeout_s", 0, 0, "must be longer than center.connect_timeout_s"});
  }
  if (result.errors.empty()) {
    result.config = config;
  }
  return result;
}

ConfigResult load_config(const std::filesystem::path& file) {
  // A directory opens as a stream that reads nothing: that must not pass as "all defaults".
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) {
    return {std::nullopt,
            {{"", 0, 0,
              std::filesystem::exists(file, error) ? "is not a regular file (a directory?)"
                                                   : "does not exist"}}};
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream content;
  if (!in || !(content << in.rdbuf())) {
    if (in && in.peek() == std::char_traits<char>::eof()) {
      return parse_config("");  // an empty file is an empty configuration
    }
    return {std::nullopt, {{"", 0, 0, "cannot be read (no permission?)"}}};
  }
  return parse_config(content.str());
}

}  // namespace mk::kiosk
