#include "kiosk/app/store_opening.hpp"

#include <cstdlib>
#include <system_error>

#include <sys/stat.h>

#include "base/user_dirs.hpp"
#include "offline-cache/time.hpp"

namespace mk::kiosk {

namespace fs = std::filesystem;
namespace oc = offline_cache;

StorePaths store_paths(const Config::Store& config, bool as_root, const Environment& env) {
  StorePaths paths;
  // systemd's StateDirectory= hands the unit its own folder (the first, when it names several).
  const std::string state_directory = env("STATE_DIRECTORY");
  paths.dir = !config.dir.empty() ? fs::path(config.dir)
              : !state_directory.empty()
                  ? fs::path(state_directory.substr(0, state_directory.find(':')))
              : as_root ? fs::path("/var/lib/mynakiosk")
                        : base::user_dir(base::UserDir::state, env) / "mynakiosk";
  if (!config.key_file.empty()) {
    paths.key_file = config.key_file;
    paths.key_source = "configured";
    return paths;
  }
  if (const std::string credentials = env("CREDENTIALS_DIRECTORY"); !credentials.empty()) {
    if (fs::path credential = fs::path(credentials) / "store.key"; fs::exists(credential)) {
      paths.key_file = credential;
      paths.key_source = "systemd credential";
      return paths;
    }
  }
  paths.key_file = as_root ? fs::path("/etc/mynakiosk/store.key")
                           : base::user_dir(base::UserDir::config, env) / "mynakiosk" / "store.key";
  paths.key_source = "default";
  // An older kiosk kept the key beside the data: go on using it rather than strand its rows.
  if (const fs::path old = paths.dir / "store.key";
      !fs::exists(paths.key_file) && fs::exists(old)) {
    paths.key_file = old;
    paths.key_source = "data folder (old default; move it to " +
                       (as_root ? std::string("/etc/mynakiosk/store.key") : "the config folder") +
                       ")";
  }
  return paths;
}

std::unique_ptr<oc::Store> open_store(const StorePaths& paths, oc::StoreOptions options,
                                      bool* made_key) {
  if (made_key != nullptr) {
    *made_key = false;
  }
  if (!fs::exists(paths.key_file)) {
    const int64_t sealed = oc::Store::sealed_rows(paths.dir);
    if (sealed != 0) {
      throw StoreRefused(
          "the store key " + paths.key_file.string() + " is missing, and the store in " +
          paths.dir.string() + " holds " +
          (sealed > 0 ? std::to_string(sealed) + " row(s)" : std::string("rows it cannot count")) +
          " sealed with it; nothing was changed. Put the key file back, or run `mynakiosk "
          "--rekey-store` to set the old store aside intact and start a new one");
    }
    std::error_code error;
    fs::create_directories(paths.key_file.parent_path(), error);
    if (error) {
      throw StoreRefused("cannot create the folder of the store key " + paths.key_file.string() +
                         ": " + error.message());
    }
    oc::KeyFile::create(paths.key_file);
    options.new_key = true;
    if (made_key != nullptr) {
      *made_key = true;
    }
  }
  try {
    return oc::Store::open(paths.dir, oc::KeyFile::load(paths.key_file), std::move(options));
  } catch (const oc::StoreError& e) {
    if (e.kind() == oc::StoreErrorKind::key_file) {
      throw StoreRefused("the store key " + paths.key_file.string() + ": " + e.what() +
                         ". Put the right key back, or run `mynakiosk --rekey-store` to set the "
                         "old store aside intact and start a new one");
    }
    throw;
  }
}

fs::path rekey_store(const StorePaths& paths) {
  const std::string base = (paths.dir / ("set-aside-" + oc::utc_stamp(oc::system_now()))).string();
  fs::path aside = base;
  for (int n = 1; fs::exists(aside); ++n) {
    aside = base + "-" + std::to_string(n);  // never over an earlier set-aside
  }
  fs::create_directories(aside);
  ::chmod(aside.c_str(), 0700);
  for (const char* name : {oc::Store::kCacheFile, oc::Store::kAuditFile}) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      const fs::path file = paths.dir / (std::string(name) + suffix);
      if (fs::exists(file)) {
        fs::rename(file, aside / file.filename());
      }
    }
  }
  if (fs::exists(paths.key_file)) {
    // The key may sit on another file system (/etc): copy, then remove.
    fs::copy_file(paths.key_file, aside / "store.key");
    ::chmod((aside / "store.key").c_str(), 0600);
    fs::remove(paths.key_file);
  }
  fs::create_directories(paths.key_file.parent_path());
  oc::KeyFile::create(paths.key_file);
  return aside;
}

}  // namespace mk::kiosk
