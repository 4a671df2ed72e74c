// The issuer channel end to end (docs/issuer-channel.md): the issuer's wrapped commands
// (center/issuer, playing the centre), relayed by the kiosk's card layer (LicenseAp::relay) through
// a real pcscd to the virtual My Number card, install and write a 免許AP; the card refuses a
// replayed or altered command; the record reads back with the new PIN and its signature verifies.
#include <atomic>
#include <filesystem>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "center/issuer/license_write_plan.hpp"
#include "center/issuer/master_keys.hpp"
#include "center/issuer/scp03_host.hpp"
#include "devices/cards/license_ap.hpp"
#include "devices/pcsc/pcsc.hpp"
#include "devices/sim/background_card.hpp"
#include "devices/sim/cards.hpp"
#include "devices/sim/fixture.hpp"
#include "devices/sim/pki.hpp"

namespace mk::devices {
namespace {

namespace fs = std::filesystem;
namespace issuer = center::issuer;
using namespace std::chrono_literals;

constexpr const char* kReader = "Virtual PCD 00 00";

bool in_namespace() {
  return std::getenv("MK_PCSCD_PID") != nullptr;  // NOLINT(concurrency-mt-unsafe): no threads yet
}

fs::path work_dir() {
  static const fs::path dir = fs::path(testing::TempDir()) / ("issuer-" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir;
}

std::string fixture(const std::string& person) {
  return std::string(MK_SOURCE_DIR) + "/devices/sim/fixtures/" + person + ".toml";
}

// A virtual My Number card of a fixture person on the first reader.
class VirtualCard : public sim::BackgroundCard {
 public:
  VirtualCard(const std::string& person, const std::string& state, sim::FaultOptions faults = {})
      : BackgroundCard(options(person, state, faults)) {}

 private:
  static sim::SimOptions options(const std::string& person, const std::string& state,
                                 sim::FaultOptions faults) {
    sim::SimOptions o;
    o.card = "mynumber";
    o.fixture = fixture(person);
    o.port = 35963;
    o.state_file = work_dir() / state;
    o.faults = faults;
    return o;
  }
};

bool wait_for_card(bool present) {
  return sim::wait_for_reader(kReader, present);
}

std::vector<Bytes> raw(const std::vector<Response>& answers) {
  std::vector<Bytes> out;
  out.reserve(answers.size());
  for (const auto& a : answers) {
    out.push_back(a.raw());
  }
  return out;
}

// The signed license image the centre would send: yamada-taro's record, signed by the test
// license authority (the centre's record encoding comes with the centre simulator).
issuer::LicenseImage license_image() {
  sim::PkiCache pki(sim::PkiCache::default_dir());
  const sim::Person person =
      sim::load_person(fixture("yamada-taro"), sim::parse_date(MK_TEST_TODAY));
  const Bytes wef02 = sim::license_ap_wef02(*person.license_ap);
  const Bytes wef04 = sim::license_ap_wef04(person);
  const Bytes wef03 = sim::license_ap_wef03(wef02, wef04, sim::make_license_authority(pki));
  return {wef02, wef03, wef04};
}

// The kiosk side of one issuer session: plain SELECT + INITIALIZE UPDATE, then the issuer
// builds the commands and checks the relayed answers.
struct Session {
  std::unique_ptr<issuer::Scp03Host> host;
};

std::unique_ptr<issuer::Scp03Host> open_session(LicenseAp& ap, std::span<const uint8_t> aid,
                                                const issuer::MasterKeys& master) {
  const Bytes challenge = issuer::Scp03Host::random_host_challenge();
  const auto answers = ap.relay(
      {issuer::select_command(aid), issuer::Scp03Host::initialize_update_command(challenge)});
  if (answers.size() != 2 || !answers[1].ok()) {
    throw std::runtime_error("INITIALIZE UPDATE was not answered");
  }
  return std::make_unique<issuer::Scp03Host>(master, challenge, answers[1].data);
}

issuer::RelayVerdict run_phase(LicenseAp& ap, std::span<const uint8_t> aid,
                               const issuer::MasterKeys& master,
                               const std::function<std::vector<Bytes>(issuer::Scp03Host&)>& build) {
  auto host = open_session(ap, aid, master);
  const std::vector<Bytes> commands = build(*host);
  return issuer::check_relay_answers(*host, commands.size(), raw(ap.relay(commands)));
}

issuer::MasterKeys master_keys() {
  return issuer::load_master_keys(sim::PkiCache::default_dir() / "issuer-master-keys.json");
}

void with_card(const std::function<void(ApduChannel&)>& f) {
  PcscContext context;
  PcscCard card(context, kReader);
  ApduChannel channel(card);
  f(channel);
}

class IssuerChannel : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!in_namespace()) {
      GTEST_SKIP() << "runs under tests/support/pcsc_namespace.sh (ctest does that)";
    }
    ASSERT_TRUE(wait_for_card(false));
  }
};

