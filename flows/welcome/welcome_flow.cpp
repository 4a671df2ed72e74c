#include "flows/welcome/welcome_flow.hpp"

#include "flows/engine/state_id.hpp"

namespace mk::flows {

namespace {

namespace st {
constexpr StateId attract{"attract"};
constexpr StateId menu{"menu"};
constexpr StateId unavailable{"unavailable"};
constexpr StateId out_of_service{"out_of_service"};
constexpr StateId left{"left"};
}  // namespace st

// The kiosk's notice that the chosen procedure cannot start (the store cannot keep it).
constexpr const char* kGate = "procedure_gate";

}  // namespace

const FlowDefinition& WelcomeFlow::definition() {
  static const FlowDefinition def = [] {
    FlowDefinition d;
    d.name = "welcome";
    d.initial = st::attract;
    // id, card removed, cancel, idle, final, note: a card is nobody's business here.
    d.states = {
        {st::attract, st::attract, st::left, st::left, false, "language, touch to start"},
        {st::menu, st::menu, st::left, st::left, false, "flows/procedures.cpp, in order"},
        {st::unavailable, st::unavailable, st::left, st::left, false,
         "not offered here; an offered procedure's flow runs from here"},
        {st::out_of_service, st::out_of_service, st::left, st::left, false,
         "the store cannot keep it"},
        {st::left, "", "", "", true, "the next person starts in the default language"},
    };
    d.transitions = {
        {st::attract, "tap:start", st::menu},
        {st::attract, "tap:lang_ja", st::attract},
        {st::attract, "tap:lang_en", st::attract},
        {st::menu, "tap:back", st::attract},  // keeps the language: the person is still there
        {st::menu, "procedure_chosen", st::unavailable},
        {st::unavailable, "tap:back", st::menu},  // also when the procedure's own flow ended
        {st::unavailable, std::string("store:") + kGate + "=refused", st::out_of_service},
        {st::out_of_service, "tap:back", st::menu},
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
                   {st::attract,
                    {nullptr,
                     [this](Event& e) -> Step {
                       if (e.kind == EventKind::intent && e.name == "lang_ja") {
                         language_ = Language::ja;
                       } else if (e.kind == EventKind::intent && e.name == "lang_en") {
                         language_ = Language::en;
                       }
                       return {};  // the table's edges: the same screen in that language
                     }}},
                   {st::menu, {nullptr, [this](Event& e) { return choose(e); }}},
                   {st::unavailable,
                    {nullptr,
                     [this](Event& e) -> Step {
                       return back_to_menu(e);  // or the kiosk's gate refused: the table
                     }}},
                   {st::out_of_service, {nullptr, [this](Event& e) { return back_to_menu(e); }}},
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
  if (s == st::menu) {
    return State::menu;
  }
  if (s == st::unavailable) {
    return State::unavailable;
  }
  if (s == st::out_of_service) {
    return State::out_of_service;
  }
  return State::attract;
}

void WelcomeFlow::show_menu() {
  if (machine_.state() == st::unavailable) {
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
      vm.screen = st::attract;
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
      vm.screen = st::menu;
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
      vm.screen = st::unavailable;
      const Procedure* p = find_procedure(chosen_procedure_);
      vm.texts["title"] = {p != nullptr ? p->label_key : "menu.title", {}};
      vm.texts["body"] = {"unavailable.body", {}};
      vm.actions.push_back({"back", {"common.back", {}}, ActionStyle::back, true, {}});
      break;
    }
    case State::out_of_service: {
      vm.screen = st::out_of_service;
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
