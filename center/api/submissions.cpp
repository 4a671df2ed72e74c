// JSON of the signed submissions, consents and linkages (submissions.hpp).
#include "center/api/submissions.hpp"

#include "center/api/json_fields.hpp"

namespace mk::center::api {

using detail::Fields;
using detail::kCertificate;
using detail::kDocument;
using detail::kShort;
using detail::kSignature;

void to_json(Json& j, const ConsentItems& v) {
  j = {{"address", v.address}, {"name", v.name}, {"birth_date", v.birth_date}};
}
void from_json(const Json& j, ConsentItems& v) {
  const Fields f(j, "");
  v.address = f.boolean("address");
  v.name = f.boolean("name");
  v.birth_date = f.boolean("birth_date");
}

void to_json(Json& j, const SignedSubmission& v) {
  j = {{"holder_ref", v.holder_ref},
       {"document", to_base64(v.document)},
       {"signature", to_base64(v.signature)},
       {"certificate", to_base64(v.certificate)}};
}
void from_json(const Json& j, SignedSubmission& v) {
  const Fields f(j, "");
  v.holder_ref = f.text("holder_ref", 1, kShort);
  v.document = f.base64("document", 1, kDocument);
  v.signature = f.base64("signature", 64, kSignature);
  v.certificate = f.base64("certificate", 64, kCertificate);
}

void to_json(Json& j, const ConsentRequest& v) {
  j = v.signed_;
  j["items"] = v.items;
}
void from_json(const Json& j, ConsentRequest& v) {
  const Fields f(j, "");
  v.signed_ = j.get<SignedSubmission>();
  v.items = Fields::read_at<ConsentItems>(f.member("items"), "items");
}

void to_json(Json& j, const Consent& v) {
  j = {{"consent_id", v.consent_id}, {"holder_ref", v.holder_ref},   {"items", v.items},
       {"valid_from", v.valid_from}, {"valid_until", v.valid_until}, {"renewed", v.renewed},
       {"status", v.status}};
}
void from_json(const Json& j, Consent& v) {
  const Fields f(j, "");
  v.consent_id = f.text("consent_id", 1, kShort);
  v.holder_ref = f.text("holder_ref", 1, kShort);
  v.items = Fields::read_at<ConsentItems>(f.member("items"), "items");
  v.valid_from = f.date("valid_from");
  v.valid_until = f.date("valid_until");
  v.renewed = f.boolean("renewed");
  v.status = f.text("status", 1, kShort);
}

void to_json(Json& j, const SigningNonceRequest& v) {
  j = {{"purpose", v.purpose}};
}
void from_json(const Json& j, SigningNonceRequest& v) {
  const Fields f(j, "");
  v.purpose = f.text("purpose", 1, kShort);
}

void to_json(Json& j, const SigningNonce& v) {
  j = {{"nonce", to_base64(v.nonce)}, {"issued_at", v.issued_at}};
}
void from_json(const Json& j, SigningNonce& v) {
  const Fields f(j, "");
  v.nonce = f.base64("nonce", 16, kShort);
  v.issued_at = f.instant("issued_at");
}

void to_json(Json& j, const Linkage& v) {
  j = {{"linkage_id", v.linkage_id},
       {"holder_ref", v.holder_ref},
       {"portal_available_from", v.portal_available_from}};
}
void from_json(const Json& j, Linkage& v) {
  const Fields f(j, "");
  v.linkage_id = f.text("linkage_id", 1, kShort);
  v.holder_ref = f.text("holder_ref", 1, kShort);
  v.portal_available_from = f.instant("portal_available_from");
}
}  // namespace mk::center::api
