#include "devices/sim/cards.hpp"

#include <stdexcept>

#include "devices/profile/card_profile.hpp"

namespace mk::devices::sim {

namespace prof = mk::devices::profile;

namespace {

Bytes tag_bytes(uint16_t tag) {
  return {static_cast<uint8_t>(tag >> 8), static_cast<uint8_t>(tag & 0xFF)};
}

void append_jis(Bytes& out, uint8_t tag, const std::string& utf8) {
  append_tlv(out, tag, jis_x0208(utf8));
}

void append_ascii(Bytes& out, uint8_t tag, const std::string& s) {
  append_tlv(out, tag, ascii(s));
}

template <size_t N>
Bytes aid(const std::array<uint8_t, N>& a) {
  return {a.begin(), a.end()};
}

// The fixture's [initial_tries] for a fresh card.
void apply_initial_tries(CardSpec& spec, const Person& p) {
  auto apply = [&p](DfSpec& df) {
    for (auto& pin : df.pins) {
      auto it = p.initial_tries.find(pin.id);
      if (it != p.initial_tries.end()) {
        pin.initial_tries = it->second;
      }
    }
  };
  apply(spec.mf);
  for (auto& df : spec.dfs) {
    apply(df);
  }
}

}  // namespace

Bytes basic4_file(const Person& p) {
  const std::string name = p.family_name + "\u3000" + p.given_name;
  std::vector<Bytes> items(4);
  append_tlv(items[0], tag_bytes(prof::basic4::kNameTag), ascii(name));
  append_tlv(items[1], tag_bytes(prof::basic4::kAddressTag), ascii(p.address));
  append_tlv(items[2], tag_bytes(prof::basic4::kBirthTag), ascii(yyyymmdd(p.birth_date)));
  append_tlv(items[3], tag_bytes(prof::basic4::kSexTag), ascii(p.sex));
  constexpr size_t kOffsetsTlv = 3 + 8;  // DF21 08 + four 2-byte offsets
  size_t inner = kOffsetsTlv;
  for (const auto& i : items) {
    inner += i.size();
  }
  Bytes header = tag_bytes(prof::basic4::kTemplateTag);
  append_ber_length(header, inner);
  Bytes offsets;
  size_t at = header.size() + kOffsetsTlv;
  for (const auto& i : items) {
    offsets.push_back(static_cast<uint8_t>(at >> 8));
    offsets.push_back(static_cast<uint8_t>(at & 0xFF));
    at += i.size();
  }
  Bytes out = header;
  append_tlv(out, tag_bytes(prof::basic4::kOffsetsTag), offsets);
  for (const auto& i : items) {
    out.insert(out.end(), i.begin(), i.end());
  }
  return out;
}

Bytes my_number_file(const Person& p) {
  Bytes out = {0xFF, 0x10};
  append_ber_length(out, p.my_number.size());
  const Bytes digits = ascii(p.my_number);
  out.insert(out.end(), digits.begin(), digits.end());
  return out;
}

Bytes token_info_file() {
  std::string label = "JPKIAPICCTOKEN2";
  label.resize(160, ' ');
  return ascii(label);
}

Bytes license_ap_wef01(uint8_t record_state) {
  return {prof::license_ap::kPinSettingTag,  0x01, 0x01,
          prof::license_ap::kRecordStateTag, 0x01, record_state};
}

Bytes license_ap_wef02(const LicenseApRecord& r) {
  namespace la = prof::license_ap;
  Bytes out;
  append_ascii(out, la::kProfileVersion, "001");
  append_ascii(out, la::kRecordKind, r.kind);
  append_ascii(out, la::kNumber, r.number);
  append_ascii(out, la::kRecordingDate, era_date(r.recording_date));
  // A driving history (R-HISTORY, FAQ 8) records its number, the licences once held, the
  // recording date, the history and the photo: no colour, validity, commission or conditions —
  // nobody drives on it.
  const bool license = r.kind != "2";
  if (license) {
    append_jis(out, la::kColor, r.color);
    append_ascii(out, la::kExpiry, era_date(r.expiry));
    append_jis(out, la::kCommission, r.commission);
    for (const auto& c : r.conditions) {
      append_jis(out, la::kCondition, c);
    }
  }
  Bytes classes;
  for (const auto& c : r.classes) {
    append_ascii(classes, c.tag, era_date(c.date));
  }
  append_tlv(out, la::kClasses, classes);
  if (!license) {
    append_jis(out, la::kHistory, r.history);
  }
  return out;
}

Bytes license_ap_wef04(const Person& p) {
  // 5F40 82 hh ll + codestream must fit in 4 KiB.
  const Bytes j2k = portrait_j2k(p.photo_seed, prof::license_ap::kMaxPhotoBytes - 5);
  Bytes out;
  append_tlv(out, tag_bytes(prof::license_ap::kPhotoTag), j2k);
  return out;
}

Bytes license_ap_wef03(std::span<const uint8_t> wef02, std::span<const uint8_t> wef04,
                       const LicenseAuthority& la) {
  Bytes signed_bytes(wef02.begin(), wef02.end());
  signed_bytes.insert(signed_bytes.end(), wef04.begin(), wef04.end());
  const Bytes sig = rsa_sign_sha256(la.signer.key.get(), signed_bytes);
  Bytes out;
  append_tlv(out, prof::license_ap::kSignatureTag, sig);
  append_tlv(out, prof::license_ap::kSignerCertTag, la.signer.der);
  return out;
}

namespace {
// EF sizes of the 免許AP on the virtual card (docs/issuer-channel.md).
constexpr size_t kWef01Size = 32;
constexpr size_t kWef02Size = 1024;
constexpr size_t kWef03Size = 2048;
constexpr size_t kWef04Size = 4608;
}  // namespace

DfSpec empty_license_ap() {
  namespace la = prof::license_ap;
  DfSpec ap;
  ap.aid = aid(la::kAid);
  ap.efs = {{la::kWef01,
             {la::kPinSettingTag, 0x01, 0x00, la::kRecordStateTag, 0x01,
              static_cast<uint8_t>(la::RecordState::empty)},
             kWef01Size,
             {}},
            {la::kWef02, {}, kWef02Size, {pin_id::kLicenseAp}},
            {la::kWef03, {}, kWef03Size, {}},
            {la::kWef04, {}, kWef04Size, {pin_id::kLicenseAp}}};
  ap.pins = {{pin_id::kLicenseAp, la::kPin, "", la::kPinTries}};
  return ap;
}

scp03::StaticKeys card_static_keys(PkiCache& pki, const std::string& fixture_id) {
  const IssuerMasterKeys master = load_or_create_issuer_master_keys(pki);
  return scp03::diversify({master.enc, master.mac, master.dek},
                          scp03::diversification_data(fixture_id));
}

JpkiCredentials person_jpki(const Person& p, PkiCache& pki) {
  JpkiHolder holder;
  // A replacement card (R-LOST) has keys and certificates of its own.
  holder.id = p.card_serial == 1 ? p.id : p.id + "-card" + std::to_string(p.card_serial);
  holder.name = p.family_name + "\u3000" + p.given_name;
  holder.address = p.address;
  holder.birth_yyyymmdd = yyyymmdd(p.birth_date);
  holder.sex_code = p.sex;
  holder.locality_prefecture = p.prefecture;
  holder.locality_city = p.city;
  holder.not_before = {p.cert_not_before.year, p.cert_not_before.month, p.cert_not_before.day};
  holder.not_after = {p.cert_not_after.year, p.cert_not_after.month, p.cert_not_after.day};
  return make_jpki(pki, holder);
}

CardSpec make_mynumber_card(const Person& p, PkiCache& pki, const MyNumberCardOptions& opt) {
  namespace jp = prof::jpki;
  const JpkiCredentials creds = person_jpki(p, pki);

  CardSpec spec;
  spec.atr = aid(prof::kMyNumberAtr);
  spec.select_clears_pins = true;
  spec.secure_only_ins = {0xD6, 0x24, 0x2C};

  DfSpec jpki;
  jpki.aid = aid(prof::kJpkiAid);
  jpki.efs = {
      {jp::kAuthCert, creds.auth.der, 2048, {}},
      {jp::kAuthCaCert, creds.auth_ca.der, 2048, {}},
      {jp::kSignCert, creds.sign.der, 2048, {pin_id::kJpkiSign}},
      {jp::kSignCaCert, creds.sign_ca.der, 2048, {}},
      {jp::kTokenInfo, token_info_file(), 160, {}},
  };
  jpki.pins = {{pin_id::kJpkiAuth, jp::kAuthPin, p.pins.jpki_auth, jp::kAuthPinTries},
               {pin_id::kJpkiSign, jp::kSignPin, p.pins.jpki_sign, jp::kSignPinTries}};
  Pkey auth_key = creds.auth.key;
  Pkey sign_key = creds.sign.key;
  jpki.keys = {
      {jp::kAuthKey, pin_id::kJpkiAuth,
       [auth_key](std::span<const uint8_t> d) { return rsa_sign_digest_info(auth_key.get(), d); }},
      {jp::kSignKey, pin_id::kJpkiSign,
       [sign_key](std::span<const uint8_t> d) { return rsa_sign_digest_info(sign_key.get(), d); }},
  };
  spec.dfs.push_back(std::move(jpki));

  DfSpec basic4;
  basic4.aid = aid(prof::kBasic4Aid);
  basic4.efs = {{prof::basic4::kMyNumber, my_number_file(p), 32, {pin_id::kBasic4}},
                {prof::basic4::kBasic4, basic4_file(p), 512, {pin_id::kBasic4}}};
  basic4.pins = {{pin_id::kBasic4, prof::basic4::kPin, p.pins.basic4, prof::basic4::kPinTries}};
  spec.dfs.push_back(std::move(basic4));

  DfSpec face;
  face.aid = aid(prof::kFaceCheckAid);
  spec.dfs.push_back(std::move(face));

  if (p.license_ap && opt.license_ap == InstanceState::as_built) {
    namespace la = prof::license_ap;
    const LicenseApRecord& r = *p.license_ap;
    const uint8_t state = opt.record_state.value_or(r.record_state);
    DfSpec ap;
    ap.aid = aid(la::kAid);
    Bytes wef02, wef03, wef04;
    if (state != static_cast<uint8_t>(la::RecordState::empty)) {
      wef02 = license_ap_wef02(r);
      wef04 = license_ap_wef04(p);
    }
    if (state == static_cast<uint8_t>(la::RecordState::complete)) {
      wef03 = license_ap_wef03(wef02, wef04, make_license_authority(pki));
    }
    ap.efs = {{la::kWef01, license_ap_wef01(state), kWef01Size, {}},
              {la::kWef02, wef02, kWef02Size, {pin_id::kLicenseAp}},
              {la::kWef03, wef03, kWef03Size, {}},
              {la::kWef04, wef04, kWef04Size, {pin_id::kLicenseAp}}};
    ap.pins = {{pin_id::kLicenseAp, la::kPin, p.pins.license, la::kPinTries}};
    spec.dfs.push_back(std::move(ap));
  }
  apply_initial_tries(spec, p);
  if (opt.license_ap == InstanceState::installed) {  // INSTALLed by the issuer: no fixture data
    spec.dfs.push_back(empty_license_ap());
  }

  IssuerSpec issuer;
  issuer.isd_aid = aid(prof::kIsdAid);
  issuer.div_data = scp03::diversification_data(p.id);
  issuer.keys = card_static_keys(pki, p.id);
  issuer.package_aid.assign(prof::license_ap::kAid.begin(), prof::license_ap::kAid.begin() + 6);
  issuer.instance_aid = aid(prof::license_ap::kAid);
  issuer.make_instance = empty_license_ap;
  spec.issuer = std::move(issuer);
  return spec;
}

Bytes dl_common_data(const ConventionalLicense& l) {
  Bytes value = ascii(l.spec_version);
  if (value.size() != 3) {
    throw std::runtime_error("license spec version must be 3 characters");
  }
  const Bytes issue = bcd_date(l.issue_date);
  const Bytes expiry = bcd_date(l.expiry);
  value.insert(value.end(), issue.begin(), issue.end());
  value.insert(value.end(), expiry.begin(), expiry.end());
  Bytes out;
  append_tlv(out, 0x45, value);
  return out;
}

Bytes dl_entries(const Person& p, const ConventionalLicense& l) {
  namespace d = prof::dl;
  Bytes out;
  append_jis(out, d::kName, p.family_name + "\u3000" + p.given_name);
  append_tlv(out, d::kCallName, Bytes{});  // 呼び名: only for names the card cannot print
  append_ascii(out, d::kBirthDate, era_date(p.birth_date));
  append_jis(out, d::kAddress, p.address);
  append_ascii(out, d::kIssueDate, era_date(l.issue_date));
  append_ascii(out, d::kReferenceNumber, l.reference_number);
  append_jis(out, d::kColor, l.color);
  append_ascii(out, d::kExpiry, era_date(l.expiry));
  for (size_t i = 0; i < 4; ++i) {
    const auto tag = static_cast<uint8_t>(d::kCondition1 + i);
    append_jis(out, tag, i < l.conditions.size() ? l.conditions[i] : std::string());
  }
  append_jis(out, d::kCommission, l.commission);
  append_ascii(out, d::kLicenseNumber, l.number);
  for (uint8_t tag = d::kFirstClass; tag <= d::kLastClass; ++tag) {
    std::string value;
    for (const auto& c : l.classes) {
      if (c.tag == tag) {
        value = era_date(c.date);
      }
    }
    append_ascii(out, tag, value);  // empty when the class is not held
  }
  return out;
}

Bytes dl_honseki(const ConventionalLicense& l) {
  Bytes out;
  append_jis(out, 0x11, l.honseki);
  return out;
}

Bytes dl_photo(const Person& p) {
  Bytes out;
  append_tlv(out, tag_bytes(prof::license_ap::kPhotoTag), portrait_j2k(p.photo_seed, 8192));
  return out;
}

CardSpec make_dl_card(const Person& p) {
  if (!p.license) {
    throw std::runtime_error("fixture " + p.id + " has no [license] for a driver's license card");
  }
  namespace d = prof::dl;
  const ConventionalLicense& l = *p.license;
  CardSpec spec;
  spec.atr.assign(std::begin(kDlAtr), std::end(kDlAtr));
  spec.select_clears_pins = false;  // PIN1/PIN2 are verified under the MF, then DF1/DF2 are read
  spec.mf.efs = {{d::kCommonData, dl_common_data(l), 32, {}},
                 {d::kPinSetting, {0x05, 0x01, 0x01}, 16, {}}};
  spec.mf.pins = {{pin_id::kDlPin1, d::kPin1, p.pins.dl_pin1, d::kPinTries},
                  {pin_id::kDlPin2, d::kPin2, p.pins.dl_pin2, d::kPinTries}};
  DfSpec df1;
  df1.aid = aid(d::kDf1Aid);
  df1.efs = {{d::kEntries, dl_entries(p, l), 880, {pin_id::kDlPin1}},
             {d::kHonseki, dl_honseki(l), 256, {pin_id::kDlPin1, pin_id::kDlPin2}}};
  spec.dfs.push_back(std::move(df1));
  DfSpec df2;
  df2.aid = aid(d::kDf2Aid);
  df2.efs = {{d::kPhoto, dl_photo(p), 8192 + 512, {pin_id::kDlPin1, pin_id::kDlPin2}}};
  spec.dfs.push_back(std::move(df2));
  apply_initial_tries(spec, p);
  return spec;
}

}  // namespace mk::devices::sim
