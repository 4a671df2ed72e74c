// The client card stack (ReaderManager, PcscCard, the card applications) on a real pcscd with
// the vpcd driver and the virtual cards, inside a private namespace (tests/support/
// pcsc_namespace.sh): read everything, PINs counting down to blocked, a card pulled at every
// APDU of an operation, pcscd restarting under a running reader manager.
#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/x509.h>
#include <sys/wait.h>
#include <unistd.h>

#include "devices/cards/certificate_days.hpp"
#include "devices/cards/dl_card.hpp"
#include "devices/cards/jpeg2000.hpp"
#include "devices/cards/license_ap.hpp"
#include "devices/cards/my_number_card.hpp"
#include "devices/pcsc/reader_manager.hpp"
#include "devices/profile/card_profile.hpp"
#include "devices/sim/background_card.hpp"
#include "devices/sim/pki.hpp"
#include "flows/rules/one_stop.hpp"
#include "tests/support/run_process.hpp"

namespace mk::devices {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kMyNumberReader = "Virtual PCD 00 00";
constexpr const char* kDlReader = "Virtual PCD 00 01";

bool in_namespace() {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): one thread reads and sets the test's environment
  return std::getenv("MK_PCSCD_PID") != nullptr;
}

fs::path work_dir() {
  static const fs::path dir =
      fs::path(testing::TempDir()) / ("card-stack-" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir;
}

std::string fixture(const std::string& person) {
  return std::string(MK_SOURCE_DIR) + "/devices/sim/fixtures/" + person + ".toml";
}

// A virtual card of a fixture person on a vpcd port, its state in the test's folder.
class VirtualCard : public sim::BackgroundCard {
 public:
  VirtualCard(const std::string& card, const std::string& person, int port,
              const std::string& state_name, sim::FaultOptions faults = {})
      : BackgroundCard(options(card, person, port, state_name, faults)) {}

 private:
  static sim::SimOptions options(const std::string& card, const std::string& person, int port,
                                 const std::string& state_name, sim::FaultOptions faults) {
    sim::SimOptions o;
    o.card = card;
    o.fixture = fixture(person);
    o.port = port;
    o.state_file = work_dir() / state_name;
    o.faults = faults;
    return o;
  }
};

// Runs one operation on the card in `reader` through a fresh PC/SC connection.
template <typename F>
void with_card(const std::string& reader, F&& f) {
  PcscContext context;
  PcscCard card(context, reader);
  ApduChannel channel(card);
  f(channel);
}

class CardStack : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!in_namespace()) {
      GTEST_SKIP() << "runs under tests/support/pcsc_namespace.sh (ctest does that)";
    }
    // pcscd notices a card gone only at its next poll: start from empty readers, so that a new
    // virtual card is never mistaken for the previous test's.
    ASSERT_TRUE(sim::wait_for_reader(kMyNumberReader, false));
    ASSERT_TRUE(sim::wait_for_reader(kDlReader, false));
  }
};

