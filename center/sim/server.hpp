#pragma once

// The centre simulator's server: HTTPS with mutual TLS on its own thread (cpp-httplib), started
// and stopped, and the faults it injects — a request's fault, and outages over the admin API
// (down or the rogue certificate for a while, then back as it was, on the restarter thread).

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include <httplib.h>

#include "center/sim/center_simulator.hpp"

namespace mk::center::sim {

struct SimulatorState;

class Server {
 public:
  explicit Server(SimulatorState& centre) : centre_(centre) {}
  ~Server() { stop(); }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and serves on its own thread; throws std::runtime_error when it cannot bind.
  void listen();
  void unlisten();
  // Ends a scheduled outage (its restarter thread) and stops listening.
  void stop();
  int port() const;

  void apply_fault(const Fault& f);
  // Goes down now (after this answer is on its way), or serves the rogue certificate
  // (wrong_tls), and comes back as it was after `ms`. One outage at a time; then another.
  void schedule_outage(Fault::Mode mode, int ms);
  // The fault to apply to this request (and one less to go), or none.
  Fault take_fault();

 private:
  SimulatorState& centre_;

  mutable std::mutex server_mutex_;
  std::unique_ptr<httplib::SSLServer> server_;
  std::thread thread_;
  int bound_port_ = 0;
  bool listening_ = false;

  std::mutex fault_mutex_;
  Fault fault_;
  // Brings the server back after an admin outage with for_ms; stop() cuts its wait short.
  std::jthread restarter_;
  bool outage_running_ = false;             // (fault_mutex_) the restarter has not finished yet
  std::atomic<bool> serving_rogue_{false};  // the rogue CA's certificate is served
};

}  // namespace mk::center::sim
