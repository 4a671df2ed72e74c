#include "kiosk/print/slip_renderer.hpp"

#include <array>
#include <cerrno>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace mk::kiosk {

namespace {

// Both ends closed on every way out.
struct Pipe {
  int fd[2] = {-1, -1};
  Pipe() {
    if (::pipe2(fd, O_CLOEXEC) != 0) {
      throw std::runtime_error("pipe: " + std::generic_category().message(errno));
    }
  }
  ~Pipe() {
    close(0);
    close(1);
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  void close(int end) {
    if (fd[end] >= 0) {
      ::close(fd[end]);
      fd[end] = -1;
    }
  }
};

std::string read_all(int fd) {
  std::string out;
  std::array<char, 65536> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n > 0) {
      out.append(buffer.data(), static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      return out;
    }
  }
}

}  // namespace

std::filesystem::path default_slip_helper() {
  return std::filesystem::read_symlink("/proc/self/exe").parent_path() / "mynakiosk-slip";
}

std::string render_slip(const std::filesystem::path& helper, const SlipText& slip,
                        const SlipLayout& layout) {
  const std::string request = slip_request(slip, layout).dump();
  Pipe in;
  Pipe out;
  Pipe err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);
  const std::string path = helper.string();
  char* argv[] = {const_cast<char*>(path.c_str()), nullptr};  // NOLINT: posix_spawn's signature
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, path.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    throw std::runtime_error("cannot start " + path + ": " +
                             std::generic_category().message(spawned));
  }
  in.close(0);
  out.close(1);
  err.close(1);
  // The request is small (well under a pipe's buffer): written whole before the answer is read.
  const ssize_t written = ::write(in.fd[1], request.data(), request.size());
  in.close(1);
  std::string postscript = read_all(out.fd[0]);
  const std::string complaint = read_all(err.fd[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (written != static_cast<ssize_t>(request.size()) || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0 || !postscript.starts_with("%!PS")) {
    throw std::runtime_error(
        path + " did not draw the slip: " + (complaint.empty() ? "no answer" : complaint));
  }
  return postscript;
}

}  // namespace mk::kiosk
