// The reference data the centre simulator serves (reference.hpp).
#include "center/sim/reference.hpp"

namespace mk::center::sim {

namespace {

api::ReferenceData reference_data() {
  api::ReferenceData r;
  r.version = "2026112701";  // a decimal number that grows with every change
  r.fees = {{"lecture_online", 200},
            {"lecture_excellent", 500},
            {"lecture_general", 800},
            {"myna_license_record", 1500},
            {"myna_license_change", 0}};
  r.holidays = {"2026-01-01", "2026-01-02", "2026-01-12", "2026-02-11", "2026-02-23",
                "2026-03-20", "2026-04-29", "2026-05-04", "2026-05-05", "2026-05-06"};
  for (int d = 1; d <= 5; ++d) {
    r.opening_hours.push_back({d, "08:30", "17:00"});
  }
  r.opening_hours.push_back({7, "08:30", "12:00"});
  r.texts = {{"center.notice", "ja", "本日は通常どおり受け付けています。"},
             {"center.notice", "en", "We are open as usual today."}};
  return r;
}

}  // namespace

Reply reference(const httplib::Request& req) {
  const api::ReferenceData r = reference_data();
  const std::string etag = "\"" + r.version + "\"";
  if (req.get_header_value("If-None-Match") == etag) {
    return Reply{304, "", {{"ETag", etag}}};
  }
  Reply reply = json_reply(r);
  reply.headers["ETag"] = etag;
  return reply;
}

}  // namespace mk::center::sim
