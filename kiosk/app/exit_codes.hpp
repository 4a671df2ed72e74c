#pragma once

// The kiosk's exit codes, also listed in README.md.

namespace mk::kiosk {

enum Exit : int {
  kOk = 0,
  kFailure = 1,
  kBadConfig = 2,  // bad config file, bad command line or bad script
  kScriptFailed = 3,
  kUiWarnings = 4,      // --strict and the UI reported a problem (missing text, overflow, glyphs)
  kStoreRefused = 5,    // the store cannot be opened without losing what it holds (a missing key)
  kNeedsAttention = 6,  // --check: someone must act (the JSON's "attention" says why)
};

}  // namespace mk::kiosk
