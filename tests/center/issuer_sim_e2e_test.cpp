// The issuer channel end to end through the centre simulator over HTTPS: a virtual My Number
// card without a 免許AP on a private pcscd, the kiosk's card layer (LicenseAp::relay) relaying
// what the simulator's issuer-session API returns and reporting the card's answers; at the end
// the record reads back with the new PIN and its signature verifies. Tampered or replayed
// commands are refused by the card; delete sessions work too, reset_pin only by appointment.
#include <fstream>
#include <iterator>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "devices/cards/license_ap.hpp"
#include "devices/pcsc/pcsc.hpp"
#include "devices/sim/background_card.hpp"
#include "tests/center/center_sim_support.hpp"

namespace mk::center::sim::testing {
namespace {

using api::Json;
using devices::ApduChannel;
using devices::LicenseAp;

constexpr const char* kReader = "Virtual PCD 00 00";

bool in_namespace() {
  return std::getenv("MK_PCSCD_PID") != nullptr;  // NOLINT(concurrency-mt-unsafe): no threads yet
}

class VirtualCard : public devices::sim::BackgroundCard {
 public:
  VirtualCard(const std::string& person, const fs::path& state)
      : BackgroundCard(options(person, state)) {}

 private:
  static devices::sim::SimOptions options(const std::string& person, const fs::path& state) {
    devices::sim::SimOptions o;
    o.card = "mynumber";
    o.fixture = (fixtures_dir() / (person + ".toml")).string();
    o.port = 35963;
    o.state_file = state;
    return o;
  }
};

std::vector<Bytes> raw(const std::vector<devices::Response>& answers) {
  std::vector<Bytes> out;
  out.reserve(answers.size());
  for (const auto& a : answers) {
    out.push_back(a.raw());
  }
  return out;
}

template <typename T>
T ok_body(const httplib::Result& r) {
  if (!r) {
    throw std::runtime_error("transport: " + httplib::to_string(r.error()));
  }
  if (r->status / 100 != 2) {
    throw std::runtime_error("HTTP " + std::to_string(r->status) + ": " + r->body);
  }
  return api::parse_body<T>(r->body);
}

// The kiosk's side of an issuer session, as the kiosk flow will do it.
class Kiosk {
 public:
  Kiosk(CenterWorld& world, LicenseAp& ap) : world_(world), ap_(ap) {}

  api::IssuerSession create(api::IssuerOperation op, const std::string& holder, const char* pin,
                            bool resume = false,
                            std::optional<api::HoldingForm> form = std::nullopt) {
    api::IssuerSessionRequest q;
    q.operation = op;
    q.holder_ref = holder;
    q.resume = resume;
    q.holding_form = form;
    if (pin != nullptr) {
      q.new_pin.emplace(std::string_view(pin));
    }
    return ok_body<api::IssuerSession>(world_.post("/v1/issuer/sessions", q, world_.key()));
  }

  // SELECT + INITIALIZE UPDATE plainly, then the centre's wrapped list.
  api::PhaseCommands open(const std::string& id, const api::PhaseStart& start) {
    const auto answers = ap_.relay({start.select, start.initialize_update});
    if (answers.size() != 2 || !answers[1].ok()) {
      throw std::runtime_error("INITIALIZE UPDATE was not answered");
    }
    return ok_body<api::PhaseCommands>(world_.post(
        path(id, start.phase, "open"), api::PhaseOpenRequest{raw(answers)[1]}, world_.key()));
  }

  httplib::Result report(const std::string& id, api::PhaseName phase,
                         const std::vector<Bytes>& answers) {
    return world_.post(path(id, phase, "answers"), api::PhaseAnswersRequest{answers}, world_.key());
  }

  // A whole operation; the verdict of the last phase.
  api::PhaseVerdict run(const api::IssuerSession& s) {
    api::PhaseStart start = s.next;
    for (;;) {
      const api::PhaseCommands c = open(s.session_id, start);
      auto v =
          ok_body<api::PhaseVerdict>(report(s.session_id, start.phase, raw(ap_.relay(c.commands))));
      if (!v.complete || v.done || !v.next) {
        return v;
      }
      start = *v.next;
    }
  }

 private:
  static std::string path(const std::string& id, api::PhaseName phase, const char* what) {
    return "/v1/issuer/sessions/" + id + "/phases/" + std::string(api::to_string(phase)) + "/" +
           what;
  }
  CenterWorld& world_;
  LicenseAp& ap_;
};

void with_card(const std::function<void(LicenseAp&)>& f) {
  devices::PcscContext context;
  devices::PcscCard card(context, kReader);
  ApduChannel channel(card);
  LicenseAp ap(channel);
  f(ap);
}

fs::path state_file(const std::string& name) {
  fs::path p = fs::path(::testing::TempDir()) / (name + "-" + std::to_string(::getpid()));
  fs::remove(p);
  return p;
}

fs::path license_ca() {
  return devices::sim::PkiCache::default_dir() / "license-ca.pem";
}

class IssuerThroughCentre : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!in_namespace()) {
      GTEST_SKIP() << "runs under tests/support/pcsc_namespace.sh (ctest does that)";
    }
    ASSERT_TRUE(devices::sim::wait_for_reader(kReader, false));
  }
  CenterWorld world{"issuer"};
};

