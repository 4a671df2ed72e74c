// The one secret buffer (base/secret_bytes.hpp): moved not copied, wiped, its pages excluded from
// core dumps and locked in RAM.
#include "base/secret_bytes.hpp"

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace mk::base {
namespace {

// The VmFlags of the mapping holding `address` in /proc/self/smaps ("rd wr mr mw me dd lo ...").
std::string vm_flags_of(const void* address) {
  std::ifstream smaps("/proc/self/smaps");
  const auto at = reinterpret_cast<uintptr_t>(address);
  bool inside = false;
  for (std::string line; std::getline(smaps, line);) {
    uintptr_t from = 0;
    uintptr_t to = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> from >> dash >> to && dash == '-') {
      inside = from <= at && at < to;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line;
    }
  }
  return "";
}

TEST(SecretBytes, TypedInPlaceAndRevealedOnce) {
  SecretBytes pin;
  for (const char c : std::string("48210")) {
    pin.push_back(c);
  }
  pin.pop_back();
  EXPECT_EQ(pin.reveal(), "4821");
  EXPECT_EQ(pin.size(), 4U);
  pin.clear();
  EXPECT_TRUE(pin.empty());
}

TEST(SecretBytes, AMoveHandsTheBlockOverAndLeavesTheSourceEmpty) {
  SecretBytes a(std::string_view("secret"));
  const uint8_t* block = a.bytes().data();
  SecretBytes b(std::move(a));
  EXPECT_EQ(b.bytes().data(), block) << "the same block, not a copy";
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): what a move leaves is the point
  SecretBytes c;
  c = std::move(b);
  EXPECT_EQ(c.reveal(), "secret");
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
}

TEST(SecretBytes, ItsPagesAreExcludedFromDumpsAndLocked) {
  SecretBytes key(std::string_view("0123456789abcdef"));
  const std::string flags = vm_flags_of(key.bytes().data());
  ASSERT_FALSE(flags.empty()) << "no mapping found for the buffer";
  EXPECT_NE(flags.find(" dd"), std::string::npos) << flags;
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer's mlock interceptor does nothing (and reports success): not locked there.
#else
  if (secret_lock_failures() == 0) {
    EXPECT_NE(flags.find(" lo"), std::string::npos) << flags;
  }
#endif
}

TEST(SecretBytes, ResizeWipesWhatItDropsAndKeepsTheRest) {
  SecretBytes b(std::string_view("abcdef"));
  b.resize(3);
  EXPECT_EQ(b.reveal(), "abc");
  b.resize(5);
  EXPECT_EQ(b.size(), 5U);
  EXPECT_EQ(b.bytes()[3], 0);
  EXPECT_EQ(b.reveal().substr(0, 3), "abc");
}

TEST(Wipe, ZeroesEveryByte) {
  uint8_t bytes[8];
  std::memset(bytes, 0x5A, sizeof bytes);
  wipe(bytes);
  for (const uint8_t b : bytes) {
    EXPECT_EQ(b, 0);
  }
}

}  // namespace
}  // namespace mk::base
