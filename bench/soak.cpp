// mynakiosk-soak: the real kiosk, headless, through N sessions of every flow, with cards pulled
// at random command APDUs and the centre's faults (down, slow, 500, garbage, wrong TLS,
// truncated, an answer lost after the commit) switched while it runs (docs/performance.md,
// "Soak"). The centre simulator `mynacenter` runs as its own process; the virtual cards are the
// demo kiosk's own. It asserts: the kiosk never crashes and always comes back to its attract
// screen, resident memory after warm-up grows < 5 %, file descriptors and threads stay flat,
// every submission the kiosk promised a person reaches the centre exactly once (counted at the
// simulator), and the audit chain verifies end to end (the kiosk's own check, and the rows the
// centre received). It needs a private pcscd with the vpcd readers:
//   tests/support/pcsc_namespace.sh build/ci/bench/mynakiosk-soak --sessions 200
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench_support.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kTerminal = "KIOSK-TEST-0001";  // the test TLS world's kiosk certificate
constexpr int kIdleTimeoutS = 90;
constexpr int kIdleWarningS = 30;  // then the session ends

// ---- processes ----------------------------------------------------------------------------------

struct Child {
  pid_t pid = -1;
  FILE* out = nullptr;  // its stdout (and stderr when merged), read line by line
};

// Starts `argv` with stdout to a pipe (stderr too when `merge`, else to `err_file`).
Child spawn(const std::vector<std::string>& argv, bool merge, const fs::path& err_file) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  if (merge) {
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  } else {
    posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
  }
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  Child child;
  const int rc = posix_spawn(&child.pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    throw std::runtime_error("cannot start " + argv[0]);
  }
  child.out = fdopen(fds[0], "r");
  return child;
}

// Reads one line without its newline (false at the end).
bool read_line(FILE* in, std::string& line) {
  char* buffer = nullptr;
  size_t capacity = 0;
  const ssize_t n = getline(&buffer, &capacity, in);
  line.assign(buffer != nullptr && n > 0 ? buffer : "", n > 0 ? static_cast<size_t>(n) : 0);
  free(buffer);  // NOLINT(cppcoreguidelines-no-malloc): getline's buffer
  if (!line.empty() && line.back() == '\n') {
    line.pop_back();
  }
  return n >= 0;
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct ProcSample {
  int64_t rss_kib = 0;
  int threads = 0;
  int fds = 0;
  std::vector<std::string> fd_targets;  // what each descriptor is open on, sorted
};

struct CountRange {
  int min_threads = 0;
  int max_threads = 0;
  int min_fds = 0;
  int max_fds = 0;
};

// The least and most threads and descriptors over `count` samples from `from`.
CountRange count_range(const std::vector<ProcSample>& samples, size_t from, size_t count) {
  CountRange r;
  if (from >= samples.size()) {
    return r;
  }
  r = {samples[from].threads, samples[from].threads, samples[from].fds, samples[from].fds};
  for (size_t i = from; i < std::min(samples.size(), from + count); ++i) {
    r.min_threads = std::min(r.min_threads, samples[i].threads);
    r.max_threads = std::max(r.max_threads, samples[i].threads);
    r.min_fds = std::min(r.min_fds, samples[i].fds);
    r.max_fds = std::max(r.max_fds, samples[i].fds);
  }
  return r;
}

// What is open at the end that was not after warm-up: the lead when descriptors did grow.
std::vector<std::string> opened_since(const std::vector<std::string>& before,
                                      const std::vector<std::string>& after) {
  std::vector<std::string> added;
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(added));
  return added;
}

ProcSample sample(pid_t pid) {
  ProcSample s;
  const std::string status = mk::bench::read_file("/proc/" + std::to_string(pid) + "/status");
  s.rss_kib = std::atoll(mk::bench::proc_field(status, "VmRSS").c_str());  // "N kB"
  s.threads = std::atoi(mk::bench::proc_field(status, "Threads").c_str());
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    ++s.fds;
    std::error_code link_ec;
    std::string target = fs::read_symlink(e.path(), link_ec).string();
    if (target.starts_with("socket:") || target.starts_with("pipe:")) {
      target.resize(target.find(':'));  // by kind: the inode differs for every connection
    }
    s.fd_targets.push_back(target);
  }
  std::sort(s.fd_targets.begin(), s.fd_targets.end());
  return s;
}