TEST_F(IssuerThroughCentre, RecordsResetsThePinAndDeletes) {
  VirtualCard card("suzuki-hanako", state_file("suzuki"));
  ASSERT_TRUE(devices::sim::wait_for_reader(kReader, true));
  const std::string suzuki = world.sim().holder_ref("suzuki-hanako");
  with_card([&](LicenseAp& ap) {
    EXPECT_FALSE(ap.present());
    Kiosk kiosk(world, ap);
    const auto s = kiosk.create(api::IssuerOperation::record, suzuki, "2580");
    EXPECT_EQ(s.next.phase, api::PhaseName::isd);
    const auto v = kiosk.run(s);
    ASSERT_TRUE(v.complete);
    EXPECT_TRUE(v.done);
  });
  with_card([&](LicenseAp& ap) {
    ASSERT_TRUE(ap.present());
    ASSERT_EQ(ap.verify(base::SecretBytes("2580")).outcome, devices::VerifyOutcome::ok);
    const auto r = ap.read(license_ca());
    EXPECT_EQ(r.setting.state, devices::profile::license_ap::RecordState::complete);
    EXPECT_EQ(r.record.number, "621900123450");
    EXPECT_TRUE(r.signature.valid()) << r.signature.detail;
  });
  // The centre now knows the record and keeps the PIN only sealed.
  const auto pin = world.sim().registered_license_pin(suzuki);
  ASSERT_TRUE(pin.has_value());
  EXPECT_EQ(std::string(pin->bytes().begin(), pin->bytes().end()), "2580");
  const auto view = ok_body<api::LicenseRecordView>(world.post(
      "/v1/holders/lookup",
      api::HolderLookupRequest{"621900123450", "1992-11-03", "鈴木　花子", "", ""}, world.key()));
  EXPECT_TRUE(view.license_ap_recorded);
  EXPECT_EQ(view.holding_form, api::HoldingForm::both);

  // R-LIC-PIN-LOCK: the issuer resets a PIN only for an appointment whose identity check passed
  // at this kiosk (the pin_unlock scenarios and PinUnlockAtTheCentre run the whole of it).
  api::IssuerSessionRequest reset;
  reset.operation = api::IssuerOperation::reset_pin;
  reset.holder_ref = suzuki;
  reset.new_pin.emplace(std::string_view("1357"));
  EXPECT_EQ(error_code(world.post("/v1/issuer/sessions", reset, world.key())),
            api::code::kNotEligible);
  with_card([&](LicenseAp& ap) {
    EXPECT_EQ(ap.verify(base::SecretBytes("2580")).outcome, devices::VerifyOutcome::ok);
  });

  with_card([&](LicenseAp& ap) {
    Kiosk kiosk(world, ap);
    ASSERT_TRUE(kiosk.run(kiosk.create(api::IssuerOperation::erase, suzuki, nullptr)).done);
    EXPECT_FALSE(ap.present()) << "the 免許AP is gone";
  });
  EXPECT_FALSE(world.sim().registered_license_pin(suzuki).has_value());
  const auto lookup = [&] {
    return ok_body<api::LicenseRecordView>(world.post(
        "/v1/holders/lookup",
        api::HolderLookupRequest{"621900123450", "1992-11-03", "鈴木　花子", "", ""}, world.key()));
  };
  EXPECT_EQ(lookup().holding_form, api::HoldingForm::conventional_only);

  // Recorded again, handing the conventional licence back in the same step: the centre applies
  // the form only when the write completes — a session that stops half way changes nothing.
  const int64_t changes_before = world.sim().count_rows("holding_form_changes");
  with_card([&](LicenseAp& ap) {
    Kiosk kiosk(world, ap);
    (void)kiosk.create(api::IssuerOperation::record, suzuki, "2468", false,
                       api::HoldingForm::myna_only);  // opened, never run
    EXPECT_EQ(lookup().holding_form, api::HoldingForm::conventional_only);
    const auto s = kiosk.create(api::IssuerOperation::record, suzuki, "2468", false,
                                api::HoldingForm::myna_only);
    ASSERT_TRUE(kiosk.run(s).done);
  });
  EXPECT_EQ(lookup().holding_form, api::HoldingForm::myna_only);
  EXPECT_TRUE(lookup().license_ap_recorded);
  EXPECT_EQ(world.sim().count_rows("holding_form_changes"), changes_before + 1);
}

