#include "kiosk/runtime/card_service.hpp"

#include <algorithm>
#include <functional>
#include <utility>
#include <vector>

#include "base/hex.hpp"
#include "base/secret_bytes.hpp"
#include "devices/apdu/bytes.hpp"
#include "devices/apdu/card_error.hpp"
#include "devices/cards/certificate_days.hpp"
#include "devices/cards/dl_card.hpp"
#include "devices/cards/license_ap.hpp"
#include "devices/cards/my_number_card.hpp"
#include "devices/profile/card_profile.hpp"
#include "flows/card_ops.hpp"
#include "kiosk/logging/log.hpp"

namespace mk::kiosk {

namespace ops = flows::card_ops;

namespace {

bool is_probe(const std::string& op) {
  return op == ops::kProbeLicenseAp || op == ops::kProbeMyNumber || op == ops::kProbeDl;
}

std::string record_state_code(devices::profile::license_ap::RecordState state) {
  const auto value = static_cast<unsigned>(state);
  const char digits[] = {static_cast<char>('0' + value / 16), static_cast<char>('0' + value % 16),
                         0};
  return digits;
}

flows::Fields record_fields(const devices::LicenseReadout& r) {
  flows::Fields f;
  f["kind"] = r.record.kind == devices::RecordKind::license ? "license" : "history";
  f["number"] = r.record.number;
  f["recorded_on"] = r.record.recorded_on.iso();
  if (r.record.kind == devices::RecordKind::license) {  // a driving history has none of these
    f["expiry"] = r.record.expiry.iso();
    f["color"] = r.record.color;
    f["commission"] = r.record.commission;
    f["conditions"] = flows::join_list(r.record.conditions);
  }
  std::vector<std::string> classes;
  for (const auto& c : r.record.classes) {
    classes.push_back(c.name + " " + c.since.iso());
  }
  f["classes"] = flows::join_list(classes);
  if (r.record.kind == devices::RecordKind::driving_history) {
    f["history"] = r.record.history;
  }
  f["signature"] = r.signature.valid() ? "valid" : "invalid";
  f["signature_detail"] = r.signature.detail;
  return f;
}

}  // namespace

CardService::CardService(devices::ReaderManager& readers, std::filesystem::path license_ca_pem)
    : readers_(readers),
      license_ca_pem_(std::move(license_ca_pem)),
      worker_([this](Job& job) { run(job); }) {}

CardService::~CardService() {
  stop();
}

void CardService::stop() {
  worker_.stop();
  {
    const std::lock_guard lock(mutex_);
    active_post_ = nullptr;
    waiting_probe_.reset();
  }
  const std::lock_guard telling(telling_);
  stopped_ = true;
}

void CardService::submit(flows::CardRequest request, Post post) {
  Job job{std::move(request), std::move(post)};
  if (is_probe(job.request.op)) {
    job.probe_seq = ++latest_probe_;
  }
  worker_.post(std::move(job));
}

bool CardService::superseded(const Job& job) const {
  return job.probe_seq != 0 && job.probe_seq != latest_probe_.load();
}

void CardService::release() {
  {
    const std::lock_guard lock(mutex_);
    active_reader_.clear();
    active_post_ = nullptr;
    waiting_probe_.reset();
  }
  readers_.let_go();
}

std::set<std::string> CardService::readers_with_a_card_locked() const {
  std::set<std::string> present = cards_in_;
  for (const auto& r : readers_.readers()) {
    if (r.card_present) {
      present.insert(r.name);
    }
  }
  return present;
}

int CardService::cards_on_readers() {
  const std::lock_guard lock(mutex_);
  return static_cast<int>(readers_with_a_card_locked().size());
}

void CardService::begin_session() {
  readers_.let_go();  // nothing verified or opened on a card outlives the session it was for
  const std::lock_guard lock(mutex_);
  left_behind_ = readers_with_a_card_locked();
  for (const auto& reader : left_behind_) {
    logger("card")->warn(
        "a card was left on {} before this session: not used until it is taken off and placed "
        "again",
        reader);
  }
}

void CardService::on_reader_event(const devices::ReaderEvent& event) {
  Post tell;
  {
    const std::lock_guard lock(mutex_);
    if (event.kind == devices::ReaderEvent::Kind::card_inserted) {
      cards_in_.insert(event.reader);
      ++insertions_;
    } else if (event.kind == devices::ReaderEvent::Kind::card_removed ||
               event.kind == devices::ReaderEvent::Kind::reader_removed) {
      cards_in_.erase(event.reader);
      left_behind_.erase(event.reader);  // placed again, it is this session's card
    }
    if (event.kind == devices::ReaderEvent::Kind::card_inserted && waiting_probe_) {
      worker_.post(std::move(*waiting_probe_));
      waiting_probe_.reset();
    } else if ((event.kind == devices::ReaderEvent::Kind::card_removed ||
                event.kind == devices::ReaderEvent::Kind::reader_removed) &&
               event.reader == active_reader_ && active_post_) {
      tell = active_post_;
      active_reader_.clear();
      active_post_ = nullptr;
    }
  }
  if (tell) {
    const std::lock_guard telling(telling_);
    if (!stopped_) {
      tell(flows::Event::removed());
    }
  }
}

namespace {

// The PIN result of a VERIFY as the flow's answer, or nullopt when it went through.
std::optional<flows::Event> pin_refusal(const std::string& op, const devices::VerifyResult& v) {
  if (v.outcome == devices::VerifyOutcome::blocked) {
    return flows::Event::card(op, ops::kBlocked);
  }
  if (v.outcome == devices::VerifyOutcome::wrong) {
    return flows::Event::card(op, ops::kWrongPin, {{"tries", std::to_string(v.tries_left)}});
  }
  return std::nullopt;
}

// An answer field the operation can do without: a pulled card still ends the operation (the
// CardError goes on); any other card error leaves the field out, logged.
void read_optional(flows::Fields& f, const char* field, const char* what,
                   const std::function<std::string()>& read) {
  try {
    f[field] = read();
  } catch (const devices::CardError& e) {
    if (e.kind() == devices::CardErrorKind::card_removed ||
        e.kind() == devices::CardErrorKind::reader_removed) {
      throw;
    }
    logger("card")->warn("{} unreadable: {}", what, e.what());
  }
}

std::vector<devices::Bytes> relayed_commands(const std::string& text) {
  auto lines = base::from_hex_lines(text);
  if (!lines) {
    throw devices::CardError(devices::CardErrorKind::refused, "a relayed APDU is not hex");
  }
  return std::move(*lines);
}

}  // namespace

std::string CardService::identify(const std::string& reader) {
  // Shared with the operation: after a timeout it may still run on the reader thread.
  auto kind = std::make_shared<std::string>("unknown");
  readers_.run_and_wait(reader, [kind](devices::ApduChannel& channel, const devices::Bytes&) {
    if (devices::MyNumberCard(channel).is_my_number_card()) {
      *kind = "mynumber";
    } else if (devices::DlCard(channel).is_driving_license()) {
      *kind = "dl";
    }
  });
  return *kind;
}

void CardService::run(Job& job) {
  const std::string op = job.request.op;
  const bool probe = is_probe(op);
  if (superseded(job)) {
    return;  // the flow asked again since (a pulled card, retry): it waits for the newer probe
  }
  std::string reader;
  if (probe) {
    const std::string wanted = op == ops::kProbeDl ? "dl" : "mynumber";
    std::vector<std::string> candidates;
    uint64_t seen_insertions = 0;
    {
      const std::lock_guard lock(mutex_);
      seen_insertions = insertions_;
      for (const auto& r : readers_with_a_card_locked()) {
        if (left_behind_.count(r) == 0) {
          candidates.push_back(r);
        }
      }
    }
    bool stranger = false;
    for (const auto& candidate : candidates) {
      std::string kind;
      try {
        kind = identify(candidate);
      } catch (const devices::CardError&) {
        continue;  // gone again, or not answering: not the card we wait for
      }
      if (kind == wanted) {
        reader = candidate;
        break;
      }
      stranger = stranger || kind == "unknown";
    }
    if (reader.empty()) {
      if (stranger) {
        // A card that is neither: say so. The other kind of card on its own reader is not a
        // mistake (the licence stays on its reader while the My Number card is placed).
        job.post(flows::Event::card(op, wanted == "dl" ? ops::kNotDlCard : ops::kNotMyNumberCard));
        return;
      }
      const std::lock_guard lock(mutex_);
      if (insertions_ != seen_insertions) {
        worker_.post_front(std::move(job));  // a card came while we looked: look again
        return;
      }
      waiting_probe_ = std::move(job);  // answered when a card is placed
      return;
    }
  } else {
    const std::lock_guard lock(mutex_);
    reader = active_reader_;
  }
  if (reader.empty()) {
    job.post(flows::Event::removed());
    return;
  }
  // What the operation works on lives in a shared state, not on this stack: when the reader
  // manager gives up waiting (a timeout), the operation may still run on its thread later.
  struct OpState {
    std::string op;
    flows::Fields args;
    base::SecretBytes pin;
    std::filesystem::path license_ca;
    flows::Event answer;
  };
  auto st = std::make_shared<OpState>();
  st->op = op;
  st->args = job.request.args;
  st->pin = std::move(job.request.pin);
  st->license_ca = license_ca_pem_;
  st->answer = flows::Event::card(op, ops::kError);
  flows::Event answer = flows::Event::card(op, ops::kError);
  try {
    // The flow's card stays connected until the flow releases it: an issuer channel opened in
    // one operation is used in the next, after a round trip to the centre.
    const auto operation = [st](devices::ApduChannel& channel, const devices::Bytes&) {
      const std::string& name = st->op;
      flows::Event& out = st->answer;
      if (name == ops::kProbeLicenseAp || name == ops::kProbeMyNumber) {
        devices::LicenseAp ap(channel);
        flows::Fields f;
        f["has_license_ap"] = ap.present() ? "1" : "0";
        if (f["has_license_ap"] == "1") {
          const auto setting = ap.pin_setting();
          f["record_state"] = record_state_code(setting.state);
          f[name == ops::kProbeLicenseAp ? "tries" : "license_tries"] = std::to_string(ap.tries());
        }
        {
          devices::MyNumberCard card(channel);
          if (name == ops::kProbeMyNumber) {
            f["basic4_tries"] = std::to_string(card.basic4_tries());
            // Only the no-plastic-licence path needs it: never a reason to fail the probe.
            read_optional(f, "auth_tries", "the authentication PIN's tries", [&card] {
              return std::to_string(card.jpki_tries(devices::JpkiKey::auth));
            });
            // The signing procedures say "locked" before any PIN is typed.
            read_optional(f, "sign_tries", "the signing PIN's tries", [&card] {
              return std::to_string(card.jpki_tries(devices::JpkiKey::sign));
            });
          }
          // No readable certificate: the card is still usable, but a write on it cannot be
          // resumed within this procedure (the flow takes no card for "the same" blindly).
          read_optional(f, "card_id", "the card identity",
                        [&card] { return base::to_hex(card.fingerprint()); });
        }
        out = flows::Event::card(name, ops::kOk, std::move(f));
      } else if (name == ops::kProbeDl) {
        devices::DlCard dl(channel);
        out = flows::Event::card(name, ops::kOk,
                                 {{"tries", std::to_string(dl.tries(devices::PinKind::dl_pin1))}});
      } else if (name == ops::kReadDl) {
        devices::DlCard dl(channel);
        const auto v = dl.verify(devices::PinKind::dl_pin1, base::SecretBytes(st->pin.reveal()));
        st->pin.clear();
        if (auto refusal = pin_refusal(name, v)) {
          out = std::move(*refusal);
          return;
        }
        const devices::DlEntries e = dl.read_entries();
        out = flows::Event::card(name, ops::kOk,
                                 {{"license_number", e.license_number},
                                  {"name", e.name},
                                  {"birth_date", e.birth_date.iso()},
                                  {"expiry", e.expiry.iso()},
                                  {"color", e.color}});
      } else if (name == ops::kReadBasic4) {
        devices::MyNumberCard card(channel);
        const auto v = card.verify_basic4(base::SecretBytes(st->pin.reveal()));
        st->pin.clear();
        if (auto refusal = pin_refusal(name, v)) {
          out = std::move(*refusal);
          return;
        }
        const devices::Basic4Info b = card.read_basic4();
        out = flows::Event::card(
            name, ops::kOk,
            {{"name", b.name}, {"address", b.address}, {"birth_date", b.birth_date.iso()}});
      } else if (name == ops::kJpkiAuthenticate) {
        // The JPKI authentication PIN just typed, then the centre's challenge signed with the
        // card's authentication key: proof that this genuine card is in hand.
        const auto challenge = base::from_hex_dump(st->args["challenge"]);
        if (!challenge || challenge->empty()) {
          st->pin.clear();
          out = flows::Event::card(name, ops::kError);
          return;
        }
        devices::MyNumberCard card(channel);
        const auto v =
            card.verify_jpki(devices::JpkiKey::auth, base::SecretBytes(st->pin.reveal()));
        st->pin.clear();
        if (auto refusal = pin_refusal(name, v)) {
          out = std::move(*refusal);
          return;
        }
        const devices::Bytes signature =
            card.sign(devices::JpkiKey::auth, devices::sha256_digest_info(*challenge));
        const devices::Bytes certificate = card.read_certificate(devices::JpkiKey::auth);
        out = flows::Event::card(
            name, ops::kOk,
            {{"certificate", base::to_hex(certificate)}, {"signature", base::to_hex(signature)}});
      } else if (name == ops::kJpkiSign) {
        // The signing PIN just typed; then the certificate, whose days the flow judges, and the
        // document signed. The card signs only after its PIN: nothing is read without it.
        const auto document = base::from_hex_dump(st->args["document"]);
        if (!document || document->empty()) {
          st->pin.clear();
          out = flows::Event::card(name, ops::kError);
          return;
        }
        devices::MyNumberCard card(channel);
        const auto v =
            card.verify_jpki(devices::JpkiKey::sign, base::SecretBytes(st->pin.reveal()));
        st->pin.clear();
        if (auto refusal = pin_refusal(name, v)) {
          out = std::move(*refusal);
          return;
        }
        const devices::Bytes certificate = card.read_certificate(devices::JpkiKey::sign);
        const devices::CertificateDays days = devices::certificate_days(certificate);
        const devices::Bytes signature =
            card.sign(devices::JpkiKey::sign, devices::sha256_digest_info(*document));
        out = flows::Event::card(name, ops::kOk,
                                 {{"certificate", base::to_hex(certificate)},
                                  {"signature", base::to_hex(signature)},
                                  {"not_before", days.not_before},
                                  {"not_after", days.not_after}});
      } else if (name == ops::kReadLicense) {
        devices::LicenseAp ap(channel);
        if (!ap.present()) {
          out = flows::Event::card(name, ops::kError);
          return;
        }
        const auto v = ap.verify(base::SecretBytes(st->pin.reveal()));
        st->pin.clear();
        if (auto refusal = pin_refusal(name, v)) {
          out = std::move(*refusal);
          return;
        }
        devices::LicenseReadout readout = ap.read(st->license_ca);
        out = flows::Event::card(name, ops::kOk, record_fields(readout));
        out.blob = std::move(readout.photo);
      } else if (name == ops::kRelay) {
        const auto commands = relayed_commands(st->args["apdus"]);
        std::vector<devices::Bytes> answers;
        for (const auto& r : devices::LicenseAp(channel).relay(commands)) {
          answers.push_back(r.raw());
        }
        out = flows::Event::card(name, ops::kOk, {{"answers", base::to_hex_lines(answers)}});
      } else {
        logger("card")->error("unknown card operation {}", name);
      }
    };
    readers_.run_and_wait(reader, operation, devices::ReaderManager::Afterwards::keep_connected);
    answer = std::move(st->answer);  // the operation finished: its answer is ours
  } catch (const devices::CardError& e) {
    if (e.card_gone()) {
      {
        // The flow hears of it now; pcscd's own report of the removal comes later and must not
        // reach the flow a second time (it may already be probing for the card again).
        const std::lock_guard lock(mutex_);
        if (active_reader_ == reader) {
          active_reader_.clear();
          active_post_ = nullptr;
        }
      }
      job.post(flows::Event::removed());
      return;
    }
    if (e.kind() == devices::CardErrorKind::pin_blocked) {
      answer = flows::Event::card(op, ops::kBlocked);
    } else {
      logger("card")->warn("{}: {}", op, e.what());
      answer = flows::Event::card(op, ops::kError, {{"detail", devices::to_string(e.kind())}});
    }
  } catch (const std::exception& e) {
    // Not a card error (a relayed APDU that is not hex, a broken certificate file): the flow
    // hears "error" and the kiosk stays up.
    logger("card")->error("{}: {}", op, e.what());
    answer = flows::Event::card(op, ops::kError);
  }
  if (superseded(job)) {
    return;  // asked again while this one ran: two answers would move the flow twice
  }
  if (probe && answer.outcome == ops::kOk) {
    const std::lock_guard lock(mutex_);
    active_reader_ = reader;
    active_post_ = job.post;
  }
  job.post(std::move(answer));
}

}  // namespace mk::kiosk
