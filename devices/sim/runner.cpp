#include "devices/sim/runner.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/hex.hpp"
#include "devices/sim/cards.hpp"
#include "devices/sim/fixture.hpp"
#include "devices/sim/pki.hpp"
#include "devices/sim/state.hpp"

namespace mk::devices::sim {

namespace {

using Clock = std::chrono::steady_clock;

bool stopping(const SimOptions& o) {
  return o.stop != nullptr && o.stop->load();
}

// Sleeps up to ms, waking early on stop.
void nap(const SimOptions& o, int ms) {
  const auto until = Clock::now() + std::chrono::milliseconds(ms);
  while (!stopping(o) && Clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(ms, 20)));
  }
}

int connect_to(const SimOptions& o) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const std::string port = std::to_string(o.port);
  if (getaddrinfo(o.host.c_str(), port.c_str(), &hints, &res) != 0) {
    return -1;
  }
  int fd = -1;
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      continue;
    }
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
      break;
    }
    ::close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd >= 0 && o.tcp_nodelay) {
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  return fd;
}

enum class ReadResult { ok, closed, stopped };

ReadResult read_exact(const SimOptions& o, int fd, uint8_t* buf, size_t n) {
  size_t done = 0;
  while (done < n) {
    if (stopping(o)) {
      return ReadResult::stopped;
    }
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, 50);
    if (r < 0 && errno != EINTR) {
      return ReadResult::closed;
    }
    if (r <= 0) {
      continue;
    }
    if (o.tcp_quickack) {
      // Linux leaves quick-ACK mode again on its own, so ask before every read: vpcd writes the
      // length and the APDU in two send()s without TCP_NODELAY, and Nagle holds the APDU back
      // until the length is ACKed; a delayed ACK (40 ms) here would stall every command.
      const int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
    }
    const ssize_t got = ::recv(fd, buf + done, n - done, 0);
    if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) {
      return ReadResult::closed;
    }
    if (got > 0) {
      done += static_cast<size_t>(got);
    }
  }
  return ReadResult::ok;
}

