// Header lists: request/extra headers as pairs, and response headers in one
// buffer.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ik::detail {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The response headers of one exchange. Receiving is one append of the raw
// line per header (append_line, from libcurl's header callback); the
// name/value index that the public accessors need (NUL-terminated names and
// values, in order) is built on first use, at most once per object: a
// published ik_response (or ik_error) is read by several threads at once and
// they may all ask first, so the first builds it under a mutex and publishes
// it with a release store; later reads are one acquire load. (Not
// std::call_once: glibc's pthread_once makes a futex wake-up system call
// after every first initialization, i.e. once per response read.) The raw
// lines never change once received, so get() reads them without the index and
// without any lock.
//
// Semantics (the same as when every header was copied at receive time): a
// line is a header when it has a ':' after a non-empty name; the value is
// what follows, without surrounding spaces, tabs, CR and LF; lines without a
// colon (the status line's successors, folded continuations, the blank end
// line) are ignored.
class Headers {
 public:
  Headers() = default;
  // Copies and moves carry the raw lines only; the copy builds its own index
  // when asked. Never copy or move an object while another thread reads it
  // (only objects not yet published are copied or moved).
  Headers(const Headers &o) : raw_(o.raw_) {}
  Headers(Headers &&o) noexcept : raw_(std::move(o.raw_)) {}
  Headers &operator=(const Headers &o);
  Headers &operator=(Headers &&o) noexcept;

  // One header line as libcurl delivers it ("Name: value\r\n").
  void append_line(const char *p, size_t n) {
    if (raw_.empty()) raw_.reserve(1024);  // most responses' header block: one allocation
    raw_.append(p, n);
    if (n == 0 || p[n - 1] != '\n') raw_.push_back('\n');
  }
  // Appends the line "name: value" (tests and fuzzers build headers so; the
  // value reads back trimmed, and a line break in it starts a new line).
  void add(std::string_view name, std::string_view value);
  // Forgets every line and the index if one was built (a new response after
  // 100 Continue or a redirect, a reused slot). Only while no other thread
  // reads the object.
  void clear();

  // First value for name (case-insensitive), without the index: empty view
  // and *found = false when absent. Safe under concurrent readers.
  std::string_view get(std::string_view name, bool *found = nullptr) const;
  // The value of the first of names (a nullptr-terminated list, in order of
  // preference) that is present, in one pass over the lines.
  std::string_view get_first(const char *const *names, bool *found) const;

  // The indexed accessors (C API): built on first use, thread-safe.
  // First value for name (case-insensitive), NUL-terminated; nullptr if absent.
  const char *find(std::string_view name) const;
  size_t size() const { return index().idx.size(); }
  const char *name_at(size_t i) const { return index().buf.data() + index().idx[i].first; }
  const char *value_at(size_t i) const { return index().buf.data() + index().idx[i].second; }

 private:
  struct Index {
    std::string buf;  // "name\0value\0..."
    std::vector<std::pair<uint32_t, uint32_t>> idx;
  };
  const Index &index() const {
    if (!built_.load(std::memory_order_acquire)) build_index_once();
    return index_;
  }
  void build_index_once() const;  // builds index_ unless another thread did, then sets built_
  void build_index() const;
  void reset_index();  // not yet built (only while no other thread reads)

  std::string raw_;  // the header lines as received, each ending in '\n'
  mutable std::atomic<bool> built_{false};
  mutable std::mutex build_mu_;  // held while index_ is built
  mutable Index index_;
};

}  // namespace ik::detail