TEST_F(CardStack, ReadsEverythingOnBothCardsAndNeverTouchesTheMyNumber) {
  fs::remove(work_dir() / "yamada-my.json");
  VirtualCard mynumber("mynumber", "yamada-taro", 35963, "yamada-my.json");
  VirtualCard dl("dl", "yamada-taro", 35964, "yamada-dl.json");
  ASSERT_TRUE(sim::wait_for_reader(kMyNumberReader, true));
  ASSERT_TRUE(sim::wait_for_reader(kDlReader, true));

  with_card(kMyNumberReader, [](ApduChannel& channel) {
    MyNumberCard card(channel);
    ASSERT_TRUE(card.is_my_number_card());
    EXPECT_EQ(card.jpki_tries(JpkiKey::auth), 3);
    EXPECT_EQ(card.jpki_tries(JpkiKey::sign), 5);
    EXPECT_EQ(card.basic4_tries(), 3);
    ASSERT_EQ(card.verify_basic4(base::SecretBytes("1234")).outcome, VerifyOutcome::ok);
    const Basic4Info info = card.read_basic4();
    EXPECT_EQ(info.name, "山田　太郎");
    EXPECT_EQ(info.birth_date.iso(), "1985-04-12");
    EXPECT_EQ(info.sex, Sex::male);

    const Bytes auth = card.read_certificate(JpkiKey::auth);
    const unsigned char* p = auth.data();
    X509* cert = d2i_X509(nullptr, &p, static_cast<long>(auth.size()));
    ASSERT_NE(cert, nullptr);
    EXPECT_EQ(p, auth.data() + auth.size()) << "exactly the certificate, no padding";
    X509_free(cert);
    const size_t before = channel.apdu_count();
    EXPECT_THROW(card.read_certificate(JpkiKey::sign), CardError) << "needs the signing PIN";
    ASSERT_EQ(card.verify_jpki(JpkiKey::sign, base::SecretBytes("yamada2025")).outcome,
              VerifyOutcome::ok)
        << "the signing PIN is upper-cased";
    EXPECT_GT(card.read_certificate(JpkiKey::sign).size(), 500U);
    EXPECT_GT(channel.apdu_count(), before);
  });

  with_card(kMyNumberReader, [](ApduChannel& channel) {
    LicenseAp license(channel);
    ASSERT_TRUE(license.present());
    EXPECT_EQ(license.tries(), 10);
    ASSERT_EQ(license.verify(base::SecretBytes("4321")).outcome, VerifyOutcome::ok);
    const LicenseReadout r = license.read(sim::PkiCache::default_dir() / "license-ca.pem");
    EXPECT_EQ(r.record.number, "301234567890");
    EXPECT_EQ(r.record.color, "優良");
    EXPECT_TRUE(r.signature.valid()) << r.signature.detail;
    const auto photo = decode_jpeg2000(r.photo);
    ASSERT_TRUE(std::holds_alternative<GreyImage>(photo)) << std::get<ParseError>(photo).reason;
    EXPECT_GT(std::get<GreyImage>(photo).width, 50);
    // Checked against the wrong CA, the same record is not trusted.
    EXPECT_EQ(license.read(sim::PkiCache::default_dir() / "jpki-auth-ca.pem").signature.verdict,
              SignatureVerdict::untrusted_signer);
  });

  with_card(kDlReader, [](ApduChannel& channel) {
    DlCard card(channel);
    EXPECT_TRUE(card.pin_set());
    EXPECT_EQ(card.read_common_data().expiry.iso(), "2029-05-12");
    EXPECT_EQ(card.tries(PinKind::dl_pin1), 3);
    ASSERT_EQ(card.verify(PinKind::dl_pin1, base::SecretBytes("1111")).outcome, VerifyOutcome::ok);
    const DlEntries e = card.read_entries();
    EXPECT_EQ(e.license_number, "301234567890");
    EXPECT_EQ(e.conditions, std::vector<std::string>{"眼鏡等"});
    ASSERT_EQ(card.verify(PinKind::dl_pin2, base::SecretBytes("2222")).outcome, VerifyOutcome::ok);
    EXPECT_EQ(card.read_honseki(), "東京都千代田区霞が関二丁目１番");
    const auto photo = decode_jpeg2000(card.read_photo());
    EXPECT_TRUE(std::holds_alternative<GreyImage>(photo));
  });

  ASSERT_NE(mynumber.engine(), nullptr);
  EXPECT_FALSE(mynumber.engine()->touched(profile::kBasic4Aid, profile::basic4::kMyNumber))
      << "no APDU touched the My Number";
  EXPECT_GT(mynumber.engine()->log().size(), 10U);
}

