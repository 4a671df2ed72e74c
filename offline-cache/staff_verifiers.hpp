#pragma once

// The centre's staff verifiers, cached so that a staff member can sign in while the centre is out
// of reach (issue 12): each an Argon2id verifier (base/pin_verifier.hpp), sealed with the store
// key besides — a copy of cache.db alone gives nobody a verifier to try PINs against — and the
// count of wrong PINs typed here while the centre was away, which locks the member on this kiosk
// at the fifth until the centre's own answer says otherwise.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/secret_bytes.hpp"
#include "offline-cache/connection.hpp"
#include "offline-cache/key_file.hpp"

namespace mk::offline_cache {

struct StaffVerifier {
  std::string staff_id;
  std::string role;
  std::string verifier;  // as the centre sent it
};

struct CachedStaff {
  std::string role;
  base::SecretBytes verifier;
  int64_t wrong_pins = 0;  // typed here while the centre was away, since the last right one
};

class StaffVerifiers {
 public:
  StaffVerifiers(Connection& connection, const KeyFile& key);

  // The centre's list as it is now, in one transaction: members no longer on it are removed (a
  // member the centre locked or retired cannot sign in offline once the kiosk has heard of it:
  // the copy is as fresh as the last period the centre answered); a member's count of wrong PINs
  // is kept.
  // Returns false when the list is the one already cached (nothing written).
  bool replace_all(std::span<const StaffVerifier> staff);
  // Throws StoreError(decrypt_failed) when a verifier does not decrypt (another key).
  std::optional<CachedStaff> find(std::string_view staff_id);
  // Counts a wrong PIN typed here; returns the count now.
  int64_t count_wrong_pin(std::string_view staff_id);
  // A right PIN (here or at the centre): the count starts again.
  void clear_wrong_pins(std::string_view staff_id);
  int64_t count();

 private:
  Connection& connection_;
  const KeyFile& key_;
};

}  // namespace mk::offline_cache
