// The state file (a blocked PIN stays blocked across card objects) and the vpcd link with its
// fault injection, against a fake vpcd reader driver on a loopback TCP port.

#include "devices/sim/runner.hpp"

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "devices/profile/card_profile.hpp"
#include "devices/sim/state.hpp"
#include "tests/sim/sim_support.hpp"

namespace mk::test {
namespace {

namespace prof = devices::profile;
using devices::sim::SimOptions;
using Clock = std::chrono::steady_clock;

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("mk-sim-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

SimOptions options(const std::string& card, const std::string& person) {
  SimOptions o;
  o.card = card;
  o.fixture = fixture(person);
  o.pki_cache = pki_cache();
  return o;
}

TEST(StateFile, BlockedPinStaysBlockedAcrossCardObjects) {
  const auto dir = temp_dir("state");
  SimOptions o = options("mynumber", "yamada-taro");
  o.state_file = dir / "card.json";
  {
    auto card = devices::sim::build_virtual_card(o);
    EXPECT_TRUE(std::filesystem::exists(o.state_file));  // written for a fresh card
    ASSERT_EQ(sw(tx(*card, select_aid(prof::kJpkiAid))), 0x9000);
    EXPECT_EQ(sw(tx(*card, verify(0x98, "0000"))), 0x63C2);
    EXPECT_EQ(sw(tx(*card, verify(0x98, "0000"))), 0x63C1);
    EXPECT_EQ(sw(tx(*card, verify(0x98, "0000"))), 0x63C0);
    EXPECT_EQ(sw(tx(*card, verify(0x9B, "WRONG1"))), 0x63C4);
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "card.json.tmp"));
  std::ifstream in(o.state_file);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["pins"]["jpki.auth"], 0);
  EXPECT_EQ(j["pins"]["jpki.sign"], 4);
  EXPECT_EQ(j["pins"]["license_ap"], 10);
  EXPECT_EQ(j["license_ap"]["record_state"], 2);
  EXPECT_EQ(j["card"], "mynumber");
  EXPECT_EQ(j["fixture"], "yamada-taro");

  auto again = devices::sim::build_virtual_card(o);
  ASSERT_EQ(sw(tx(*again, select_aid(prof::kJpkiAid))), 0x9000);
  EXPECT_EQ(sw(tx(*again, verify(0x98, ""))), 0x63C0);
  EXPECT_EQ(sw(tx(*again, verify(0x98, "1234"))), 0x6984);
  EXPECT_EQ(sw(tx(*again, verify(0x9B, ""))), 0x63C4);
  // A right PIN resets the counter, and that is saved too.
  EXPECT_EQ(sw(tx(*again, verify(0x9B, "YAMADA2025"))), 0x9000);
  EXPECT_EQ(devices::sim::load_state(o.state_file)->pin_tries.at("jpki.sign"), 5);

  // The state file belongs to one card of one person.
  SimOptions other = options("dl", "yamada-taro");
  other.state_file = o.state_file;
  EXPECT_THROW(devices::sim::build_virtual_card(other), std::runtime_error);
  std::filesystem::remove_all(dir);
}

TEST(StateFile, MissingFileIsAFreshCardAndRecordStateComesFromTheFile) {
  const auto dir = temp_dir("state2");
  devices::sim::CardState s;
  s.card = "mynumber";
  s.fixture = "yamada-taro";
  s.record_state = 1;
  devices::sim::save_state(dir / "s.json", s);
  SimOptions o = options("mynumber", "yamada-taro");
  o.state_file = dir / "s.json";
  auto card = devices::sim::build_virtual_card(o);
  ASSERT_EQ(sw(tx(*card, select_aid(prof::license_ap::kAid))), 0x9000);
  EXPECT_EQ(tx(*card, "00B09A0006"), hex("C10101C201019000"));
  EXPECT_EQ(sw(tx(*card, verify(0x86, ""))), 0x63CA);
  EXPECT_FALSE(devices::sim::load_state(dir / "missing.json").has_value());
  std::ofstream(dir / "bad.json") << "{not json";
  EXPECT_THROW(devices::sim::load_state(dir / "bad.json"), std::runtime_error);
  std::filesystem::remove_all(dir);
}

// A stand-in for pcscd's vpcd driver: listens, accepts the card, sends framed messages.
class FakeVpcd {
 public:
  FakeVpcd() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    socklen_t len = sizeof a;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    ::listen(listener_, 4);
  }
  ~FakeVpcd() {
    drop();
    ::close(listener_);
  }
  int port() const { return port_; }