bool send_message(int fd, std::span<const uint8_t> payload) {
  Bytes msg;
  msg.reserve(payload.size() + 2);
  msg.push_back(static_cast<uint8_t>(payload.size() >> 8));
  msg.push_back(static_cast<uint8_t>(payload.size() & 0xFF));
  msg.insert(msg.end(), payload.begin(), payload.end());
  size_t done = 0;
  while (done < msg.size()) {
    const ssize_t n = ::send(fd, msg.data() + done, msg.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

std::string aid_key(const Bytes& aid, uint16_t fid) {
  char buf[8];
  static_cast<void>(std::snprintf(buf, sizeof buf, "%04X", fid));
  return base::to_hex(aid) + "/" + buf;
}

void say(const std::string& line) {
  static_cast<void>(std::fputs((line + "\n").c_str(), stderr));
}

InstanceState instance_state_of(const std::string& s) {
  if (s == "installed") {
    return InstanceState::installed;
  }
  return s == "deleted" ? InstanceState::deleted : InstanceState::as_built;
}

// The state to save: `base` (card, fixture, the record state the fixture's 免許AP was built
// with) with the card's tries, the issuer's PINs and files, and whether the issuer installed or
// deleted the 免許AP. Written files override what the fixture would build.
CardState current_state(const CardEngine& card, const CardState& base) {
  CardState s;
  s.card = base.card;
  s.fixture = base.fixture;
  s.card_serial = base.card_serial;
  s.pin_tries = card.pin_tries();
  s.pin_values = card.pin_values();
  switch (card.instance_state()) {
    case InstanceState::installed:
      s.license_ap_instance = "installed";
      break;
    case InstanceState::deleted:
      s.license_ap_instance = "deleted";
      break;
    case InstanceState::as_built:
      s.record_state = base.record_state;
      break;
  }
  for (const auto& df : card.spec().dfs) {
    for (const auto& ef : df.efs) {
      if (ef.written) {
        s.files[aid_key(df.aid, ef.fid)] = base::to_hex(ef.content);
      }
    }
  }
  return s;
}

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

std::unique_ptr<CardEngine> build_virtual_card(const SimOptions& o) {
  Person person = load_person(o.fixture, o.today.value_or(today_in_japan()));
  std::optional<CardState> state;
  if (!o.state_file.empty()) {
    state = load_state(o.state_file);
    if (state && (state->card != o.card || state->fixture != person.id)) {
      throw std::runtime_error(o.state_file.string() + " belongs to the " + state->card +
                               " card of " + state->fixture + ", not the " + o.card + " card of " +
                               person.id);
    }
    if (state) {
      person.card_serial = state->card_serial;
    }
  }
  CardSpec spec;
  if (o.card == "mynumber") {
    PkiCache pki(o.pki_cache.empty() ? PkiCache::default_dir() : o.pki_cache);
    MyNumberCardOptions mo;
    if (state) {
      mo.record_state = state->record_state;
      mo.license_ap = instance_state_of(state->license_ap_instance);
    }
    spec = make_mynumber_card(person, pki, mo);
  } else if (o.card == "dl") {
    spec = make_dl_card(person);
  } else {
    throw std::runtime_error("unknown card kind '" + o.card + "' (mynumber or dl)");
  }
  if (state) {  // files written by an issuer replace the fixture's
    for (auto& df : spec.dfs) {
      for (auto& ef : df.efs) {
        auto it = state->files.find(aid_key(df.aid, ef.fid));
        if (it != state->files.end()) {
          ef.content = base::from_hex_dump(it->second).value_or(Bytes{});
          ef.written = true;
        }
      }
    }
  }
  auto card = std::make_unique<CardEngine>(std::move(spec));
  if (state) {
    card->set_instance_state(instance_state_of(state->license_ap_instance));
    for (const auto& [id, value] : state->pin_values) {
      card->set_pin_value(id, value);
    }
    for (const auto& [id, tries] : state->pin_tries) {
      card->set_pin_tries(id, tries);
    }
  }
  if (!o.state_file.empty()) {
    CardState base;
    base.card = o.card;
    base.fixture = person.id;
    if (state) {
      base = *state;
    } else if (person.license_ap && o.card == "mynumber") {
      base.record_state = person.license_ap->record_state;
    }
    CardEngine* raw = card.get();
    const auto path = o.state_file;
    auto save = [raw, path, base]() {
      CardState now = current_state(*raw, base);
      try {
        save_state(path, now);
      } catch (const std::exception& e) {  // the card keeps working; the operator sees why
        say(std::string("mynacard-sim: cannot save the card state: ") + e.what());
      }
    };
    if (!state) {
      save();  // a fresh card: write its state once so the file exists
    }
    card->on_state_change(save);
  }
  return card;
}

int run_virtual_card(const SimOptions& o) {
  std::unique_ptr<CardEngine> card;
  try {
    card = build_virtual_card(o);
  } catch (const std::exception& e) {
    say(std::string("mynacard-sim: ") + e.what());
    return 2;
  }
  if (o.on_card) {
    o.on_card(*card);
  }
  const FaultOptions& f = o.faults;
  int apdu_count = 0;
  int backoff_ms = 50;
  bool announced_wait = false;
  while (!stopping(o)) {
    const int fd = connect_to(o);
    if (fd < 0) {
      if (!announced_wait && o.trace) {
        say("mynacard-sim: waiting for vpcd on " + o.host + ":" + std::to_string(o.port));
        announced_wait = true;
      }
      nap(o, backoff_ms);
      backoff_ms = std::min(backoff_ms * 2, 1000);
      continue;
    }
    backoff_ms = 50;
    announced_wait = false;
    if (o.trace) {
      say("mynacard-sim: card inserted (" + o.host + ":" + std::to_string(o.port) + ")");
    }
    card->reset();
    bool removed = false;
    Clock::time_point last_answer{};
    for (;;) {
      uint8_t header[2];
      if (read_exact(o, fd, header, 2) != ReadResult::ok) {
        break;
      }
      const size_t len = static_cast<size_t>(header[0]) << 8 | header[1];
      Bytes payload(len);
      if (len > 0 && read_exact(o, fd, payload.data(), len) != ReadResult::ok) {
        break;
      }
      const auto received = Clock::now();
      if (len == 1) {
        bool lost = false;
        switch (payload[0]) {
          case 0x00:
            card->power_off();
            break;
          case 0x01:
          case 0x02:
            card->reset();
            break;
          case 0x04:
            lost = !send_message(fd, card->atr());
            break;
          default:
            break;
        }
        if (lost) {
          break;
        }
        continue;
      }
      ++apdu_count;
      if (f.remove_at_apdu == apdu_count && f.remove_before_answer) {
        removed = true;
        break;
      }
      Bytes response = card->transmit(payload);
      const auto answered = Clock::now();
      if (f.delay_ms > 0) {
        nap(o, f.delay_ms);
      }
      if (f.garbage_at_apdu == apdu_count) {
        if (f.garbage_truncated && response.size() > 2) {
          response.resize((response.size() - 2) / 2);
        } else {
          response = {0x6F};
        }
      }
      if (o.trace) {
        const double gap =
            last_answer == Clock::time_point{} ? 0.0 : ms_between(last_answer, received);
        char line[96];
        static_cast<void>(std::snprintf(line, sizeof line, "apdu %3d gap %7.2f ms card %6.2f ms",
                                        apdu_count, gap, ms_between(received, answered)));
        say(std::string(line) + " > " + base::to_hex(payload) + " < " + base::to_hex(response));
      }
      if (!send_message(fd, response)) {
        break;
      }
      last_answer = Clock::now();
      if (f.remove_at_apdu == apdu_count) {
        removed = true;
        break;
      }
    }
    ::close(fd);
    if (o.trace) {
      say(std::string("mynacard-sim: card ") + (removed ? "removed (fault)" : "disconnected"));
    }
    if (removed) {
      if (f.reinsert_after_ms < 0) {
        while (!stopping(o)) {
          nap(o, 50);
        }
      } else {
        nap(o, f.reinsert_after_ms);
      }
    } else if (!stopping(o)) {
      nap(o, backoff_ms);  // pcscd went away: reconnect with backoff
    }
  }
  return 0;
}

}  // namespace mk::devices::sim
