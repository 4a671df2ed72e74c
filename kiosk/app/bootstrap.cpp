#include "kiosk/app/bootstrap.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>

#include "center/client/center_api.hpp"
#include "center/client/center_client.hpp"
#include "devices/camera/image_folder_camera.hpp"
#include "devices/pcsc/reader_manager.hpp"
#include "flows/kiosk_ops.hpp"
#include "kiosk/config/center_link.hpp"
#include "kiosk/faq/faq_library.hpp"
#include "kiosk/logging/log.hpp"
#include "kiosk/print/slip_renderer.hpp"
#include "kiosk/runtime/cached_staff_check.hpp"
#include "kiosk/runtime/camera_service.hpp"
#include "kiosk/runtime/card_service.hpp"
#include "kiosk/runtime/center_service.hpp"
#include "kiosk/runtime/center_sync.hpp"
#include "kiosk/runtime/kiosk_glance.hpp"
#include "kiosk/runtime/print_service.hpp"
#include "kiosk/runtime/problem_reporter.hpp"
#include "kiosk/runtime/staff_call.hpp"
#include "kiosk/runtime/store_condition.hpp"
#include "offline-cache/background_sender.hpp"
#include "offline-cache/store.hpp"

namespace mk::kiosk {

namespace oc = offline_cache;
using center::client::CenterLinkConfig;

namespace {

// The slip printer of the configuration; none without a queue.
std::unique_ptr<PrintService> printer_for(const Config& config, const Catalog& catalog,
                                          ProblemReporter& problems) {
  if (config.printer.queue.empty()) {
    return nullptr;
  }
  logger("app")->info("slip printer: CUPS queue {}", config.printer.queue);
  SlipLayout layout;
  layout.font_family = config.ui.font_family;
  return std::make_unique<PrintService>(
      devices::CupsPrinter(config.printer.queue,
                           std::chrono::seconds(config.printer.job_timeout_s)),
      catalog, layout, &problems, default_slip_helper());
}

// The camera of the configuration; none without one, or when it cannot be opened (staff are told:
// the PIN unlock cannot take its photo then).
std::unique_ptr<devices::Camera> camera_for(const Config& config, const SimulatedWorld* world,
                                            ProblemReporter& problems) {
  std::filesystem::path images = config.camera.images;
  if (images.empty() && world != nullptr) {
    images = world->camera_images().value_or(std::filesystem::path());
  }
  if (images.empty()) {
    return nullptr;
  }
  try {
    auto camera = std::make_unique<devices::ImageFolderCamera>(images);
    logger("app")->info("camera: {}", camera->describe());
    return camera;
  } catch (const devices::CameraError& e) {
    problems.report("MK-CAMERA-FAILED", true, e.what());
    return nullptr;
  }
}

// The FAQ of the assets; none when its files cannot be read (staff are told: the FAQ browser
// then says it cannot show it).
std::unique_ptr<FaqLibrary> faq_for(const std::filesystem::path& assets,
                                    ProblemReporter& problems) {
  try {
    return FaqLibrary::load(assets / "faq");
  } catch (const std::exception& e) {
    problems.report("MK-FAQ-UNREADABLE", true, e.what());
    return nullptr;
  }
}

// The centre: the simulated world's (the demo), otherwise the configured one.
CenterLinkConfig link_for(const Config& config, const SimulatedWorld* world) {
  auto log = logger("app");
  if (world != nullptr && world->center_link()) {
    CenterLinkConfig link = *world->center_link();
    link.connect_timeout = std::chrono::seconds(config.center.connect_timeout_s);
    link.total_timeout = std::chrono::seconds(config.center.request_timeout_s);
    log->info("centre: the built-in simulator on {} (terminal {})", link.base_url,
              link.terminal_id);
    return link;
  }
  CenterLinkConfig link = center_link(config);
  log->info("centre: {}", link.base_url);
  return link;
}

std::unique_ptr<oc::Store> open_and_report(const StorePaths& location) {
  auto log = logger("app");
  bool made_key = false;
  auto store = open_store(location, {}, &made_key);
  log->info("store: {} (key {}, {})", location.dir.string(), location.key_file.string(),
            location.key_source);
  if (made_key) {
    log->warn("store: made a new key file {}", location.key_file.string());
  }
  log->info("store: {}", store->open_report().summary());
  return store;
}

// What opening the store had to do, told to staff (the log, the audit log, the counts).
void report_opening(const oc::Store& store, ProblemReporter& problems) {
  if (const auto& restarted = store.open_report().audit_restarted) {
    problems.report(oc::problem_code::kAuditChainRestarted, true, *restarted);
  }
  for (const auto& moved : store.open_report().moved_aside) {
    problems.report(oc::problem_code::kMovedAside, true,
                    moved.original.filename().string() + " was damaged (" + moved.reason +
                        ") and moved aside to " + moved.moved_to.string());
    if (moved.salvage && !moved.salvage->complete()) {
      problems.report(oc::problem_code::kSalvagePartial, true, moved.salvage->summary());
    }
  }
}

}  // namespace

// Declared in the order they start; destroyed in reverse, after ~Parts stopped the workers.
struct KioskParts::Parts {
  std::unique_ptr<SimulatedWorld> world;
  std::atomic<CardService*> cards_ptr{nullptr};  // the reader thread's way to the card service
  std::function<void()> wake;                    // wakes the UI loop (any thread)
  devices::ReaderManager readers;
  CardService cards;
  std::unique_ptr<oc::Store> store;
  CachedStaffCheck staff_check;  // a staff sign-in while the centre is away
  CenterLinkConfig link;
  center::client::CenterClient center_link;
  center::client::CenterApi center_api;
  CenterService center;
  StaffCall staff_call;  // a person's call for staff
  ProblemReporter problems;
  StoreCondition store_condition;
  std::unique_ptr<PrintService> printer;  // none when no queue is configured
  CameraService camera;
  std::unique_ptr<FaqLibrary> faq;  // none when its files cannot be read
  oc::BackgroundSender sender;
  CenterSync sync;
  FlowRuntime runtime;
  FlowRuntime staff_runtime;  // the staff layer over the person's procedure (issue 12)
  std::function<void(const flows::KioskRequest&, const Post&)> session_ops;  // the app's

