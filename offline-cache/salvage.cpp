#include "offline-cache/salvage.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "offline-cache/crypto.hpp"
#include "offline-cache/outbox.hpp"
#include "offline-cache/store_error.hpp"

namespace mk::offline_cache {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

// The SQLite file format (https://www.sqlite.org/fileformat2.html), as far as salvage needs it.
constexpr std::string_view kMagic{"SQLite format 3\0", 16};
constexpr size_t kFileHeader = 100;
constexpr size_t kWalHeader = 32;
constexpr size_t kWalFrameHeader = 24;
constexpr uint8_t kLeafTable = 0x0D;
constexpr std::array<uint32_t, 8> kPageSizes = {4096, 1024, 2048, 8192, 16384, 32768, 65536, 512};

uint32_t be(std::span<const uint8_t> p, size_t at, size_t n) {
  uint32_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    v = (v << 8) | p[at + i];
  }
  return v;
}

// (A sized read: GCC 12 -O2 reports a false null dereference in istreambuf_iterator.)
std::optional<Bytes> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    return std::nullopt;
  }
  Bytes bytes(static_cast<size_t>(in.tellg()));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

// A varint at `at` (1 to 9 bytes, big-endian, 7 bits a byte, the ninth all 8); nullopt when it
// runs past `end`.
std::optional<uint64_t> varint(std::span<const uint8_t> p, size_t& at, size_t end) {
  uint64_t v = 0;
  for (int i = 0; i < 9; ++i) {
    if (at >= end || at >= p.size()) {
      return std::nullopt;
    }
    const uint8_t b = p[at++];
    if (i == 8) {
      return (v << 8) | b;
    }
    v = (v << 7) | (b & 0x7F);
    if ((b & 0x80) == 0) {
      return v;
    }
  }
  return std::nullopt;
}

// The newest copy of every page: the main file's, then the -wal's frames in order.
struct Pages {
  uint32_t size = 0;
  uint32_t usable = 0;
  uint32_t expected = 0;  // the header's page count, when the header is there
  std::map<uint32_t, std::span<const uint8_t>> by_number;  // 1-based
};

// Whether the `size` bytes at `at` read as a b-tree page of that size: a known type, and its
// cell-content start and every cell pointer inside the page. A real page read at a smaller size
// fails (its cells sit near its real end), and random bytes (ciphertext, overflow content) almost
// never pass; counting type bytes alone let a few random hits at 1024 outscore the real 4096.
bool plausible_page(std::span<const uint8_t> file, size_t at, uint32_t size) {
  const uint8_t type = file[at];
  if (type != 0x02 && type != 0x05 && type != 0x0A && type != kLeafTable) {
    return false;
  }
  const size_t header = (type == 0x02 || type == 0x05) ? 12 : 8;
  const uint32_t cells = be(file, at + 3, 2);
  const uint32_t raw_content = be(file, at + 5, 2);
  const uint32_t content = raw_content == 0 ? 65536 : raw_content;  // the format's 0 is 65536
  const size_t pointers_end = header + 2 * size_t{cells};
  if (cells == 0 || pointers_end > size || content < pointers_end || content > size) {
    return false;
  }
  for (size_t i = 0; i < cells; ++i) {
    const uint32_t cell = be(file, at + header + 2 * i, 2);
    if (cell < pointers_end || cell >= size) {
      return false;
    }
  }
  return true;
}

// Scores a page size by how many pages read as b-tree pages of that size.
int plausible_pages(std::span<const uint8_t> file, uint32_t size) {
  int score = 0;
  for (size_t at = size; at + size <= file.size(); at += size) {
    score += plausible_page(file, at, size) ? 1 : 0;
  }
  return score;
}

