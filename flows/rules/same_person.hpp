#pragma once

// The conventional licence and the My Number card put on the readers belong to one person
// (R-RECORD: a licence is recorded only on its holder's card): the name and the birth date each
// card holds, compared as keys (base::comparison_key: width, spaces and dashes do not matter; a
// different character — 髙 for 高 — does, and staff decide).

#include <string>

namespace mk::flows {

bool same_person(const std::string& name_a, const std::string& birth_a, const std::string& name_b,
                 const std::string& birth_b);

}  // namespace mk::flows
