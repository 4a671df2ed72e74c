#pragma once

// How much of a tone samples hold: one bin of a discrete Fourier transform, for tests of what
// the kiosk plays (its sounds as synthesised, and as the disk audio driver captured them).
#include <complex>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <vector>

namespace mk::test {

// The energy at `hz` of `count` samples (at `rate` Hz) from `from` on.
inline double energy_at(const std::vector<int16_t>& samples, size_t from, size_t count, double hz,
                        int rate) {
  std::complex<double> sum;
  for (size_t i = 0; i < count && from + i < samples.size(); ++i) {
    sum += static_cast<double>(samples[from + i]) *
           std::polar(1.0, -2.0 * std::numbers::pi * hz * static_cast<double>(i) / rate);
  }
  return std::norm(sum);
}

}  // namespace mk::test