Pages collect_pages(std::span<const uint8_t> db, std::span<const uint8_t> wal) {
  Pages pages;
  uint32_t reserved = 0;
  if (db.size() >= kFileHeader &&
      std::string_view(reinterpret_cast<const char*>(db.data()), 16) == kMagic) {
    const uint32_t raw = be(db, 16, 2);
    pages.size = raw == 1 ? 65536 : raw;
    reserved = db[20];
    pages.expected = be(db, 28, 4);
  }
  if (wal.size() >= kWalHeader &&
      std::find(kPageSizes.begin(), kPageSizes.end(), be(wal, 8, 4)) != kPageSizes.end()) {
    pages.size = pages.size != 0 ? pages.size : be(wal, 8, 4);
  }
  if (std::find(kPageSizes.begin(), kPageSizes.end(), pages.size) == kPageSizes.end()) {
    // The header is gone: the size under which most pages look like b-tree pages.
    int best = -1;
    for (const uint32_t candidate : kPageSizes) {
      if (const int score = plausible_pages(db, candidate); score > best) {
        best = score;
        pages.size = candidate;
      }
    }
    reserved = 0;
  }
  pages.usable = pages.size > reserved ? pages.size - reserved : pages.size;
  for (size_t at = 0; at + pages.size <= db.size(); at += pages.size) {
    pages.by_number[static_cast<uint32_t>(at / pages.size) + 1] = db.subspan(at, pages.size);
  }
  if (wal.size() >= kWalHeader && be(wal, 8, 4) == pages.size) {
    // Only frames of the WAL's current generation (its salts) count, and only up to the last
    // commit frame: SQLite reuses a WAL from the start without truncating it, so older frames
    // follow the current ones, and a transaction that never committed is not the store's.
    const uint32_t salt1 = be(wal, 16, 4);
    const uint32_t salt2 = be(wal, 20, 4);
    std::vector<std::pair<uint32_t, std::span<const uint8_t>>> uncommitted;
    for (size_t at = kWalHeader; at + kWalFrameHeader + pages.size <= wal.size();
         at += kWalFrameHeader + pages.size) {
      if (be(wal, at + 8, 4) != salt1 || be(wal, at + 12, 4) != salt2) {
        break;
      }
      uncommitted.emplace_back(be(wal, at, 4), wal.subspan(at + kWalFrameHeader, pages.size));
      if (be(wal, at + 4, 4) != 0) {  // a commit frame
        for (const auto& [number, page] : uncommitted) {
          if (number != 0) {
            pages.by_number[number] = page;
          }
        }
        uncommitted.clear();
      }
    }
  }
  return pages;
}

// One column of a record.
using Value = std::variant<std::monostate, int64_t, double, std::string, Bytes>;

std::optional<std::vector<Value>> decode_record(std::span<const uint8_t> payload) {
  size_t at = 0;
  const auto header_size = varint(payload, at, payload.size());
  if (!header_size || *header_size > payload.size() || *header_size < at) {
    return std::nullopt;
  }
  std::vector<uint64_t> types;
  while (at < *header_size) {
    const auto type = varint(payload, at, *header_size);
    if (!type || types.size() > 64) {
      return std::nullopt;
    }
    types.push_back(*type);
  }
  std::vector<Value> values;
  size_t body = *header_size;
  for (const uint64_t type : types) {
    static constexpr std::array<size_t, 7> kIntSize = {0, 1, 2, 3, 4, 6, 8};
    if (type == 0) {
      values.emplace_back();
    } else if (type <= 6) {
      const size_t n = kIntSize[type];
      if (body + n > payload.size()) {
        return std::nullopt;
      }
      uint64_t u = 0;
      for (size_t i = 0; i < n; ++i) {
        u = (u << 8) | payload[body + i];
      }
      const unsigned shift = static_cast<unsigned>(64 - 8 * n);
      values.emplace_back(static_cast<int64_t>(u << shift) >> shift);  // sign-extended
      body += n;
    } else if (type == 7) {
      if (body + 8 > payload.size()) {
        return std::nullopt;
      }
      values.emplace_back(0.0);  // no table salvage reads has a REAL column
      body += 8;
    } else if (type == 8 || type == 9) {
      values.emplace_back(static_cast<int64_t>(type - 8));
    } else if (type >= 12) {
      const uint64_t n = (type - 12) / 2;
      if (n > payload.size() - body) {
        return std::nullopt;
      }
      const auto bytes = payload.subspan(body, static_cast<size_t>(n));
      if (type % 2 == 0) {
        values.emplace_back(Bytes(bytes.begin(), bytes.end()));
      } else {
        values.emplace_back(std::string(bytes.begin(), bytes.end()));
      }
      body += static_cast<size_t>(n);
    } else {
      return std::nullopt;  // 10 and 11 are reserved
    }
  }
  return values;
}

