#include "faults.hpp"

#include "json.hpp"
#include "text.hpp"

#include <cctype>

namespace emu {

namespace {

// Splits on blanks; a double-quoted run may contain blanks ("\"" escapes a quote).
std::optional<std::vector<std::string>> tokenize(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i == s.size()) break;
    std::string tok;
    bool quoted = false;
    for (; i < s.size(); ++i) {
      const char c = s[i];
      if (quoted) {
        if (c == '\\' && i + 1 < s.size() && s[i + 1] == '"')
          tok.push_back(s[++i]);
        else if (c == '"')
          quoted = false;
        else
          tok.push_back(c);
      } else if (c == '"') {
        quoted = true;
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        break;
      } else {
        tok.push_back(c);
      }
    }
    if (quoted) return std::nullopt;
    out.push_back(std::move(tok));
  }
  return out;
}

std::optional<std::int64_t> non_negative(std::string_view v) {
  const auto n = parse_int(v);
  if (!n || *n < 0) return std::nullopt;
  return n;
}

bool is_glob(std::string_view pattern) { return pattern.find_first_of("*?") != std::string_view::npos; }

}  // namespace

const char *action_name(FaultAction action) {
  switch (action) {
    case FaultAction::Latency: return "latency";
    case FaultAction::Status: return "status";
    case FaultAction::Reset: return "reset";
    case FaultAction::ResetMidBody: return "reset-mid-body";
    case FaultAction::Truncate: return "truncate";
    case FaultAction::Malformed: return "malformed";
    case FaultAction::SlowBody: return "slow-body";
    case FaultAction::ContentType: return "content-type";
    case FaultAction::Redirect: return "redirect";
  }
  return "?";
}

bool Fault::matches(std::string_view m, std::string_view raw_path) const {
  if (method != "*" && !iequals(method, m)) return false;
  if (is_glob(pattern)) return glob_match(pattern, raw_path);
  return raw_path.substr(0, pattern.size()) == pattern;
}

namespace {

// A fault being built from its spec, with what the options seen so far have set.
struct FaultDraft {
  Fault f;
  bool have_action = false;
  bool have_redirect_status = false;

  bool set_action(FaultAction a) {
    if (have_action) return false;
    have_action = true;
    f.action = a;
    return true;
  }
};

// One `key` or `key=value` token of a fault spec.
struct FaultOption {
  std::string key;
  bool has_value;
  std::string value;

