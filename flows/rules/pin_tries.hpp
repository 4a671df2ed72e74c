#pragma once

// How many tries a PIN has left decides its screen, the same way for every PIN of every card: one
// function, so that no flow compares a count with 0 its own way.

namespace mk::flows {

enum class TriesLeft {
  none,  // locked (a count below zero, which no card sends, counts as locked too)
  last,  // one: a screen of its own before the pad, where a flow has one
  some,
};
TriesLeft tries_left(int tries);

// The outcome of a PIN the card refused, by the tries it has left: "wrong_pin" while tries are
// left (the flow's table sends it back to the pad), "pin_locked" when none are.
const char* wrong_pin_outcome(int tries);

}  // namespace mk::flows
