#include "kiosk/print/slip_document.hpp"

#include <memory>
#include <stdexcept>
#include <vector>

#include <cairo-ps.h>
#include <pango/pangocairo.h>

#include "kiosk/ui/qr_code.hpp"

namespace mk::kiosk {

namespace {

constexpr double kPointsPerMm = 72.0 / 25.4;

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Surface = std::unique_ptr<cairo_surface_t, Deleter<cairo_surface_t, cairo_surface_destroy>>;
using Context = std::unique_ptr<cairo_t, Deleter<cairo_t, cairo_destroy>>;
void unref(PangoLayout* p) {
  g_object_unref(p);
}
using Layout = std::unique_ptr<PangoLayout, Deleter<PangoLayout, unref>>;

// One paragraph of the slip: its text and how it looks.
struct Paragraph {
  std::string text;
  double size_pt = 9;
  bool bold = false;
  double space_after_mm = 2;
};

std::vector<Paragraph> paragraphs(const SlipText& slip) {
  std::vector<Paragraph> out;
  const auto add = [&](const std::string& t, double size, bool bold, double after) {
    if (!t.empty()) {
      out.push_back({t, size, bold, after});
    }
  };
  add(slip.title, 13, true, 3);
  add(slip.body, 9, false, 2);
  add(slip.when, 10, true, 3);
  for (const auto& line : slip.details) {
    add(line, 9, false, 1.5);
  }
  add(slip.note, 8, false, 3);
  return out;
}

Layout make_layout(cairo_t* cr, const Paragraph& p, const SlipLayout& s) {
  Layout layout(pango_cairo_create_layout(cr));
  PangoFontDescription* font = pango_font_description_new();
  pango_font_description_set_family(font, s.font_family.c_str());
  pango_font_description_set_absolute_size(font, p.size_pt * PANGO_SCALE);
  pango_font_description_set_weight(font, p.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout.get(), font);
  pango_font_description_free(font);
  // No ligatures and no language-specific glyph variants: every glyph drawn is one the font's
  // character map names, so the text survives PostScript (a PDF printer keeps it searchable;
  // dev-notes: Noto CJK's `locl` digits in a Latin run lost their names).
  PangoAttrList* attrs = pango_attr_list_new();
  pango_attr_list_insert(attrs, pango_attr_font_features_new("liga 0, locl 0"));
  pango_layout_set_attributes(layout.get(), attrs);
  pango_attr_list_unref(attrs);
  pango_layout_set_width(
      layout.get(), static_cast<int>((s.width_mm - 2 * s.margin_mm) * kPointsPerMm * PANGO_SCALE));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text(layout.get(), p.text.c_str(), -1);
  return layout;
}

double height_pt(PangoLayout* layout) {
  int w = 0;
  int h = 0;
  pango_layout_get_size(layout, &w, &h);
  return static_cast<double>(h) / PANGO_SCALE;
}

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

SlipText slip_text(const flows::ViewModel& slip, const Catalog& catalog) {
  const auto text = [&](const char* role) {
    const auto it = slip.texts.find(role);
    return it == slip.texts.end() ? std::string() : catalog.text(slip.language, it->second);
  };
  SlipText t{text("title"), text("body"), text("when"),  {},
             text("note"),  slip.qr_code, text("footer")};
  for (const auto& line : slip.details) {
    t.details.push_back(catalog.text(slip.language, line));
  }
  return t;
}

nlohmann::json slip_request(const SlipText& t, const SlipLayout& l) {
  return {{"title", t.title},
          {"body", t.body},
          {"when", t.when},
          {"details", t.details},
          {"note", t.note},
          {"qr_code", t.qr_code},
          {"footer", t.footer},
          {"width_mm", l.width_mm},
          {"margin_mm", l.margin_mm},
          {"qr_side_mm", l.qr_side_mm},
          {"font_family", l.font_family}};
}

std::pair<SlipText, SlipLayout> parse_slip_request(const nlohmann::json& j) {
  try {
    SlipText t{j.at("title").get<std::string>(), j.at("body").get<std::string>(),
               j.at("when").get<std::string>(),  j.at("details").get<std::vector<std::string>>(),
               j.at("note").get<std::string>(),  j.at("qr_code").get<std::string>(),
               j.at("footer").get<std::string>()};
    SlipLayout l{j.at("width_mm").get<double>(), j.at("margin_mm").get<double>(),
                 j.at("qr_side_mm").get<double>(), j.at("font_family").get<std::string>()};
    return {std::move(t), std::move(l)};
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("not a slip request: ") + e.what());
  }
}

std::string slip_postscript(const SlipText& slip, const SlipLayout& s) {
  const std::vector<Paragraph> body = paragraphs(slip);
  const std::string& footer_text = slip.footer;
  const double width = s.width_mm * kPointsPerMm;
  const double margin = s.margin_mm * kPointsPerMm;
  const double qr_side = slip.qr_code.empty() ? 0 : s.qr_side_mm * kPointsPerMm;

  // Measure first (a page's size is set before anything is drawn on it).
  const Surface scratch(cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1));
  const Context measure(cairo_create(scratch.get()));
  double height = 2 * margin + qr_side;
  for (const auto& p : body) {
    height += height_pt(make_layout(measure.get(), p, s).get()) + p.space_after_mm * kPointsPerMm;
  }
  const Paragraph footer{footer_text, 7, false, 0};
  if (!footer_text.empty()) {
    height += 2 * kPointsPerMm + height_pt(make_layout(measure.get(), footer, s).get());
  }

  std::string out;
  const Surface ps(cairo_ps_surface_create_for_stream(append, &out, width, height));
  const Context cr(cairo_create(ps.get()));
  cairo_set_source_rgb(cr.get(), 0, 0, 0);
  double y = margin;
  for (const auto& p : body) {
    const Layout layout = make_layout(cr.get(), p, s);
    cairo_move_to(cr.get(), margin, y);
    pango_cairo_show_layout(cr.get(), layout.get());
    y += height_pt(layout.get()) + p.space_after_mm * kPointsPerMm;
  }
  if (!slip.qr_code.empty()) {
    // Vector modules, centred: sharp at any printer's resolution; dark on white.
    const QrModules code = qr_modules(slip.qr_code);
    const double module = qr_side / (code.width + 2 * QrModules::kQuietZone);
    const double x0 = (width - qr_side) / 2 + QrModules::kQuietZone * module;
    const double y0 = y + QrModules::kQuietZone * module;
    for (int my = 0; my < code.width; ++my) {
      for (int mx = 0; mx < code.width; ++mx) {
        if (code.at(mx, my)) {
          cairo_rectangle(cr.get(), x0 + mx * module, y0 + my * module, module, module);
        }
      }
    }
    cairo_fill(cr.get());
    y += qr_side;
  }
  if (!footer_text.empty()) {
    const Layout layout = make_layout(cr.get(), footer, s);
    cairo_move_to(cr.get(), margin, y + 2 * kPointsPerMm);
    pango_cairo_show_layout(cr.get(), layout.get());
  }
  cairo_show_page(cr.get());
  cairo_surface_finish(ps.get());
  if (cairo_surface_status(ps.get()) != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error(std::string("the slip could not be drawn: ") +
                             cairo_status_to_string(cairo_surface_status(ps.get())));
  }
  return out;
}

}  // namespace mk::kiosk
