// Command APDUs (Command::decode / encode, the path the centre's wrapped commands take through
// LicenseAp::relay) and response APDUs (Response::parse, StatusWord::decode).
#include <cstddef>
#include <cstdint>
#include <span>

#include "devices/apdu/command.hpp"
#include "devices/apdu/response.hpp"
#include "devices/fuzz/fuzz_support.hpp"

using namespace mk::devices;

namespace {

bool same(const Command& a, const Command& b) {
  return a.cla == b.cla && a.ins == b.ins && a.p1 == b.p1 && a.p2 == b.p2 && a.data == b.data &&
         a.le == b.le;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* raw, size_t size) {
  const std::span<const uint8_t> data(raw, size);

  if (const auto command = Command::decode(data)) {
    MK_FUZZ_CHECK(command->data.size() <= 65535);
    MK_FUZZ_CHECK(!command->le || (*command->le >= 1 && *command->le <= kMaxExtendedLe));
    const Bytes encoded = command->encode();
    const bool extended_input = size >= 7 && raw[4] == 0x00;
    if (encoded != Bytes(data.begin(), data.end())) {
      // Only an extended APDU whose lengths fit the short form may come back different (shorter).
      MK_FUZZ_CHECK(extended_input && encoded.size() < size);
    }
    const auto again = Command::decode(encoded);
    MK_FUZZ_CHECK(again && same(*again, *command));
    MK_FUZZ_CHECK(again->encode() == encoded);
    MK_FUZZ_CHECK(!command->trace().empty());
  }
  if (size < 4) {
    MK_FUZZ_CHECK(!Command::decode(data));
  }

  const auto response = Response::parse(data);
  MK_FUZZ_CHECK(response.has_value() == (size >= 2));
  if (response) {
    MK_FUZZ_CHECK(response->data.size() == size - 2);
    MK_FUZZ_CHECK(response->status.sw == (raw[size - 2] << 8 | raw[size - 1]));
    MK_FUZZ_CHECK(!response->status.describe().empty());
    const auto& status = response->status;
    if (status.status == Status::wrong_pin) {
      MK_FUZZ_CHECK(status.tries_left > 0 && status.tries_left <= 15);
    }
    if (status.status == Status::pin_blocked) {
      MK_FUZZ_CHECK(status.tries_left == 0);
    }
  }
  return 0;
}
