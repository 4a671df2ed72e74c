// The secret scanner the leak tests rely on must find a secret in each form it claims to, and
// must not cry wolf over a PIN's digits inside a longer number.
#include "tests/support/secret_scan.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace mk::test {
namespace {

namespace fs = std::filesystem;

class SecretScan : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) / ("scan-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "sub");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& data) {
    std::ofstream(dir_ / name, std::ios::binary) << data;
    return dir_ / name;
  }
  std::vector<std::string> forms_found(const std::string& data, const Secret& secret) {
    const auto file = write("f.bin", data);
    std::vector<std::string> forms;
    for (const auto& hit : scan_for_secrets({file}, {secret})) {
      forms.push_back(hit.form);
    }
    return forms;
  }
  fs::path dir_;
};

TEST_F(SecretScan, FindsEachForm) {
  const Secret my_number{"mn", "123456789018"};
  EXPECT_THAT(forms_found("x 123456789018 y", my_number), ::testing::ElementsAre("ascii"));
  EXPECT_THAT(forms_found(std::string("a\x12\x34\x56\x78\x90\x18z", 8), my_number),
              ::testing::ElementsAre("bcd"));
  EXPECT_THAT(forms_found("313233343536373839303138", my_number), ::testing::ElementsAre("hex"));
  EXPECT_THAT(
      forms_found(std::string("1\0002\0003\0004\0005\0006\0007\0008\0009\0000\0001\0008\000", 24),
                  my_number),
      ::testing::ElementsAre("utf16le"));
  const Secret sign_pin{"pin", "YAMADA2025"};
  // base64 of "YAMADA2025" with one and two unknown bytes in front.
  EXPECT_THAT(forms_found("..WllBTUFEQTIwMjU=..", sign_pin), ::testing::Contains("base64"));
  EXPECT_THAT(forms_found("{\"k\":\"IFlBTUFEQTIwMjU=\"}", sign_pin), ::testing::Contains("base64"));
}

TEST_F(SecretScan, AShortPinInsideALongerNumberIsNotAHit) {
  const Secret pin{"pin", "4321"};
  EXPECT_THAT(forms_found("seq=143210 at 2026-11-27T04:32:10", pin), ::testing::IsEmpty());
  EXPECT_THAT(forms_found("pin=4321;", pin), ::testing::ElementsAre("ascii"));
  // Inside a random hex id (an idempotency key in a log line) it is chance, not a leak.
  EXPECT_THAT(forms_found("kept holding-form 217D4A0219BDDEF683408CEE64B4321E", pin),
              ::testing::IsEmpty());
  EXPECT_THAT(forms_found("PIN 4321 typed", pin), ::testing::ElementsAre("ascii"));
}

TEST_F(SecretScan, ScansEveryFileUnderAFolderAndReportsLabelsNotValues) {
  write("sub/log.txt", "clean\n");
  write("sub/db.sqlite", "xx 9876 yy");
  const auto hits = scan_for_secrets(files_under(dir_), {{"license PIN", "9876"}});
  ASSERT_EQ(hits.size(), 1U);
  EXPECT_EQ(hits[0].file.filename(), "db.sqlite");
  EXPECT_EQ(hits[0].secret_label, "license PIN");
  EXPECT_EQ(hits[0].offset, 3U);
}

TEST_F(SecretScan, KnowsEveryFixturesMyNumberAndPins) {
  const auto secrets = fixture_secrets(fs::path(MK_SOURCE_DIR) / "devices/sim/fixtures");
  std::vector<std::string> labels;
  labels.reserve(secrets.size());
  for (const auto& s : secrets) {
    labels.push_back(s.label);
  }
  EXPECT_THAT(labels, ::testing::Contains("yamada-taro My Number"));
  EXPECT_THAT(labels, ::testing::Contains("yamada-taro jpki_sign PIN"));
  EXPECT_THAT(labels, ::testing::Contains("suzuki-hanako My Number"));
  EXPECT_GE(secrets.size(), 8U);
}

}  // namespace
}  // namespace mk::test
