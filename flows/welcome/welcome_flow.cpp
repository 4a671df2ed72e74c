#include "flows/welcome/welcome_flow.hpp"

namespace mk::flows {

namespace {

// The kiosk's notice that the chosen procedure cannot start (the store cannot keep it).
constexpr const char* kGate = "procedure_gate";

}  // namespace

const FlowDefinition& WelcomeFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "welcome";
    d.initial = "attract";
    // id, card removed, cancel, idle, final, note: a card is nobody's business here.
    d.states = {
        {"attract", "attract", "left", "left", false, "language, touch to start"},
        {"menu", "menu", "left", "left", false, "flows/procedures.cpp, in order"},
        {"unavailable", "unavailable", "left", "left", false,
         "not offered here; an offered procedure's flow runs from here"},
        {"out_of_service", "out_of_service", "left", "left", false, "the store cannot keep it"},
        {"left", "", "", "", true, "the next person starts in the default language"},
    };
    d.transitions = {
        {"attract", "tap:start", "menu"},
        {"attract", "tap:lang_ja", "attract"},
        {"attract", "tap:lang_en", "attract"},
        {"menu", "tap:back", "attract"},  // keeps the language: the person is still there
        {"menu", "procedure_chosen", "unavailable"},
        {"unavailable", "tap:back", "menu"},  // also when the procedure's own flow ended
        {"unavailable", std::string("store:") + kGate + "=refused", "out_of_service"},
        {"out_of_service", "tap:back", "menu"},
    };
    d.validate();
    return d;
  }();
  return def;
}

WelcomeFlow::WelcomeFlow(Language default_language)
    : default_language_(default_language),
      language_(default_language),
      machine_(definition(),
               {
                   {"attract",
                    {nullptr,
                     [this](Event& e) -> Step {
                       if (e.kind == EventKind::intent && e.name == "lang_ja") {
                         language_ = Language::ja;
                       } else if (e.kind == EventKind::intent && e.name == "lang_en") {
                         language_ = Language::en;
                       }
                       return {};  // the table's edges: the same screen in that language
                     }}},
                   {"menu", {nullptr, [this](Event& e) { return choose(e); }}},
                   {"unavailable",
                    {nullptr,
                     [this](Event& e) -> Step {
                       return back_to_menu(e);  // or the kiosk's gate refused: the table
                     }}},
                   {"out_of_service", {nullptr, [this](Event& e) { return back_to_menu(e); }}},
               },
               [this] { wipe(); }) {
  machine_.start();
}

Step WelcomeFlow::choose(const Event& e) {
  if (e.kind != EventKind::intent || e.name == "back") {
    return {};  // back: the table's edge
  }
  if (const Procedure* p = find_procedure(e.name); p == nullptr || !p->offered()) {
    return stay();  // no such procedure, or not offered here (not on the menu): nothing changes
  }
  chosen_procedure_ = e.name;
  return {"procedure_chosen", {}};
}

Step WelcomeFlow::back_to_menu(const Event& e) {
  if (e.kind == EventKind::intent && e.name == "back") {
    chosen_procedure_.clear();
  }
  return {};  // the table's edges
}

void WelcomeFlow::wipe() {
  language_ = default_language_;
  chosen_procedure_.clear();
  out_of_service_key_.clear();
}

void WelcomeFlow::feed(Event event) {
  machine_.dispatch(std::move(event));
  if (machine_.finished()) {
    machine_.start();  // the person left: the attract screen for the next one
  }
}

bool WelcomeFlow::handle(const Intent& intent) {
  const ViewModel before = view();
  switch (intent.kind) {
    case Intent::Kind::idle_timeout:
      feed(Event::idle());
      break;
    case Intent::Kind::cancel:
      feed(Event::cancel());
      break;
    case Intent::Kind::action:
      feed(Event::tap(intent.action));
      break;
  }
  return view() != before;
}

WelcomeFlow::State WelcomeFlow::state() const {
  const std::string& s = machine_.state();
  if (s == "menu") {
    return State::menu;
  }
  if (s == "unavailable") {
    return State::unavailable;
  }
  if (s == "out_of_service") {
    return State::out_of_service;
  }
  return State::attract;
}

void WelcomeFlow::show_menu() {
  if (machine_.state() == "unavailable") {
    feed(Event::tap("back"));  // the procedure's flow ended: the menu, as its own back would
  }
}

void WelcomeFlow::show_out_of_service(std::string reason_key) {
  out_of_service_key_ = std::move(reason_key);
  feed(Event::store(kGate, "refused"));
}

ViewModel WelcomeFlow::view() const {
  ViewModel vm;
  vm.language = language_;
  switch (state()) {
    case State::attract:
      vm.screen = "attract";
      vm.kind = ScreenKind::attract;
      vm.texts["title"] = {"attract.title", {}};
      vm.texts["subtitle"] = {"attract.subtitle", {}};
      vm.texts["prompt"] = {"attract.prompt", {}};
      vm.texts["prompt_other"] = {"attract.prompt_other", {}};
      vm.actions.push_back({"start", {"attract.start", {}}, ActionStyle::primary, true, {}});
      vm.actions.push_back(
          {"lang_ja", {"language.ja", {}}, ActionStyle::language, language_ != Language::ja, {}});
      vm.actions.push_back(
          {"lang_en", {"language.en", {}}, ActionStyle::language, language_ != Language::en, {}});
      break;
    case State::menu:
      vm.screen = "menu";
      vm.kind = ScreenKind::choice;
      vm.texts["title"] = {"menu.title", {}};
      for (const auto& p : procedures()) {
        if (p.offered()) {  // only what works: nothing answers "not offered here"
          vm.actions.push_back({p.id, {p.label_key, {}}, ActionStyle::choice, true, {}});
        }
      }
      vm.actions.push_back({"back", {"common.back", {}}, ActionStyle::back, true, {}});
      break;
    case State::unavailable: {
      vm.screen = "unavailable";
      const Procedure* p = find_procedure(chosen_procedure_);
      vm.texts["title"] = {p != nullptr ? p->label_key : "menu.title", {}};
      vm.texts["body"] = {"unavailable.body", {}};
      vm.actions.push_back({"back", {"common.back", {}}, ActionStyle::back, true, {}});
      break;
    }
    case State::out_of_service: {
      vm.screen = "out_of_service";
      vm.kind = ScreenKind::error;
      const Procedure* p = find_procedure(chosen_procedure_);
      vm.texts["title"] = {p != nullptr ? p->label_key : "menu.title", {}};
      vm.texts["body"] = {out_of_service_key_, {}};
      vm.actions.push_back({"back", {"common.back", {}}, ActionStyle::back, true, {}});
      break;
    }
  }
  return vm;
}

}  // namespace mk::flows