// One table b-tree leaf cell: its rowid and whole payload (overflow pages followed).
struct Cell {
  int64_t rowid = 0;
  Bytes payload;
};

// No row the store writes comes near this; a cell that says more is damage, not a row.
constexpr size_t kMaxPayload = size_t{4} * 1024 * 1024;

// Hands every cell of every table leaf page to `take`, one at a time; `damaged` counts pages
// and overflow chains that broke off.
void for_each_leaf_cell(const Pages& pages, int& damaged,
                        const std::function<void(const Cell&)>& take) {
  const size_t u = pages.usable;
  if (u < 480) {
    return;
  }
  if (pages.expected > pages.by_number.size()) {
    damaged += static_cast<int>(pages.expected - pages.by_number.size());  // cut off or missing
  }
  for (const auto& [number, page] : pages.by_number) {
    const size_t hdr = number == 1 ? kFileHeader : 0;
    if (page[hdr] != kLeafTable) {
      continue;
    }
    const size_t count = be(page, hdr + 3, 2);
    if (hdr + 8 + 2 * count > u) {
      ++damaged;
      continue;
    }
    bool page_damaged = false;
    for (size_t i = 0; i < count; ++i) {
      size_t at = be(page, hdr + 8 + 2 * i, 2);
      if (at < hdr + 8 + 2 * count || at >= u) {
        page_damaged = true;
        continue;
      }
      const auto total = varint(page, at, u);
      const auto rowid = varint(page, at, u);
      if (!total || !rowid || *total > kMaxPayload) {
        page_damaged = true;
        continue;
      }
      // How much of the payload sits on the page (the file format's formula).
      const size_t p = static_cast<size_t>(*total);
      const size_t x = u - 35;
      const size_t m = ((u - 12) * 32 / 255) - 23;
      const size_t k = m + ((p - m) % (u - 4));
      const size_t local = p <= x ? p : (k <= x ? k : m);
      if (at + local + (p > local ? 4 : 0) > u) {
        page_damaged = true;
        continue;
      }
      Cell cell;
      cell.rowid = static_cast<int64_t>(*rowid);
      cell.payload.reserve(p);
      cell.payload.assign(page.begin() + static_cast<std::ptrdiff_t>(at),
                          page.begin() + static_cast<std::ptrdiff_t>(at + local));
      uint32_t next = p > local ? be(page, at + local, 4) : 0;
      std::set<uint32_t> visited;  // a chain that loops is damage
      while (cell.payload.size() < p && next != 0 && visited.insert(next).second) {
        const auto found = pages.by_number.find(next);
        if (found == pages.by_number.end()) {
          break;
        }
        const size_t take_bytes = std::min(p - cell.payload.size(), u - 4);
        cell.payload.insert(cell.payload.end(), found->second.begin() + 4,
                            found->second.begin() + 4 + static_cast<std::ptrdiff_t>(take_bytes));
        next = be(found->second, 0, 4);
      }
      if (cell.payload.size() != p) {
        page_damaged = true;  // the chain ran into a missing, cut-off or looping page
        continue;
      }
      take(cell);
    }
    damaged += page_damaged ? 1 : 0;
  }
}

