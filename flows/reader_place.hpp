#pragma once

#include <array>
#include <string_view>

namespace mk::flows {

// Where a kiosk's card reader is, seen from the person in front of it (its configuration).
enum class ReaderPlace { unknown, below_left, below_centre, below_right, left, right };

inline constexpr std::array<ReaderPlace, 5> kReaderPlaces{
    ReaderPlace::below_left, ReaderPlace::below_centre, ReaderPlace::below_right, ReaderPlace::left,
    ReaderPlace::right};

// The place's one name: in the configuration, in reader-location.svg and (with '_' for '-') in
// the catalogue's keys ("below-right"); "" when unknown.
constexpr std::string_view reader_place_name(ReaderPlace place) {
  switch (place) {
    case ReaderPlace::unknown:
      return "";
    case ReaderPlace::below_left:
      return "below-left";
    case ReaderPlace::below_centre:
      return "below-centre";
    case ReaderPlace::below_right:
      return "below-right";
    case ReaderPlace::left:
      return "left";
    case ReaderPlace::right:
      return "right";
  }
  return "";
}

}  // namespace mk::flows
