// The centre's test TLS world: the server and kiosk certificates chain to the centre CA and not
// to the rogue CA (and the rogue ones the other way round); a second call reuses the files.
#include "center/sim/test_tls.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

namespace {

namespace fs = std::filesystem;
using mk::center::sim::ensure_test_tls;

// Sized read rather than istreambuf_iterator, which GCC 12 -O2 flags (-Wnull-dereference).
std::string slurp(const fs::path& f) {
  std::ifstream in(f, std::ios::binary);
  std::string out(fs::file_size(f), '\0');
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  return out;
}

X509* load(const fs::path& f) {
  FILE* fp = std::fopen(f.c_str(), "rb");
  if (fp == nullptr) {
    return nullptr;
  }
  X509* c = PEM_read_X509(fp, nullptr, nullptr, nullptr);
  (void)std::fclose(fp);
  return c;
}

// 1 when `leaf` chains to `ca` for `purpose`.
int verifies(const fs::path& ca, const fs::path& leaf, int purpose) {
  X509_STORE* store = X509_STORE_new();
  X509* ca_cert = load(ca);
  X509_STORE_add_cert(store, ca_cert);
  X509* leaf_cert = load(leaf);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, leaf_cert, nullptr);
  X509_STORE_CTX_set_purpose(ctx, purpose);
  const int ok = X509_verify_cert(ctx);
  X509_STORE_CTX_free(ctx);
  X509_free(leaf_cert);
  X509_free(ca_cert);
  X509_STORE_free(store);
  return ok;
}

class TestTlsWorld : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) / ("center-tls-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(TestTlsWorld, EachLeafChainsToItsOwnCaOnly) {
  const auto t = ensure_test_tls(dir_);
  EXPECT_EQ(verifies(t.ca_cert, t.server_cert, X509_PURPOSE_SSL_SERVER), 1);
  EXPECT_EQ(verifies(t.ca_cert, t.client_cert, X509_PURPOSE_SSL_CLIENT), 1);
  EXPECT_EQ(verifies(t.rogue_ca_cert, t.rogue_server_cert, X509_PURPOSE_SSL_SERVER), 1);
  EXPECT_NE(verifies(t.ca_cert, t.rogue_server_cert, X509_PURPOSE_SSL_SERVER), 1);
  EXPECT_NE(verifies(t.ca_cert, t.rogue_client_cert, X509_PURPOSE_SSL_CLIENT), 1);
  EXPECT_NE(verifies(t.rogue_ca_cert, t.client_cert, X509_PURPOSE_SSL_CLIENT), 1);
  // A client certificate is not a server certificate.
  EXPECT_NE(verifies(t.ca_cert, t.client_cert, X509_PURPOSE_SSL_SERVER), 1);
}

TEST_F(TestTlsWorld, KeysAreOwnerOnlyAndASecondCallReusesTheFiles) {
  const auto first = ensure_test_tls(dir_);
  struct stat st {};
  ASSERT_EQ(::stat(first.client_key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  const std::string ca = slurp(first.ca_cert);
  const auto second = ensure_test_tls(dir_);
  EXPECT_EQ(slurp(second.ca_cert), ca);
}

TEST_F(TestTlsWorld, AMissingFileMakesANewSet) {
  const auto first = ensure_test_tls(dir_);
  const std::string ca = slurp(first.ca_cert);
  fs::remove(first.server_key);
  const auto second = ensure_test_tls(dir_);
  EXPECT_NE(slurp(second.ca_cert), ca);
  EXPECT_EQ(verifies(second.ca_cert, second.server_cert, X509_PURPOSE_SSL_SERVER), 1);
}

}  // namespace
