#include "kiosk/config/config.hpp"

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace mk::kiosk {
namespace {

using ::testing::HasSubstr;

ConfigError only_error(const std::string& toml) {
  const ConfigResult result = parse_config(toml);
  EXPECT_FALSE(result.config.has_value()) << toml;
  EXPECT_EQ(result.errors.size(), 1U) << toml;
  return result.errors.empty() ? ConfigError{} : result.errors.front();
}

TEST(Config, EmptyFileGivesTheDefaults) {
  const ConfigResult result = parse_config("");
  ASSERT_TRUE(result.config);
  EXPECT_EQ(result.config->display.width, 1920);
  EXPECT_EQ(result.config->display.height, 1080);
  EXPECT_EQ(result.config->display.mode, WindowMode::window);
  EXPECT_EQ(result.config->kiosk.default_language, flows::Language::ja);
}

TEST(Config, AGoodFileSetsEveryKey) {
  const ConfigResult result = parse_config(R"(
[display]
width = 1280
height = 1024
mode = "kiosk"
text_scale = 1.5

[kiosk]
terminal_id = "TOKYO-FUCHU-07"
default_language = "en"

[session]
idle_timeout_s = 120

[log]
level = "debug"
journal = "off"

[center]
mode = "remote"
url = "https://center.example.jp:8443/api"
ca_file = "/etc/mynakiosk/centre-ca.pem"
client_cert = "/etc/mynakiosk/kiosk.pem"
client_key = "/etc/mynakiosk/kiosk-key.pem"
connect_timeout_s = 3
request_timeout_s = 30

[cards]
mode = "readers"
license_ca_file = "/etc/mynakiosk/license-ca.pem"

[store]
dir = "/var/lib/mynakiosk"
key_file = "/etc/mynakiosk/store.key"

[simulation]
dir = "/var/tmp/mynakiosk-world"

[ui]
font_family = "Noto Sans CJK JP"
assets_dir = "/usr/share/mynakiosk"
)");
  ASSERT_TRUE(result.config) << (result.errors.empty() ? "" : result.errors[0].to_string("t"));
  const Config& c = *result.config;
  EXPECT_EQ(c.display.width, 1280);
  EXPECT_EQ(c.display.height, 1024);
  EXPECT_EQ(c.display.mode, WindowMode::kiosk);
  EXPECT_DOUBLE_EQ(c.display.text_scale, 1.5);
  EXPECT_EQ(c.kiosk.terminal_id, "TOKYO-FUCHU-07");
  EXPECT_EQ(c.kiosk.default_language, flows::Language::en);
  EXPECT_EQ(c.session.idle_timeout_s, 120);
  EXPECT_EQ(c.log.level, LogLevel::debug);
  EXPECT_EQ(c.log.journal, JournalMode::off);
  EXPECT_EQ(c.ui.assets_dir, "/usr/share/mynakiosk");
  EXPECT_EQ(c.center.mode, CenterMode::remote);
  EXPECT_EQ(c.center.url, "https://center.example.jp:8443/api");
  EXPECT_EQ(c.center.ca_file, "/etc/mynakiosk/centre-ca.pem");
  EXPECT_EQ(c.center.client_cert, "/etc/mynakiosk/kiosk.pem");
  EXPECT_EQ(c.center.client_key, "/etc/mynakiosk/kiosk-key.pem");
  EXPECT_EQ(c.center.connect_timeout_s, 3);
  EXPECT_EQ(c.center.request_timeout_s, 30);
  EXPECT_EQ(c.cards.mode, CardsMode::readers);
  EXPECT_EQ(c.cards.license_ca_file, "/etc/mynakiosk/license-ca.pem");
  EXPECT_EQ(c.store.dir, "/var/lib/mynakiosk");
  EXPECT_EQ(c.store.key_file, "/etc/mynakiosk/store.key");
  EXPECT_EQ(c.simulation.dir, "/var/tmp/mynakiosk-world");
  EXPECT_EQ(parse_config("[simulation]\ndir = \"relative\"\n").errors.at(0).key, "simulation.dir");
}

TEST(Config, TheCentreDefaultsToTheBuiltInSimulator) {
  const ConfigResult result = parse_config("");
  ASSERT_TRUE(result.config);
  EXPECT_EQ(result.config->center.mode, CenterMode::simulator);
}

TEST(Config, ARemoteCentreNeedsItsUrlAndEveryTlsFile) {
  const ConfigResult result = parse_config("[center]\nmode = \"remote\"\nca_file = \"/ca.pem\"\n");
  EXPECT_FALSE(result.config.has_value());
  std::vector<std::string> keys;
  for (const auto& e : result.errors) {
    keys.push_back(e.key);
    EXPECT_THAT(e.reason, HasSubstr("remote"));
  }
  EXPECT_THAT(keys, ::testing::UnorderedElementsAre("center.url", "center.client_cert",
                                                    "center.client_key"));
}

// A pretend day belongs to a simulated world: virtual cards beside a centre simulator in its own
// process (the soak) may have one; a kiosk on a real centre with real readers may not.
TEST(Config, APretendDayOnlyInASimulatedWorld) {
  const std::string remote =
      "[center]\nmode = \"remote\"\nurl = \"https://c.example.jp\"\nca_file = \"/ca.pem\"\n"
      "client_cert = \"/k.pem\"\nclient_key = \"/k-key.pem\"\n"
      "[simulation]\ntoday = \"2026-11-27\"\n";
  const ConfigResult virtual_cards = parse_config(remote + "[cards]\nmode = \"virtual\"\n");
  ASSERT_TRUE(virtual_cards.config) << virtual_cards.errors.at(0).reason;
  EXPECT_EQ(virtual_cards.config->simulation.today, "2026-11-27");
  const ConfigError e =
      only_error(remote + "[cards]\nmode = \"readers\"\nlicense_ca_file = \"/la.pem\"\n");
  EXPECT_EQ(e.key, "simulation.today");
  EXPECT_THAT(e.reason, HasSubstr("simulated world"));
}

TEST(Config, RealReadersNeedTheLicenceAuthorityCa) {
  const ConfigError e = only_error("[cards]\nmode = \"readers\"\n");
  EXPECT_EQ(e.key, "cards.license_ca_file");
}

TEST(Config, ThePlainHttpCentreIsRefused) {
  const ConfigError e = only_error("[center]\nurl = \"http://center.example.jp\"\n");
  EXPECT_EQ(e.key, "center.url");
  EXPECT_THAT(e.reason, HasSubstr("https://"));
}

TEST(Config, TheRequestTimeoutMustOutlastTheConnectTimeout) {
  const ConfigError e = only_error("[center]\nconnect_timeout_s = 10\nrequest_timeout_s = 10\n");
  EXPECT_EQ(e.key, "center.request_timeout_s");
}

TEST(Config, ShippedExampleFileIsValid) {
  const ConfigResult result =
      load_config(std::filesystem::path(MK_SOURCE_DIR) / "assets/config/mynakiosk.toml");
  ASSERT_TRUE(result.config) << (result.errors.empty() ? "" : result.errors[0].to_string("t"));
}

TEST(Config, ThePrinterIsACupsQueueAndItsJobsHaveATimeLimit) {
  const auto result = parse_config("[printer]\nqueue = \"slips\"\njob_timeout_s = 20\n");
  ASSERT_TRUE(result.config);
  EXPECT_EQ(result.config->printer.queue, "slips");
  EXPECT_EQ(result.config->printer.job_timeout_s, 20);
  EXPECT_TRUE(parse_config("").config->printer.queue.empty()) << "no printer unless configured";
  EXPECT_EQ(only_error("[printer]\nqueue = \"a queue; rm\"\n").key, "printer.queue");
  EXPECT_EQ(only_error("[printer]\njob_timeout_s = 1\n").key, "printer.job_timeout_s");
}

TEST(Config, APinnedTimeOfDayNeedsAPinnedDay) {
  EXPECT_EQ(only_error("[simulation]\ntime = \"10:15\"\n").key, "simulation.time");
  EXPECT_EQ(only_error("[simulation]\ntoday = \"2026-11-27\"\ntime = \"25:00\"\n").key,
            "simulation.time");
  const auto ok = parse_config("[simulation]\ntoday = \"2026-11-27\"\ntime = \"10:15\"\n");
  ASSERT_TRUE(ok.config);
  EXPECT_EQ(ok.config->simulation.time, "10:15");
}

TEST(Config, IntegerOutOfRangeNamesKeyRangeAndValue) {
  const ConfigError e = only_error("[display]\nwidth = 99999\n");
  EXPECT_EQ(e.key, "display.width");
  EXPECT_EQ(e.line, 2);
  EXPECT_THAT(e.reason, HasSubstr("640 to 7680"));
  EXPECT_THAT(e.reason, HasSubstr("99999"));
  EXPECT_THAT(e.to_string("k.toml"),
              testing::MatchesRegex("k\\.toml:2:[0-9]+: display\\.width: .*"));
}

// fuzz_config found that a huge float for an integer key was converted with undefined behaviour.
TEST(Config, AHugeFloatForAWholeNumberIsAnError) {
  const ConfigError e = only_error("[display]\nheight = 1e80\n");
  EXPECT_EQ(e.key, "display.height");
  EXPECT_THAT(e.reason, HasSubstr("must be a whole number"));
}

TEST(Config, WrongTypeIsAnError) {
  EXPECT_EQ(only_error("[display]\nwidth = \"1920\"\n").key, "display.width");
  EXPECT_EQ(only_error("[display]\nwidth = 1920.5\n").key, "display.width");
  EXPECT_EQ(only_error("[session]\nidle_timeout_s = true\n").key, "session.idle_timeout_s");
  EXPECT_EQ(only_error("[display]\ntext_scale = \"big\"\n").key, "display.text_scale");
}

TEST(Config, DecimalOutOfRangeIsAnError) {
  EXPECT_THAT(only_error("[display]\ntext_scale = 0.5\n").reason, HasSubstr("1 to 2"));
  EXPECT_THAT(only_error("[display]\ntext_scale = 3\n").reason, HasSubstr("(got 3)"));
}

TEST(Config, EnumListsTheAllowedValues) {
  const ConfigError e = only_error("[kiosk]\ndefault_language = \"fr\"\n");
  EXPECT_EQ(e.key, "kiosk.default_language");
  EXPECT_THAT(e.reason, HasSubstr("\"ja\", \"en\""));
  EXPECT_THAT(e.reason, HasSubstr("\"fr\""));
  EXPECT_EQ(only_error("[display]\nmode = \"fullscreen\"\n").key, "display.mode");
  EXPECT_EQ(only_error("[log]\nlevel = \"verbose\"\n").key, "log.level");
  EXPECT_EQ(only_error("[log]\njournal = \"yes\"\n").key, "log.journal");
}

TEST(Config, PatternedStringsAreChecked) {
  EXPECT_EQ(only_error("[kiosk]\nterminal_id = \"kiosk 1\"\n").key, "kiosk.terminal_id");
  EXPECT_EQ(only_error("[kiosk]\nterminal_id = \"\"\n").key, "kiosk.terminal_id");
  EXPECT_EQ(only_error("[ui]\nassets_dir = \"relative/path\"\n").key, "ui.assets_dir");
  // A path or a font name is one line, of a bounded length.
  EXPECT_EQ(only_error("[store]\ndir = \"/var/lib/a\\nb\"\n").key, "store.dir");
  EXPECT_EQ(only_error("[store]\ndir = \"/" + std::string(4001, 'a') + "\"\n").key, "store.dir");
  EXPECT_EQ(only_error("[ui]\nfont_family = \"\"\n").key, "ui.font_family");
  EXPECT_EQ(only_error("[ui]\nfont_family = \"" + std::string(101, 'N') + "\"\n").key,
            "ui.font_family");
  EXPECT_EQ(only_error("[ui]\nfont_family = \"Noto\\rSans\"\n").key, "ui.font_family");
}

TEST(Config, EachReadersPlaceIsOneOfFive) {
  EXPECT_EQ(parse_config("").config->cards.my_number_reader, flows::ReaderPlace::below_left);
  EXPECT_EQ(parse_config("").config->cards.license_reader, flows::ReaderPlace::below_right);
  const ConfigResult r =
      parse_config("[cards]\nmy_number_reader = \"left\"\nlicense_reader = \"below-centre\"\n");
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->cards.my_number_reader, flows::ReaderPlace::left);
  EXPECT_EQ(r.config->cards.license_reader, flows::ReaderPlace::below_centre);
  const ConfigError e = only_error("[cards]\nlicense_reader = \"under\"\n");
  EXPECT_EQ(e.key, "cards.license_reader");
  EXPECT_THAT(e.reason, HasSubstr("\"below-centre\""));
}

TEST(Config, LongestAllowedPathAndNameAreAccepted) {
  const std::string longest = "/" + std::string(4000, 'a');
  const ConfigResult r = parse_config("[store]\ndir = \"" + longest + "\"\n[ui]\nfont_family = \"" +
                                      std::string(100, 'N') + "\"\n");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0].to_string("test"));
  EXPECT_EQ(r.config->store.dir, longest);
}