  Parts(const Config& config, const StorePaths& location, const std::filesystem::path& assets,
        std::unique_ptr<SimulatedWorld> w, const Catalog& catalog,
        const std::function<void()>& wake_ui)
      : world(std::move(w)),
        wake(wake_ui),
        readers([this](const devices::ReaderEvent& e) {
          if (CardService* c = cards_ptr.load(); c != nullptr) {
            c->on_reader_event(e);
            wake();  // a card taken or placed can end the "take your cards" screen
          }
        }),
        cards(readers, world && world->license_ca()
                           ? *world->license_ca()
                           : std::filesystem::path(config.cards.license_ca_file)),
        store(open_and_report(location)),
        staff_check(store->staff()),
        link(link_for(config, world.get())),
        center_link(link),
        center_api(center_link),
        center(center_api, &staff_check),
        staff_call(center, wake_ui),
        problems(&store->audit(), link.terminal_id,
                 [this](const std::string& code) {
                   store->day_counts().add_code(oc::japan_day(oc::system_now()), code);
                 }),
        store_condition(
            location.dir, problems, [this] { store->probe_commit(); },
            static_cast<uint64_t>(config.store.min_free_mb) * 1024 * 1024),
        printer(printer_for(config, catalog, problems)),
        camera(camera_for(config, world.get(), problems), {}),
        faq(faq_for(assets, problems)),
        sender(
            store->outbox(),
            [this](const oc::OutboxItem& item) { return deliver_to_center(center_api, item); },
            oc::system_now, sender_options()),
        sync(*store, center_api, link.terminal_id, &problems),
        runtime(services(wake_ui)),
        staff_runtime(staff_services(wake_ui)) {
    cards_ptr = &cards;
    report_opening(*store, problems);
    forget_old_days();
    sender.start();
    sync.wake();  // reference data and pending audit rows at once
  }

