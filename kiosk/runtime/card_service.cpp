#include "kiosk/runtime/card_service.hpp"

#include <utility>

#include "devices/apdu/card_error.hpp"
#include "devices/apdu/secure_bytes.hpp"
#include "devices/cards/license_ap.hpp"
#include "devices/cards/my_number_card.hpp"
#include "devices/profile/card_profile.hpp"
#include "flows/card_ops.hpp"
#include "kiosk/logging/log.hpp"

namespace mk::kiosk {

namespace ops = flows::card_ops;

namespace {

std::string record_state_code(devices::profile::license_ap::RecordState state) {
  const auto value = static_cast<unsigned>(state);
  const char digits[] = {static_cast<char>('0' + value / 16), static_cast<char>('0' + value % 16),
                         0};
  return digits;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : "、") + item;
  }
  return out;
}

flows::Fields record_fields(const devices::LicenseReadout& r) {
  flows::Fields f;
  f["kind"] = r.record.kind == devices::RecordKind::license ? "license" : "history";
  f["number"] = r.record.number;
  f["expiry"] = r.record.expiry.iso();
  f["recorded_on"] = r.record.recorded_on.iso();
  f["color"] = r.record.color;
  f["commission"] = r.record.commission;
  f["conditions"] = join(r.record.conditions);
  std::vector<std::string> classes;
  for (const auto& c : r.record.classes) {
    classes.push_back(c.name + " " + c.since.iso());
  }
  f["classes"] = join(classes);
  f["signature"] = r.signature.valid() ? "valid" : "invalid";
  f["signature_detail"] = r.signature.detail;
  return f;
}

}  // namespace

CardService::CardService(devices::ReaderManager& readers, std::filesystem::path license_ca_pem)
    : readers_(readers),
      license_ca_pem_(std::move(license_ca_pem)),
      thread_([this] { worker(); }) {}

CardService::~CardService() {
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void CardService::submit(flows::CardRequest request, Post post) {
  {
    const std::lock_guard lock(mutex_);
    jobs_.push_back({std::move(request), std::move(post)});
  }
  wake_.notify_all();
}

void CardService::release() {
  const std::lock_guard lock(mutex_);
  active_reader_.clear();
  active_post_ = nullptr;
  waiting_probe_.reset();
}

std::optional<std::string> CardService::card_reader_locked() {
  if (!cards_in_.empty()) {
    return *cards_in_.begin();
  }
  for (const auto& r : readers_.readers()) {
    if (r.card_present) {
      return r.name;
    }
  }
  return std::nullopt;
}

void CardService::on_reader_event(const devices::ReaderEvent& event) {
  Post tell;
  {
    const std::lock_guard lock(mutex_);
    if (event.kind == devices::ReaderEvent::Kind::card_inserted) {
      cards_in_.insert(event.reader);
    } else if (event.kind == devices::ReaderEvent::Kind::card_removed ||
               event.kind == devices::ReaderEvent::Kind::reader_removed) {
      cards_in_.erase(event.reader);
    }
    if (event.kind == devices::ReaderEvent::Kind::card_inserted && waiting_probe_) {
      jobs_.push_back(std::move(*waiting_probe_));
      waiting_probe_.reset();
    } else if ((event.kind == devices::ReaderEvent::Kind::card_removed ||
                event.kind == devices::ReaderEvent::Kind::reader_removed) &&
               event.reader == active_reader_ && active_post_) {
      tell = active_post_;
      active_reader_.clear();
      active_post_ = nullptr;
    }
  }
  wake_.notify_all();
  if (tell) {
    tell(flows::Event::removed());
  }
}

void CardService::worker() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
      if (stop_) {
        return;
      }
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    run(job);
  }
}

void CardService::run(Job& job) {
  const std::string op = job.request.op;
  std::string reader;
  {
    const std::lock_guard lock(mutex_);
    reader = active_reader_;
  }
  if (op == ops::kProbeLicenseAp) {
    const std::lock_guard lock(mutex_);
    const auto present = card_reader_locked();
    if (!present) {
      waiting_probe_ = std::move(job);  // answered when a card is placed
      return;
    }
    reader = *present;
  }
  if (reader.empty()) {
    job.post(flows::Event::removed());
    return;
  }
  flows::Event answer = flows::Event::card(op, ops::kError);
  try {
    readers_.run_and_wait(reader, [&](devices::ApduChannel& channel, const devices::Bytes&) {
      if (op == ops::kProbeLicenseAp) {
        devices::MyNumberCard card(channel);
        if (!card.is_my_number_card()) {
          answer = flows::Event::card(op, ops::kNotMyNumberCard);
          return;
        }
        devices::LicenseAp ap(channel);
        flows::Fields f;
        f["has_license_ap"] = ap.present() ? "1" : "0";
        if (f["has_license_ap"] == "1") {
          const auto setting = ap.pin_setting();
          f["record_state"] = record_state_code(setting.state);
          f["tries"] = std::to_string(ap.tries());
        }
        answer = flows::Event::card(op, ops::kOk, std::move(f));
      } else if (op == ops::kReadLicense) {
        devices::LicenseAp ap(channel);
        if (!ap.present()) {
          answer = flows::Event::card(op, ops::kError);
          return;
        }
        const devices::VerifyResult verified =
            ap.verify(devices::SecureBytes(job.request.pin.reveal()));
        job.request.pin.wipe();
        if (verified.outcome == devices::VerifyOutcome::blocked) {
          answer = flows::Event::card(op, ops::kBlocked);
        } else if (verified.outcome == devices::VerifyOutcome::wrong) {
          answer = flows::Event::card(op, ops::kWrongPin,
                                      {{"tries", std::to_string(verified.tries_left)}});
        } else {
          devices::LicenseReadout readout = ap.read(license_ca_pem_);
          answer = flows::Event::card(op, ops::kOk, record_fields(readout));
          answer.blob = std::move(readout.photo);
        }
      } else {
        logger("card")->error("unknown card operation {}", op);
      }
    });
  } catch (const devices::CardError& e) {
    job.request.pin.wipe();
    if (e.kind() == devices::CardErrorKind::card_removed ||
        e.kind() == devices::CardErrorKind::no_card ||
        e.kind() == devices::CardErrorKind::reader_removed) {
      job.post(flows::Event::removed());
      return;
    }
    if (e.kind() == devices::CardErrorKind::pin_blocked) {
      answer = flows::Event::card(op, ops::kBlocked);
    } else if (e.kind() == devices::CardErrorKind::wrong_card) {
      answer = flows::Event::card(op, ops::kNotMyNumberCard);
    } else {
      logger("card")->warn("{}: {}", op, e.what());
      answer = flows::Event::card(op, ops::kError, {{"detail", devices::to_string(e.kind())}});
    }
  }
  if (op == ops::kProbeLicenseAp && answer.outcome == ops::kOk) {
    const std::lock_guard lock(mutex_);
    active_reader_ = reader;
    active_post_ = job.post;
  }
  job.post(std::move(answer));
}

}  // namespace mk::kiosk