// ---- the script
// ----------------------------------------------------------------------------------

struct Person {
  std::string id;
  std::string license_pin;
  std::string basic4_pin;
  std::string dl_pin1;  // the plastic licence's PIN 1 (record)
};
const Person kYamada{"yamada-taro", "4321", "1234", "1111"};
const Person kSuzuki{"suzuki-hanako", "4821", "5678", "3333"};  // 4821: the PIN the soak sets

// Writes the sessions: a rotation through every flow (read-back; holding form: return the plastic,
// ask for it again, erase the record; record; renewal once at the end), each visit ending as a
// person leaves (cards taken, the idle timeout). A seeded choice of the visits that only read the
// card has it pulled at a random command APDU (the record and erase writes are pulled at every
// step by record_kill_sweep_test and record_resume_sweep_test).
class ScriptWriter {
 public:
  ScriptWriter(uint32_t seed, int pull_every) : rng_(seed), pull_every_(pull_every) {}

  std::string script(int sessions) {
    out_ << "# written by mynakiosk-soak\non failure next session\n";
    using Visit = void (ScriptWriter::*)(const std::string&);
    // Each person's holding form comes back to where it started once round: yamada-taro both ->
    // Myna only -> both; suzuki-hanako conventional only -> recorded Myna only -> both -> erased.
    const std::vector<std::pair<const char*, Visit>> rotation = {
        {"read_back", &ScriptWriter::read_back_yamada},
        {"record", &ScriptWriter::record_suzuki},
        {"return_conventional", &ScriptWriter::return_conventional_yamada},
        {"read_back", &ScriptWriter::read_back_suzuki},
        {"issue_conventional", &ScriptWriter::issue_conventional_yamada},
        {"issue_conventional", &ScriptWriter::issue_conventional_suzuki},
        {"read_back", &ScriptWriter::read_back_yamada},
        {"erase", &ScriptWriter::erase_suzuki},
    };
    // The last two visits record suzuki-hanako again and renew her licence (her renewal period is
    // the soak's day; the counter's part is done by the soak over the admin API first).
    const int rotating = std::max(0, sessions - 2);
    for (int i = 0; i < rotating; ++i) {
      const auto& [flow, visit] = rotation[static_cast<size_t>(i) % rotation.size()];
      (this->*visit)(name(i, flow));
    }
    if (sessions >= 2) {
      record_suzuki(name(rotating, "record"));
      renewal_suzuki(name(rotating + 1, "renewal"));
    }
    out_ << "session drain\nawait drained 900s\n";
    return out_.str();
  }

  int pulls() const { return pulls_; }

 private:
  static std::string name(int i, const char* flow) {
    return "s" + std::to_string(i + 1) + "-" + flow;
  }

  std::string maybe_pull() {
    if (pull_every_ <= 0 || std::uniform_int_distribution<int>(1, pull_every_)(rng_) != 1) {
      return "";
    }
    ++pulls_;
    // The read-back sends about 30 command APDUs, the holding-form change's reads about 40.
    return " pull_at " + std::to_string(std::uniform_int_distribution<int>(1, 40)(rng_));
  }

  void begin(const std::string& session, const char* tap) {
    out_ << "session " << session << "\nexpect screen attract\ntap start\ntap " << tap << "\n";
  }
  // The person takes their cards (the kiosk asks for them at the end) and walks away.
  void leave() {
    out_ << "card remove mynumber\ncard remove dl\nwait " << kIdleTimeoutS + kIdleWarningS + 1
         << "s\nexpect screen attract\n";
  }
  void pin(const std::string& digits) { out_ << "type " << digits << "\ntap pin_pad:confirm\n"; }

