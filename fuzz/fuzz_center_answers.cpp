// Every wire type of the centre API parsed from hostile JSON (an impostor server, a proxy, a
// broken centre): only WireError or a JSON error may come out, and what parses survives a round
// trip. The first byte picks the type.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "center/api/wire.hpp"
#include "devices/fuzz/fuzz_support.hpp"

namespace {

namespace api = mk::center::api;

template <typename T>
void parse(std::string_view text) {
  try {
    const T value = api::parse_body<T>(text);
    const api::Json again = api::Json(value);
    const T twice = again.get<T>();  // what the kiosk accepted, it can also write and re-read
    MK_FUZZ_CHECK(api::Json(twice) == again);
  } catch (const api::WireError&) {
  } catch (const nlohmann::json::exception&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 16) {
    case 0:
      parse<api::ErrorBody>(text);
      break;
    case 1:
      parse<api::KioskInfo>(text);
      break;
    case 2:
      parse<api::ReferenceData>(text);
      break;
    case 3:
      parse<api::Health>(text);
      break;
    case 4:
      parse<api::LicenseRecordView>(text);
      break;
    case 5:
      parse<api::HoldingFormChange>(text);
      break;
    case 6:
      parse<api::RenewalOffer>(text);
      break;
    case 7:
      parse<api::IssuerSession>(text);
      break;
    case 8:
      parse<api::PhaseCommands>(text);
      break;
    case 9:
      parse<api::PhaseVerdict>(text);
      break;
    case 10:
      parse<api::Consent>(text);
      break;
    case 11:
      parse<api::Linkage>(text);
      break;
    case 12:
      parse<api::Appointment>(text);
      break;
    case 13:
      parse<api::AuditAccepted>(text);
      break;
    case 14:
      parse<api::AuditBatch>(text);
      break;
    default:
      (void)api::is_final_refusal(text);
      break;
  }
  return 0;
}