// R-OS-STEPS ③: what the kiosk's one-stop flow has the card do (flows/rules/one_stop.hpp, the
// card service's jpki_sign), checked by a client that is not ours: OpenSSL's command line.
TEST_F(CardStack, AConsentTheCardSignsVerifiesWithOpensslAgainstItsCertificate) {
  fs::remove(work_dir() / "yamada-consent.json");
  VirtualCard mynumber("mynumber", "yamada-taro", 35963, "yamada-consent.json");
  ASSERT_TRUE(sim::wait_for_reader(kMyNumberReader, true));
  const std::string document = flows::to_canonical_text({"H0123",
                                                         {true, false, true},
                                                         std::string(flows::kOneStopTermsVersion),
                                                         "KIOSK-TEST-0001",
                                                         "2026-11-27T10:15:00+09:00",
                                                         std::string(64, 'C')});
  Bytes signature;
  Bytes certificate;
  with_card(kMyNumberReader, [&](ApduChannel& channel) {
    MyNumberCard card(channel);
    ASSERT_EQ(card.verify_jpki(JpkiKey::sign, base::SecretBytes("YAMADA2025")).outcome,
              VerifyOutcome::ok);
    certificate = card.read_certificate(JpkiKey::sign);
    signature =
        card.sign(JpkiKey::sign, sha256_digest_info(Bytes(document.begin(), document.end())));
  });
  ASSERT_EQ(signature.size(), 256U);
  // The days the flow judges the certificate by (R-OS-SAME-DAY, R-CERT-EXPIRY): the fixture's.
  const CertificateDays days = certificate_days(certificate);
  EXPECT_EQ(days.not_before, "2025-03-24");
  EXPECT_EQ(days.not_after, "2030-04-12");
  EXPECT_THROW((void)certificate_days(Bytes{0x30, 0x03, 0x02, 0x01, 0x01}), CardError);

  const fs::path dir = work_dir() / "consent";
  fs::create_directories(dir);
  const auto write = [&](const char* name, const auto& bytes) {
    std::ofstream(dir / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
  };
  write("consent.txt", document);
  write("consent.sig", signature);
  write("sign.der", certificate);
  const std::string d = test::quote(dir.string());
  ASSERT_EQ(test::run_process("openssl x509 -inform DER -in " + d + "/sign.der -pubkey -noout > " +
                              d + "/sign.pub")
                .exit_code,
            0);
  const auto verified = test::run_process("openssl dgst -sha256 -verify " + d + "/sign.pub " +
                                          "-signature " + d + "/consent.sig " + d + "/consent.txt");
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_THAT(verified.output, ::testing::HasSubstr("Verified OK"));
  // One byte changed (another item) and the signature no longer holds.
  std::string altered = document;
  altered.replace(altered.find("address birth_date"), 18, "address name");
  write("consent.txt", altered);
  EXPECT_NE(test::run_process("openssl dgst -sha256 -verify " + d + "/sign.pub -signature " + d +
                              "/consent.sig " + d + "/consent.txt")
                .exit_code,
            0);
}

TEST_F(CardStack, WrongPinsCountDownToBlockedAndABlockedPinIsNeverSent) {
  struct Case {
    const char* name;
    int tries;
    std::function<VerifyResult(ApduChannel&, const char*)> verify;
    std::function<int(ApduChannel&)> read_tries;
  };
  const std::vector<Case> cases = {
      {"license", 10,
       [](ApduChannel& c, const char* pin) { return LicenseAp(c).verify(base::SecretBytes(pin)); },
       [](ApduChannel& c) { return LicenseAp(c).tries(); }},
      {"basic4", 3,
       [](ApduChannel& c, const char* pin) {
         return MyNumberCard(c).verify_basic4(base::SecretBytes(pin));
       },
       [](ApduChannel& c) { return MyNumberCard(c).basic4_tries(); }},
      {"jpki_sign", 5,
       [](ApduChannel& c, const char* pin) {
         return MyNumberCard(c).verify_jpki(JpkiKey::sign, base::SecretBytes(pin));
       },
       [](ApduChannel& c) { return MyNumberCard(c).jpki_tries(JpkiKey::sign); }},
  };
  fs::remove(work_dir() / "countdown.json");
  VirtualCard mynumber("mynumber", "yamada-taro", 35963, "countdown.json");
  ASSERT_TRUE(sim::wait_for_reader(kMyNumberReader, true));
  for (const Case& c : cases) {
    const char* wrong = std::string(c.name) == "jpki_sign" ? "WRONG99" : "0000";
    for (int left = c.tries - 1; left >= 0; --left) {
      with_card(kMyNumberReader, [&](ApduChannel& channel) {
        const VerifyResult r = c.verify(channel, wrong);
        EXPECT_EQ(r.tries_left, left) << c.name;
        EXPECT_EQ(r.outcome, left == 0 ? VerifyOutcome::blocked : VerifyOutcome::wrong) << c.name;
      });
    }
    const size_t log_before = mynumber.engine()->log().size();
    with_card(kMyNumberReader, [&](ApduChannel& channel) {
      EXPECT_EQ(c.read_tries(channel), 0) << c.name;
      try {
        c.verify(channel, std::string(c.name) == "jpki_sign" ? "YAMADA2025" : "1234");
        ADD_FAILURE() << c.name << ": a blocked PIN was verified";
      } catch (const CardError& e) {
        EXPECT_EQ(e.kind(), CardErrorKind::pin_blocked) << c.name;
      }
    });
    const auto& log = mynumber.engine()->log();
    for (size_t i = log_before; i < log.size(); ++i) {
      const Bytes& cmd = log[i].command;
      EXPECT_FALSE(cmd.size() > 4 && cmd[1] == 0x20) << c.name << ": a PIN went to a blocked key";
    }
  }
}

// A card pulled at each APDU of every card operation — before the card answers it and right
// after — is reported as removed (never as a wrong PIN or a broken card) and costs no PIN try.
TEST_F(CardStack, ACardPulledAtEveryApduOfEveryOperationIsReportedAsRemovedWithNothingSpent) {
  struct Operation {
    const char* name;
    const char* card;  // "mynumber" or "dl"
    const char* reader;
    std::function<void(ApduChannel&)> run;
    std::function<int(ApduChannel&)> tries;  // the PIN the operation verifies
    int max_tries;
  };
  const auto license_ca = sim::PkiCache::default_dir() / "license-ca.pem";
  const std::vector<Operation> operations = {
      {"license record", "mynumber", kMyNumberReader,
       [&](ApduChannel& c) {
         LicenseAp license(c);
         if (!license.present() ||
             license.verify(base::SecretBytes("4321")).outcome != VerifyOutcome::ok) {
           throw std::runtime_error("unexpected");
         }
         (void)license.read(license_ca);
       },
       [](ApduChannel& c) { return LicenseAp(c).tries(); }, 10},
      {"basic 4 info", "mynumber", kMyNumberReader,
       [](ApduChannel& c) {
         MyNumberCard card(c);
         if (card.verify_basic4(base::SecretBytes("1234")).outcome != VerifyOutcome::ok) {
           throw std::runtime_error("unexpected");
         }
         (void)card.read_basic4();
       },
       [](ApduChannel& c) { return MyNumberCard(c).basic4_tries(); }, 3},
      {"sign with the signing key", "mynumber", kMyNumberReader,
       [](ApduChannel& c) {
         MyNumberCard card(c);
         (void)card.read_certificate(JpkiKey::auth);
         if (card.verify_jpki(JpkiKey::sign, base::SecretBytes("YAMADA2025")).outcome !=
             VerifyOutcome::ok) {
           throw std::runtime_error("unexpected");
         }
         (void)card.read_certificate(JpkiKey::sign);
         (void)card.sign(JpkiKey::sign, sha256_digest_info(Bytes{1, 2, 3}));
       },
       [](ApduChannel& c) { return MyNumberCard(c).jpki_tries(JpkiKey::sign); }, 5},
      {"conventional license", "dl", kDlReader,
       [](ApduChannel& c) {
         DlCard card(c);
         (void)card.read_common_data();
         if (card.verify(PinKind::dl_pin1, base::SecretBytes("1111")).outcome !=
             VerifyOutcome::ok) {
           throw std::runtime_error("unexpected");
         }
         (void)card.read_entries();
       },
       [](ApduChannel& c) { return DlCard(c).tries(PinKind::dl_pin1); }, 3},
  };
  for (const Operation& op : operations) {
    const std::string state = std::string("pull-") + op.card + ".json";
    fs::remove(work_dir() / state);
    const int port = std::string(op.card) == "dl" ? 35964 : 35963;
    size_t apdus = 0;
    ASSERT_TRUE(sim::wait_for_reader(op.reader, false)) << "the previous operation's card is gone";
    {
      VirtualCard card(op.card, "yamada-taro", port, state);
      ASSERT_TRUE(sim::wait_for_reader(op.reader, true)) << op.name;
      with_card(op.reader, [&](ApduChannel& channel) {
        op.run(channel);
        apdus = channel.apdu_count();
      });
    }
    ASSERT_GE(apdus, 3U) << op.name;
    for (size_t n = 1; n <= apdus; ++n) {
      for (const bool before_answer : {true, false}) {
        ASSERT_TRUE(sim::wait_for_reader(op.reader, false)) << "the previous card is gone";
        sim::FaultOptions faults;
        faults.remove_at_apdu = static_cast<int>(n);
        faults.remove_before_answer = before_answer;
        VirtualCard card(op.card, "yamada-taro", port, state, faults);
        ASSERT_TRUE(sim::wait_for_reader(op.reader, true)) << op.name;
        try {
          with_card(op.reader, op.run);
          if (before_answer || n < apdus) {
            ADD_FAILURE() << op.name << ", APDU " << n << ": the pulled card went unnoticed";
          }
        } catch (const CardError& e) {
          EXPECT_EQ(e.kind(), CardErrorKind::card_removed)
              << op.name << ", APDU " << n << (before_answer ? " before" : " after")
              << " the answer: " << e.what();
        }
      }
    }
    ASSERT_TRUE(sim::wait_for_reader(op.reader, false));
    VirtualCard card(op.card, "yamada-taro", port, state);
    ASSERT_TRUE(sim::wait_for_reader(op.reader, true));
    with_card(op.reader, [&](ApduChannel& channel) {
      EXPECT_EQ(op.tries(channel), op.max_tries) << op.name << ": nothing spent";
    });
  }
}

// pcscd powers a card off a few hundred ms after its last connection closes (vpcd sees a power
// off): a flow that waits for the centre between two operations would lose the issuer channel it
// opened, or the PIN it verified. The flow's card stays connected until it is let go.
TEST_F(CardStack, TheCardAFlowWorksWithStaysPoweredBetweenItsOperationsUntilLetGo) {
  fs::remove(work_dir() / "kept.json");
  ReaderManager manager([](const ReaderEvent&) {});
  // The licence card: its PIN stays verified across DF selections (the My Number card's does not).
  VirtualCard card("dl", "yamada-taro", 35964, "kept.json");
  ASSERT_TRUE(sim::wait_for_reader(kDlReader, true));
  const auto keep = ReaderManager::Afterwards::keep_connected;
  auto read_name = [&](ReaderManager::Afterwards afterwards) {
    std::string name;
    manager.run_and_wait(
        kDlReader,
        [&](ApduChannel& channel, const Bytes&) { name = DlCard(channel).read_entries().name; },
        afterwards);
    return name;
  };
  auto verify = [&](ReaderManager::Afterwards afterwards) {
    manager.run_and_wait(
        kDlReader,
        [](ApduChannel& channel, const Bytes&) {
          ASSERT_EQ(DlCard(channel).verify(PinKind::dl_pin1, base::SecretBytes("1111")).outcome,
                    VerifyOutcome::ok);
        },
        afterwards);
  };
  constexpr auto kLongerThanPcscdWaits = 2s;

  // Not kept: the verified PIN is gone after the wait (this is why cards are kept).
  verify(ReaderManager::Afterwards::disconnect);
  std::this_thread::sleep_for(kLongerThanPcscdWaits);
  EXPECT_THROW(read_name(ReaderManager::Afterwards::disconnect), CardError)
      << "pcscd did not power the card off: this test no longer shows why cards are kept";

  // Kept: the next operation, seconds later, still finds the PIN verified.
  verify(keep);
  std::this_thread::sleep_for(kLongerThanPcscdWaits);
  EXPECT_EQ(read_name(keep), "山田　太郎");
  // An operation the card refused does not drop it either.
  EXPECT_THROW(manager.run_and_wait(
                   kDlReader,
                   [](ApduChannel&, const Bytes&) {
                     throw CardError(CardErrorKind::unexpected_status, "refused");
                   },
                   keep),
               CardError);
  EXPECT_EQ(read_name(keep), "山田　太郎");

  // Let go: nothing holds the card, pcscd powers it off, the verified PIN is gone.
  manager.let_go();
  std::this_thread::sleep_for(kLongerThanPcscdWaits);
  EXPECT_THROW(read_name(keep), CardError);
  manager.let_go();
}

TEST_F(CardStack, TheReaderManagerReportsCardsAndSurvivesAPcscdRestart) {
  std::mutex mutex;
  std::vector<ReaderEvent> events;
  auto seen = [&](ReaderEvent::Kind kind, const std::string& reader, size_t from = 0) {
    const std::lock_guard lock(mutex);
    for (size_t i = from; i < events.size(); ++i) {
      if (events[i].kind == kind && (reader.empty() || events[i].reader == reader)) {
        return true;
      }
    }
    return false;
  };
  auto wait_until = [&](const std::function<bool()>& condition) {
    for (int i = 0; i < 200 && !condition(); ++i) {
      std::this_thread::sleep_for(50ms);
    }
    return condition();
  };
  ReaderManager manager([&](const ReaderEvent& e) {
    const std::lock_guard lock(mutex);
    events.push_back(e);
  });
  ASSERT_TRUE(wait_until([&] { return seen(ReaderEvent::Kind::service_up, ""); }));
  {
    VirtualCard card("mynumber", "yamada-taro", 35963, "manager.json");
    ASSERT_TRUE(
        wait_until([&] { return seen(ReaderEvent::Kind::card_inserted, kMyNumberReader); }));
    int tries = -1;
    manager.run_and_wait(kMyNumberReader, [&](ApduChannel& channel, const Bytes& atr) {
      EXPECT_EQ(atr, Bytes(profile::kMyNumberAtr.begin(), profile::kMyNumberAtr.end()));
      tries = MyNumberCard(channel).jpki_tries(JpkiKey::auth);
    });
    EXPECT_EQ(tries, 3);

    // Restart pcscd under the running manager.
    size_t mark = 0;
    {
      const std::lock_guard lock(mutex);
      mark = events.size();
    }
    // NOLINTNEXTLINE(concurrency-mt-unsafe): one thread reads and sets the test's environment
    const pid_t old_pcscd = static_cast<pid_t>(std::stol(std::getenv("MK_PCSCD_PID")));
    ASSERT_EQ(kill(old_pcscd, SIGTERM), 0);
    ASSERT_TRUE(wait_until([&] { return seen(ReaderEvent::Kind::service_lost, "", mark); }));
    EXPECT_FALSE(manager.service_up());
    const pid_t pcscd = fork();
    if (pcscd == 0) {
      // NOLINTNEXTLINE(concurrency-mt-unsafe): the forked child, about to exec
      execlp("pcscd", "pcscd", "--foreground", "--config", std::getenv("MK_PCSCD_CONF"),
             static_cast<char*>(nullptr));
      _exit(127);
    }
    ASSERT_TRUE(wait_until([&] { return seen(ReaderEvent::Kind::service_up, "", mark); }));
    ASSERT_TRUE(wait_until([&] {
      return seen(ReaderEvent::Kind::card_inserted, kMyNumberReader, mark);
    })) << "the virtual card reconnects to the new pcscd and is reported again";
    manager.run_and_wait(kMyNumberReader, [&](ApduChannel& channel, const Bytes&) {
      tries = MyNumberCard(channel).jpki_tries(JpkiKey::sign);
    });
    EXPECT_EQ(tries, 5);
    // The namespace script stops its own pcscd only; this one is ours to stop.
    // NOLINTNEXTLINE(concurrency-mt-unsafe): one thread reads and sets the test's environment
    setenv("MK_PCSCD_PID", std::to_string(pcscd).c_str(), 1);
  }
  EXPECT_TRUE(wait_until([&] { return seen(ReaderEvent::Kind::card_removed, kMyNumberReader); }));
  // A removed card's operation fails as removed, not as anything else.
  try {
    manager.run_and_wait(kMyNumberReader, [](ApduChannel&, const Bytes&) {});
    ADD_FAILURE() << "an operation ran without a card";
  } catch (const CardError& e) {
    EXPECT_TRUE(e.kind() == CardErrorKind::card_removed || e.kind() == CardErrorKind::no_card)
        << to_string(e.kind());
  }
  // NOLINTNEXTLINE(concurrency-mt-unsafe): one thread reads and sets the test's environment
  const pid_t pcscd = static_cast<pid_t>(std::stol(std::getenv("MK_PCSCD_PID")));
  kill(pcscd, SIGTERM);
  waitpid(pcscd, nullptr, 0);
}

}  // namespace
}  // namespace mk::devices
