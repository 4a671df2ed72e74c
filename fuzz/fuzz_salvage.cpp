// The salvage of a damaged cache.db (offline-cache/salvage.hpp) reads a file it cannot trust
// page by page: any bytes as the damaged file (the first byte, when set, also adds a -wal from
// the second half) must never crash, and nothing may enter the outbox that the key does not open.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

#include <unistd.h>

#include "devices/fuzz/fuzz_support.hpp"
#include "fuzz/pristine_database.hpp"
#include "offline-cache/crypto.hpp"
#include "offline-cache/outbox.hpp"
#include "offline-cache/salvage.hpp"
#include "offline-cache/schema.hpp"

namespace {

namespace oc = mk::offline_cache;

void write(const std::string& path, const uint8_t* data, size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  // On a RAM-backed folder when the machine has one: each input is a file.
  static const std::string file =
      std::string(::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") + "/mk-fuzz-salvage-" +
      std::to_string(::getpid()) + ".db";
  const bool with_wal = (data[0] & 1) != 0;
  const size_t half = with_wal ? (size - 1) / 2 : size - 1;
  write(file, data + 1, half);
  if (with_wal) {
    write(file + "-wal", data + 1 + half, size - 1 - half);
  } else {
    std::remove((file + "-wal").c_str());
  }
  oc::Connection& fresh =
      mk::fuzz::pristine_database([](auto& db) { oc::schema::migrate_cache(db); });
  std::array<uint8_t, 32> key{};
  key.fill(0x42);
  const oc::KeyFile store_key = oc::KeyFile::from_bytes(key);
  const auto report = oc::salvage_cache(file, fresh, store_key);
  // Every pending row restored opens with the key under its own AAD: any bytes cannot forge that.
  auto pending = fresh.db.prepare(
      "SELECT id, kind, idempotency_key, nonce, ciphertext FROM outbox WHERE state = 'pending'");
  int64_t count = 0;
  while (pending.step()) {
    ++count;
    const auto aad =
        oc::outbox_aad(pending.column_int(0), pending.column_text(1), pending.column_text(2));
    bool opens = true;
    try {
      (void)oc::crypto::open(store_key.bytes(), pending.column_blob(3), aad,
                             pending.column_blob(4));
    } catch (const oc::StoreError&) {
      opens = false;
    }
    MK_FUZZ_CHECK(opens);  // a restored pending row opens with the key
  }
  MK_FUZZ_CHECK(count == report.pending);
  return 0;
}