  void read_back(const std::string& session, const Person& p) {
    begin(session, "read_back");
    out_ << "card place mynumber " << p.id << maybe_pull() << "\n"
         << "await screen read_back.enter_pin 5s\n";
    pin(p.license_pin);
    out_ << "await screen read_back.showing 8s\ntap done\nexpect screen session.take_cards\n";
    leave();
  }
  void read_back_yamada(const std::string& s) { read_back(s, kYamada); }
  void read_back_suzuki(const std::string& s) { read_back(s, kSuzuki); }

  // A change of the holding form (a submission the outbox keeps for the centre).
  void holding_form(const std::string& session, const Person& p, const char* change,
                    const char* confirm_screen, const std::string& pull) {
    begin(session, "holding_form");
    out_ << "card place mynumber " << p.id << pull << "\n"
         << "await screen holding_form.license_pin 5s\n";
    pin(p.license_pin);
    out_ << "await screen holding_form.basic4_pin 5s\n";
    pin(p.basic4_pin);
    out_ << "await screen holding_form.choose_change 8s\ntap " << change << "\nexpect screen "
         << confirm_screen << "\ntap confirm\nawait screen holding_form.done 20s\ntap done\n";
    leave();
  }
  void return_conventional_yamada(const std::string& s) {
    holding_form(s, kYamada, "return_conventional", "holding_form.confirm_return", maybe_pull());
  }
  void issue_conventional_yamada(const std::string& s) {
    holding_form(s, kYamada, "issue_conventional", "holding_form.confirm_issue", maybe_pull());
  }
  void issue_conventional_suzuki(const std::string& s) {
    holding_form(s, kSuzuki, "issue_conventional", "holding_form.confirm_issue", maybe_pull());
  }
  // The erase writes the card: no pull here (the sweeps pull it at every step of a write).
  void erase_suzuki(const std::string& s) {
    holding_form(s, kSuzuki, "erase_from_card", "holding_form.confirm_erase", "");
  }

  // suzuki-hanako: recorded Myna only (keeping nothing of the plastic), then erased again.
  void record_suzuki(const std::string& session) {
    begin(session, "record");
    out_ << "expect screen record.choose_form\ntap form_myna_only\nexpect screen record.place_dl\n"
         << "card place dl " << kSuzuki.id << "\nawait screen record.dl_pin 5s\n";
    pin(kSuzuki.dl_pin1);
    out_ << "await screen record.place_mynumber 5s\ncard place mynumber " << kSuzuki.id
         << "\nawait screen record.basic4_pin 5s\n";
    pin(kSuzuki.basic4_pin);
    out_ << "await screen record.confirm_record 8s\ntap confirm\nexpect screen record.new_pin\n";
    pin(kSuzuki.license_pin);
    out_ << "expect screen record.confirm_pin\n";
    pin(kSuzuki.license_pin);
    out_ << "await screen record.done 20s\ntap done\n";
    leave();
  }
  void renewal_suzuki(const std::string& session) {
    begin(session, "renewal");
    out_ << "card place mynumber " << kSuzuki.id << "\nawait screen renewal.license_pin 5s\n";
    pin(kSuzuki.license_pin);
    out_ << "await screen renewal.basic4_pin 5s\n";
    pin(kSuzuki.basic4_pin);
    out_ << "await screen renewal.confirm_renewal 8s\ntap confirm\nawait screen renewal.done 20s\n"
         << "tap done\n";
    leave();
  }

  std::mt19937 rng_;
  int pull_every_;
  int pulls_ = 0;
  std::ostringstream out_;
};

// ---- the centre ---------------------------------------------------------------------------------

class Centre {
 public:
  Centre(fs::path tls, int port) : tls_(std::move(tls)), port_(port) {}

