// mynakiosk-slip: draws one slip (kiosk/print/slip_renderer.hpp). The slip's words as JSON on
// stdin, its PostScript on stdout; exit 1 with the reason on stderr.
#include <array>
#include <iostream>

#include <unistd.h>

#include "kiosk/print/slip_document.hpp"

// A process that lives for one slip: what Cairo 1.16 loses at its end is the reason it exists, not
// a leak for the sanitizer builds to stop on.
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

int main() {
#if defined(__SANITIZE_ADDRESS__)
  __lsan_disable();  // what this process allocates ends with it (the sanitizer builds' leak check)
#endif
  try {
    std::string request;
    std::array<char, 4096> buffer{};
    ssize_t n = 0;
    while ((n = ::read(0, buffer.data(), buffer.size())) > 0) {
      request.append(buffer.data(), static_cast<size_t>(n));
    }
    const auto [slip, layout] = mk::kiosk::parse_slip_request(nlohmann::json::parse(request));
    std::cout << mk::kiosk::slip_postscript(slip, layout) << std::flush;
    return std::cout ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}
