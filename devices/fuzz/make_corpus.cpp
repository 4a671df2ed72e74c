// Writes the seed corpus of every fuzz target (devices/fuzz/corpus/<target>/) from the virtual
// cards' own file builders and fixtures, so the seeds are valid card files of today's layouts.
// Not part of the build: `cmake --build --preset fuzz --target fuzz_make_corpus`, then
//   build/fuzz/devices/fuzz/fuzz_make_corpus devices/fuzz/corpus devices/sim/fixtures <pki dir>
// The license authority CA it creates is copied next to the corpus (license-ca.pem) for
// fuzz_card_answers. Re-running it changes the signatures (new keys): commit what it wrote.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "base/secret_bytes.hpp"
#include "devices/apdu/bytes.hpp"
#include "devices/apdu/command.hpp"
#include "devices/profile/card_profile.hpp"
#include "devices/sim/cards.hpp"
#include "devices/sim/encoding.hpp"
#include "devices/sim/fixture.hpp"
#include "devices/sim/pki.hpp"

namespace fs = std::filesystem;
using namespace mk::devices;
using namespace mk::devices::sim;

namespace {

fs::path g_root;

void write(const std::string& target, const std::string& name, const Bytes& bytes) {
  const fs::path dir = g_root / target;
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

Bytes text(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) {
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

Bytes ok(const Bytes& data) {
  return cat({data, {0x90, 0x00}});
}

// fuzz_card_answers input: the operation byte, then each answer with a 2-byte length.
Bytes answers(uint8_t operation, std::initializer_list<Bytes> list) {
  Bytes out = {operation};
  for (const Bytes& a : list) {
    out.push_back(static_cast<uint8_t>(a.size() >> 8));
    out.push_back(static_cast<uint8_t>(a.size()));
    out.insert(out.end(), a.begin(), a.end());
  }
  return out;
}

Bytes prefixed(uint8_t first, const Bytes& rest) {
  return cat({{first}, rest});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    static_cast<void>(
        std::fprintf(stderr, "usage: %s <corpus dir> <fixtures dir> <pki cache dir>\n", argv[0]));
    return 2;
  }
  g_root = argv[1];
  const fs::path fixtures = argv[2];
  PkiCache pki(argv[3]);
  const LicenseAuthority authority = make_license_authority(pki);
  fs::copy_file(pki.dir() / "license-ca.pem", g_root.parent_path() / "license-ca.pem",
                fs::copy_options::overwrite_existing);

  const Person taro = load_person(fixtures / "yamada-taro.toml", today_in_japan());
  const Person hanako = load_person(fixtures / "suzuki-hanako.toml", today_in_japan());

  // tlv
  write("fuzz_tlv", "basic4", basic4_file(taro));
  write("fuzz_tlv", "dl_entries", dl_entries(taro, *taro.license));
  write("fuzz_tlv", "der_header", {0x30, 0x82, 0x01, 0x00, 0x30, 0x81, 0x80});
  write("fuzz_tlv", "lengths", {0xC0, 0x81, 0x01, 0x41, 0xC1, 0x82, 0x00, 0x01, 0x31, 0xFF, 0xFF});

  // dates
  for (const char* d : {"5060401", "4310430", "1010101", "3640107", "2150101"}) {
    write("fuzz_dates", std::string("era_") + d, text(d));
  }
  write("fuzz_dates", "yyyymmdd", text("19850412"));
  write("fuzz_dates", "bcd", {0x20, 0x24, 0x02, 0x29});
  write("fuzz_dates", "ints", {0, 0, 0x07, 0xE8, 0, 0, 0, 2, 0, 0, 0, 29});

  // jisx0208
  write("fuzz_jisx0208", "name", jis_x0208("山田太郎"));
  write("fuzz_jisx0208", "color", jis_x0208("優良"));
  write("fuzz_jisx0208", "address", jis_x0208("東京都千代田区霞が関二丁目１番"));
  write("fuzz_jisx0208", "utf8", text("東京都公安委員会"));

  // basic4
  write("fuzz_basic4", "taro", basic4_file(taro));
  write("fuzz_basic4", "hanako", basic4_file(hanako));

  // dl_entries (all four DL parsers read the same input)
  write("fuzz_dl_entries", "entries", dl_entries(taro, *taro.license));
  write("fuzz_dl_entries", "common_data", dl_common_data(*taro.license));
  write("fuzz_dl_entries", "pin_setting", {0x05, 0x01, 0x01});
  write("fuzz_dl_entries", "honseki", dl_honseki(*taro.license));

  // license_record
  const Bytes wef01 = license_ap_wef01(2);
  const Bytes wef02 = license_ap_wef02(*taro.license_ap);
  const Bytes wef04 = license_ap_wef04(taro);
  const Bytes wef03 = license_ap_wef03(wef02, wef04, authority);
  write("fuzz_license_record", "taro", wef02);
  for (const char* id : {"tanaka-jiro", "sato-ichiro"}) {
    const Person p = load_person(fixtures / (std::string(id) + ".toml"), today_in_japan());
    if (p.license_ap) {
      write("fuzz_license_record", id, license_ap_wef02(*p.license_ap));
    }
  }

  // license_files: first byte 0 WEF01, 1 WEF04, 2 WEF03
  write("fuzz_license_files", "wef01", prefixed(0, wef01));
  write("fuzz_license_files", "wef01_writing", prefixed(0, license_ap_wef01(1)));
  write("fuzz_license_files", "wef04", prefixed(1, wef04));
  write("fuzz_license_files", "wef03", prefixed(2, wef03));

  // jpeg2000
  write("fuzz_jpeg2000", "portrait_1k", portrait_j2k(1, 1024));
  write("fuzz_jpeg2000", "portrait_4k", portrait_j2k(2, 4096));

  // apdu
  write("fuzz_apdu", "select_aid", Command::select_aid(profile::kJpkiAid).encode());
  write("fuzz_apdu", "read_binary_ext", Command::read_binary_sfi(2, 0, kMaxExtendedLe).encode());
  write("fuzz_apdu", "read_binary", Command::read_binary(0x0100, 256).encode());
  write("fuzz_apdu", "verify_status", Command::verify_status(0x86).encode());
  write("fuzz_apdu", "sign", Command::compute_signature(0x9A, Bytes(51, 0x30)).encode());
  write("fuzz_apdu", "response", ok(text("0123")));
  write("fuzz_apdu", "wrong_pin", {0x63, 0xC2});

  // card_answers (see fuzz_card_answers.cpp for the operations)
  const Bytes sw_ok = {0x90, 0x00};
  const Bytes cert = authority.signer.der;
  const Bytes b4 = basic4_file(taro);
  write("fuzz_card_answers", "basic4", answers(0, {sw_ok, ok(b4)}));
  write("fuzz_card_answers", "basic4_short_reads",
        answers(0, {sw_ok, {0x67, 0x00}, ok(b4), {0x6B, 0x00}}));
  write("fuzz_card_answers", "auth_cert", answers(1, {sw_ok, ok(cert)}));
  write("fuzz_card_answers", "sign_cert_short_reads",
        answers(2, {sw_ok,
                    {0x6A, 0x86},
                    ok(Bytes(cert.begin(), cert.begin() + 256)),
                    ok(Bytes(cert.begin() + 256, cert.end()))}));
  write("fuzz_card_answers", "license",
        answers(3, {sw_ok, ok(wef01), ok(wef02), ok(wef04), ok(wef03)}));
  write("fuzz_card_answers", "dl_entries",
        answers(4, {sw_ok, ok(dl_entries(taro, *taro.license))}));
  write("fuzz_card_answers", "dl_common",
        answers(5, {sw_ok, ok(dl_common_data(*taro.license)), sw_ok, ok({0x05, 0x01, 0x01})}));
  write("fuzz_card_answers", "dl_honseki", answers(6, {sw_ok, ok(dl_honseki(*taro.license))}));
  write("fuzz_card_answers", "dl_photo", answers(7, {sw_ok, ok(wef04)}));
  write("fuzz_card_answers", "license_pin", answers(8, {sw_ok, ok(wef01), {0x63, 0xCA}}));
  write("fuzz_card_answers", "jpki",
        answers(9, {sw_ok, {0x63, 0xC3}, sw_ok, {0x63, 0xC3}, sw_ok, ok(authority.ca.der)}));
  return 0;
}
