// The issuer's primitives: AES-CMAC against NIST SP 800-38B, the key diversification against the
// doc, and the master key file.

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "center/issuer/crypto.hpp"
#include "center/issuer/master_keys.hpp"
#include "center/issuer/scp03_host.hpp"
#include "tests/center/scp03_card_double.hpp"
#include "tests/center/test_keys.hpp"

namespace mk::center::issuer {
namespace {

using test::aes_key;
using tests::card_double::hex;

Bytes bytes_of(const Block& block) {
  return Bytes(block.begin(), block.end());
}

// NIST SP 800-38B, Appendix D.1 (AES-128).
TEST(AesCmac, NistSp800_38bAes128Vectors) {
  const AesKey key = aes_key("2b7e151628aed2a6abf7158809cf4f3c");
  const Bytes message =
      hex("6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51"
          "30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710");
  const auto first = [&](size_t n) { return std::span<const uint8_t>(message).first(n); };
  EXPECT_EQ(bytes_of(aes_cmac(key, first(0))), hex("bb1d6929e95937287fa37d129b756746"));
  EXPECT_EQ(bytes_of(aes_cmac(key, first(16))), hex("070a16b46b4d4144f79bdd9dd04a287c"));
  EXPECT_EQ(bytes_of(aes_cmac(key, first(40))), hex("dfa66747de9ae63030ca32611497c827"));
  EXPECT_EQ(bytes_of(aes_cmac(key, first(64))), hex("51f0bebf7e3b9d92fc49741779363cfe"));
}

// FIPS 197 Appendix C.1: the ECB block primitive.
TEST(AesEcb, Fips197Vector) {
  const AesKey key = aes_key("000102030405060708090a0b0c0d0e0f");
  Block in{};
  const Bytes plain = hex("00112233445566778899aabbccddeeff");
  std::copy(plain.begin(), plain.end(), in.begin());
  EXPECT_EQ(bytes_of(aes_ecb_encrypt_block(key, in)), hex("69c4e0d86a7b0430d8cdb78070b4c55a"));
}

TEST(DeriveCardKeys, IsCmacOfLabelAndDivData) {
  const MasterKeys master(aes_key("404142434445464748494a4b4c4d4e4f"),
                          aes_key("505152535455565758595a5b5c5d5e5f"),
                          aes_key("606162636465666768696a6b6c6d6e6f"));
  const Bytes div = hex("4d4b0102030405060708");  // "MK" + 8 bytes
  const CardKeys card = derive_card_keys(master, div);
  const Bytes input = hex("4d4b2d5343503033 2d444956 4d4b0102030405060708");  // "MK-SCP03-DIV"
  EXPECT_EQ(bytes_of(card.enc), tests::card_double::cmac(bytes_of(master.enc), input));
  EXPECT_EQ(bytes_of(card.mac), tests::card_double::cmac(bytes_of(master.mac), input));
  EXPECT_EQ(bytes_of(card.dek), tests::card_double::cmac(bytes_of(master.dek), input));
  EXPECT_NE(card.enc, card.mac);
  EXPECT_THROW(derive_card_keys(master, hex("4d4b01020304050607")), IssuerError);
}

TEST(Scp03Kdf, FollowsAmendmentDLayout) {
  const AesKey key = aes_key("000102030405060708090a0b0c0d0e0f");
  const Bytes context = hex("1111111111111111 2222222222222222");
  // label 00×11, constant, 00, L, i = 01, context
  const Bytes input128 =
      hex("0000000000000000000000 06 00 0080 01 11111111111111112222222222222222");
  EXPECT_EQ(scp03::kdf(key, 0x06, context, 128), tests::card_double::cmac(bytes_of(key), input128));
  const Bytes input64 =
      hex("0000000000000000000000 00 00 0040 01 11111111111111112222222222222222");
  Bytes expected64 = tests::card_double::cmac(bytes_of(key), input64);
  expected64.resize(8);
  EXPECT_EQ(scp03::kdf(key, 0x00, context, 64), expected64);
  EXPECT_THROW(scp03::kdf(key, 0x00, context, 192), IssuerError);
}

class MasterKeyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mk-issuer-keys-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path write(const std::string& content) {
    auto path = dir_ / "issuer-master-keys.json";
    std::ofstream(path) << content;
    return path;
  }

  // The message of the IssuerError load_master_keys throws.
  std::string error_of(const std::filesystem::path& path) {
    try {
      load_master_keys(path);
    } catch (const IssuerError& e) {
      return e.what();
    }
    return "(no error)";
  }

  std::filesystem::path dir_;
};

TEST_F(MasterKeyFile, LoadsTheThreeKeys) {
  const auto path =
      write(R"({"enc":"404142434445464748494a4b4c4d4e4f","mac":"505152535455565758595A5B5C5D5E5F",)"
            R"("dek":"606162636465666768696a6b6c6d6e6f"})");
  const MasterKeys keys = load_master_keys(path);
  EXPECT_EQ(keys.enc, aes_key("404142434445464748494a4b4c4d4e4f"));
  EXPECT_EQ(keys.mac, aes_key("505152535455565758595a5b5c5d5e5f"));
  EXPECT_EQ(keys.dek, aes_key("606162636465666768696a6b6c6d6e6f"));
}

TEST_F(MasterKeyFile, MissingFile) {
  const std::string e = error_of(dir_ / "absent.json");
  EXPECT_NE(e.find("absent.json"), std::string::npos) << e;
  EXPECT_NE(e.find("no such file"), std::string::npos) << e;
}

TEST_F(MasterKeyFile, Directory) {
  EXPECT_NE(error_of(dir_).find("not a regular file"), std::string::npos);
}

TEST_F(MasterKeyFile, TooLarge) {
  EXPECT_NE(error_of(write(std::string(5000, ' '))).find("too large"), std::string::npos);
}

TEST_F(MasterKeyFile, NotJson) {
  EXPECT_NE(error_of(write("{\"enc\": ")).find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_of(write("[1,2,3]")).find("not a JSON object"), std::string::npos);
}

TEST_F(MasterKeyFile, KeyMissing) {
  const std::string e = error_of(write(
      R"({"enc":"404142434445464748494a4b4c4d4e4f","mac":"505152535455565758595a5b5c5d5e5f"})"));
  EXPECT_NE(e.find("\"dek\" is missing"), std::string::npos) << e;
}

TEST_F(MasterKeyFile, BadKeyValues) {
  const std::string good = "404142434445464748494a4b4c4d4e4f";
  const auto with_mac = [&](const std::string& mac) {
    return write(R"({"enc":")" + good + R"(","mac":)" + mac + R"(,"dek":")" + good + R"("})");
  };
  std::string e = error_of(with_mac("\"5051\""));
  EXPECT_NE(e.find("\"mac\" is not 32 hex digits (4 characters)"), std::string::npos) << e;
  e = error_of(with_mac("\"505152535455565758595a5b5c5d5e5g\""));
  EXPECT_NE(e.find("\"mac\" is not 32 hex digits"), std::string::npos) << e;
  e = error_of(with_mac("12"));
  EXPECT_NE(e.find("\"mac\" is not a string"), std::string::npos) << e;
  e = error_of(write(R"({"enc":")" + good + R"(","mac":")" + good + R"(","dek":")" + good +
                     R"(","kvn":"30"})"));
  EXPECT_NE(e.find("unknown member \"kvn\""), std::string::npos) << e;
}

}  // namespace
}  // namespace mk::center::issuer
