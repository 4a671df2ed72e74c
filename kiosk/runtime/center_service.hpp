#pragma once

// The centre calls of flows/center_ops.hpp, carried out with the typed centre API
// (center/client) on a worker thread, their answers posted back to the flow. A refusal from the
// centre becomes its error code as the outcome; a centre that cannot be reached (or answers
// garbage) becomes "unavailable", which the flows offer to retry — but a staff sign-in is then
// checked against the kiosk's copy of the centre's verifiers (CachedStaffCheck).

#include "base/worker.hpp"
#include "center/client/center_api.hpp"
#include "flows/engine/effect.hpp"
#include "kiosk/runtime/cached_staff_check.hpp"
#include "kiosk/runtime/flow_runtime.hpp"

namespace mk::kiosk {

// The signed consent a flow's fields describe (center_ops::kStartConsent's args): the direct
// call and the outbox (kind "onestop-consent") send this same request. Throws WireError for
// fields that are not hex or name no item.
center::api::ConsentRequest consent_request(const flows::Fields& fields);
// A signed document the fields describe (holder_ref, document, signature, certificate, hex): the
// portal linkage's request (center_ops::kSubmitLinkage, outbox kind "portal-linkage"). Throws
// WireError for a field that is not hex or is empty.
center::api::SignedSubmission signed_submission(const flows::Fields& fields);

class CenterService {
 public:
  // `staff`: where a staff sign-in is checked when the centre cannot be reached (none: it is not).
  explicit CenterService(center::client::CenterApi& api, CachedStaffCheck* staff = nullptr);
  ~CenterService();  // stop()

  // Stops the worker after the job in hand and drops what is queued (their PINs wiped): nothing
  // is posted to a flow runtime after this returns. Call it before the runtime goes away.
  void stop();
  CenterService(const CenterService&) = delete;
  CenterService& operator=(const CenterService&) = delete;

  // FlowServices::center
  void submit(flows::CenterRequest request, Post post);

 private:
  struct Job {
    flows::CenterRequest request;
    Post post;
  };
  void serve(Job& job);
  flows::Event run(flows::CenterRequest& request);

  flows::Event staff_sign_in(flows::CenterRequest& request, const std::string& key);

  center::client::CenterApi& api_;
  CachedStaffCheck* staff_;
  base::Worker<Job> worker_;  // last: its thread uses what comes before
};

// A fresh random idempotency key (128 bits, hex).
std::string new_idempotency_key();

}  // namespace mk::kiosk
