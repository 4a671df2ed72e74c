// The card identity members several requests share (json_fields.hpp).
#include "center/api/json_fields.hpp"

namespace mk::center::api::detail {

std::string optional_card_id(const Fields& f) {
  if (!f.has("card_id")) {
    return {};
  }
  std::string id = f.text("card_id", 64, 64);
  for (char& c : id) {
    if (c >= 'A' && c <= 'F') {
      c = static_cast<char>(c - 'A' + 'a');  // one spelling of an identity
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw WireError("card_id", "is not 64 hex digits");
    }
  }
  return id;
}

void put_card_id(Json& j, const std::string& card_id) {
  if (!card_id.empty()) {
    j["card_id"] = card_id;
  }
}

}  // namespace mk::center::api::detail
