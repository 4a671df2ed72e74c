// The printed slip on a real CUPS spooler (tests/support/cups_spooler.hpp: a private cupsd with
// the cups-pdf printer). The kiosk executable plays the portal linkage with the print button
// (tests/print/portal_linkage_print.script) against the virtual cards and the built-in centre;
// the PDF cups-pdf wrote is then read back as a person and a phone would: its text with poppler's
// pdftotext, its QR code from the page drawn by pdftoppm and decoded by ZXing-cpp. And what a
// broken printer does: a paused queue times out and its job is cancelled; an unknown queue is
// refused — the person is told either way.
#define ZX_USE_UTF8
#include <filesystem>
#include <fstream>

#include <ReadBarcode.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "devices/printer/cups_printer.hpp"
#include "flows/rules/portal_linkage.hpp"
#include "kiosk/app/health_check.hpp"
#include "kiosk/i18n/catalog.hpp"
#include "kiosk/print/slip_document.hpp"
#include "kiosk/print/slip_renderer.hpp"
#include "kiosk/ui/image.hpp"
#include "tests/support/cups_spooler.hpp"
#include "tests/support/run_process.hpp"

namespace {

namespace fs = std::filesystem;
using mk::test::quote;
using mk::test::run_process;
using ::testing::HasSubstr;
using ::testing::Not;

std::string read_qr(const fs::path& png) {
  const mk::kiosk::Image image = mk::kiosk::read_png(png);
  const ZXing::ImageView view(image.rgba.data(), image.width, image.height,
                              ZXing::ImageFormat::RGBX);
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode);
  const ZXing::Result result = ZXing::ReadBarcode(view, hints);
  return result.isValid() ? result.text() : std::string("(unreadable)");
}

// `text` without spaces and line breaks: where the layout wrapped a line is not the test's
// business (a wrap eats the space it breaks at; Japanese has none to eat).
std::string squeezed(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c != ' ' && c != '\n' && c != '\f') {
      out += c;
    }
  }
  return out;
}

// The text poppler reads from the PDF, squeezed.
std::string pdf_text(const fs::path& pdf) {
  return squeezed(run_process("pdftotext -enc UTF-8 " + quote(pdf.string()) + " -").output);
}

class SlipPrint : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) {
      GTEST_SKIP() << "a private cupsd with the cups-pdf backend needs root (CI runs as root)";
    }
    dir_ = fs::path(::testing::TempDir()) / ("slip-print-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    spooler_ = std::make_unique<mk::test::CupsSpooler>(dir_ / "cups",
                                                       "MKSLIP" + std::to_string(::getpid()));
    // This process prints through it too (the kiosk's child process gets it on its command line).
    ::setenv("CUPS_SERVER", spooler_->socket().c_str(), 1);  // NOLINT(concurrency-mt-unsafe)
  }
  void TearDown() override {
    spooler_.reset();
    if (!HasFailure()) {
      fs::remove_all(dir_);
    }
  }
  // The only PDF the spooler wrote.
  fs::path the_pdf() {
    const auto pdfs = spooler_->pdfs();
    EXPECT_EQ(pdfs.size(), 1U) << spooler_->log();
    return pdfs.empty() ? fs::path() : pdfs.front();
  }

  fs::path dir_;
  std::unique_ptr<mk::test::CupsSpooler> spooler_;
};

