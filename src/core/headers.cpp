#include "core/headers.hpp"

#include <cstring>

#include "core/text.hpp"

namespace ik::detail {

namespace {

// Calls f(line) for every line of raw (each ending in '\n' except perhaps
// the last) until f returns true.
template <class F>
void for_each_line(std::string_view raw, F &&f) {
  const char *p = raw.data();
  const char *const end = p + raw.size();
  while (p < end) {
    const char *nl = static_cast<const char *>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    const char *line_end = nl ? nl + 1 : end;
    if (f(std::string_view(p, static_cast<size_t>(line_end - p)))) return;
    p = line_end;
  }
}

// Calls f(name, rest) for every header line of raw (see Headers), rest being
// the line after the colon, untrimmed (the caller trims it), until f returns
// true.
template <class F>
void for_each_header(std::string_view raw, F &&f) {
  for_each_line(raw, [&](std::string_view line) {
    const size_t colon = line.find(':');
    return colon != std::string_view::npos && colon != 0 && f(line.substr(0, colon), line.substr(colon + 1));
  });
}

// True when the line is the header `name` (n characters): its first colon
// comes right after the name, as for_each_header splits it (names have no
// colon, so no colon search is needed).
bool is_header(std::string_view line, const char *name, size_t n) {
  return n > 0 && line.size() > n && line[n] == ':' && iequals(line.substr(0, n), std::string_view(name, n));
}

}  // namespace

void Headers::reset_index() {
  built_.store(false, std::memory_order_relaxed);
  index_ = Index();
}

void Headers::build_index_once() const {
  std::lock_guard<std::mutex> lock(build_mu_);
  if (built_.load(std::memory_order_relaxed)) return;  // another reader built it first
  build_index();
  built_.store(true, std::memory_order_release);
}

void Headers::clear() {
  raw_.clear();
  reset_index();
}

Headers &Headers::operator=(const Headers &o) {
  if (this != &o) {
    raw_ = o.raw_;
    reset_index();
  }
  return *this;
}

Headers &Headers::operator=(Headers &&o) noexcept {
  if (this != &o) {
    raw_ = std::move(o.raw_);
    reset_index();
  }
  return *this;
}

void Headers::add(std::string_view name, std::string_view value) {
  std::string line;
  line.reserve(name.size() + value.size() + 3);
  line.append(name).append(": ").append(value).push_back('\n');
  append_line(line.data(), line.size());
}

std::string_view Headers::get(std::string_view name, bool *found) const {
  std::string_view out;
  bool hit = false;
  if (name.find(':') == std::string_view::npos) {  // a name with a colon matches nothing
    for_each_line(raw_, [&](std::string_view line) {
      if (!is_header(line, name.data(), name.size())) return false;
      out = trim_view(line.substr(name.size() + 1));
      hit = true;
      return true;
    });
  }
  if (found) *found = hit;
  return out;
}

std::string_view Headers::get_first(const char *const *names, bool *found) const {
  constexpr size_t kMax = 8;  // providers list at most three
  size_t count = 0;
  size_t lens[kMax];
  for (; names && names[count]; ++count) {
    if (count == kMax || std::strchr(names[count], ':')) {  // unusual lists: one pass per name
      for (size_t i = 0; names[i]; ++i) {
        std::string_view v = get(names[i], found);
        if (*found) return v;
      }
      return {};
    }
    lens[count] = std::strlen(names[count]);
  }
  std::string_view out;
  size_t best = count;  // index in names of the line in out
  for_each_line(raw_, [&](std::string_view line) {
    for (size_t i = 0; i < best; ++i) {
      if (is_header(line, names[i], lens[i])) {
        out = line.substr(lens[i] + 1);
        best = i;
        break;
      }
    }
    return best == 0;
  });
  *found = best < count;
  return *found ? trim_view(out) : std::string_view();
}

void Headers::build_index() const {
  index_.buf.reserve(raw_.size());
  for_each_header(raw_, [&](std::string_view n, std::string_view rest) {
    const std::string_view v = trim_view(rest);
    const auto no = static_cast<uint32_t>(index_.buf.size());
    index_.buf.append(n.data(), n.size());
    index_.buf.push_back('\0');
    const auto vo = static_cast<uint32_t>(index_.buf.size());
    index_.buf.append(v.data(), v.size());
    index_.buf.push_back('\0');
    index_.idx.emplace_back(no, vo);
    return false;
  });
}

const char *Headers::find(std::string_view name) const {
  const Index &ix = index();
  for (const auto &i : ix.idx) {
    if (iequals(std::string_view(ix.buf.data() + i.first, i.second - i.first - 1), name))
      return ix.buf.data() + i.second;
  }
  return nullptr;
}

}  // namespace ik::detail
