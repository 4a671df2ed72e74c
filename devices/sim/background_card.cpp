#include "devices/sim/background_card.hpp"

#include "devices/pcsc/pcsc.hpp"

namespace mk::devices::sim {

BackgroundCard::BackgroundCard(SimOptions options) : options_(std::move(options)) {
  options_.stop = &stop_;
  options_.on_card = [this](CardEngine& engine) { engine_ = &engine; };
  thread_ = std::thread([this] { run_virtual_card(options_); });
}

BackgroundCard::~BackgroundCard() {
  stop_ = true;
  thread_.join();
}

bool wait_for_reader(const std::string& reader, bool present, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    try {
      PcscContext context;
      for (const auto& r : list_readers(context)) {
        if (r.name == reader && r.card_present == present) {
          return true;
        }
      }
    } catch (const CardError&) {
      // pcscd not (yet) there: keep waiting
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace mk::devices::sim
