#include "flows/rules/same_person.hpp"

#include "base/text/comparison_text.hpp"
#include "flows/rules/calendar.hpp"

namespace mk::flows {

bool same_person(const std::string& name_a, const std::string& birth_a, const std::string& name_b,
                 const std::string& birth_b) {
  const auto day_a = parse_iso_date(birth_a);
  const auto day_b = parse_iso_date(birth_b);
  return day_a && day_b && *day_a == *day_b && base::same_text(name_a, name_b);
}

}  // namespace mk::flows