  std::optional<Json> call(const std::string& method, const std::string& path,
                           const Json& body = Json::object()) {
    httplib::SSLClient c("localhost", port_, (tls_ / "kiosk.pem").string(),
                         (tls_ / "kiosk-key.pem").string());
    c.set_ca_cert_path((tls_ / "centre-ca.pem").string());
    c.enable_server_certificate_verification(true);
    c.set_read_timeout(10, 0);
    const auto r = method == "GET" ? c.Get(path) : c.Post(path, body.dump(), "application/json");
    if (!r || r->status != 200) {
      return std::nullopt;
    }
    return Json::parse(r->body, nullptr, false);
  }

 private:
  fs::path tls_;
  int port_;
};

// The faults the soak switches, one every `every` sessions, in turn.
struct FaultPlan {
  const char* name;
  Json body;
};
std::vector<FaultPlan> fault_plans() {
  return {
      {"down", {{"mode", "down"}, {"for_ms", 3000}}},
      {"slow", {{"mode", "slow"}, {"delay_ms", 2500}, {"count", 4}}},
      {"http_500", {{"mode", "http_500"}, {"count", 4}}},
      {"garbage", {{"mode", "garbage"}, {"count", 4}}},
      {"wrong_tls", {{"mode", "wrong_tls"}, {"for_ms", 3000}}},
      {"truncated", {{"mode", "truncated"}, {"count", 3}}},
      {"drop_after_commit", {{"mode", "drop_after_commit"}, {"count", 2}}},
  };
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mynakiosk-soak: the kiosk through N sessions under card pulls and centre faults"};
  int sessions = 200;
  uint32_t seed = 1;
  int pull_every = 10;
  int fault_every = 12;
  std::string out_file = "bench-results/soak.json";
  std::string work;
  std::string kiosk = MK_KIOSK_EXE;
  std::string center = MK_CENTER_EXE;
  std::string today = "2026-11-27";  // suzuki-hanako's renewal period; every other visit works then
  bool keep = false;
  bool sanitizer_build = false;
  app.add_option("--sessions", sessions, "visits to play (the drain comes on top)")
      ->check(CLI::Range(2, 1000000));
  app.add_option("--seed", seed, "seed of the pulls");
  app.add_option("--pull-every", pull_every,
                 "about one read-only visit in N has its card pulled (0: none)");
  app.add_option("--fault-every", fault_every, "a centre fault every N sessions (0: none)");
  app.add_option("--out", out_file, "the results (JSON)");
  app.add_option("--work", work, "working folder (default: a new one under /tmp)");
  app.add_option("--kiosk", kiosk, "the demo kiosk executable");
  app.add_option("--center", center, "the mynacenter executable");
  app.add_option("--today", today, "the simulated world's day");
  app.add_flag("--keep", keep, "keep the working folder");
  app.add_flag("--sanitizer-build", sanitizer_build,
               "the kiosk is built with AddressSanitizer: its quarantine holds freed memory, so "
               "resident memory is reported but not judged");
  CLI11_PARSE(app, argc, argv);

  if (std::getenv("MK_PCSCD_PID") == nullptr) {  // NOLINT(concurrency-mt-unsafe)
    std::cerr << "mynakiosk-soak: run it under tests/support/pcsc_namespace.sh (a private pcscd "
                 "with the vpcd readers; root)\n";
    return 77;
  }
  const fs::path dir =
      work.empty() ? fs::temp_directory_path() / ("mynakiosk-soak-" + std::to_string(::getpid()))
                   : fs::path(work);
  fs::remove_all(dir / "store");
  fs::remove_all(dir / "world");
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::owner_all);
  const fs::path source = MK_SOURCE_DIR;
  const auto started = Clock::now();

  // The centre, in its own process.
  Child centre = spawn({center, "--port", "0", "--print-port", "--db", (dir / "center.db").string(),
                        "--tls-dir", (dir / "tls").string(), "--fixtures",
                        (source / "devices/sim/fixtures").string(), "--today", today},
                       false, dir / "center.log");
  std::string port_line;
  if (!read_line(centre.out, port_line) || port_line.empty()) {
    std::cerr << "mynakiosk-soak: mynacenter did not start (" << (dir / "center.log") << ")\n";
    kill(centre.pid, SIGTERM);
    wait_exit(centre.pid);
    return 1;
  }
  const int port = std::stoi(port_line);
  Centre admin(dir / "tls", port);
  // The counter's part of suzuki-hanako's renewal, for the renewal at the end.
  admin.call("POST", "/admin/counter-renewals", {{"fixture", "suzuki-hanako"}});

  {
    std::ofstream config(dir / "kiosk.toml");
    config << "[kiosk]\nterminal_id = \"" << kTerminal << "\"\n"
           << "[session]\nidle_timeout_s = " << kIdleTimeoutS
           << "\nidle_warning_s = " << kIdleWarningS << "\n"
           << "[center]\nmode = \"remote\"\nurl = \"https://localhost:" << port << "\"\n"
           << "ca_file = \"" << (dir / "tls/centre-ca.pem").string() << "\"\n"
           << "client_cert = \"" << (dir / "tls/kiosk.pem").string() << "\"\n"
           << "client_key = \"" << (dir / "tls/kiosk-key.pem").string() << "\"\n"
           << "connect_timeout_s = 2\nrequest_timeout_s = 5\n"
           << "[cards]\nmode = \"virtual\"\n"
           << "[store]\ndir = \"" << (dir / "store").string() << "\"\nkey_file = \""
           << (dir / "store.key").string() << "\"\n"
           << "[simulation]\ndir = \"" << (dir / "world").string() << "\"\ntoday = \"" << today
           << "\"\n[log]\njournal = \"off\"\n";
  }
  fs::remove(dir / "store.key");
  ScriptWriter writer(seed, pull_every);
  {
    std::ofstream script(dir / "soak.script");
    script << writer.script(sessions);
  }

  // The kiosk: its log read line by line as it plays, sampling the process at each session.
  Child kiosk_child = spawn({kiosk, "--headless", "--config", (dir / "kiosk.toml").string(),
                             "--script", (dir / "soak.script").string()},
                            true, {});
  std::ofstream kiosk_log(dir / "kiosk.log");
  std::vector<ProcSample> samples;  // at each session's beginning
  std::set<std::string> promised;   // idempotency keys of submissions the kiosk kept
  std::map<std::string, int> abandoned_by_reason;
  std::vector<std::string> faults_applied;
  int completed = 0;
  int abandoned = 0;
  bool summary_seen = false;
  const auto plans = fault_plans();
  std::string line;
  while (read_line(kiosk_child.out, line)) {
    kiosk_log << line << '\n';
    if (const auto at = line.find("[script] session "); at != std::string::npos) {
      const std::string rest = line.substr(at + 17);
      if (rest.ends_with(" begins")) {
        samples.push_back(sample(kiosk_child.pid));
        const int n = static_cast<int>(samples.size());
        if (rest.starts_with("drain")) {
          admin.call("POST", "/admin/faults", {{"mode", "none"}});
        } else if (fault_every > 0 && n % fault_every == 0 && n <= sessions - 2) {
          // (Not in the last two visits: the renewal there is the soak's only one.)
          const auto& plan = plans[static_cast<size_t>(n / fault_every - 1) % plans.size()];
          if (admin.call("POST", "/admin/faults", plan.body)) {
            faults_applied.emplace_back(plan.name);
          }
        }
        if (n % 50 == 0) {  // a long run's progress, readable before it ends
          const auto& now = samples.back();
          std::cerr << "soak: session " << n << " of " << sessions << ": " << completed
                    << " completed, " << abandoned << " abandoned; RSS " << now.rss_kib << " KiB, "
                    << now.threads << " threads, " << now.fds << " fds" << std::endl;
        }
      } else if (rest.ends_with(" completed")) {
        ++completed;
      } else if (const auto ab = rest.find(" abandoned at line "); ab != std::string::npos) {
        ++abandoned;
        // "<session> abandoned at line N: <why>": counted by why, the line number left out.
        const auto colon = rest.find(": ", ab);
        std::string why = colon == std::string::npos ? rest : rest.substr(colon + 2);
        ++abandoned_by_reason[why];
      }
    } else if (const auto kept = line.find("outbox: kept "); kept != std::string::npos) {
      std::istringstream words(line.substr(kept + 13));
      std::string kind;
      std::string key;
      words >> kind >> key;
      promised.insert(key);
    } else if (line.find("session(s) completed") != std::string::npos) {
      summary_seen = true;
    }
  }
  const int kiosk_exit = wait_exit(kiosk_child.pid);
  (void)fclose(kiosk_child.out);
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();

  // What reached the centre.
  std::vector<std::string> failures;
  const auto writes = admin.call("GET", "/admin/writes");
  const auto chains = admin.call("GET", "/admin/audit-chains");
  kill(centre.pid, SIGTERM);
  const int centre_exit = wait_exit(centre.pid);
  (void)fclose(centre.out);

  std::map<std::string, int> received;  // key -> times the centre ran it (at most once by design)
  std::map<std::string, int> statuses;  // HTTP status -> submissions
  int unpromised = 0;
  if (!writes) {
    failures.emplace_back("the centre's list of writes could not be read");
  } else {
    for (const auto& w : writes->at("writes")) {
      const std::string key = w.at("key");
      const std::string path = w.at("path");
      if (promised.count(key) != 0) {
        ++received[key];
        ++statuses[std::to_string(w.at("status").get<int>())];
      } else if (path.ends_with("/holding-form")) {
        ++unpromised;  // a submission sent under a key no person was promised
      }
    }
  }
  int lost = 0;
  int duplicated = 0;
  for (const auto& key : promised) {
    const int n = received.count(key) != 0 ? received[key] : 0;
    lost += n == 0 ? 1 : 0;
    duplicated += n > 1 ? 1 : 0;
  }

  // The kiosk's own verdict on its store and audit chain.
  Json check = Json::object();
  {
    Child c = spawn({kiosk, "--config", (dir / "kiosk.toml").string(), "--check"}, false,
                    dir / "check.log");
    std::string text;
    for (std::string l; read_line(c.out, l);) {
      text += l + "\n";
    }
    wait_exit(c.pid);
    (void)fclose(c.out);
    check = Json::parse(text, nullptr, false);
  }
  Json chain = Json::object();
  if (chains) {
    for (const auto& t : chains->at("terminals")) {
      if (t.at("terminal") == kTerminal) {
        chain = t;
      }
    }
  }

  // Warm-up: the first tenth of the sessions (at least 20).
  const size_t warm = std::min(samples.size() - 1, std::max<size_t>(20, samples.size() / 10));
  const ProcSample base = samples.empty() ? ProcSample{} : samples[warm];
  ProcSample last = samples.empty() ? ProcSample{} : samples.back();
  ProcSample peak = base;
  for (size_t i = warm; i < samples.size(); ++i) {
    peak.rss_kib = std::max(peak.rss_kib, samples[i].rss_kib);
    peak.threads = std::max(peak.threads, samples[i].threads);
    peak.fds = std::max(peak.fds, samples[i].fds);
  }
  // Threads and descriptors come and go with the work in flight when a visit starts (a centre
  // connection kept alive or dropped by the last fault): a leak is the count's floor at the end
  // above its ceiling after warm-up, not one sample above another.
  const size_t window = std::max<size_t>(1, (samples.size() - warm) / 10);
  const CountRange after_warm = count_range(samples, warm, window);
  const CountRange at_end = count_range(samples, samples.size() - window, window);
  const double growth = base.rss_kib > 0
                            ? 100.0 * static_cast<double>(last.rss_kib - base.rss_kib) /
                                  static_cast<double>(base.rss_kib)
                            : 0;

  if (kiosk_exit != 0) {
    failures.push_back("the kiosk exited with " + std::to_string(kiosk_exit));
  }
  if (!summary_seen) {
    failures.emplace_back("the kiosk's script summary is missing (it did not play to the end)");
  }
  if (completed + abandoned != sessions + 1) {
    failures.push_back("sessions completed + abandoned = " + std::to_string(completed + abandoned) +
                       ", not " + std::to_string(sessions + 1));
  }
  if (completed < (sessions + 1) / 2) {
    failures.emplace_back("fewer than half the sessions completed");
  }
  if (growth >= 5.0 && !sanitizer_build) {
    failures.push_back("resident memory grew " + std::to_string(growth) + " % after warm-up");
  }
  if (at_end.min_threads > after_warm.max_threads) {
    failures.emplace_back("threads grew after warm-up");
  }
  if (at_end.min_fds > after_warm.max_fds) {
    failures.emplace_back("file descriptors grew after warm-up");
  }
  if (lost > 0 || duplicated > 0 || unpromised > 0) {
    failures.push_back(std::to_string(lost) + " submission(s) lost, " + std::to_string(duplicated) +
                       " duplicated, " + std::to_string(unpromised) + " sent unpromised");
  }
  const bool chain_ok =
      check.is_object() && check.contains("audit") && check["audit"].value("chain_ok", false) &&
      check["audit"].value("uploaded_through", -1) == check["audit"].value("head", -2);
  if (!chain_ok) {
    failures.emplace_back("the kiosk's audit chain does not verify, or is not all uploaded");
  }
  if (!chain.is_object() || !chain.value("continuous", false) ||
      (check.is_object() && check.contains("audit") &&
       chain.value("last_seq", -1) != check["audit"].value("head", -2))) {
    failures.emplace_back("the centre's copy of the audit chain is broken or short");
  }

  Json result = {
      {"sessions", sessions},
      {"seed", seed},
      {"machine", mk::bench::machine()},
      {"seconds", seconds},
      {"completed", completed},
      {"abandoned", abandoned},
      {"abandoned_by_reason", abandoned_by_reason},
      {"card_pulls", writer.pulls()},
      {"faults", faults_applied},
      {"kiosk_exit", kiosk_exit},
      {"centre_exit", centre_exit},
      {"memory",
       {{"warm_up_sessions", warm},
        {"rss_kib_after_warm_up", base.rss_kib},
        {"rss_kib_last", last.rss_kib},
        {"rss_kib_peak", peak.rss_kib},
        {"rss_kib_first", samples.empty() ? 0 : samples.front().rss_kib},
        {"growth_percent", growth}}},
      {"threads",
       {{"after_warm_up", base.threads},
        {"last", last.threads},
        {"peak", peak.threads},
        {"after_warm_up_range", {after_warm.min_threads, after_warm.max_threads}},
        {"at_end_range", {at_end.min_threads, at_end.max_threads}}}},
      {"fds",
       {{"after_warm_up", base.fds},
        {"last", last.fds},
        {"peak", peak.fds},
        {"after_warm_up_range", {after_warm.min_fds, after_warm.max_fds}},
        {"at_end_range", {at_end.min_fds, at_end.max_fds}},
        {"opened_since_warm_up", opened_since(base.fd_targets, last.fd_targets)}}},
      {"submissions",
       {{"promised", promised.size()},
        {"lost", lost},
        {"duplicated", duplicated},
        {"unpromised", unpromised},
        {"by_status", statuses}}},
      {"audit",
       {{"kiosk", check.is_object() ? check.value("audit", Json()) : Json()}, {"centre", chain}}},
      {"failures", failures},
      {"work", dir.string()},
  };
  fs::create_directories(fs::absolute(out_file).parent_path());
  std::ofstream(out_file) << result.dump(2) << "\n";
  std::cout << result.dump(2) << "\n";
  for (const auto& f : failures) {
    std::cerr << "soak FAILED: " << f << "\n";
  }
  if (failures.empty() && !keep && work.empty()) {
    fs::remove_all(dir);
  }
  return failures.empty() ? 0 : 1;
}