  explicit FaultOption(const std::string &tok) {
    const std::size_t eq = tok.find('=');
    key = tok.substr(0, eq);
    has_value = eq != std::string::npos;
    value = has_value ? tok.substr(eq + 1) : std::string();
  }
  std::optional<std::int64_t> number() const { return has_value ? non_negative(value) : std::nullopt; }
};

// Checks the METHOD and PATTERN tokens and stores them in `f`; returns an error message if invalid.
std::optional<std::string> parse_method_and_pattern(const std::vector<std::string> &tokens, Fault &f) {
  f.method = tokens[0];
  for (auto &c : f.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (f.method != "*") {
    for (const char c : f.method) {
      if (c < 'A' || c > 'Z') return "invalid method '" + tokens[0] + "'";
    }
  }
  f.pattern = tokens[1];
  if (f.pattern.empty() || f.pattern[0] != '/') return "path pattern must start with '/': '" + f.pattern + "'";
  return std::nullopt;
}

// Applies an option taking a number; returns whether it was valid, or nullopt if `opt` is not such an option.
std::optional<bool> apply_numeric_option(FaultDraft &d, const FaultOption &opt) {
  const std::string &key = opt.key;
  Fault &f = d.f;
  bool ok = true;
  if (key == "count") {
    const auto n = opt.number();
    ok = n.has_value();
    if (ok) f.count = static_cast<std::uint64_t>(*n);
  } else if (key == "every") {
    const auto n = opt.number();
    ok = n.has_value() && *n >= 1;
    if (ok) f.every = static_cast<std::uint64_t>(*n);
  } else if (key == "latency" || key == "slow-body") {
    const auto n = opt.number();
    ok = n.has_value() && *n <= 600000 && d.set_action(key == "latency" ? FaultAction::Latency : FaultAction::SlowBody);
    if (ok) f.number = *n;
  } else if (key == "status") {
    const auto n = opt.number();
    ok = n.has_value() && *n >= 400 && *n <= 599 && d.set_action(FaultAction::Status);
    if (ok) f.number = *n;
  } else if (key == "redirect-status") {
    const auto n = opt.number();
    ok = n && (*n == 301 || *n == 302 || *n == 303 || *n == 307 || *n == 308);
    if (ok) {
      f.redirect_status = static_cast<int>(*n);
      d.have_redirect_status = true;
    }
  } else if (key == "retry-after" || key == "retry-after-ms" || key == "fastly-ratelimit-remaining" ||
             key == "fastly-ratelimit-reset") {
    ok = opt.number().has_value();
    static constexpr std::pair<const char *, const char *> names[] = {
        {"retry-after", "Retry-After"},
        {"retry-after-ms", "retry-after-ms"},
        {"fastly-ratelimit-remaining", "Fastly-RateLimit-Remaining"},
        {"fastly-ratelimit-reset", "Fastly-RateLimit-Reset"}};
    for (const auto &[name, header] : names) {
      if (ok && key == name) f.headers.emplace_back(header, opt.value);
    }
  } else {
    return std::nullopt;
  }
  return ok;
}

// Applies a valueless action, a text-valued action or x-should-retry; returns whether it was valid, or nullopt if
// `opt` is none of these.
std::optional<bool> apply_word_option(FaultDraft &d, const FaultOption &opt) {
  const std::string &key = opt.key;
  bool ok = true;
  if (key == "reset" || key == "reset-mid-body" || key == "truncate" || key == "malformed") {
    const FaultAction a = key == "reset"            ? FaultAction::Reset
                          : key == "reset-mid-body" ? FaultAction::ResetMidBody
                          : key == "truncate"       ? FaultAction::Truncate
                                                    : FaultAction::Malformed;
    ok = !opt.has_value && d.set_action(a);
  } else if (key == "content-type" || key == "redirect") {
    ok = opt.has_value && !opt.value.empty() && opt.value.find_first_of("\r\n") == std::string::npos &&
         d.set_action(key == "redirect" ? FaultAction::Redirect : FaultAction::ContentType);
    if (ok) d.f.text = opt.value;
  } else if (key == "x-should-retry") {
    ok = opt.value == "true" || opt.value == "false";
    if (ok) d.f.headers.emplace_back("x-should-retry", opt.value);
  } else {
    return std::nullopt;
  }
  return ok;
}

// Checks the combination of options once all are applied; returns an error message if invalid.
std::optional<std::string> check_fault_complete(const FaultDraft &d) {
  if (!d.have_action)
    return std::string(
        "a fault needs one action: latency=MS, status=CODE, reset, reset-mid-body, "
        "truncate, malformed, slow-body=MS, content-type=TYPE or redirect=URL");
  if (d.have_redirect_status && d.f.action != FaultAction::Redirect)
    return std::string("redirect-status needs redirect=URL");
  return std::nullopt;
}

}  // namespace

std::variant<Fault, std::string> parse_fault(std::string_view spec) {
  const auto tokens = tokenize(spec);
  if (!tokens) return std::string("unterminated quote");
  if (tokens->size() < 3) return std::string("expected: METHOD PATTERN [count=N] [every=N] ACTION [header options]");
  FaultDraft d;
  d.f.spec = std::string(spec);
  if (auto error = parse_method_and_pattern(*tokens, d.f)) return *error;
  for (std::size_t i = 2; i < tokens->size(); ++i) {
    const std::string &tok = (*tokens)[i];
    const FaultOption opt(tok);
    std::optional<bool> ok = apply_numeric_option(d, opt);
    if (!ok) ok = apply_word_option(d, opt);
    if (!ok) return "unknown option '" + tok + "'";
    if (!*ok) return "invalid or repeated option '" + tok + "'";
  }
  if (auto error = check_fault_complete(d)) return *error;
  return std::move(d.f);
}

std::uint64_t FaultSet::add(Fault fault) {
  std::lock_guard lock(mutex_);
  fault.id = next_id_++;
  fault.used = 0;
  fault.matched = 0;
  faults_.push_back(std::move(fault));
  active_ = faults_.size();
  return faults_.back().id;
}

void FaultSet::clear() {
  std::lock_guard lock(mutex_);
  faults_.clear();
  active_ = 0;
}

std::optional<Fault> FaultSet::take(std::string_view method, std::string_view raw_path) {
  if (active_.load(std::memory_order_relaxed) == 0) return std::nullopt;
  std::lock_guard lock(mutex_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (!it->matches(method, raw_path)) continue;
    // every=N: the other matching requests pass this fault by (and do not use its count).
    if (it->every > 1 && (++it->matched % it->every) != 0) continue;
    ++it->used;
    Fault hit = *it;
    if (it->count != 0 && it->used >= it->count) {
      faults_.erase(it);
      active_ = faults_.size();
    }
    return hit;
  }
  return std::nullopt;
}

std::string FaultSet::to_json() const {
  std::lock_guard lock(mutex_);
  json::Array arr;
  for (const auto &f : faults_) {
    arr.raw(json::Object()
                .num("id", static_cast<std::int64_t>(f.id))
                .str("spec", f.spec)
                .str("method", f.method)
                .str("pattern", f.pattern)
                .str("action", action_name(f.action))
                .num("count", static_cast<std::int64_t>(f.count))
                .num("used", static_cast<std::int64_t>(f.used))
                .num("every", static_cast<std::int64_t>(f.every))
                .done());
  }
  return json::Object().raw("faults", arr.done()).done();
}

}  // namespace emu
