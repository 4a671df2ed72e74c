#include "kiosk/i18n/catalog.hpp"

#include <stdexcept>

#include <toml++/toml.h>

#include "flows/welcome/welcome_flow.hpp"
#include "kiosk/logging/log.hpp"

namespace mk::kiosk {

namespace {

void flatten(const toml::table& table, const std::string& prefix,
             std::map<std::string, Catalog::Entry>& out, const std::string& file) {
  for (const auto& [name, node] : table) {
    const std::string key =
        prefix.empty() ? std::string(name.str()) : prefix + "." + std::string(name.str());
    const auto* sub = node.as_table();
    if (sub == nullptr) {
      throw std::runtime_error(file + ": " + key + ": must be a table with `text` and `note`");
    }
    if (const auto* text = sub->get_as<std::string>("text")) {
      const auto* note = sub->get_as<std::string>("note");
      out[key] = {text->get(), note != nullptr ? note->get() : std::string()};
    } else {
      flatten(*sub, key, out, file);
    }
  }
}

}  // namespace

Catalog Catalog::load(const std::filesystem::path& texts_dir) {
  Catalog catalog;
  for (const auto language : {flows::Language::ja, flows::Language::en}) {
    const auto file = texts_dir / (std::string(flows::to_string(language)) + ".toml");
    try {
      const toml::table table = toml::parse_file(file.string());
      flatten(table, "", catalog.languages_[language], file.string());
    } catch (const toml::parse_error& e) {
      throw std::runtime_error(file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                               std::string(e.description()));
    }
  }
  return catalog;
}

const std::map<std::string, Catalog::Entry>& Catalog::entries(flows::Language language) const {
  static const std::map<std::string, Entry> none;
  const auto it = languages_.find(language);
  return it == languages_.end() ? none : it->second;
}

std::string Catalog::text(flows::Language language, const flows::TextRef& ref) const {
  const auto& table = entries(language);
  const auto it = table.find(ref.key);
  if (it == table.end()) {
    const std::string id = std::string(flows::to_string(language)) + ":" + ref.key;
    if (missing_.insert(id).second) {
      logger("i18n")->warn("missing text {}", id);
    }
    return "[" + ref.key + "]";
  }
  std::string result = it->second.text;
  // A procedure's name: its menu label from the procedure list, so a text that sends the person
  // to a procedure names it exactly as the menu does.
  const std::string marker = "{procedure:";
  for (auto pos = result.find(marker); pos != std::string::npos; pos = result.find(marker, pos)) {
    const auto end = result.find('}', pos);
    if (end == std::string::npos) {
      break;
    }
    const std::string id = result.substr(pos + marker.size(), end - pos - marker.size());
    const auto* procedure = flows::find_procedure(id);
    const std::string name = procedure != nullptr ? text(language, {procedure->label_key, {}})
                                                  : "[procedure:" + id + "]";
    if (procedure == nullptr && missing_.insert("procedure:" + id).second) {
      logger("i18n")->warn("text {} names no procedure {}", ref.key, id);
    }
    result.replace(pos, end + 1 - pos, name);
    pos += name.size();
  }
  for (const auto& [name, value] : ref.params) {
    const std::string placeholder = "{" + name + "}";
    for (auto pos = result.find(placeholder); pos != std::string::npos;
         pos = result.find(placeholder, pos + value.size())) {
      result.replace(pos, placeholder.size(), value);
    }
  }
  return result;
}

}  // namespace mk::kiosk
