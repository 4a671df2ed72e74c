#include "devices/pcsc/reader_manager.hpp"

#include <algorithm>
#include <map>
#include <thread>

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include "base/sleep.hpp"

namespace mk::devices {

const char* to_string(ReaderEvent::Kind kind) {
  switch (kind) {
    case ReaderEvent::Kind::service_up:
      return "service_up";
    case ReaderEvent::Kind::service_lost:
      return "service_lost";
    case ReaderEvent::Kind::reader_added:
      return "reader_added";
    case ReaderEvent::Kind::reader_removed:
      return "reader_removed";
    case ReaderEvent::Kind::card_inserted:
      return "card_inserted";
    case ReaderEvent::Kind::card_removed:
      return "card_removed";
  }
  return "unknown";
}

namespace {
constexpr const char* kPnpReader = "\\\\?PnP?\\Notification";
// How often a wake-up that may have been lost (SCardCancel before the wait began) is repeated.
constexpr auto kNudgeEvery = std::chrono::milliseconds(20);
}  // namespace

ReaderManager::ReaderManager(EventSink sink, Options options)
    : sink_(std::move(sink)),
      options_(std::move(options)),
      thread_([this](const std::stop_token& stop) {
        thread_main(stop);
        ended_.set_value();
      }) {}

ReaderManager::~ReaderManager() {
  thread_.request_stop();
  // Until the thread has ended: a cancel sent just before it began to wait would be lost. Not a
  // sleep: a stopping kiosk waits no longer than the thread takes.
  const auto ended = ended_.get_future();
  do {
    wake();
  } while (ended.wait_for(kNudgeEvery) != std::future_status::ready);
  thread_.join();
  for (auto& job : jobs_.close()) {
    job.done.set_exception(
        std::make_exception_ptr(CardError(CardErrorKind::transport, "the reader manager stopped")));
  }
}

void ReaderManager::fail_queued(CardErrorKind kind, const char* why) {
  for (auto& job : jobs_.take_all()) {
    job.done.set_exception(std::make_exception_ptr(CardError(kind, why)));
  }
}

void ReaderManager::wake() {
  if (const long context = context_.load(); context != 0) {
    SCardCancel(context);  // out of SCardGetStatusChange
  }
}

void ReaderManager::emit(const ReaderEvent& event) {
  if (sink_) {
    sink_(event);
  }
}

std::vector<ReaderState> ReaderManager::readers() const {
  const std::lock_guard lock(mutex_);
  return readers_;
}

std::future<void> ReaderManager::run(Job job) {
  std::future<void> future = job.done.get_future();
  if (!jobs_.push_back(std::move(job))) {
    throw CardError(CardErrorKind::transport, "the reader manager stopped");
  }
  wake();
  return future;
}

void ReaderManager::let_go() {
  try {
    run(Job{});
  } catch (const CardError&) {
    return;  // stopped: nothing is kept any more
  }
  // Not waited for (the thread may be busy with a card), but not lost either: a cancel sent just
  // before the thread began to wait would leave the job queued until the next event.
  for (int i = 0; i < 25 && waiting_.load() && !jobs_.empty(); ++i) {
    wake();
    std::this_thread::sleep_for(kNudgeEvery);
  }
}

void ReaderManager::run_and_wait(const std::string& reader, const Operation& operation,
                                 Afterwards afterwards) {
  auto future = run(Job{reader, operation, afterwards, {}});
  const auto give_up = std::chrono::steady_clock::now() + options_.operation_timeout;
  while (future.wait_for(kNudgeEvery) != std::future_status::ready) {
    if (std::chrono::steady_clock::now() >= give_up) {
      throw CardError(CardErrorKind::timeout, "the card operation did not finish in time");
    }
    // A cancel sent just before the thread began to wait is lost: nudge again while the job
    // has not been taken (the thread's wait itself has no timeout, so that it never polls).
    if (!jobs_.empty()) {
      wake();
    }
  }
  future.get();
}

void ReaderManager::run_jobs(PcscContext& context) {
  while (auto next = jobs_.try_pop()) {
    run_job(context, *next);
  }
}

void ReaderManager::run_job(PcscContext& context, Job& job) {
  if (!job.operation) {  // let_go()
    kept_.clear();
    job.done.set_value();
    return;
  }
  std::unique_ptr<PcscCard> card;
  // A card kept connected stays so, whatever this operation asks: only let_go() ends that.
  bool keep = job.afterwards == Afterwards::keep_connected;
  std::exception_ptr failure;
  try {
    if (auto kept = kept_.extract(job.reader)) {
      keep = true;
      card = std::move(kept.mapped());
      card->begin_transaction();
    } else {
      card = std::make_unique<PcscCard>(context, job.reader);
    }
    ApduChannel channel(*card, options_.tracer);
    job.operation(channel, card->atr());
  } catch (const CardError& e) {
    // A refusal by the card (a wrong PIN, a blocked one) leaves the card as the flow had it;
    // a card gone, or a connection that failed, is dropped.
    keep = keep && !e.card_gone() && e.kind() != CardErrorKind::no_service &&
           e.kind() != CardErrorKind::transport;
    failure = std::current_exception();
  } catch (...) {
    keep = false;
    failure = std::current_exception();
  }
  if (card && keep) {
    card->end_transaction();
    kept_[job.reader] = std::move(card);
  }
  if (failure) {
    job.done.set_exception(failure);
  } else {
    job.done.set_value();
  }
}

// One round of watching: returns when the service is lost (false) or when asked to stop (true).
bool ReaderManager::watch(PcscContext& context, const std::stop_token& stop) {
  std::map<std::string, DWORD> known;  // reader -> last event state
  auto refresh_readers = [&]() {
    std::vector<ReaderState> now = list_readers(context);
    std::map<std::string, DWORD> next;
    for (const auto& r : now) {
      next[r.name] = known.count(r.name) != 0 ? known[r.name] : SCARD_STATE_UNAWARE;
      if (known.count(r.name) == 0) {
        emit({ReaderEvent::Kind::reader_added, r.name, {}});
      }
    }
    for (const auto& [name, state] : known) {
      if (next.count(name) == 0) {
        kept_.erase(name);
        if ((state & SCARD_STATE_PRESENT) != 0) {
          emit({ReaderEvent::Kind::card_removed, name, {}});
        }
        emit({ReaderEvent::Kind::reader_removed, name, {}});
      }
    }
    known = std::move(next);
    const std::lock_guard lock(mutex_);
    readers_ = now;
  };
  refresh_readers();
  while (!stop.stop_requested()) {
    run_jobs(context);
    std::vector<std::string> names;
    std::vector<SCARD_READERSTATE> states;
    names.reserve(known.size() + 1);
    for (const auto& [name, state] : known) {
      names.push_back(name);
    }
    names.emplace_back(kPnpReader);
    states.resize(names.size());
    size_t i = 0;
    for (const auto& [name, state] : known) {
      states[i] = SCARD_READERSTATE{};
      states[i].szReader = names[i].c_str();
      states[i].dwCurrentState = state;
      ++i;
    }
    states.back() = SCARD_READERSTATE{};
    states.back().szReader = names.back().c_str();
    states.back().dwCurrentState = static_cast<DWORD>(known.size()) << 16;
    // No timeout: a job or stop() wakes this wait with SCardCancel, again until it is served
    // (run_and_wait, the destructor), since a cancel that comes just before it is lost.
    waiting_ = true;
    if (!jobs_.empty()) {
      waiting_ = false;
      continue;
    }
    const LONG rv = SCardGetStatusChange(context.handle(), INFINITE, states.data(),
                                         static_cast<DWORD>(states.size()));
    waiting_ = false;
    if (rv == SCARD_E_CANCELLED || rv == SCARD_E_TIMEOUT) {
      continue;  // a job was queued, or we are stopping
    }
    if (rv == SCARD_E_NO_SERVICE || rv == SCARD_E_SERVICE_STOPPED || rv == SCARD_E_INVALID_HANDLE) {
      return false;
    }
    if (rv == SCARD_E_UNKNOWN_READER || rv == SCARD_E_READER_UNAVAILABLE) {
      refresh_readers();
      continue;
    }
    if (rv != SCARD_S_SUCCESS) {
      return false;
    }
    bool readers_changed = (states.back().dwEventState & SCARD_STATE_CHANGED) != 0;
    for (size_t k = 0; k + 1 < states.size(); ++k) {
      const SCARD_READERSTATE& s = states[k];
      if ((s.dwEventState & SCARD_STATE_CHANGED) == 0) {
        continue;
      }
      const bool was = (known[names[k]] & SCARD_STATE_PRESENT) != 0;
      const bool is = (s.dwEventState & SCARD_STATE_PRESENT) != 0;
      if ((s.dwEventState & (SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE)) != 0) {
        readers_changed = true;
      }
      if (is && !was) {
        emit({ReaderEvent::Kind::card_inserted, names[k], Bytes(s.rgbAtr, s.rgbAtr + s.cbAtr)});
      } else if (!is && was) {
        kept_.erase(names[k]);
        emit({ReaderEvent::Kind::card_removed, names[k], {}});
      }
      known[names[k]] = s.dwEventState & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
    }
    {
      std::vector<ReaderState> now;
      for (size_t k = 0; k + 1 < states.size(); ++k) {
        const bool present = (states[k].dwEventState & SCARD_STATE_PRESENT) != 0;
        now.push_back(
            {names[k], present,
             present ? Bytes(states[k].rgbAtr, states[k].rgbAtr + states[k].cbAtr) : Bytes{}});
      }
      const std::lock_guard lock(mutex_);
      readers_ = std::move(now);
    }
    if (readers_changed) {
      refresh_readers();
    }
  }
  return true;
}

void ReaderManager::thread_main(const std::stop_token& stop) {
  auto delay = options_.reconnect_delay;
  bool was_up = false;
  while (!stop.stop_requested()) {
    try {
      PcscContext context;
      context_ = context.handle();
      service_up_ = true;
      emit({ReaderEvent::Kind::service_up, {}, {}});
      was_up = true;
      delay = options_.reconnect_delay;
      const bool stopping = watch(context, stop);
      kept_.clear();  // before the context they belong to goes
      context_ = 0;
      service_up_ = false;
      if (stopping) {
        return;
      }
      emit({ReaderEvent::Kind::service_lost, {}, {}});
      {
        const std::lock_guard lock(mutex_);
        readers_.clear();
      }
    } catch (const CardError&) {
      kept_.clear();
      context_ = 0;
      if (was_up && service_up_.exchange(false)) {
        emit({ReaderEvent::Kind::service_lost, {}, {}});
      }
    }
    // Fail queued jobs rather than let them wait for a pcscd that may not come back soon.
    fail_queued(CardErrorKind::no_service, "pcscd is not running");
    base::sleep_unless_stopped(stop, delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(2000));
  }
}

}  // namespace mk::devices