TEST_F(IssuerChannel, InstallsWritesAndReadsBackAVerifiedRecord) {
  fs::remove(work_dir() / "suzuki.json");
  VirtualCard card("suzuki-hanako", "suzuki.json");  // no 免許AP yet
  ASSERT_TRUE(wait_for_card(true));
  const issuer::MasterKeys master = master_keys();
  const issuer::LicenseWritePlan plan(license_image(), base::SecretBytes("2580"));
  with_card([&](ApduChannel& channel) {
    LicenseAp ap(channel);
    EXPECT_FALSE(ap.present()) << "nothing recorded yet";
    const auto isd = run_phase(ap, issuer::card::kIsdAid, master,
                               [&](issuer::Scp03Host& h) { return plan.isd_commands(h); });
    ASSERT_TRUE(isd.complete) << isd.problem.value_or("");
    const auto write = run_phase(ap, issuer::card::kLicenseApAid, master,
                                 [&](issuer::Scp03Host& h) { return plan.license_ap_commands(h); });
    ASSERT_TRUE(write.complete) << write.problem.value_or("");
  });
  with_card([&](ApduChannel& channel) {
    LicenseAp ap(channel);
    ASSERT_TRUE(ap.present());
    EXPECT_EQ(ap.tries(), 10);
    ASSERT_EQ(ap.verify(base::SecretBytes("2580")).outcome, VerifyOutcome::ok) << "the new PIN";
    const LicenseReadout r = ap.read(sim::PkiCache::default_dir() / "license-ca.pem");
    EXPECT_EQ(r.setting.state, profile::license_ap::RecordState::complete);
    EXPECT_EQ(r.record.number, "301234567890");
    EXPECT_TRUE(r.signature.valid()) << r.signature.detail;
  });
}

