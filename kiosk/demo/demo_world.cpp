#include "kiosk/demo/demo_world.hpp"

#include <unistd.h>

#include "center/sim/center_simulator.hpp"
#include "center/sim/test_tls.hpp"
#include "devices/sim/pki.hpp"
#include "kiosk/demo/virtual_cards.hpp"
#include "kiosk/logging/log.hpp"

namespace mk::kiosk {

namespace {

namespace fs = std::filesystem;

class DemoWorld final : public SimulatedWorld {
 public:
  DemoWorld(const Config& config, const fs::path& assets)
      : keep_(!config.simulation.dir.empty()),
        run_dir_(keep_ ? fs::path(config.simulation.dir)
                       : fs::temp_directory_path() /
                             ("mynakiosk-run-" + std::to_string(::getpid()))) {
    fs::create_directories(run_dir_);
    // Said once, so that a run (and a scenario test reading this line) shows which day the
    // world's rules counted from.
    logger("app")->info("the simulated world's day: {} ({})", flows_today(config).iso(),
                        config.simulation.today.empty() ? "today in Japan" : "pinned");
    const fs::path fixtures = VirtualCardDesk::find_fixtures(assets);
    fixtures_ = fixtures;
    if (config.cards.mode == CardsMode::virtual_cards) {
      devices::sim::PkiCache pki(devices::sim::PkiCache::default_dir());
      devices::sim::make_license_authority(pki);  // writes license-ca.pem
      license_ca_ = pki.dir() / "license-ca.pem";
      std::optional<devices::sim::Date> today;
      if (const auto day = flows::parse_iso_date(config.simulation.today)) {
        today = devices::sim::Date{day->year, day->month, day->day};
      }
      desk_ = std::make_unique<VirtualCardDesk>(fixtures, run_dir_ / "cards", today);
    }
    if (config.center.mode == CenterMode::simulator) {
      const auto tls = center::sim::ensure_test_tls(center::sim::default_test_tls_dir());
      center::sim::CenterSimulatorConfig sc;
      sc.db = run_dir_ / "center.db";
      sc.tls_dir = tls.dir;
      sc.fixtures = fixtures;
      sc.pki_cache = devices::sim::PkiCache::default_dir();
      sc.prefecture = config.simulation.center_prefecture;
      if (const auto day = flows::parse_iso_date(config.simulation.today)) {
        // The centre's rules see the same pretend day, at this moment's time of day, or from the
        // pinned time of day on (its clock then runs on from there).
        std::chrono::system_clock::duration shift =
            flows::to_days(*day) - flows::to_days(today_in_japan());
        if (config.simulation.time.size() == 5) {
          const auto now = std::chrono::system_clock::now();
          const auto pinned = std::chrono::sys_days(flows::to_days(*day)) +
                              std::chrono::hours(std::stoi(config.simulation.time.substr(0, 2))) +
                              std::chrono::minutes(std::stoi(config.simulation.time.substr(3, 2))) -
                              std::chrono::hours(9);  // Japan is UTC+9 all year
          shift = pinned - now;
        }
        sc.clock = [shift] { return std::chrono::system_clock::now() + shift; };
      }
      center_ = std::make_unique<center::sim::CenterSimulator>(sc);
      center_->start();
      center::client::CenterLinkConfig link;
      link.base_url = "https://localhost:" + std::to_string(center_->port());
      link.ca_file = tls.ca_cert;
      link.client_cert_file = tls.client_cert;
      link.client_key_file = tls.client_key;
      link.terminal_id = center::sim::kTestTerminalId;  // the test world's kiosk identity
      link_ = link;
    }
  }
  ~DemoWorld() override {
    center_.reset();
    desk_.reset();
    if (!keep_) {
      std::error_code ignored;
      fs::remove_all(run_dir_, ignored);
    }
  }
  DemoWorld(const DemoWorld&) = delete;
  DemoWorld& operator=(const DemoWorld&) = delete;

  std::optional<fs::path> license_ca() const override { return license_ca_; }
  std::optional<fs::path> camera_images() const override {
    if (desk_ && fs::is_directory(fixtures_ / "camera")) {
      return fixtures_ / "camera";
    }
    return std::nullopt;
  }
  std::optional<center::client::CenterLinkConfig> center_link() const override { return link_; }
  ScriptDevices script_devices() override {
    ScriptDevices devices;
    if (desk_) {
      devices.place_card = [this](const CardPlacement& card) {
        return desk_->place(card.kind, card.fixture, card.replacement, card.pull_at_apdu);
      };
      devices.remove_card = [this](const std::string& kind) { return desk_->remove(kind); };
    }
    if (center_) {
      devices.center_event = [this](const CenterEvent& step) -> std::optional<std::string> {
        try {
          if (step.event == "counter_renewal") {
            center_->complete_counter_renewal(step.fixture);
            return std::nullopt;
          }
          if (step.event == "slow") {
            center::sim::Fault fault;
            fault.mode = step.delay.count() > 0 ? center::sim::Fault::Mode::slow
                                                : center::sim::Fault::Mode::none;
            fault.delay_ms = static_cast<int>(step.delay.count());
            center_->set_fault(fault);
            return std::nullopt;
          }
          if (step.event == "revoke_signing_certificate") {
            center_->revoke_signing_certificate(step.fixture);
            return std::nullopt;
          }
          if (step.event == "reinstate_signing_certificate") {
            center_->reinstate_signing_certificate(step.fixture);
            return std::nullopt;
          }
          if (step.event == "fault") {
            const auto mode = center::sim::fault_mode_from_string(step.fixture);
            if (!mode) {
              return "no centre fault \"" + step.fixture + "\"";
            }
            center_->set_fault({*mode, 0, step.count});
            return std::nullopt;
          }
          return "no centre event \"" + step.event + "\"";
        } catch (const std::exception& e) {
          return std::string("the centre refused: ") + e.what();
        }
      };
    }
    return devices;
  }

 private:
  bool keep_;
  fs::path run_dir_;
  std::optional<fs::path> license_ca_;
  fs::path fixtures_;
  std::unique_ptr<VirtualCardDesk> desk_;
  std::unique_ptr<center::sim::CenterSimulator> center_;
  std::optional<center::client::CenterLinkConfig> link_;
};

}  // namespace

std::unique_ptr<SimulatedWorld> start_demo_world(const Config& config,
                                                 const std::filesystem::path& assets) {
  return std::make_unique<DemoWorld>(config, assets);
}

}  // namespace mk::kiosk
