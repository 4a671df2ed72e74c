#include "kiosk/app/process_hardening.hpp"

#include <cerrno>
#include <stdexcept>
#include <string>
#include <system_error>

#include <sys/prctl.h>
#include <sys/resource.h>

namespace mk::kiosk {

void forbid_core_dumps() {
  const rlimit none{0, 0};
  if (::setrlimit(RLIMIT_CORE, &none) != 0) {
    throw std::runtime_error("cannot set the core size limit to 0: " +
                             std::generic_category().message(errno));
  }
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    throw std::runtime_error("cannot make the process non-dumpable: " +
                             std::generic_category().message(errno));
  }
}

}  // namespace mk::kiosk