TEST_F(IssuerChannel, TheCardRefusesAReplayedOrAlteredCommandAndAWrongKey) {
  fs::remove(work_dir() / "tamper.json");
  VirtualCard card("suzuki-hanako", "tamper.json");
  ASSERT_TRUE(wait_for_card(true));
  const issuer::MasterKeys master = master_keys();
  const issuer::LicenseWritePlan plan(license_image(), base::SecretBytes("2580"));
  with_card([&](ApduChannel& channel) {
    LicenseAp ap(channel);
    // An altered INSTALL: one byte of its encrypted data flipped.
    auto host = open_session(ap, issuer::card::kIsdAid, master);
    std::vector<Bytes> commands = plan.isd_commands(*host);
    ASSERT_EQ(commands.size(), 2U);
    commands[1][7] ^= 0x01;
    auto answers = ap.relay(commands);
    ASSERT_EQ(answers.size(), 2U);
    EXPECT_TRUE(answers[0].ok()) << "EXTERNAL AUTHENTICATE";
    EXPECT_EQ(answers[1].status.sw & 0xFF00, 0x6900) << answers[1].status.describe();
    EXPECT_FALSE(ap.present()) << "nothing was installed";

    // A replay: the same, correct commands of an earlier session in a new session.
    auto first = open_session(ap, issuer::card::kIsdAid, master);
    const std::vector<Bytes> recorded = plan.isd_commands(*first);
    auto second = open_session(ap, issuer::card::kIsdAid, master);
    answers = ap.relay(recorded);
    ASSERT_FALSE(answers.empty());
    EXPECT_FALSE(answers[0].ok()) << "an EXTERNAL AUTHENTICATE of another session";
    EXPECT_FALSE(ap.present());

    // Outside a secure channel the card takes no issuer command at all.
    answers = ap.relay({issuer::select_command(issuer::card::kIsdAid), recorded[1]});
    ASSERT_EQ(answers.size(), 2U);
    EXPECT_EQ(answers[1].status.sw, 0x6982);
    EXPECT_FALSE(ap.present());
  });
  // Keys of another issuer do not open a channel: the card cryptogram does not verify.
  issuer::MasterKeys other = master;
  other.mac[0] ^= 0xFF;
  with_card([&](ApduChannel& channel) {
    LicenseAp ap(channel);
    EXPECT_THROW(open_session(ap, issuer::card::kIsdAid, other), issuer::IssuerError);
  });
}

TEST_F(IssuerChannel, ACardPulledMidWriteIsIncompleteAndTheNextAttemptFinishesIt) {
  fs::remove(work_dir() / "pulled.json");
  const issuer::MasterKeys master = master_keys();
  const issuer::LicenseWritePlan plan(license_image(), base::SecretBytes("2580"));
  {
    // APDU 1-4 are SELECT ISD, INITIALIZE UPDATE, EXTERNAL AUTHENTICATE, INSTALL; 5-7 the
    // 免許AP's SELECT, INITIALIZE UPDATE, EXTERNAL AUTHENTICATE; 8-9 write WEF01 = 01; the card
    // leaves somewhere in WEF02.
    sim::FaultOptions faults;
    faults.remove_at_apdu = 11;
    faults.remove_before_answer = true;
    VirtualCard card("suzuki-hanako", "pulled.json", faults);
    ASSERT_TRUE(wait_for_card(true));
    EXPECT_THROW(
        with_card([&](ApduChannel& channel) {
          LicenseAp ap(channel);
          ASSERT_TRUE(run_phase(ap, issuer::card::kIsdAid, master, [&](issuer::Scp03Host& h) {
                        return plan.isd_commands(h);
                      }).complete);
          run_phase(ap, issuer::card::kLicenseApAid, master,
                    [&](issuer::Scp03Host& h) { return plan.license_ap_commands(h); });
        }),
        CardError);
  }
  ASSERT_TRUE(wait_for_card(false));
  VirtualCard card("suzuki-hanako", "pulled.json");
  ASSERT_TRUE(wait_for_card(true));
  with_card([&](ApduChannel& channel) {
    LicenseAp ap(channel);
    ASSERT_TRUE(ap.present());
    EXPECT_EQ(ap.pin_setting().state, profile::license_ap::RecordState::writing);
    try {
      (void)ap.read(sim::PkiCache::default_dir() / "license-ca.pem");
      ADD_FAILURE() << "a half-written record was shown";
    } catch (const CardError& e) {
      EXPECT_EQ(e.kind(), CardErrorKind::wrong_card);
    }
    // Resume: phase 2 again, from the start.
    const auto write = run_phase(ap, issuer::card::kLicenseApAid, master,
                                 [&](issuer::Scp03Host& h) { return plan.license_ap_commands(h); });
    ASSERT_TRUE(write.complete) << write.problem.value_or("");
    ASSERT_EQ(ap.verify(base::SecretBytes("2580")).outcome, VerifyOutcome::ok);
    EXPECT_TRUE(ap.read(sim::PkiCache::default_dir() / "license-ca.pem").signature.valid());
  });
}

}  // namespace
}  // namespace mk::devices