bool is_text(const Value& v) {
  return std::holds_alternative<std::string>(v);
}
bool is_int(const Value& v) {
  return std::holds_alternative<int64_t>(v);
}
bool is_null(const Value& v) {
  return std::holds_alternative<std::monostate>(v);
}
bool is_blob(const Value& v) {
  return std::holds_alternative<Bytes>(v);
}
const std::string& text(const Value& v) {
  return std::get<std::string>(v);
}
int64_t integer(const Value& v) {
  return std::get<int64_t>(v);
}
const Bytes& blob(const Value& v) {
  return std::get<Bytes>(v);
}

// A row found, in the shape of the table it came from (schema version 2, docs/offline-cache.md).
struct Found {
  enum class Table { outbox, dead_letter } table = Table::outbox;
  int64_t id = 0;
  std::vector<Value> values;
  int rank() const {  // which copy of one key wins: dead > delivered > pending
    if (table == Table::dead_letter) {
      return 2;
    }
    return text(values[8]) == "acknowledged" ? 1 : 0;
  }
};

// outbox (id, kind, idempotency_key, metadata, created_at, attempts, next_attempt_at,
//         last_error, state, acknowledged_at, nonce, ciphertext): the id is the rowid.
bool outbox_shaped(const std::vector<Value>& v) {
  return v.size() == 12 && is_null(v[0]) && is_text(v[1]) && is_text(v[2]) && is_text(v[3]) &&
         is_int(v[4]) && is_int(v[5]) && is_int(v[6]) && (is_null(v[7]) || is_text(v[7])) &&
         is_text(v[8]) && (text(v[8]) == "pending" || text(v[8]) == "acknowledged") &&
         (is_null(v[9]) || is_int(v[9])) && (is_null(v[10]) || is_blob(v[10])) &&
         (is_null(v[11]) || is_blob(v[11]));
}

// audit_checkpoint (id = 1, seq, hash): the centre's last acknowledged audit row.
bool checkpoint_shaped(int64_t rowid, const std::vector<Value>& v) {
  return rowid == 1 && v.size() == 3 && is_null(v[0]) && is_int(v[1]) && is_blob(v[2]) &&
         blob(v[2]).size() == 32;
}

// Ids the store can have written (an AUTOINCREMENT rowid far below the end of its range): a
// forged row with a huge id would make every later enqueue fail.
constexpr int64_t kMaxRowId = int64_t{1} << 40;

// dead_letter (id, kind, idempotency_key, metadata, created_at, attempts, reason, dead_at,
//              nonce, ciphertext)
bool dead_letter_shaped(const std::vector<Value>& v) {
  return v.size() == 10 && is_null(v[0]) && is_text(v[1]) && is_text(v[2]) && is_text(v[3]) &&
         is_int(v[4]) && is_int(v[5]) && is_text(v[6]) && is_int(v[7]) && is_blob(v[8]) &&
         is_blob(v[9]);
}

base::sqlite::Statement& bind_value(base::sqlite::Statement& s, int index, const Value& v) {
  if (is_text(v)) {
    return s.bind(index, std::string_view(text(v)));
  }
  if (is_int(v)) {
    return s.bind(index, integer(v));
  }
  if (is_blob(v)) {
    return s.bind(index, std::span<const uint8_t>(blob(v)));
  }
  return s.bind_null(index);
}

}  // namespace

std::string SalvageReport::summary() const {
  if (file_unreadable) {
    return "salvage: the damaged file could not be read at all";
  }
  return "salvage: " + std::to_string(pending) + " pending submission(s) and " +
         std::to_string(dead_letters) + " dead letter(s) restored, " + std::to_string(delivered) +
         " delivered mark(s) kept; " + std::to_string(unreadable) + " row(s) unreadable, " +
         std::to_string(damaged_pages) + " damaged page(s)";
}