TEST(Config, UnknownKeysAndSectionsAreErrorsNotSilentlyIgnored) {
  EXPECT_THAT(only_error("[display]\nwidht = 1920\n").reason, HasSubstr("unknown key"));
  EXPECT_EQ(only_error("[display]\nwidht = 1920\n").key, "display.widht");
  EXPECT_THAT(only_error("[sesion]\nidle_timeout_s = 60\n").reason, HasSubstr("unknown section"));
  EXPECT_THAT(only_error("display = 3\n").reason, HasSubstr("must be a section"));
}

TEST(Config, EveryProblemIsReportedAtOnce) {
  const ConfigResult result =
      parse_config("[display]\nwidth = 1\nheight = 1\n[kiosk]\ndefault_language = \"xx\"\n");
  ASSERT_EQ(result.errors.size(), 3U);
  EXPECT_FALSE(result.config);
}

TEST(Config, SyntaxErrorGivesLineAndColumn) {
  const ConfigError e = only_error("[display]\nwidth = = 3\n");
  EXPECT_TRUE(e.key.empty());
  EXPECT_EQ(e.line, 2);
  EXPECT_GT(e.column, 0);
  EXPECT_THAT(e.reason, HasSubstr("not valid TOML"));
}

TEST(Config, MissingFileIsAnErrorNotDefaults) {
  const ConfigResult result = load_config("/nonexistent/mynakiosk.toml");
  EXPECT_FALSE(result.config);
  ASSERT_EQ(result.errors.size(), 1U);
  EXPECT_THAT(result.errors[0].reason, HasSubstr("does not exist"));
}

// Issue 15, fail closed: a directory opens as a stream that reads nothing, which once passed as
// a configuration of all defaults (the built-in simulator on a real kiosk).
TEST(Config, ADirectoryIsAnErrorNotDefaults) {
  const ConfigResult result = load_config(std::filesystem::temp_directory_path());
  EXPECT_FALSE(result.config);
  ASSERT_EQ(result.errors.size(), 1U);
  EXPECT_THAT(result.errors[0].reason, HasSubstr("not a regular file"));
}

TEST(Config, AnUnreadableFileIsAnError) {
  if (::geteuid() == 0) {
    GTEST_SKIP() << "root reads any file";
  }
  const auto file = std::filesystem::temp_directory_path() / "mk-unreadable.toml";
  std::ofstream(file) << "[kiosk]\n";
  std::filesystem::permissions(file, std::filesystem::perms::none);
  const ConfigResult result = load_config(file);
  std::filesystem::remove(file);
  EXPECT_FALSE(result.config);
}

}  // namespace
}  // namespace mk::kiosk