TEST_F(SlipPrint, R_PL_WAIT_TheKioskPrintsTheHandOverAndThePdfReadsBack) {
  if (std::getenv("MK_PCSCD_PID") == nullptr) {  // NOLINT(concurrency-mt-unsafe): read only
    GTEST_SKIP() << "runs under tests/support/pcsc_namespace.sh (ctest does that)";
  }
  const fs::path config = dir_ / "kiosk.toml";
  std::ofstream(config) << "[simulation]\ntoday = \"2026-11-27\"\ntime = \"10:15\"\n\n[printer]\n"
                        << "queue = \"" << spooler_->queue() << "\"\njob_timeout_s = 60\n\n"
                        << "[log]\njournal = \"off\"\n";
  const fs::path script = fs::path(MK_SOURCE_DIR) / "tests/print/portal_linkage_print.script";
  const auto r =
      run_process(spooler_->environment() + " STATE_DIRECTORY=" + quote((dir_ / "store").string()) +
                  " " + quote(MK_KIOSK_EXE) + " --headless --strict --config " +
                  quote(config.string()) + " --script " + quote(script.string()) +
                  " --screenshots " + quote((dir_ / "shots").string()) + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.output << "\n--- cupsd ---\n" << spooler_->log();
  // The kiosk said "printed" on the spooler's word.
  EXPECT_THAT(r.output, HasSubstr("printed slip on " + spooler_->queue()));
  const fs::path pdf = the_pdf();
  ASSERT_FALSE(pdf.empty());
  const std::string text = pdf_text(pdf);
  EXPECT_THAT(text, HasSubstr(squeezed("マイナポータル連携")));
  EXPECT_THAT(text, HasSubstr(squeezed("10:45以降に始めてください")))
      << "the centre's time (R-PL-WAIT)";
  EXPECT_THAT(text, HasSubstr(squeezed("② マイナポータルにログイン")));
  EXPECT_THAT(text, HasSubstr(squeezed("「連携をはじめる」")));
  EXPECT_THAT(text, HasSubstr(squeezed("⑤ 署名用電子証明書を提出")));
  EXPECT_THAT(text, HasSubstr(std::string(mk::flows::kMynaPortalUrl)));
  EXPECT_THAT(text, HasSubstr(squeezed("2026年11月27日")));
  // Nothing of the person on a slip that may be left behind.
  for (const char* personal : {"加藤", "美咲", "KATO", "1990"}) {
    EXPECT_THAT(text, Not(HasSubstr(personal))) << personal;
  }
  // A phone reads the portal's address off the paper.
  ASSERT_EQ(run_process("pdftoppm -r 200 -png -singlefile " + quote(pdf.string()) + " " +
                        quote((dir_ / "page").string()))
                .exit_code,
            0);
  EXPECT_EQ(read_qr(dir_ / "page.png"), mk::flows::kMynaPortalUrl);
  // Kept in the build folder for a person to look at, like the scenarios' screenshots.
  const fs::path keep = fs::path(MK_BINARY_DIR) / "slip-print";
  fs::create_directories(keep);
  fs::copy_file(dir_ / "page.png", keep / "portal_linkage-slip.png",
                fs::copy_options::overwrite_existing);
  fs::copy_file(pdf, keep / "portal_linkage-slip.pdf", fs::copy_options::overwrite_existing);
}

// The slip in English, printed directly: the same path without the card steps.
TEST_F(SlipPrint, AnEnglishSlipKeepsItsTextThroughTheSpooler) {
  const auto catalog = mk::kiosk::Catalog::load(fs::path(MK_SOURCE_DIR) / "assets/texts");
  mk::flows::ViewModel slip;
  slip.language = mk::flows::Language::en;
  slip.texts["title"] = {"portal_linkage.slip.title", {}};
  slip.texts["when"] = {"portal_linkage.when", {{"time", "10:45"}, {"minutes", "30"}}};
  slip.details = {{"portal_linkage.step.login", {}}, {"portal_linkage.step.certificate", {}}};
  slip.qr_code = std::string(mk::flows::kMynaPortalUrl);
  // Drawn by the helper process beside the kiosk, as the kiosk has it drawn.
  const fs::path helper = fs::path(MK_KIOSK_EXE).parent_path() / "mynakiosk-slip";
  const mk::kiosk::SlipText words = mk::kiosk::slip_text(slip, catalog);
  const std::string ps = mk::kiosk::render_slip(helper, words, {});
  // Drawn again, the same slip is the same page (apart from Cairo's creation date line).
  const auto without_date = [](std::string text) {
    const auto at = text.find("%%CreationDate:");
    return at == std::string::npos ? text : text.erase(at, text.find('\n', at) - at);
  };
  for (int again = 0; again < 3; ++again) {
    EXPECT_EQ(without_date(mk::kiosk::render_slip(helper, words, {})), without_date(ps));
  }
  // No helper there: said, never an empty page.
  EXPECT_THROW((void)mk::kiosk::render_slip(dir_ / "no-such-helper", words, {}),
               std::runtime_error);
  mk::devices::CupsPrinter printer(spooler_->queue(), std::chrono::seconds(60));
  const auto out = printer.print(std::span(reinterpret_cast<const uint8_t*>(ps.data()), ps.size()),
                                 "application/postscript", "mynakiosk-slip");
  ASSERT_TRUE(out.ok()) << out.detail << "\n" << spooler_->log();
  const std::string text = pdf_text(the_pdf());
  EXPECT_THAT(text, HasSubstr(squeezed("Myna Portal linkage: next steps")));
  EXPECT_THAT(text, HasSubstr(squeezed("at 10:45 or later (about 30 minutes after submitting)")));
  EXPECT_THAT(text,
              HasSubstr(squeezed("② Log in to the Myna Portal (user certificate PIN: 4 digits)")));
}

TEST_F(SlipPrint, APausedPrinterTimesOutAndItsJobIsCancelled) {
  spooler_->pause();
  const std::string ps = "%!PS\nshowpage\n";
  mk::devices::CupsPrinter printer(spooler_->queue(), std::chrono::seconds(3));
  const auto out = printer.print(std::span(reinterpret_cast<const uint8_t*>(ps.data()), ps.size()),
                                 "application/postscript", "mynakiosk-slip");
  EXPECT_EQ(out.kind, mk::devices::PrintOutcome::Kind::timed_out) << out.detail;
  EXPECT_STREQ(out.code(), "timeout");
  // Not left to print for the next person when the printer comes back.
  EXPECT_EQ(spooler_->lp("lpstat -o " + spooler_->queue()).output, "");
  EXPECT_TRUE(spooler_->pdfs().empty());
}

TEST_F(SlipPrint, TheHealthCheckSaysWhetherThePrinterIsReady) {
  const mk::kiosk::StorePaths store{dir_ / "store", dir_ / "store.key", "configured"};
  const auto attention_codes = [](const nlohmann::json& report) {
    std::vector<std::string> codes;
    for (const auto& a : report.at("attention")) {
      codes.push_back(a.at("code").get<std::string>());
    }
    return codes;
  };
  auto report = mk::kiosk::health_report(store, mk::offline_cache::system_now(), spooler_->queue());
  EXPECT_EQ(report.at("printer").at("state"), "idle") << report.dump(2);
  EXPECT_EQ(report.at("printer").at("accepting"), true);
  EXPECT_THAT(attention_codes(report), Not(::testing::Contains("MK-PRINTER-NOT-READY")));
  // Paper out, paused by staff: someone must act before the next person asks for a slip.
  spooler_->pause();
  report = mk::kiosk::health_report(store, mk::offline_cache::system_now(), spooler_->queue());
  EXPECT_EQ(report.at("printer").at("state"), "stopped");
  EXPECT_THAT(attention_codes(report), ::testing::Contains("MK-PRINTER-NOT-READY"));
  report = mk::kiosk::health_report(store, mk::offline_cache::system_now(), "NO-SUCH-QUEUE");
  EXPECT_EQ(report.at("printer").at("exists"), false);
  EXPECT_THAT(attention_codes(report), ::testing::Contains("MK-PRINTER-NOT-READY"));
  EXPECT_TRUE(
      mk::kiosk::health_report(store, mk::offline_cache::system_now()).at("printer").is_null())
      << "no printer configured: nothing to say";
}

TEST_F(SlipPrint, AnUnknownQueueIsRefused) {
  const std::string ps = "%!PS\nshowpage\n";
  mk::devices::CupsPrinter printer("NO-SUCH-QUEUE", std::chrono::seconds(3));
  const auto out = printer.print(std::span(reinterpret_cast<const uint8_t*>(ps.data()), ps.size()),
                                 "application/postscript", "mynakiosk-slip");
  EXPECT_EQ(out.kind, mk::devices::PrintOutcome::Kind::refused) << out.detail;
  EXPECT_FALSE(out.detail.empty());
}

}  // namespace
