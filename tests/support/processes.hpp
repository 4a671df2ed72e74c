#pragma once

// Test processes: an X server (Xvfb) on a free display, and a child program run beside the test
// and stopped at the end.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace mk::test {

// Starts Xvfb on a free display number and stops it at the end.
class Xvfb {
 public:
  Xvfb() {
    for (int n = 90 + (::getpid() % 200); n < 400; ++n) {
      if (!std::filesystem::exists("/tmp/.X11-unix/X" + std::to_string(n)) &&
          !std::filesystem::exists("/tmp/.X" + std::to_string(n) + "-lock")) {
        display_ = n;
        break;
      }
    }
    pid_ = fork();
    if (pid_ == 0) {
      const std::string display = ":" + std::to_string(display_);
      execlp("Xvfb", "Xvfb", display.c_str(), "-screen", "0", "1920x1080x24", "-nolisten", "tcp",
             static_cast<char*>(nullptr));
      _exit(127);
    }
    const std::filesystem::path socket = "/tmp/.X11-unix/X" + std::to_string(display_);
    for (int i = 0; i < 100 && !std::filesystem::exists(socket); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ready_ = std::filesystem::exists(socket);
  }
  ~Xvfb() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  Xvfb(const Xvfb&) = delete;
  Xvfb& operator=(const Xvfb&) = delete;
  bool ready() const { return ready_; }
  std::string display() const { return ":" + std::to_string(display_); }

 private:
  int display_ = 99;
  pid_t pid_ = -1;
  bool ready_ = false;
};

// A program started beside the test (argv, and extra environment "NAME=value"), stopped with
// SIGTERM (then SIGKILL after 5 s) when this goes.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
    pid_ = fork();
    if (pid_ == 0) {
      for (const auto& e : env) {
        putenv(const_cast<char*>(e.c_str()));  // NOLINT: the child's own copy, about to exec
      }
      std::vector<char*> args;
      for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));  // NOLINT: execvp's signature
      }
      args.push_back(nullptr);
      execvp(args[0], args.data());
      _exit(127);
    }
  }
  ~ChildProcess() { stop(); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Stops it (a card taken off the reader, the kiosk closed); returns its exit status.
  int stop() {
    if (pid_ <= 0) {
      return status_;
    }
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      if (waitpid(pid_, &status_, WNOHANG) == pid_) {
        pid_ = -1;
        return status_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, &status_, 0);
    pid_ = -1;
    return status_;
  }
  bool running() { return pid_ > 0 && waitpid(pid_, &status_, WNOHANG) == 0; }

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

}  // namespace mk::test
