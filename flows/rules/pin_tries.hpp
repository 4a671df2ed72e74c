#pragma once

// How many tries a PIN has left decides its screen, the same way for every PIN of every card: one
// function, so that no flow compares a count with 0 its own way.

#include <string>

namespace mk::flows {

enum class TriesLeft {
  none,  // locked (a count below zero, which no card sends, counts as locked too)
  last,  // one: a screen of its own before the pad, where a flow has one
  some,
};
TriesLeft tries_left(int tries);

// The PIN pad's state while tries are left, the locked state when none are.
std::string pad_or_locked(int tries, const std::string& pad, const std::string& locked);

}  // namespace mk::flows
