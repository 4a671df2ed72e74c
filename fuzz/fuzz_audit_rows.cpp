// Audit rows as they are read back from audit.db, which an insider or a bad disk may have
// changed: rows built from the fuzzer's input (any seq, time, texts and hash blobs of any
// length) are verified, batched for upload and pruned; nothing may crash, and a chain that
// verifies must end at the recorded head.
#include <cstddef>
#include <cstdint>
#include <string>

#include "devices/fuzz/fuzz_support.hpp"
#include "fuzz/pristine_database.hpp"
#include "offline-cache/audit_log.hpp"
#include "offline-cache/schema.hpp"

namespace {

namespace oc = mk::offline_cache;
using mk::devices::fuzz::FuzzInput;

std::string text_of(FuzzInput& in) {
  const auto bytes = in.chunk();
  return {bytes.begin(), bytes.end()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in({data, size});
  oc::Connection& connection =
      mk::fuzz::pristine_database([](auto& db) { oc::schema::migrate_audit(db); });
  oc::AuditLog log(connection, [] { return oc::from_millis(1'767'225'600'000); });
  // Some honest rows first, so the fuzzer's rows can break a real chain.
  const int honest = in.byte() % 4;
  for (int i = 0; i < honest; ++i) {
    log.append({"holder", "record.write", "ok", "T", "row " + std::to_string(i), {}, {}});
  }
  while (!in.empty()) {
    auto insert = connection.db.prepare(
        "INSERT OR REPLACE INTO audit_log (seq, at, actor, action, result, terminal, detail, "
        "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const int64_t seq = in.byte() % 8;
    insert.bind(1, seq).bind(2, static_cast<int64_t>(in.byte()) * 1000);
    for (int column = 3; column <= 7; ++column) {
      insert.bind(column, text_of(in));
    }
    const auto prev = in.chunk();
    const auto hash = in.chunk();
    insert.bind(8, prev).bind(9, hash).run();
  }
  try {
    const auto all = log.verify_all();
    if (all.ok) {
      MK_FUZZ_CHECK(all.verified_through == log.head_seq());
    } else {
      MK_FUZZ_CHECK(all.first_bad_seq.has_value());
    }
    (void)log.verify();
    (void)log.batch_for_upload(0, 100);
    (void)log.prune_uploaded_before(oc::from_millis(2'000'000'000'000));
  } catch (const oc::StoreError&) {
  }
  return 0;
}
