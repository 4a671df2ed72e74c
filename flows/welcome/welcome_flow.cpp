#include "flows/welcome/welcome_flow.hpp"

#include <algorithm>

namespace mk::flows {

const std::vector<Procedure>& procedures() {
  static const std::vector<Procedure> list = {
      {"record", "menu.record"},
      {"read_back", "menu.read_back"},
      {"holding_form", "menu.holding_form"},
      {"renewal", "menu.renewal"},
      {"history", "menu.history"},
      {"one_stop", "menu.one_stop"},
      {"portal_link", "menu.portal_link"},
      {"pin_unlock", "menu.pin_unlock"},
  };
  return list;
}

const Procedure* find_procedure(const std::string& id) {
  const auto& list = procedures();
  const auto it =
      std::find_if(list.begin(), list.end(), [&](const Procedure& p) { return p.id == id; });
  return it == list.end() ? nullptr : &*it;
}

WelcomeFlow::WelcomeFlow(Language default_language)
    : default_language_(default_language), language_(default_language) {}

void WelcomeFlow::reset() {
  state_ = State::attract;
  language_ = default_language_;
  chosen_procedure_.clear();
}

void WelcomeFlow::show_menu() {
  state_ = State::menu;
  chosen_procedure_.clear();
}

void WelcomeFlow::show_out_of_service(std::string reason_key) {
  state_ = State::out_of_service;
  out_of_service_key_ = std::move(reason_key);
}

bool WelcomeFlow::handle(const Intent& intent) {
  const ViewModel before = view();
  if (intent.kind == Intent::Kind::idle_timeout || intent.kind == Intent::Kind::cancel) {
    reset();
    return view() != before;
  }
  const std::string& id = intent.action;
  switch (state_) {
    case State::attract:
      if (id == "lang_ja") {
        language_ = Language::ja;
      } else if (id == "lang_en") {
        language_ = Language::en;
      } else if (id == "start") {
        state_ = State::menu;
      }
      break;
    case State::menu:
      if (id == "back") {
        state_ = State::attract;  // keeps the language: the person is still there
      } else if (find_procedure(id) != nullptr) {
        chosen_procedure_ = id;
        state_ = State::unavailable;
      }
      break;
    case State::unavailable:
    case State::out_of_service:
      if (id == "back") {
        state_ = State::menu;
        chosen_procedure_.clear();
      }
      break;
  }
  return view() != before;
}

ViewModel WelcomeFlow::view() const {
  ViewModel vm;
  vm.language = language_;
  switch (state_) {
    case State::attract:
      vm.screen = "attract";
      vm.texts["title"] = {"attract.title", {}};
      vm.texts["subtitle"] = {"attract.subtitle", {}};
      vm.texts["prompt"] = {"attract.prompt", {}};
      vm.texts["prompt_other"] = {"attract.prompt_other", {}};
      vm.actions.push_back({"start", {"attract.start", {}}, ActionStyle::primary, true});
      vm.actions.push_back(
          {"lang_ja", {"language.ja", {}}, ActionStyle::language, language_ != Language::ja});
      vm.actions.push_back(
          {"lang_en", {"language.en", {}}, ActionStyle::language, language_ != Language::en});
      break;
    case State::menu:
      vm.screen = "menu";
      vm.texts["title"] = {"menu.title", {}};
      for (const auto& p : procedures()) {
        vm.actions.push_back({p.id, {p.label_key, {}}, ActionStyle::secondary, true});
      }
      vm.actions.push_back({"back", {"common.back", {}}, ActionStyle::back, true});
      break;
    case State::unavailable: {
      vm.screen = "unavailable";
      const Procedure* p = find_procedure(chosen_procedure_);
      vm.texts["title"] = {p != nullptr ? p->label_key : "menu.title", {}};
      vm.texts["body"] = {"unavailable.body", {}};
      vm.actions.push_back({"back", {"common.back", {}}, ActionStyle::back, true});
      break;
    }
    case State::out_of_service: {
      vm.screen = "out_of_service";
      const Procedure* p = find_procedure(chosen_procedure_);
      vm.texts["title"] = {p != nullptr ? p->label_key : "menu.title", {}};
      vm.texts["body"] = {out_of_service_key_, {}};
      vm.actions.push_back({"back", {"common.back", {}}, ActionStyle::back, true});
      break;
    }
  }
  return vm;
}

}  // namespace mk::flows