TEST_F(IssuerThroughCentre, TheCardRefusesAlteredAndReplayedCommandsAndTheCentreForgedAnswers) {
  VirtualCard card("suzuki-hanako", state_file("tamper"));
  ASSERT_TRUE(devices::sim::wait_for_reader(kReader, true));
  const std::string suzuki = world.sim().holder_ref("suzuki-hanako");
  with_card([&](LicenseAp& ap) {
    Kiosk kiosk(world, ap);
    // Altered: one byte of the INSTALL's encrypted data flipped on its way to the card.
    auto s = kiosk.create(api::IssuerOperation::record, suzuki, "2580");
    auto commands = kiosk.open(s.session_id, s.next).commands;
    ASSERT_EQ(commands.size(), 2U);
    commands[1][7] ^= 0x01;
    const auto answers = raw(ap.relay(commands));
    auto v = ok_body<api::PhaseVerdict>(kiosk.report(s.session_id, api::PhaseName::isd, answers));
    EXPECT_FALSE(v.complete);
    EXPECT_EQ(v.accepted, 1U) << "EXTERNAL AUTHENTICATE only";
    EXPECT_EQ(v.status & 0xFF00, 0x6900);
    EXPECT_FALSE(ap.present());
    EXPECT_EQ(error_code(kiosk.report(s.session_id, api::PhaseName::isd, answers)),
              api::code::kSessionState)
        << "a failed session takes nothing more";

    // Replayed: the commands of one session sent in another.
    const auto first = kiosk.create(api::IssuerOperation::record, suzuki, "2580");
    const auto recorded = kiosk.open(first.session_id, first.next).commands;
    const auto second = kiosk.create(api::IssuerOperation::record, suzuki, "2580");
    (void)kiosk.open(second.session_id, second.next);
    const auto replayed = ap.relay(recorded);
    ASSERT_FALSE(replayed.empty());
    EXPECT_FALSE(replayed[0].ok()) << "an EXTERNAL AUTHENTICATE of another session";
    EXPECT_FALSE(ap.present());

    // Forged answers: the card's 9000 with a wrong R-MAC is not the card's answer.
    const auto third = kiosk.create(api::IssuerOperation::record, suzuki, "2580");
    auto genuine = raw(ap.relay(kiosk.open(third.session_id, third.next).commands));
    ASSERT_EQ(genuine.size(), 2U);
    genuine[1][0] ^= 0x01;
    const auto r = kiosk.report(third.session_id, api::PhaseName::isd, genuine);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422);
    EXPECT_EQ(error_code(r), api::code::kRmacInvalid);
  });
}

// R-LIC-PIN-LOCK: the issuer resets sato-ichiro's locked licence PIN once his appointment's
// identity check passed at this kiosk — and a second reset session, opened before the first
// completed, writes nothing once the appointment is unlocked.
TEST_F(IssuerThroughCentre, AnUnlockResetsTheLockedPinOnceByAppointment) {
  VirtualCard card("sato-ichiro", state_file("sato"));
  ASSERT_TRUE(devices::sim::wait_for_reader(kReader, true));
  const std::string sato = world.sim().holder_ref("sato-ichiro");
  const std::string number = CenterSimulator::kTodayAppointment;
  world.set_now(japan_time(18, 5));
  ASSERT_EQ(
      world.post("/v1/appointments/" + number + "/check-in", Json::object(), world.key())->status,
      200);
  const auto c = world.post("/v1/auth/challenges", Json::object(), world.key());
  const Bytes challenge = api::parse_body<api::AuthChallenge>(c->body).challenge;
  const auto creds = jpki("sato-ichiro");
  std::ifstream face(fs::path(MK_SOURCE_DIR) / "tests/scenarios/camera/sato-ichiro.jpg",
                     std::ios::binary);
  const api::AppointmentIdentityRequest identity{
      card_id("sato-ichiro"), challenge, creds.auth.der,
      devices::sim::rsa_sign_sha256(creds.auth.key.get(), challenge),
      Bytes(std::istreambuf_iterator<char>(face), {})};
  const auto verified =
      world.post("/v1/appointments/" + number + "/identity", identity, world.key());
  ASSERT_EQ(verified->status, 200) << verified->body;
  with_card([&](LicenseAp& ap) {
    EXPECT_EQ(ap.tries(), 0) << "the fixture's licence PIN is locked";
    Kiosk kiosk(world, ap);
    // The kiosk names the card it writes: the one that holds his record.
    const auto reset = [&](const char* pin) {
      api::IssuerSessionRequest q;
      q.operation = api::IssuerOperation::reset_pin;
      q.holder_ref = sato;
      q.card_id = card_id("sato-ichiro");
      q.new_pin.emplace(std::string_view(pin));
      return ok_body<api::IssuerSession>(world.post("/v1/issuer/sessions", q, world.key()));
    };
    const auto first = reset("1357");
    const auto second = reset("2468");
    ASSERT_TRUE(kiosk.run(first).done);
    EXPECT_EQ(ap.tries(), 10);
    EXPECT_EQ(
        api::parse_body<api::Appointment>(world.get("/v1/appointments/" + number)->body).status,
        "unlocked");
    const auto answers = ap.relay({second.next.select, second.next.initialize_update});
    ASSERT_EQ(answers.size(), 2U);
    EXPECT_EQ(error_code(
                  world.post("/v1/issuer/sessions/" + second.session_id + "/phases/license_ap/open",
                             api::PhaseOpenRequest{raw(answers)[1]}, world.key())),
              api::code::kNotEligible)
        << "one unlock per appointment";
    EXPECT_EQ(ap.verify(base::SecretBytes("1357")).outcome, devices::VerifyOutcome::ok);
  });
}

}  // namespace
}  // namespace mk::center::sim::testing
