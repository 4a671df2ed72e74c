#pragma once

// A child process for mynakiosk-bench: one that cannot outlive the bench, started with its own
// environment and its output in a log file, waited for with a timeout, stopped with a grace
// period; and finding a program and setting up the environment for a display.

#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench_support.hpp"

namespace mk::bench {

// The path of `name` on $PATH (executable), or "".
std::string find_in_path(const std::string& name);

// This environment with DISPLAY set to `display`, or removed when it is empty. With a display,
// SDL_VIDEODRIVER=x11 too: without it SDL 2.26 falls back to its invisible "offscreen" driver
// when the X server cannot be reached, and the "windowed" numbers would silently be of that.
std::vector<std::string> environment_with_display(const std::string& display);

struct ExitInfo {
  int status = 0;
  rusage usage{};
  bool exited_ok() const { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }
  std::string describe() const {
    if (WIFEXITED(status)) {
      return "exit code " + std::to_string(WEXITSTATUS(status));
    }
    if (WIFSIGNALED(status)) {
      return std::string("killed by signal ") +
             strsignal(WTERMSIG(status));  // NOLINT(concurrency-mt-unsafe): one thread
    }
    return "status " + std::to_string(status);
  }
};

// A child process that cannot outlive the bench: it gets SIGTERM when the bench dies
// (PR_SET_PDEATHSIG), and one still running when its Child goes out of scope is stopped.
class Child {
 public:
  // Starts argv[0] (a path) with `env`; its stdout and stderr go to `log_fd`.
  Child(const std::vector<std::string>& argv, const std::vector<std::string>& env, int log_fd) {
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv) {
      args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    std::vector<char*> envp;
    envp.reserve(env.size() + 1);
    for (const auto& e : env) {
      envp.push_back(const_cast<char*>(e.c_str()));
    }
    envp.push_back(nullptr);
    const pid_t parent = getpid();
    pid_ = fork();
    if (pid_ < 0) {
      throw std::runtime_error(std::string("fork: ") +
                               std::strerror(errno));  // NOLINT(concurrency-mt-unsafe)
    }
    if (pid_ == 0) {
      // Only async-signal-safe calls from here to exec.
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (getppid() != parent) {
        _exit(127);
      }
      const int null_fd = open("/dev/null", O_RDONLY);
      if (null_fd >= 0) {
        dup2(null_fd, STDIN_FILENO);
      }
      dup2(log_fd, STDOUT_FILENO);
      dup2(log_fd, STDERR_FILENO);
      execve(args[0], args.data(), envp.data());
      _exit(127);
    }
  }
  ~Child() {
    if (running_) {
      stop(std::chrono::seconds(3));
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  bool running() const { return running_; }

  // Blocks until the child exits.
  ExitInfo wait() {
    ExitInfo info;
    while (wait4(pid_, &info.status, 0, &info.usage) < 0) {
      if (errno != EINTR) {
        throw std::runtime_error(std::string("wait4: ") +
                                 std::strerror(errno));  // NOLINT(concurrency-mt-unsafe)
      }
    }
    running_ = false;
    exit_ = info;
    return info;
  }

  // The exit, if the child has exited by now (does not block).
  std::optional<ExitInfo> poll() {
    if (!running_) {
      return exit_;
    }
    ExitInfo info;
    const pid_t r = wait4(pid_, &info.status, WNOHANG, &info.usage);
    if (r == pid_) {
      running_ = false;
      exit_ = info;
      return info;
    }
    return std::nullopt;
  }

  std::optional<ExitInfo> wait_for(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      if (auto info = poll()) {
        return info;
      }
      if (Clock::now() >= deadline) {
        return std::nullopt;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  // SIGTERM, up to `grace` to exit, then SIGKILL. Always reaps the child.
  ExitInfo stop(std::chrono::milliseconds grace, bool* needed_kill = nullptr) {
    if (!running_) {
      return *exit_;
    }
    kill(pid_, SIGTERM);
    if (auto info = wait_for(grace)) {
      return *info;
    }
    if (needed_kill != nullptr) {
      *needed_kill = true;
    }
    kill(pid_, SIGKILL);
    return wait();
  }

 private:
  pid_t pid_ = -1;
  bool running_ = true;
  std::optional<ExitInfo> exit_;
};

}  // namespace mk::bench
