#pragma once

// Salvage of a damaged cache.db: every outbox and dead-letter row that can still be read is put
// into the fresh store that replaces it (docs/offline-cache.md, "A damaged file").
//
// SQLite cannot read a file whose header was overwritten or whose pages were cut off, and its
// own `.recover` (3.40) gives up on both, yet the rows' bytes are usually still there. So the
// file (and its -wal, whose frames are the newest pages) is read page by page as the SQLite file
// format documents it: every table b-tree leaf cell is decoded, overflow chains followed, and a
// record shaped like an outbox or dead-letter row is kept. A pending row counts only when its
// payload opens with the store key under its own AAD (id, kind, idempotency key): that proves
// the row whole and the very one that was written, so no guess ever enters the outbox.

#include <filesystem>
#include <string>

#include "offline-cache/connection.hpp"
#include "offline-cache/key_file.hpp"

namespace mk::offline_cache {

struct SalvageReport {
  int pending = 0;               // submissions restored to the outbox (payload proven with the key)
  int dead_letters = 0;          // dead letters restored (kept for staff as they were)
  int delivered = 0;             // acknowledged tombstones restored (their keys stay known)
  int unreadable = 0;            // rows of those shapes that could not be restored
  int damaged_pages = 0;         // pages missing, and leaf pages or overflow chains that broke off
  bool file_unreadable = false;  // the damaged file itself could not be read at all
  bool audit_checkpoint = false;  // the centre's last acknowledged audit row was found

  bool complete() const { return unreadable == 0 && damaged_pages == 0 && !file_unreadable; }

  int restored() const { return pending + dead_letters + delivered; }
  std::string summary() const;  // one English line, no personal data
};

// Reads `damaged` (and `damaged`-wal when present: its committed frames of the current
// generation) and inserts what it finds into the empty outbox, dead-letter and audit_checkpoint
// tables of `fresh`, keeping each row's id (its payload's AAD binds it).
// Never throws for damage; throws StoreError when `fresh` cannot be written.
SalvageReport salvage_cache(const std::filesystem::path& damaged, Connection& fresh,
                            const KeyFile& key);

}  // namespace mk::offline_cache