  ~Parts() {
    cards_ptr = nullptr;  // the reader thread stops telling the card service about cards
    cards.stop();         // nothing is posted to the runtime after these
    center.stop();
    if (printer) {
      printer->stop();
    }
    camera.stop();
    // Whatever a worker is still waiting for from the centre is cancelled (kept to be sent
    // again), so that stopping never waits for a retry's back-off.
    center_link.stop();
  }
  Parts(const Parts&) = delete;
  Parts& operator=(const Parts&) = delete;

  oc::BackgroundSender::Options sender_options() {
    oc::BackgroundSender::Options options;
    options.on_problem = [this](const oc::StoreProblem& p) { problems.report(p); };
    return options;
  }

  FlowServices services(std::function<void()> wake_ui) {
    FlowServices s;
    s.outbox = [this](flows::OutboxEnqueue&& e, const Post& post) { keep(std::move(e), post); };
    s.audit = [this](const flows::AuditEntry& e, const std::string& flow,
                     const std::string& state) { audit(e, flow, state); };
    s.center = [this](flows::CenterRequest r, Post p) {
      center.submit(std::move(r), std::move(p));
    };
    s.card = [this](flows::CardRequest r, Post p) { cards.submit(std::move(r), std::move(p)); };
    if (printer) {
      s.print = [this](flows::PrintRequest r, Post p) {
        printer->submit(std::move(r), std::move(p));
      };
    }
    s.camera = [this](flows::CameraRequest r, Post p) {
      camera.submit(std::move(r), std::move(p));
    };
    s.release_card = [this] { cards.release(); };
    s.ended = [this](const std::string& flow, const std::string& outcome, const std::string& from,
                     std::chrono::milliseconds took) {
      count_procedure(flow, outcome, from, took);
    };
    s.problem = [this](const std::string& code, bool needs_staff, const std::string& text) {
      // What needs staff (a flow that failed) is an error and an audit row; a state the person's
      // screen explains (logged by the runtime) is counted.
      if (needs_staff) {
        problems.report(code.c_str(), true, text);
      } else {
        problems.count(code);
      }
    };
    s.wake = std::move(wake_ui);
    return s;
  }

  // The staff layer's: the centre, the audit and the problems, but no card — the cards on the
  // readers are the person's, and the staff layer's end must not release them.
  FlowServices staff_services(std::function<void()> wake_ui) {
    FlowServices s = services(std::move(wake_ui));
    s.card = nullptr;
    s.release_card = nullptr;
    s.outbox = nullptr;
    s.camera = nullptr;
    s.ended = nullptr;  // the day's report counts the people's procedures
    s.kiosk = [this](const flows::KioskRequest& r, const Post& post) { answer_staff(r, post); };
    return s;
  }

  // The day's counts are kept for a year and a month (a year's reports, compared month by month).
  void forget_old_days() {
    try {
      store->day_counts().remove_before(
          oc::japan_day(oc::system_now() - std::chrono::days(kDaysKept)));
    } catch (const std::exception& e) {
      logger("app")->warn("the day's counts: old days not removed: {}", e.what());
    }
  }
  static constexpr int kDaysKept = 400;

  // A procedure ended: the day's counts. A flow that finished is counted by the state it finished
  // from (done, not eligible, the centre away, ...): what the person last saw.
  void count_procedure(const std::string& flow, const std::string& outcome, const std::string& from,
                       std::chrono::milliseconds took) {
    try {
      store->day_counts().add_procedure(oc::japan_day(oc::system_now()), flow,
                                        outcome == "finished" && !from.empty() ? from : outcome,
                                        took.count());
    } catch (const std::exception& e) {
      logger("app")->warn("the day's counts did not take procedure {}: {}", flow, e.what());
    }
  }

