#pragma once

// Where the kiosk's store and its key live, and opening them without ever making the store's
// rows unreadable (docs/offline-cache.md, "The key").
//
// The key lives apart from the data, so a copied or stolen data folder is useless without it:
//   key   [store] key_file, else a systemd credential "store.key" ($CREDENTIALS_DIRECTORY), else
//         /etc/mynakiosk/store.key (root) or $XDG_CONFIG_HOME/mynakiosk/store.key; a key left in
//         the data folder by an older kiosk is still used when none of those exists.
//   data  [store] dir, else /var/lib/mynakiosk (root) or $XDG_STATE_HOME/mynakiosk.
// A missing key is made only over a store that holds nothing sealed with the old one; otherwise
// the kiosk refuses to start until an operator restores the key or runs --rekey-store.

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "base/user_dirs.hpp"
#include "kiosk/config/config.hpp"
#include "offline-cache/store.hpp"

namespace mk::kiosk {

struct StorePaths {
  std::filesystem::path dir;
  std::filesystem::path key_file;
  std::string key_source;  // "configured", "systemd credential", "default", "data folder (old)"
};

using base::Environment;  // tests pass their own
using base::process_environment;

StorePaths store_paths(const Config::Store& config, bool as_root, const Environment& env);

// The store cannot be opened without losing what it holds; what() is one line for the operator
// naming the file and what to do.
class StoreRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Opens the store; makes the key file (0600, in a 0700 folder) when it is missing and the store
// holds nothing sealed. Throws StoreRefused, or StoreError for what the store itself refuses.
// `made_key` is set when a new key was made.
std::unique_ptr<offline_cache::Store> open_store(const StorePaths& paths,
                                                 offline_cache::StoreOptions options,
                                                 bool* made_key = nullptr);

// The operator's re-key (mynakiosk --rekey-store): moves cache.db and audit.db (with their -wal
// and -shm) and the key file, when there is one, into <dir>/set-aside-<UTC time>/ intact, then
// makes a new key. Returns that folder. Run it with the kiosk service stopped.
std::filesystem::path rekey_store(const StorePaths& paths);

}  // namespace mk::kiosk