SalvageReport salvage_cache(const fs::path& damaged, Connection& fresh, const KeyFile& key) {
  SalvageReport report;
  const auto db = read_file(damaged);
  if (!db) {
    report.file_unreadable = true;
    return report;
  }
  const Bytes wal = read_file(damaged.string() + "-wal").value_or(Bytes());
  const Pages pages = collect_pages(*db, wal);
  // The best copy of each idempotency key.
  std::map<std::string, Found> found;
  std::optional<std::pair<int64_t, Bytes>> checkpoint;
  for_each_leaf_cell(pages, report.damaged_pages, [&](const Cell& cell) {
    auto values = decode_record(cell.payload);
    if (!values) {
      return;  // another table's row, or a torn one: nothing says which
    }
    if (checkpoint_shaped(cell.rowid, *values)) {
      checkpoint.emplace(integer((*values)[1]), blob((*values)[2]));
      return;
    }
    Found f;
    if (outbox_shaped(*values)) {
      f.table = Found::Table::outbox;
    } else if (dead_letter_shaped(*values)) {
      f.table = Found::Table::dead_letter;
    } else {
      return;
    }
    f.id = cell.rowid;
    f.values = std::move(*values);
    if (f.id <= 0 || f.id >= kMaxRowId) {
      ++report.unreadable;
      return;
    }
    if (f.table == Found::Table::outbox && text(f.values[8]) == "pending") {
      // Only a payload that opens under its own row's AAD is a submission we may send.
      const bool sealed = is_blob(f.values[10]) && is_blob(f.values[11]);
      bool opens = false;
      if (sealed) {
        try {
          crypto::open(key.bytes(), blob(f.values[10]),
                       outbox_aad(f.id, text(f.values[1]), text(f.values[2])), blob(f.values[11]));
          opens = true;
        } catch (const StoreError&) {
        }
      }
      if (!opens) {
        ++report.unreadable;
        return;
      }
    }
    const std::string idempotency_key = text(f.values[2]);
    const auto it = found.find(idempotency_key);
    if (it == found.end() || f.rank() > it->second.rank()) {
      found[idempotency_key] = std::move(f);
    }
  });

  std::lock_guard lock(fresh.mutex);
  base::sqlite::Transaction transaction(fresh.db);
  for (const auto& [idempotency_key, f] : found) {
    if (f.table == Found::Table::dead_letter) {
      auto insert = fresh.db.prepare(
          "INSERT OR IGNORE INTO dead_letter (id, kind, idempotency_key, metadata, created_at, "
          "attempts, reason, dead_at, nonce, ciphertext) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      insert.bind(1, f.id);
      for (int c = 1; c < 10; ++c) {
        bind_value(insert, c + 1, f.values[static_cast<size_t>(c)]);
      }
      insert.run();
      report.dead_letters += fresh.db.changes() > 0 ? 1 : 0;  // (not counted twice on a re-run)
      continue;
    }
    auto insert = fresh.db.prepare(
        "INSERT OR IGNORE INTO outbox (id, kind, idempotency_key, metadata, created_at, attempts, "
        "next_attempt_at, last_error, state, acknowledged_at, nonce, ciphertext) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, f.id);
    const bool pending = text(f.values[8]) == "pending";
    for (int c = 1; c < 12; ++c) {
      // A delivered row keeps no payload (the table's CHECK): only its key and times.
      const bool payload_column = c >= 10;
      if (payload_column && !pending) {
        insert.bind_null(c + 1);
      } else {
        bind_value(insert, c + 1, f.values[static_cast<size_t>(c)]);
      }
    }
    insert.run();
    if (fresh.db.changes() > 0) {
      ++(pending ? report.pending : report.delivered);
    }
  }
  if (checkpoint) {
    auto insert = fresh.db.prepare(
        "INSERT OR REPLACE INTO audit_checkpoint (id, seq, hash) VALUES (1, ?, ?)");
    insert.bind(1, checkpoint->first).bind(2, std::span<const uint8_t>(checkpoint->second)).run();
    report.audit_checkpoint = true;
  }
  transaction.commit();
  return report;
}

}  // namespace mk::offline_cache