  // What staff ask the kiosk (flows/kiosk_ops.hpp), from the parts that know; on the UI thread
  // (a few small reads).
  void answer_staff(const flows::KioskRequest& r, const Post& post) {
    try {
      const std::string today = oc::japan_day(oc::system_now());
      if (r.op == flows::kiosk_ops::kDayReport) {
        post(flows::Event::kiosk(
            r.op, "ok", day_report_fields(store->day_counts().report(today), link.terminal_id)));
        return;
      }
      if (r.op == flows::kiosk_ops::kStatus) {
        GlanceInputs in;
        for (const auto& reader : readers.readers()) {
          in.readers.push_back({reader.name, reader.card_present});
        }
        in.camera = camera.present();
        in.link = sync.glance();
        in.cert_days = center::client::client_certificate_days_left(link);
        in.outbox_pending = store->outbox().pending_count();
        in.outbox_oldest = store->outbox().oldest_pending_age(oc::system_now());
        in.dead_letters = store->outbox().dead_letter_count();
        // Two reads while the uploader works: never below none.
        in.audit_unsent =
            std::max<int64_t>(0, store->audit().head_seq() - store->audit().uploaded_through());
        in.disk_free_bytes = StoreCondition::statvfs_free(store->directory());
        in.today = store->day_counts().report(today);
        in.problems = problems.recent();
        post(flows::Event::kiosk(r.op, "ok", glance_fields(in)));
        return;
      }
      if (r.op == flows::kiosk_ops::kDeadLetters) {
        post(flows::Event::kiosk(r.op, "ok", dead_letter_fields(store->outbox().dead_letters())));
        return;
      }
      if (r.op == flows::kiosk_ops::kRequeue) {
        const std::string id = flows::field(r.args, "id");
        int64_t n = 0;
        const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
        std::string outcome = "not_found";
        try {
          if (ec == std::errc() && end == id.data() + id.size() &&
              store->outbox().requeue_dead_letter(n, new_idempotency_key())) {
            logger("app")->info("outbox: dead letter {} sent again by staff", n);
            outcome = "ok";
          }
        } catch (const oc::StoreError& e) {
          logger("app")->error("outbox: dead letter {} cannot be sent again: {}", n, e.what());
          outcome = "failed";
        }
        post(flows::Event::kiosk(r.op, outcome, {{"id", id}}));
        return;
      }
      if (r.op == flows::kiosk_ops::kAnswerCall) {
        staff_call.answer(flows::field(r.args, "staff_id"), [post, op = r.op](bool answered) {
          post(flows::Event::kiosk(op, "ok", {{"answered", answered ? "1" : "0"}}));
        });
        return;
      }
      if (r.op == flows::kiosk_ops::kEndSession && session_ops) {
        session_ops(r, post);  // the person's session is the app's
        return;
      }
      logger("app")->error("unknown kiosk request {}", r.op);
    } catch (const std::exception& e) {
      logger("app")->error("kiosk request {}: {}", r.op, e.what());
    }
    post(flows::Event::kiosk(r.op, "unavailable"));
  }

  // A submission for the centre, committed (fsync) before the flow may say "done"; the sender
  // delivers it later.
  void keep(flows::OutboxEnqueue&& e, const Post& post) {
    auto log = logger("app");
    try {
      // A signed consent or linkage is kept as the centre's request itself (deliver_to_center
      // sends it as it is); other kinds as the flow's fields.
      base::SecretBytes payload(
          e.kind == "onestop-consent"  ? nlohmann::json(consent_request(e.payload)).dump()
          : e.kind == "portal-linkage" ? nlohmann::json(signed_submission(e.payload)).dump()
                                       : nlohmann::json(e.payload).dump());
      for (auto& [k, v] : e.payload) {
        OPENSSL_cleanse(v.data(), v.size());
      }
      const std::string key = e.idempotency_key.empty() ? new_idempotency_key() : e.idempotency_key;
      store->outbox().enqueue(e.kind, key, payload);
      // The key is no personal data: it lets an operator (and the soak) follow one submission to
      // the centre.
      log->info("outbox: kept {} {} for the centre", e.kind, key);
      store_condition.write_succeeded();
      post(flows::Event::store("outbox", "ok"));
    } catch (const std::exception& error) {
      log->error("outbox: {}", error.what());
      store_condition.write_failed(error);
      post(flows::Event::store("outbox", "error"));
    }
  }

