#include "devices/cards/jpeg2000.hpp"

#include <algorithm>
#include <cstring>
#include <memory>

#include <openjpeg.h>

namespace mk::devices {

namespace {

struct Source {
  std::span<const uint8_t> data;
  size_t pos = 0;
};

OPJ_SIZE_T read(void* buffer, OPJ_SIZE_T size, void* user) {
  auto* s = static_cast<Source*>(user);
  const size_t n = std::min<size_t>(size, s->data.size() - s->pos);
  if (n == 0) {
    return static_cast<OPJ_SIZE_T>(-1);
  }
  std::memcpy(buffer, s->data.data() + s->pos, n);
  s->pos += n;
  return n;
}

OPJ_OFF_T skip(OPJ_OFF_T n, void* user) {
  auto* s = static_cast<Source*>(user);
  const auto left = static_cast<OPJ_OFF_T>(s->data.size() - s->pos);
  const OPJ_OFF_T step = std::clamp<OPJ_OFF_T>(n, -static_cast<OPJ_OFF_T>(s->pos), left);
  s->pos = static_cast<size_t>(static_cast<OPJ_OFF_T>(s->pos) + step);
  return step;
}

OPJ_BOOL seek(OPJ_OFF_T n, void* user) {
  auto* s = static_cast<Source*>(user);
  if (n < 0 || static_cast<size_t>(n) > s->data.size()) {
    return OPJ_FALSE;
  }
  s->pos = static_cast<size_t>(n);
  return OPJ_TRUE;
}

void quiet(const char*, void*) {}

struct CodecCloser {
  void operator()(opj_codec_t* c) const { opj_destroy_codec(c); }
};
struct StreamCloser {
  void operator()(opj_stream_t* s) const { opj_stream_destroy(s); }
};
struct ImageCloser {
  void operator()(opj_image_t* i) const { opj_image_destroy(i); }
};

}  // namespace

Parsed<GreyImage> decode_jpeg2000(std::span<const uint8_t> data) {
  static constexpr uint8_t kJ2kMagic[] = {0xFF, 0x4F, 0xFF, 0x51};
  static constexpr uint8_t kJp2Magic[] = {0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50};
  OPJ_CODEC_FORMAT format = OPJ_CODEC_UNKNOWN;
  if (data.size() >= 4 && std::equal(std::begin(kJ2kMagic), std::end(kJ2kMagic), data.begin())) {
    format = OPJ_CODEC_J2K;
  } else if (data.size() >= 6 &&
             std::equal(std::begin(kJp2Magic), std::end(kJp2Magic), data.begin())) {
    format = OPJ_CODEC_JP2;
  } else {
    return ParseError{"photo: not a JPEG 2000 codestream"};
  }
  Source source{data, 0};
  std::unique_ptr<opj_stream_t, StreamCloser> stream(opj_stream_default_create(OPJ_TRUE));
  opj_stream_set_user_data(stream.get(), &source, nullptr);
  opj_stream_set_user_data_length(stream.get(), data.size());
  opj_stream_set_read_function(stream.get(), read);
  opj_stream_set_skip_function(stream.get(), skip);
  opj_stream_set_seek_function(stream.get(), seek);
  std::unique_ptr<opj_codec_t, CodecCloser> codec(opj_create_decompress(format));
  opj_set_info_handler(codec.get(), quiet, nullptr);
  opj_set_warning_handler(codec.get(), quiet, nullptr);
  opj_set_error_handler(codec.get(), quiet, nullptr);
  opj_dparameters_t parameters;
  opj_set_default_decoder_parameters(&parameters);
  if (opj_setup_decoder(codec.get(), &parameters) == OPJ_FALSE) {
    return ParseError{"photo: decoder setup failed"};
  }
  opj_image_t* raw_image = nullptr;
  if (opj_read_header(stream.get(), codec.get(), &raw_image) == OPJ_FALSE) {
    return ParseError{"photo: unreadable JPEG 2000 header"};
  }
  std::unique_ptr<opj_image_t, ImageCloser> image(raw_image);
  const OPJ_UINT32 width = image->x1 - image->x0;
  const OPJ_UINT32 height = image->y1 - image->y0;
  if (image->numcomps == 0 || width == 0 || height == 0 || width > 2048 || height > 2048) {
    return ParseError{"photo: implausible size"};
  }
  if (opj_decode(codec.get(), stream.get(), image.get()) == OPJ_FALSE ||
      opj_end_decompress(codec.get(), stream.get()) == OPJ_FALSE) {
    return ParseError{"photo: the JPEG 2000 data does not decode"};
  }
  const opj_image_comp_t& grey = image->comps[0];
  if (grey.data == nullptr || grey.w == 0 || grey.h == 0 || grey.w > 2048 || grey.h > 2048) {
    return ParseError{"photo: no pixel data"};
  }
  GreyImage out;
  out.width = static_cast<int>(grey.w);
  out.height = static_cast<int>(grey.h);
  out.pixels.resize(static_cast<size_t>(grey.w) * grey.h);
  const int shift = grey.prec > 8 ? static_cast<int>(grey.prec) - 8 : 0;
  for (size_t i = 0; i < out.pixels.size(); ++i) {
    const int v = (grey.data[i] + (grey.sgnd != 0 ? 1 << (grey.prec - 1) : 0)) >> shift;
    out.pixels[i] = static_cast<uint8_t>(std::clamp(v, 0, 255));
  }
  return out;
}

}  // namespace mk::devices
