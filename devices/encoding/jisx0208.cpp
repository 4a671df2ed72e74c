#include "devices/encoding/jisx0208.hpp"

#include <memory>

#include <unicode/ucnv.h>

namespace mk::devices {

namespace {

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using Converter = std::unique_ptr<UConverter, ConverterCloser>;

Converter euc_jp() {
  UErrorCode status = U_ZERO_ERROR;
  Converter c(ucnv_open("EUC-JP", &status));
  if (U_FAILURE(status)) {
    return nullptr;
  }
  // Fail on anything unmapped rather than substituting: a wrong character on a license is worse
  // than an error.
  ucnv_setToUCallBack(c.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  ucnv_setFromUCallBack(c.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  return U_FAILURE(status) ? nullptr : std::move(c);
}

Converter utf8_converter() {
  UErrorCode status = U_ZERO_ERROR;
  Converter c(ucnv_open("UTF-8", &status));
  if (U_FAILURE(status)) {
    return nullptr;
  }
  ucnv_setToUCallBack(c.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  return U_FAILURE(status) ? nullptr : std::move(c);
}

// From one charset to another through ICU's pivot; nullopt on anything unmapped or malformed.
std::optional<std::string> convert(const Converter& from, const Converter& to,
                                   std::string_view text) {
  if (!from || !to) {
    return std::nullopt;
  }
  std::string out(text.size() * 2 + 8, '\0');
  char* target = out.data();
  const char* source = text.data();
  UErrorCode status = U_ZERO_ERROR;
  ucnv_convertEx(to.get(), from.get(), &target, out.data() + out.size(), &source,
                 text.data() + text.size(), nullptr, nullptr, nullptr, nullptr, true, true,
                 &status);
  if (U_FAILURE(status)) {
    return std::nullopt;
  }
  out.resize(static_cast<size_t>(target - out.data()));
  return out;
}

// JIS X 0208 rows: 1–8 non-kanji (21–28), 16–84 kanji (30–74). ICU's EUC-JP table also maps
// vendor rows (NEC row 13, IBM rows 89–92): not JIS X 0208, so never on a license.
bool is_jisx0208_row(uint8_t first_byte) {
  return (first_byte >= 0x21 && first_byte <= 0x28) || (first_byte >= 0x30 && first_byte <= 0x74);
}

}  // namespace

std::optional<std::string> jisx0208_to_utf8(std::span<const uint8_t> jis) {
  if (jis.size() % 2 != 0) {
    return std::nullopt;
  }
  std::string euc;
  euc.reserve(jis.size());
  for (size_t i = 0; i < jis.size(); ++i) {
    const uint8_t b = jis[i];
    if (b < 0x21 || b > 0x7E) {
      return std::nullopt;
    }
    if (i % 2 == 0 && !is_jisx0208_row(b)) {
      return std::nullopt;
    }
    euc.push_back(static_cast<char>(b | 0x80));
  }
  auto utf8 = convert(euc_jp(), utf8_converter(), euc);
  // Only codes that map back to themselves: a vendor duplicate (e.g. a second ∫) would read
  // as one character and be written back as another.
  if (utf8) {
    const auto back = convert(utf8_converter(), euc_jp(), *utf8);
    if (!back || *back != euc) {
      return std::nullopt;
    }
  }
  return utf8;
}

std::optional<std::string> utf8_to_jisx0208(std::string_view utf8) {
  const auto converted = convert(utf8_converter(), euc_jp(), utf8);
  if (!converted) {
    return std::nullopt;
  }
  const std::string& euc = *converted;
  // ICU silently drops "default ignorable" characters (a soft hyphen, U+034F) it cannot map:
  // a round trip must give the text back, or a character would vanish from the card.
  const auto again = convert(euc_jp(), utf8_converter(), euc);
  if (!again || *again != utf8) {
    return std::nullopt;
  }
  std::string jis;
  for (size_t i = 0; i < euc.size(); ++i) {
    const auto b = static_cast<uint8_t>(euc[i]);
    // Only two-byte JIS X 0208 (A1..FE A1..FE); ASCII, half-width kana (8E) and JIS X 0212 (8F)
    // have no place on the card.
    if (b < 0xA1 || b > 0xFE || i + 1 >= euc.size()) {
      return std::nullopt;
    }
    const auto row = static_cast<uint8_t>(b & 0x7F);
    if (!is_jisx0208_row(row)) {
      return std::nullopt;  // a vendor extension character (NEC, IBM): not JIS X 0208
    }
    jis += static_cast<char>(row);
    jis += static_cast<char>(static_cast<uint8_t>(euc[++i]) & 0x7F);
  }
  return jis;
}

}  // namespace mk::devices
