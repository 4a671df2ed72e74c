#pragma once

namespace mk::flows {

// Where a kiosk's card reader is, seen from the person in front of it (its configuration).
enum class ReaderPlace { unknown, below_left, below_centre, below_right, left, right };

}  // namespace mk::flows