  void audit(const flows::AuditEntry& e, const std::string& flow, const std::string& state) {
    try {
      store->audit().append({e.actor.empty() ? "holder" : e.actor,
                             e.action,
                             e.result,
                             link.terminal_id,
                             e.detail.empty() ? flow + " in " + state : e.detail,
                             {},
                             {}});
      // (Not write_succeeded(): an audit row in audit.db says nothing of cache.db, where the
      // outbox lives.)
      sync.wake();
    } catch (const std::exception& error) {
      logger("app")->error("audit: {}", error.what());
      store_condition.write_failed(error);
    }
  }
};

KioskParts::KioskParts(const Config& config, const StorePaths& store_location,
                       const std::filesystem::path& assets,
                       const SimulatedWorldFactory& simulated_world, const Catalog& catalog,
                       const std::function<void()>& wake_ui) {
  std::unique_ptr<SimulatedWorld> world;
  if (wants_simulated_world(config) && simulated_world) {
    world = simulated_world(config, assets);
  }
  parts_ =
      std::make_unique<Parts>(config, store_location, assets, std::move(world), catalog, wake_ui);
}

KioskParts::~KioskParts() = default;

const std::string& KioskParts::terminal_id() const {
  return parts_->link.terminal_id;
}

FlowRuntime& KioskParts::runtime() {
  return parts_->runtime;
}

FlowRuntime& KioskParts::staff_runtime() {
  return parts_->staff_runtime;
}

App::StaffCallPort KioskParts::staff_call() {
  StaffCall& call = parts_->staff_call;
  return {[&call](const std::string& screen) { call.raise(screen); },
          [&call] { return call.state(); }, [&call] { call.session_ended(); }};
}

void KioskParts::set_session_ops(
    std::function<void(const flows::KioskRequest&, const Post&)> answer) {
  parts_->session_ops = std::move(answer);
}

ProcedureGate KioskParts::gate() {
  return [this](const flows::Procedure& procedure) -> std::optional<std::string> {
    if (procedure.keeps_records) {
      if (auto refused = parts_->store_condition.refusal()) {
        return refused;
      }
    }
    if (procedure.needs_center && parts_->sync.center_answered() == false) {
      parts_->sync.wake();  // look again now: the next person to ask may find it back
      return "out_of_service.center";
    }
    return std::nullopt;
  };
}

std::function<void()> KioskParts::session_start() {
  return [this] { parts_->cards.begin_session(); };
}

std::function<int()> KioskParts::cards_present() {
  return [this] { return parts_->cards.cards_on_readers(); };
}

bool KioskParts::camera_present() {
  return parts_->camera.present();
}

const flows::FaqLibrary& KioskParts::faq() const {
  return parts_->faq ? *parts_->faq : flows::no_faq();
}

ScriptDevices KioskParts::script_devices() {
  Parts& p = *parts_;
  ScriptDevices devices = p.world ? p.world->script_devices() : ScriptDevices{};
  devices.drained = [&p] {
    p.sender.wake();  // (a row backing off stays due when it is due)
    p.sync.wake();
    return p.store->outbox().pending_count() == 0 &&
           p.store->audit().uploaded_through() >= p.store->audit().head_seq();
  };
  devices.dead_letters = [&p] { return p.store->outbox().dead_letter_count(); };
  devices.show_camera = [&p](const std::filesystem::path& images) -> std::optional<std::string> {
    try {
      p.camera.use(images.empty() ? nullptr : std::make_unique<devices::ImageFolderCamera>(images));
      return std::nullopt;
    } catch (const devices::CameraError& e) {
      return std::string(e.what());
    }
  };
  return devices;
}

}  // namespace mk::kiosk
