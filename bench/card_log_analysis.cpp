#include "bench/card_log_analysis.hpp"

#include <optional>
#include <set>
#include <sstream>

#include "base/hex.hpp"
#include "devices/apdu/command.hpp"

namespace mk::bench {

namespace {

namespace dev = mk::devices;
namespace sim = mk::devices::sim;
using json = nlohmann::ordered_json;

uint16_t sw_of(const sim::LogEntry& e) {
  const size_t n = e.response.size();
  return n < 2 ? 0 : static_cast<uint16_t>(e.response[n - 2] << 8 | e.response[n - 1]);
}

std::string hex16(uint16_t v) {
  char buf[8];
  (void)std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(v));
  return buf;
}

// The command as hex, PINs masked, long data cut.
std::string describe_command(const sim::LogEntry& e) {
  const auto a = dev::Command::decode(e.command);
  if (!a) {
    return mk::base::to_hex(e.command) + " (malformed)";
  }
  std::string s = mk::base::to_hex(std::span(e.command).first(4));
  if (a->ins == 0x20 && !a->data.empty()) {
    return s + " " + hex16(static_cast<uint16_t>(a->data.size())).substr(2) + " <PIN>";
  }
  const std::string rest = mk::base::to_hex(std::span(e.command).subspan(4));
  if (rest.size() > 48) {
    return s + " " + rest.substr(0, 12) + "... (" + std::to_string(e.command.size()) + " bytes)";
  }
  return rest.empty() ? s : s + " " + rest;
}

std::string category_of(const sim::LogEntry& e) {
  const auto a = dev::Command::decode(e.command);
  if (!a) {
    return "malformed";
  }
  const bool ok = sw_of(e) == 0x9000;
  if (a->cla == 0x00 && a->ins == 0xA4) {
    if (a->p1 == 0x04) {
      return ok ? "select_application" : "select_application_not_found";
    }
    if (a->p1 == 0x00) {
      return "select_mf";
    }
    return ok ? "select_file" : "select_file_not_found";
  }
  if (a->cla == 0x00 && a->ins == 0xB0) {
    return ok ? "read_binary" : "read_binary_refused";
  }
  if (a->cla == 0x00 && a->ins == 0x20) {
    return a->data.empty() ? "verify_tries_left" : "verify_pin";
  }
  if (a->ins == 0x2A) {
    return "compute_signature";
  }
  if (a->cla == 0x00 && (a->ins == 0xCA || a->ins == 0xCB)) {
    return "get_data";
  }
  return "other";
}

struct SelectionModel {
  std::optional<dev::Bytes> df;      // nullopt: unknown
  std::optional<uint16_t> file;      // nullopt: unknown; 0: none
  std::set<dev::Bytes> failed_aids;  // answered 6A82 (for repeated probes)

  // Returns why the entry is a redundant SELECT, or an empty string; then updates the model.
  std::string step(const sim::LogEntry& e, size_t* repeated_failed) {
    if (df && *df != e.df_aid) {  // the card changed under us (a reset): forget
      df.reset();
      file.reset();
    }
    std::string why;
    const auto a = dev::Command::decode(e.command);
    if (!a || a->cla != 0x00) {
      return why;
    }
    const uint16_t sw = sw_of(e);
    if (a->ins == 0xA4 && a->p1 == 0x04) {
      if (df && *df == a->data) {
        why = "application already selected";
      }
      if (sw == 0x9000) {
        df = a->data;
        file = 0;
      } else {
        if (failed_aids.count(a->data) != 0) {
          ++*repeated_failed;
        }
        failed_aids.insert(a->data);
      }
    } else if (a->ins == 0xA4 && a->p1 == 0x00) {
      if (df && df->empty()) {
        why = "MF already current";
      }
      if (sw == 0x9000) {
        df = dev::Bytes{};
        file = 0;
      }
    } else if (a->ins == 0xA4 && a->p1 == 0x02 && a->data.size() == 2) {
      const auto fid = static_cast<uint16_t>(a->data[0] << 8 | a->data[1]);
      if (file && *file == fid) {
        why = "file already current";
      }
      if (sw == 0x9000) {
        file = fid;
      }
    } else if (a->ins == 0xB0 && (a->p1 & 0x80) != 0 && sw != 0x6A82 && sw != 0x6A86 &&
               sw != 0x6700) {
      file = e.ef;  // READ BINARY by SFI makes the EF current
    }
    return why;
  }
};

// `sessions`: one span per PC/SC session of the client, in order, covering the operation.
}  // namespace

Analysis analyse(const std::vector<sim::LogEntry>& log, const std::vector<Span>& sessions) {
  Analysis out;
  // Card side: the operation starts right after a reset, so the card is at the MF.
  SelectionModel card;
  card.df = dev::Bytes{};
  card.file = 0;
  size_t index = 0;
  size_t ignored = 0;
  for (const Span& s : sessions) {
    SelectionModel client;  // a new session knows nothing of the card's state
    out.apdus_per_session.push_back(s.end - s.begin);
    for (size_t i = s.begin; i < s.end; ++i) {
      const sim::LogEntry& e = log[i];
      ++index;
      if (index == 1 && !e.df_aid.empty()) {
        out.started_at_mf = false;
      }
      ++out.apdus;
      out.response_bytes += e.response.size();
      ++out.categories[category_of(e)];
      const std::string why = client.step(e, &out.repeated_failed_selects);
      if (!why.empty()) {
        ++out.redundant_selects;
        out.redundant.push_back("#" + std::to_string(index) + " " + describe_command(e) + " (" +
                                why + ")");
      }
      if (!card.step(e, &ignored).empty()) {
        ++out.redundant_selects_card_side;
      }
    }
  }
  return out;
}

json sequence_json(const std::vector<sim::LogEntry>& log, const std::vector<Span>& sessions) {
  json out = json::array();
  for (size_t k = 0; k < sessions.size(); ++k) {
    for (size_t i = sessions[k].begin; i < sessions[k].end; ++i) {
      out.push_back(json{{"session", k + 1},
                         {"command", describe_command(log[i])},
                         {"sw", hex16(sw_of(log[i]))},
                         {"response_bytes", log[i].response.size()}});
    }
  }
  return out;
}

}  // namespace mk::bench