  // Waits for the card to connect (false on timeout).
  bool accept_card(int timeout_ms = 5000) {
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) != 1) {
      return false;
    }
    drop();
    conn_ = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    return conn_ >= 0;
  }
  void drop() {
    if (conn_ >= 0) {
      ::close(conn_);
      conn_ = -1;
    }
  }
  void send(const Bytes& payload) {
    Bytes m = {static_cast<uint8_t>(payload.size() >> 8),
               static_cast<uint8_t>(payload.size() & 0xFF)};
    m.insert(m.end(), payload.begin(), payload.end());
    ASSERT_EQ(::send(conn_, m.data(), m.size(), MSG_NOSIGNAL), static_cast<ssize_t>(m.size()));
  }
  // The next message's payload; nullopt when the card closed the connection.
  std::optional<Bytes> receive(int timeout_ms = 5000) {
    uint8_t h[2];
    if (!read_exact(h, 2, timeout_ms)) {
      return std::nullopt;
    }
    Bytes b(static_cast<size_t>(h[0] << 8 | h[1]));
    if (!b.empty() && !read_exact(b.data(), b.size(), timeout_ms)) {
      return std::nullopt;
    }
    return b;
  }
  std::optional<Bytes> exchange(const Bytes& payload) {
    send(payload);
    return receive();
  }

 private:
  bool read_exact(uint8_t* buf, size_t n, int timeout_ms) {
    size_t done = 0;
    while (done < n) {
      pollfd p{conn_, POLLIN, 0};
      if (::poll(&p, 1, timeout_ms) != 1) {
        return false;
      }
      const ssize_t got = ::recv(conn_, buf + done, n - done, 0);
      if (got <= 0) {
        return false;
      }
      done += static_cast<size_t>(got);
    }
    return true;
  }
  int listener_ = -1;
  int conn_ = -1;
  int port_ = 0;
};

// Runs the card on a thread; stops and joins it at the end of the test.
class RunningCard {
 public:
  explicit RunningCard(SimOptions o) : options_(std::move(o)) {
    options_.stop = &stop_;
    thread_ = std::thread([this] { result_ = devices::sim::run_virtual_card(options_); });
  }
  ~RunningCard() { stop(); }
  int stop() {
    stop_ = true;
    if (thread_.joinable()) {
      thread_.join();
    }
    return result_;
  }

 private:
  SimOptions options_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  int result_ = -1;
};

const Bytes kSelectJpki = select_aid(prof::kJpkiAid);

TEST(VpcdLink, ControlCodesAndApdus) {
  FakeVpcd vpcd;
  SimOptions o = options("mynumber", "suzuki-hanako");
  o.port = vpcd.port();
  RunningCard card(o);
  ASSERT_TRUE(vpcd.accept_card());
  EXPECT_EQ(vpcd.exchange({0x04}), Bytes(prof::kMyNumberAtr.begin(), prof::kMyNumberAtr.end()));
  vpcd.send({0x01});  // power on: no answer
  vpcd.send({0x02});  // reset: no answer
  EXPECT_EQ(vpcd.exchange(kSelectJpki), hex("9000"));
  EXPECT_EQ(vpcd.exchange(hex("00A4040C02A000")), hex("6A82"));
  vpcd.send({0x00});                                         // power off
  EXPECT_EQ(vpcd.exchange(hex("00B0000004")), hex("6986"));  // selection gone
  const auto t0 = Clock::now();
  EXPECT_EQ(card.stop(), 0);
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(2));
}

TEST(VpcdLink, ReconnectsWhenTheReaderComesBack) {
  FakeVpcd vpcd;
  SimOptions o = options("mynumber", "suzuki-hanako");
  o.port = vpcd.port();
  RunningCard card(o);
  ASSERT_TRUE(vpcd.accept_card());
  EXPECT_EQ(vpcd.exchange(kSelectJpki), hex("9000"));
  vpcd.drop();  // pcscd restarts
  ASSERT_TRUE(vpcd.accept_card());
  EXPECT_EQ(vpcd.exchange({0x04}), Bytes(prof::kMyNumberAtr.begin(), prof::kMyNumberAtr.end()));
}

