#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "flows/language.hpp"
#include "flows/reader_place.hpp"

namespace mk::kiosk {

enum class WindowMode { window, kiosk };  // kiosk: full screen, no cursor, no way out but staff
enum class JournalMode { automatic, on, off };
enum class LogLevel { trace, debug, info, warn, error };
// simulator: the built-in centre simulator on loopback with generated test certificates (the
// embedded default, for demos and tests); remote: a real centre backend.
enum class CenterMode { simulator, remote };
// virtual: the virtual cards of devices/sim, placed by a script's `card` steps or by `mynacard
// sim` beside the kiosk (the embedded default); readers: real PC/SC readers only.
enum class CardsMode { virtual_cards, readers };

struct Config {
  struct Display {
    int width = 1920;
    int height = 1080;
    WindowMode mode = WindowMode::window;
    double text_scale = 1.0;  // the text size each session starts with (the person may change it)
    // The panel's diagonal in inches: sizes are laid out in millimetres on it.
    double diagonal_in = 21.5;
  } display;
  struct Kiosk {
    std::string terminal_id = "KIOSK-DEV-01";
    flows::Language default_language = flows::Language::ja;
  } kiosk;
  struct Session {
    int idle_timeout_s = 90;
    // Then a warning counts this down, with a "more time" button, before the session ends.
    int idle_warning_s = 30;
    // A staff member signed in at the kiosk is signed out after this long without a touch
    // (shorter than a person's session: the desk opens what the person may not).
    int staff_idle_timeout_s = 60;
  } session;
  struct Audio {
    bool enabled = true;  // the chimes and tones of kiosk/audio/sound.hpp
    // The loudest sample's share of full scale: set with the loudspeaker so that a chime is
    // at most 65 dBA where the person stands (../shared/accessibility.md).
    double volume = 0.5;
  } audio;
  struct Log {
    LogLevel level = LogLevel::info;
    JournalMode journal = JournalMode::automatic;
  } log;
  struct Center {
    CenterMode mode = CenterMode::simulator;
    std::string url;      // https://host:port (remote only)
    std::string ca_file;  // the pinned centre CA (PEM)
    // Optional pin on the centre's public key too ("sha256//<base64>[;...]", curl's format): a
    // certificate the CA signed by mistake for another key is refused.
    std::string pinned_public_key;
    std::string client_cert;  // this kiosk's certificate (PEM, CN = terminal id)
    std::string client_key;   // its key (PEM, root-only)
    int connect_timeout_s = 5;
    int request_timeout_s = 20;
  } center;
  struct Cards {
    CardsMode mode = CardsMode::virtual_cards;
    std::string
        license_ca_file;  // the licence authority CA (PEM); empty: the virtual cards' test CA
    // Where the reader for each card is on this kiosk (the same place when it has one reader):
    // shown in every picture of placing or taking a card. Any reader reads either card.
    flows::ReaderPlace my_number_reader = flows::ReaderPlace::below_left;
    flows::ReaderPlace license_reader = flows::ReaderPlace::below_right;
  } cards;
  struct Store {
    std::string dir;       // empty: /var/lib/mynakiosk as root, else $XDG_STATE_HOME/mynakiosk
    std::string key_file;  // empty: the default of kiosk/app/store_opening.hpp
    // Below this much free space procedures that keep data are refused ("disk full").
    int min_free_mb = 16;
  } store;
  // The embedded default's simulated world (the virtual cards' state, the built-in centre's
  // database). Empty: a fresh world for each run, removed when the kiosk ends; a folder: kept
  // there between runs (a demo that goes on tomorrow, a test that stops the kiosk and starts it
  // again).
  struct Simulation {
    std::string dir;
    // The prefecture the built-in centre serves (a fixture person's `prefecture`, "Tokyo"): people
    // of other prefectures are away from home there (経由申請). Empty: everybody's home centre.
    std::string center_prefecture;
    // The simulated world's date (YYYY-MM-DD) for the flows' rules, the virtual cards and the
    // built-in centre (a renewal period, say); only in a simulated world (the built-in centre or
    // virtual cards). Empty: today in Japan.
    std::string today;
    // With `today`: the time of day (HH:MM, Japan) the built-in centre's clock starts at, so that
    // what it answers with a time (the portal linkage's "from 10:45") is the same on every run.
    // Empty: the time of day now.
    std::string time;
  } simulation;
  // The slip printer (the portal linkage's next steps), through CUPS: the server is CUPS's own
  // choice (CUPS_SERVER, /etc/cups/client.conf, else the local spooler).
  struct Printer {
    std::string queue;  // the CUPS queue; empty: no printer (the QR code and the screen only)
    // How long a job may take until the spooler says it completed: then it is cancelled and the
    // person told it did not print.
    int job_timeout_s = 60;
  } printer;
  // The camera (the appointment's QR code, the photo at the PIN unlock). Empty: none — a script
  // run shows its own images (`camera show`).
  struct Camera {
    // A still image or a folder of frames (PNG/JPEG) played in turn: the demo's and the tests'
    // camera, until a V4L2 device can be named here (issue 11).
    std::string images;
  } camera;
  struct Ui {
    std::string font_family = "Noto Sans CJK JP";
    std::string assets_dir;  // empty: found next to the executable or in the source tree
  } ui;
};

// One thing wrong with a config file: which key, where, and why, in words an operator can act on.
struct ConfigError {
  std::string key;  // dotted path, e.g. "display.width"; empty for a syntax error
  int line = 0;     // 1-based; 0 when unknown
  int column = 0;
  std::string reason;

  std::string to_string(const std::string& file) const;
};

struct ConfigResult {
  std::optional<Config> config;     // set only when errors is empty
  std::vector<ConfigError> errors;  // every problem found, not just the first
};

// Parses and validates TOML text. Unknown keys are errors: a typo must not silently fall back
// to a default on a kiosk that nobody watches.
ConfigResult parse_config(std::string_view toml_text);
ConfigResult load_config(const std::filesystem::path& file);

}  // namespace mk::kiosk
