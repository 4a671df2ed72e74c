#include "devices/sim/encoding.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

#include <openjpeg.h>
#include <unicode/ucnv.h>

namespace mk::devices::sim {

Date parse_date(std::string_view iso) {
  Date d;
  if (iso.size() == 10 && iso[4] == '-' && iso[7] == '-') {
    const std::string s(iso);
    if (std::sscanf(s.c_str(), "%4d-%2d-%2d", &d.year, &d.month, &d.day) == 3) {
      return d;
    }
  }
  return Date{};
}

std::string yyyymmdd(const Date& d) {
  char buf[16];
  static_cast<void>(
      std::snprintf(buf, sizeof buf, "%04d%02d%02d", d.year % 10000, d.month % 100, d.day % 100));
  return buf;
}

Bytes jis_x0208(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  // UTF-8 -> UTF-16 (strictly), then UTF-16 -> EUC-JP with a converter that stops at the first
  // character EUC-JP cannot hold instead of substituting one.
  UConverter* from = ucnv_open("UTF-8", &status);
  UConverter* to = ucnv_open("EUC-JP", &status);
  if (U_SUCCESS(status)) {
    ucnv_setToUCallBack(from, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    ucnv_setFromUCallBack(to, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  }
  std::vector<UChar> utf16(utf8.size() + 1);
  int32_t n16 = 0;
  if (U_SUCCESS(status)) {
    n16 = ucnv_toUChars(from, utf16.data(), static_cast<int32_t>(utf16.size()), utf8.data(),
                        static_cast<int32_t>(utf8.size()), &status);
  }
  std::vector<char> out(utf8.size() * 2 + 8);
  int32_t n = 0;
  if (U_SUCCESS(status)) {
    n = ucnv_fromUChars(to, out.data(), static_cast<int32_t>(out.size()), utf16.data(), n16,
                        &status);
  }
  ucnv_close(from);
  ucnv_close(to);
  if (U_FAILURE(status)) {
    throw std::runtime_error("not JIS X 0208 text: " + std::string(utf8));
  }
  Bytes jis;
  for (int32_t i = 0; i < n; i += 2) {
    const auto hi = static_cast<uint8_t>(out[static_cast<size_t>(i)]);
    if (hi < 0xA1 || hi > 0xFE || i + 1 >= n) {  // ASCII, JIS X 0201 kana (8E), JIS X 0212 (8F)
      throw std::runtime_error("not JIS X 0208 text: " + std::string(utf8));
    }
    const auto lo = static_cast<uint8_t>(out[static_cast<size_t>(i) + 1]);
    jis.push_back(static_cast<uint8_t>(hi - 0x80));
    jis.push_back(static_cast<uint8_t>(lo - 0x80));
  }
  return jis;
}

std::string era_date(const Date& d) {
  const int ymd = d.year * 10000 + d.month * 100 + d.day;
  int era = 0;
  int base = 0;
  if (ymd >= 20190501) {
    era = 5, base = 2018;
  } else if (ymd >= 19890108) {
    era = 4, base = 1988;
  } else if (ymd >= 19261225) {
    era = 3, base = 1925;
  } else if (ymd >= 19120730) {
    era = 2, base = 1911;
  } else {
    era = 1, base = 1867;
  }
  char buf[16];
  static_cast<void>(std::snprintf(buf, sizeof buf, "%d%02d%02d%02d", era, (d.year - base) % 100,
                                  d.month % 100, d.day % 100));
  return buf;
}

Bytes bcd_date(const Date& d) {
  const std::string s = yyyymmdd(d);
  Bytes out;
  for (size_t i = 0; i + 1 < s.size(); i += 2) {
    out.push_back(static_cast<uint8_t>((s[i] - '0') << 4 | (s[i + 1] - '0')));
  }
  return out;
}

namespace {

struct MemoryStream {
  Bytes data;
};

OPJ_SIZE_T write_fn(void* buffer, OPJ_SIZE_T n, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  const auto* p = static_cast<const uint8_t*>(buffer);
  s->data.insert(s->data.end(), p, p + n);
  return n;
}
OPJ_OFF_T skip_fn(OPJ_OFF_T n, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  s->data.resize(s->data.size() + static_cast<size_t>(n));
  return n;
}
OPJ_BOOL seek_fn(OPJ_OFF_T pos, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  s->data.resize(static_cast<size_t>(pos));
  return OPJ_TRUE;
}

std::vector<uint8_t> draw_portrait(int w, int h, uint32_t seed) {
  std::vector<uint8_t> px(static_cast<size_t>(w * h));
  const double face_w = 0.22 + 0.03 * static_cast<double>(seed % 5) / 4.0;
  const double face_h = 0.30 + 0.03 * static_cast<double>((seed / 5) % 5) / 4.0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const double u = (x + 0.5) / w;
      const double v = (y + 0.5) / h;
      double value = 200.0 - 60.0 * v;  // background gradient
      const double fx = (u - 0.5) / face_w;
      const double fy = (v - 0.40) / face_h;
      const double shoulders = (v - 1.05) * (v - 1.05) / 0.12 + (u - 0.5) * (u - 0.5) / 0.16;
      if (shoulders < 1.0) {
        value = 60.0;
      }
      if (fx * fx + fy * fy < 1.0) {
        value = 170.0 - 40.0 * (fx * fx + fy * fy);
        const double hair = v - (0.40 - face_h * 0.55);
        if (hair < 0) {
          value = 40.0;
        }
        for (const double ex : {-0.35, 0.35}) {
          const double dx = fx - ex, dy = fy + 0.15;
          if (dx * dx / 0.02 + dy * dy / 0.005 < 1.0) {
            value = 30.0;
          }
        }
        const double mx = fx, my = fy - 0.5;
        if (mx * mx / 0.08 + my * my / 0.004 < 1.0) {
          value = 90.0;
        }
      }
      px[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)] =
          static_cast<uint8_t>(std::lround(value));
    }
  }
  return px;
}

Bytes encode(const std::vector<uint8_t>& px, int w, int h, float rate) {
  opj_cparameters_t params;
  opj_set_default_encoder_parameters(&params);
  params.tcp_numlayers = 1;
  params.tcp_rates[0] = rate;
  params.cp_disto_alloc = 1;
  params.numresolution = 4;
  opj_image_cmptparm_t cmpt;
  std::memset(&cmpt, 0, sizeof cmpt);
  cmpt.dx = cmpt.dy = 1;
  cmpt.w = static_cast<OPJ_UINT32>(w);
  cmpt.h = static_cast<OPJ_UINT32>(h);
  cmpt.prec = 8;
  cmpt.sgnd = 0;
  opj_image_t* image = opj_image_create(1, &cmpt, OPJ_CLRSPC_GRAY);
  image->x0 = image->y0 = 0;
  image->x1 = static_cast<OPJ_UINT32>(w);
  image->y1 = static_cast<OPJ_UINT32>(h);
  for (size_t i = 0; i < px.size(); ++i) {
    image->comps[0].data[i] = px[i];
  }
  opj_codec_t* codec = opj_create_compress(OPJ_CODEC_J2K);
  MemoryStream mem;
  opj_stream_t* stream = opj_stream_default_create(OPJ_FALSE);
  opj_stream_set_user_data(stream, &mem, nullptr);
  opj_stream_set_write_function(stream, write_fn);
  opj_stream_set_skip_function(stream, skip_fn);
  opj_stream_set_seek_function(stream, seek_fn);
  const bool ok = opj_setup_encoder(codec, &params, image) &&
                  opj_start_compress(codec, image, stream) && opj_encode(codec, stream) &&
                  opj_end_compress(codec, stream);
  opj_stream_destroy(stream);
  opj_destroy_codec(codec);
  opj_image_destroy(image);
  if (!ok) {
    throw std::runtime_error("OpenJPEG: encoding the portrait failed");
  }
  return mem.data;
}

}  // namespace

Bytes portrait_j2k(uint32_t seed, size_t max_bytes) {
  constexpr int kW = 96, kH = 120;
  const auto px = draw_portrait(kW, kH, seed);
  // Raise the compression ratio until the codestream fits.
  float rate = 4.0F;
  for (int step = 0; step < 30; ++step, rate *= 1.25F) {
    Bytes j2k = encode(px, kW, kH, rate);
    if (j2k.size() <= max_bytes) {
      return j2k;
    }
  }
  throw std::runtime_error("OpenJPEG: portrait does not fit");
}

}  // namespace mk::devices::sim