TEST(VpcdLink, WaitsForTheReaderWithBackoff) {
  int port = 0;
  {
    FakeVpcd probe;
    port = probe.port();
  }
  SimOptions o = options("dl", "yamada-taro");
  o.port = port;
  RunningCard card(o);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // nobody listens yet
  // Listen on the same port now (SO_REUSEADDR) by hand.
  const int l = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  ASSERT_EQ(::bind(l, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ::listen(l, 1);
  pollfd p{l, POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 3000), 1);
  ::close(l);
}

TEST(Faults, RemoveAfterAnsweringApduN) {
  FakeVpcd vpcd;
  SimOptions o = options("mynumber", "suzuki-hanako");
  o.port = vpcd.port();
  o.faults.remove_at_apdu = 2;
  o.faults.reinsert_after_ms = 100;
  RunningCard card(o);
  ASSERT_TRUE(vpcd.accept_card());
  EXPECT_EQ(vpcd.exchange(kSelectJpki), hex("9000"));
  EXPECT_EQ(vpcd.exchange(select_ef(0x000A)), hex("9000"));  // answered, then removed
  EXPECT_FALSE(vpcd.receive(2000).has_value());
  ASSERT_TRUE(vpcd.accept_card());                           // inserted again
  EXPECT_EQ(vpcd.exchange(hex("00B0000004")), hex("6986"));  // a fresh session
}

TEST(Faults, RemoveBeforeAnsweringApduN) {
  FakeVpcd vpcd;
  SimOptions o = options("mynumber", "suzuki-hanako");
  o.port = vpcd.port();
  o.faults.remove_at_apdu = 2;
  o.faults.remove_before_answer = true;
  RunningCard card(o);
  ASSERT_TRUE(vpcd.accept_card());
  EXPECT_EQ(vpcd.exchange(kSelectJpki), hex("9000"));
  EXPECT_FALSE(vpcd.exchange(select_ef(0x000A)).has_value());
  EXPECT_FALSE(vpcd.accept_card(500));  // stays removed
}

TEST(Faults, DelayEveryAnswer) {
  FakeVpcd vpcd;
  SimOptions o = options("mynumber", "suzuki-hanako");
  o.port = vpcd.port();
  o.faults.delay_ms = 150;
  RunningCard card(o);
  ASSERT_TRUE(vpcd.accept_card());
  const auto t0 = Clock::now();
  EXPECT_EQ(vpcd.exchange(kSelectJpki), hex("9000"));
  EXPECT_EQ(vpcd.exchange(kSelectJpki), hex("9000"));
  EXPECT_GE(Clock::now() - t0, std::chrono::milliseconds(300));
}

TEST(Faults, GarbageAnswers) {
  FakeVpcd vpcd;
  SimOptions o = options("mynumber", "suzuki-hanako");
  o.port = vpcd.port();
  o.faults.garbage_at_apdu = 2;
  RunningCard card(o);
  ASSERT_TRUE(vpcd.accept_card());
  EXPECT_EQ(vpcd.exchange(kSelectJpki), hex("9000"));
  EXPECT_EQ(vpcd.exchange(kSelectJpki)->size(), 1U);
  EXPECT_EQ(vpcd.exchange(kSelectJpki), hex("9000"));  // only APDU N
}

TEST(Faults, TruncatedAnswer) {
  FakeVpcd vpcd;
  SimOptions o = options("mynumber", "suzuki-hanako");
  o.port = vpcd.port();
  o.faults.garbage_at_apdu = 3;
  o.faults.garbage_truncated = true;
  RunningCard card(o);
  ASSERT_TRUE(vpcd.accept_card());
  EXPECT_EQ(vpcd.exchange(kSelectJpki), hex("9000"));
  EXPECT_EQ(vpcd.exchange(select_ef(0x000A)), hex("9000"));
  const auto r = vpcd.exchange(hex("00B0000010"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->size(), 8U);  // half of the 16 data bytes, no status word
  EXPECT_EQ((*r)[0], 0x30);
}

}  // namespace
}  // namespace mk::test
