#pragma once

// What the kiosk process does first, before it reads a card or a key: no core dump may ever hold
// a PIN, a licence record or the store key. The process is made non-dumpable (no core file, no
// ptrace by other users, /proc/<pid>/mem closed to them) and its core size limit set to 0 — for
// itself and for any helper it starts. Throws std::runtime_error when the kernel refuses.

namespace mk::kiosk {

void forbid_core_dumps();

}  // namespace mk::kiosk
