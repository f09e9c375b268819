#include "bulk.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "csv.hpp"
#include "json.hpp"
#include "output.hpp"

namespace ikcli {

using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------
// RowOutcome / Row
// ---------------------------------------------------------------------------
RowOutcome RowOutcome::success(std::string id) {
  RowOutcome o;
  o.ok = true;
  o.id = std::move(id);
  return o;
}

RowOutcome RowOutcome::invalid(std::string message) {
  RowOutcome o;
  o.status = IK_STATUS_INVALID_ARGUMENT;
  o.message = std::move(message);
  return o;
}

RowOutcome RowOutcome::failure(ik_status status, ik_error *err) {
  ErrorPtr guard(err);
  RowOutcome o;
  o.status = status;
  if (err) {
    o.status = ik_error_status(err);
    o.http_status = ik_error_http_status(err);
    o.message = ik_error_message(err);
    if (const char *c = ik_error_provider_code(err)) o.provider_code = c;
    if (const char *r = ik_error_request_id(err)) o.request_id = r;
    if (!ik_error_retry_after_ms(err, &o.retry_after_ms)) o.retry_after_ms = -1;
    o.ambiguous = ik_error_is_ambiguous(err) != 0;
  } else {
    o.message = ik_status_str(status);
  }
  return o;
}

namespace {
// Takes the result with take, reads its id with id_of, frees it with free_fn.
template <class T>
std::string take_id(ik_op *op, ik_status (*take)(ik_op *, T **, ik_error **), const char *(*id_of)(const T *),
                    void (*free_fn)(T *)) {
  T *r = nullptr;
  take(op, &r, nullptr);
  const char *id = r ? id_of(r) : nullptr;
  std::string out = id ? id : "";
  free_fn(r);
  return out;
}

// The id (or SID) of a completed operation's result; "" when it has none.
std::string result_id(ik_op *op) {
  switch (ik_op_result_type(op)) {
    case IK_RESULT_OPENAI_INVITE:
      return take_id(op, ik_op_take_openai_invite, ik_openai_invite_id, ik_openai_invite_free);
    case IK_RESULT_TWILIO_INVITE:
      return take_id(op, ik_op_take_twilio_invite, ik_twilio_invite_sid, ik_twilio_invite_free);
    case IK_RESULT_TWILIO_USER: return take_id(op, ik_op_take_twilio_user, ik_twilio_user_sid, ik_twilio_user_free);
    case IK_RESULT_FASTLY_INVITATION:
      return take_id(op, ik_op_take_fastly_invitation, ik_fastly_invitation_id, ik_fastly_invitation_free);
    case IK_RESULT_DELETION: return take_id(op, ik_op_take_deletion, ik_deletion_id, ik_deletion_free);
    default: return "";
  }
}

void row_op_done(ik_op *op, void *user_data) {
  std::unique_ptr<RowDone> done(static_cast<RowDone *>(user_data));
  RowOutcome o;
  if (ik_op_status(op) == IK_STATUS_OK) {
    o = RowOutcome::success(result_id(op));
  } else {
    ik_error *err = nullptr;
    ik_op_take_error(op, &err, nullptr);
    o = RowOutcome::failure(ik_op_status(op), err);
  }
  (*done)(std::move(o));
}
}  // namespace

void start_row_op(const std::function<ik_status(ik_op_cb cb, void *user_data, ik_error **err)> &start_call,
                  RowDone done) {
  auto box = std::make_unique<RowDone>(std::move(done));
  ik_error *err = nullptr;
  const ik_status st = start_call(&row_op_done, box.get(), &err);
  if (st != IK_STATUS_OK) {
    (*box)(RowOutcome::failure(st, err));  // the callback never runs
    return;
  }
  box.release();  // row_op_done owns it now
}

const std::string *Row::get(std::string_view column) const {
  for (size_t i = 0; i < header_->size(); ++i)
    if ((*header_)[i] == column) return i < values_.size() ? &values_[i] : nullptr;
  return nullptr;
}

const char *Row::get_nonempty(std::string_view column) const {
  const std::string *v = get(column);
  return (v && !v->empty()) ? v->c_str() : nullptr;
}

namespace {

std::string lower_trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\t')) ++b;
  s.erase(0, b);
  for (char &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// ---------------------------------------------------------------------------
// Input sources
// ---------------------------------------------------------------------------
class Source {
 public:
  virtual ~Source() = default;
  virtual bool next(std::vector<std::string> *values) = 0;
  // The row number of the record last returned, or 0 to number rows in order.
  virtual long row_number() const { return 0; }
};

class MemorySource : public Source {
 public:
  explicit MemorySource(const MemoryInput *in) : in_(in) {}
  bool next(std::vector<std::string> *values) override {
    if (i_ >= in_->rows.size()) return false;
    row_ = in_->rows[i_].row;
    *values = in_->rows[i_++].values;
    return true;
  }
  long row_number() const override { return row_; }

 private:
  const MemoryInput *in_;
  size_t i_ = 0;
  long row_ = 0;
};

class CsvSource : public Source {
 public:
  explicit CsvSource(const std::string &path) : r_(path) {}
  bool next(std::vector<std::string> *values) override { return r_.next(values); }

 private:
  CsvReader r_;
};

// One id per line; blank lines and lines starting with '#' are skipped.
class IdSource : public Source {
 public:
  explicit IdSource(const std::string &path) : in_(path) {
    if (!in_) throw CliError(kExitUsage, "cannot open " + path + ": " + std::strerror(errno));
  }
  bool next(std::vector<std::string> *values) override {
    std::string line;
    while (std::getline(in_, line)) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
      size_t b = 0;
      while (b < line.size() && (line[b] == ' ' || line[b] == '\t')) ++b;
      line.erase(0, b);
      if (line.empty() || line[0] == '#') continue;
      values->assign(1, line);
      return true;
    }
    return false;
  }

 private:
  std::ifstream in_;
};

std::unique_ptr<Source> open_source(const BulkOptions &opts, std::vector<std::string> *header) {
  if (opts.memory) {
    *header = opts.memory->header;
    return std::make_unique<MemorySource>(opts.memory);
  }
  if (!opts.input_is_csv) {
    header->assign(1, "id");
    return std::make_unique<IdSource>(opts.input_path);
  }
  auto src = std::make_unique<CsvSource>(opts.input_path);
  std::vector<std::string> h;
  if (!src->next(&h)) throw CliError(kExitUsage, opts.input_path + ": empty CSV file (a header row is required)");
  for (auto &name : h) name = lower_trim(name);
  *header = h;
  return src;
}

std::string input_json(const std::vector<std::string> &header, const std::vector<std::string> &values) {
  std::string out = "{";
  const size_t n = std::max(header.size(), values.size());
  for (size_t i = 0; i < n; ++i) {
    if (i) out.push_back(',');
    json::append_string(out, i < header.size() ? header[i] : "column" + std::to_string(i + 1));
    out.push_back(':');
    json::append_string(out, i < values.size() ? values[i] : std::string());
  }
  out.push_back('}');
  return out;
}

std::string result_line(long row, const std::string &input, const RowOutcome &o) {
  std::string line = "{\"row\":" + std::to_string(row) + ",\"input\":" + input;
  if (o.ok) {
    line += ",\"status\":\"ok\",\"id\":";
    json::append_string(line, o.id);
    if (!o.outcome.empty()) {  // after the id: --resume reads the input up to ,"status":"ok","id":"
      line += ",\"outcome\":";
      json::append_string(line, o.outcome);
    }
  } else {
    line += ",\"status\":\"error\",\"error\":{\"status\":";
    json::append_string(line, ik_status_name(o.status));
    line += ",\"http_status\":" + std::to_string(o.http_status) + ",\"message\":";
    json::append_string(line, o.message);
    line += ",\"provider_code\":";
    if (o.provider_code.empty())
      line += "null";
    else
      json::append_string(line, o.provider_code);
    line += ",\"request_id\":";
    if (o.request_id.empty())
      line += "null";
    else
      json::append_string(line, o.request_id);
    line += "}";
  }
  line += "}\n";
  return line;
}

// Rows already done (status ok) in a previous run: row -> hash of its input JSON.
std::unordered_map<long, size_t> load_done_rows(const std::string &path, bool *needs_newline) {
  std::unordered_map<long, size_t> done;
  *needs_newline = false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return done;  // no previous results: nothing to skip
  std::string line;
  static const std::string kRow = "{\"row\":";
  static const std::string kInput = ",\"input\":";
  static const std::string kOk = ",\"status\":\"ok\",\"id\":\"";
  while (std::getline(in, line)) {
    *needs_newline = in.eof();  // last line without '\n'
    if (line.compare(0, kRow.size(), kRow) != 0) continue;
    size_t p = kRow.size();
    long row = 0;
    bool digits = false;
    while (p < line.size() && line[p] >= '0' && line[p] <= '9') {
      row = row * 10 + (line[p] - '0');
      ++p;
      digits = true;
    }
    if (!digits || line.compare(p, kInput.size(), kInput) != 0) continue;
    const size_t in_start = p + kInput.size();
    // The id value is an escaped JSON string, so the last occurrence is ours.
    const size_t ok_pos = line.rfind(kOk);
    if (ok_pos == std::string::npos || ok_pos < in_start) continue;
    // A complete line ends with "}".
    if (line.empty() || line.back() != '}') continue;
    done[row] = std::hash<std::string_view>{}(std::string_view(line).substr(in_start, ok_pos - in_start));
  }
  return done;
}

std::string fmt_duration(double seconds) {
  if (seconds < 0) seconds = 0;
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

struct Task {
  long row = 0;
  std::vector<std::string> values;
  std::string input;
  int rate_retries = 0;
};

}  // namespace

int run_bulk(const Context &ctx, const BulkSpec &spec, const BulkOptions &opts,
             const std::function<void(std::function<void()>)> &set_cancel_hook) {
  // Without credentials every row would fail the same way: say so once.
  if (spec.provider != IK_PROVIDER_NONE && !ik_client_has_credentials(ctx.client, spec.provider))
    throw CliError(kExitAuth, std::string("no credentials configured for ") + ik_provider_name(spec.provider) +
                                  " (see invitekit --help)");

  // ---- input: header check and a counting pass (also validates the CSV) ----
  std::vector<std::string> header;
  long total = 0;
  {
    std::vector<std::string> h;
    auto counter = open_source(opts, &h);
    if (opts.input_is_csv && !opts.memory) {
      for (const auto &name : h) {
        if (std::find(spec.known_columns.begin(), spec.known_columns.end(), name) == spec.known_columns.end()) {
          std::string known;
          for (const auto &k : spec.known_columns) known += (known.empty() ? "" : ",") + k;
          throw CliError(kExitUsage, opts.input_path + ": unknown column '" + name + "' (expected: " + known + ")");
        }
      }
      for (const auto &req : spec.required_columns)
        if (std::find(h.begin(), h.end(), req) == h.end())
          throw CliError(kExitUsage, opts.input_path + ": missing required column '" + req + "'");
    }
    std::vector<std::string> v;
    while (counter->next(&v)) ++total;
  }
  auto source = open_source(opts, &header);

  // ---- results ----
  std::unordered_map<long, size_t> done;
  std::FILE *results = stdout;
  bool own_results = false;
  if (!opts.results_path.empty()) {
    bool needs_newline = false;
    if (opts.resume) done = load_done_rows(opts.results_path, &needs_newline);
    if (!opts.resume_skips) done.clear();
    results = std::fopen(opts.results_path.c_str(), opts.resume ? "ab" : "wb");
    if (!results) throw CliError(kExitUsage, "cannot open " + opts.results_path + ": " + std::strerror(errno));
    own_results = true;
    if (needs_newline) std::fputs("\n", results);
  }

  // ---- shared state ----
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Task> requeue;
  bool source_done = false;
  bool stop = false;
  bool timed_out = false;
  bool fatal = false;
  std::string fatal_message;
  int in_flight = 0;
  long next_row = 0;
  long ok = 0, failed = 0, skipped = 0, rate_pauses = 0, errors_shown = 0;
  int consecutive_rate_limits = 0;
  Clock::time_point pause_until = Clock::now();
  const auto started = Clock::now();
  const bool tty = isatty(STDERR_FILENO) != 0;
  bool progress_line_open = false;  // a \r progress line is on screen
  std::mutex out_mu;                // results file and stderr lines

  set_cancel_hook([&] {
    std::lock_guard<std::mutex> lk(mu);
    stop = true;
    cv.notify_all();
  });

  auto stderr_line = [&](const std::string &text) {  // caller holds out_mu
    if (progress_line_open) {
      std::fputs("\r\x1b[K", stderr);
      progress_line_open = false;
    }
    std::fputs(text.c_str(), stderr);
    std::fflush(stderr);
  };

  auto record = [&](const Task &t, const RowOutcome &o) {
    const std::string line = result_line(t.row, t.input, o);
    // Lock order: mu before out_mu. This lambda is called without mu held.
    std::string write_error;
    std::unique_lock<std::mutex> olk(out_mu);
    if (std::fputs(line.c_str(), results) < 0 || std::fflush(results) != 0)
      write_error = "cannot write results: " + std::string(std::strerror(errno));
    if (!o.ok && o.status != IK_STATUS_CANCELLED) {
      if (errors_shown < 20) {
        std::string msg =
            "invitekit: row " + std::to_string(t.row) + ": " + ik_status_name(o.status) + ": " + o.message;
        if (!o.provider_code.empty()) msg += " (provider code: " + o.provider_code + ")";
        for (char &c : msg)
          if (c == '\n' || c == '\r') c = ' ';
        stderr_line(msg + "\n");
      } else if (errors_shown == 20) {
        stderr_line("invitekit: further row errors are only in the results\n");
      }
      ++errors_shown;
    }
    olk.unlock();
    if (!write_error.empty()) {
      std::lock_guard<std::mutex> lk(mu);
      if (!fatal) {
        fatal = true;
        fatal_message = write_error;
      }
      stop = true;
      cv.notify_all();
    }
  };

  // ---- the next row to run (mu held) ----
  enum class Next { Got, Wait, Done };
  // Got: task filled. Wait: nothing to start before `until` (max = until a
  // row finishes). Done: nothing more will be started.
  auto next_task = [&](Task &task, Clock::time_point &until) -> Next {
    for (;;) {
      if (stop) return Next::Done;
      if (ctx.deadline_passed()) {
        timed_out = true;
        stop = true;
        cv.notify_all();
        return Next::Done;
      }
      if (Clock::now() < pause_until) {  // shared pacing after a 429
        until = pause_until;
        if (ctx.deadline && *ctx.deadline < until) until = *ctx.deadline;
        return Next::Wait;
      }
      if (!requeue.empty()) {
        task = std::move(requeue.front());
        requeue.pop_front();
        return Next::Got;
      }
      if (!source_done) {
        std::vector<std::string> values;
        bool got = false;
        try {
          got = source->next(&values);
        } catch (const std::exception &e) {
          fatal = true;
          fatal_message = e.what();
          stop = true;
          cv.notify_all();
          return Next::Done;
        }
        if (!got) {
          source_done = true;
          cv.notify_all();
          continue;
        }
        ++next_row;
        task.row = source->row_number() > 0 ? source->row_number() : next_row;
        task.input = input_json(header, values);
        task.values = std::move(values);
        if (opts.resume) {
          auto it = done.find(task.row);
          if (it != done.end()) {
            if (it->second == std::hash<std::string_view>{}(task.input)) {
              ++skipped;
              continue;
            }
            std::lock_guard<std::mutex> olk(out_mu);
            stderr_line("invitekit: row " + std::to_string(task.row) +
                        " changed since the previous run; processing it again\n");
          }
        }
        return Next::Got;
      }
      if (in_flight == 0) {  // nothing left and nobody can re-queue
        cv.notify_all();
        return Next::Done;
      }
      until = Clock::time_point::max();
      return Next::Wait;
    }
  };
  auto wait_until = [&](std::unique_lock<std::mutex> &lk, Clock::time_point until) {
    if (until == Clock::time_point::max())
      cv.wait(lk);
    else
      cv.wait_until(lk, until);
  };

  // A row whose field count does not match the header never runs.
  auto malformed = [&](const Task &task, RowOutcome *o) {
    if (!opts.input_is_csv || task.values.size() == header.size()) return false;
    *o = RowOutcome::invalid("row has " + std::to_string(task.values.size()) + " fields, the header has " +
                             std::to_string(header.size()));
    return true;
  };

  // ---- a finished row (mu held; released while recording) ----
  auto finish_task = [&](std::unique_lock<std::mutex> &lk, Task &task, const RowOutcome &outcome) {
    --in_flight;
    if (!outcome.ok && outcome.status == IK_STATUS_RATE_LIMITED && task.rate_retries < opts.rate_limit_retries &&
        !stop) {
      // Slow down instead of failing: every row waits, then this one goes again.
      int64_t wait_ms = outcome.retry_after_ms;
      if (wait_ms < 0) {
        const int shift = std::min(consecutive_rate_limits, 5);
        wait_ms = 1000LL << shift;  // 1 s, 2 s, ... 32 s
      }
      wait_ms = std::min<int64_t>(std::max<int64_t>(wait_ms, 50), 60000);
      ++consecutive_rate_limits;
      const auto until = Clock::now() + std::chrono::milliseconds(wait_ms);
      if (until > pause_until) pause_until = until;
      ++task.rate_retries;
      ++rate_pauses;
      requeue.push_back(std::move(task));
      cv.notify_all();
      return;
    }
    if (outcome.ok) {
      consecutive_rate_limits = 0;
      ++ok;
    } else {
      ++failed;
    }
    lk.unlock();
    record(task, outcome);
    lk.lock();
    cv.notify_all();
  };

  // Rows that run to their end (spec.run): one per worker thread.
  auto worker = [&] {
    std::unique_lock<std::mutex> lk(mu);
    for (;;) {
      Task task;
      Clock::time_point until;
      const Next next = next_task(task, until);
      if (next == Next::Done) return;
      if (next == Next::Wait) {
        wait_until(lk, until);
        continue;
      }
      ++in_flight;
      lk.unlock();
      RowOutcome outcome;
      if (!malformed(task, &outcome)) {
        try {
          const Row row(&header, task.values);
          outcome = spec.run(row, ctx.call_options());
        } catch (const std::exception &e) {
          outcome = RowOutcome{};
          outcome.status = IK_STATUS_INTERNAL;
          outcome.message = e.what();
        }
      }
      lk.lock();
      finish_task(lk, task, outcome);
    }
  };

  // Rows started without blocking (spec.start): this one thread keeps up to
  // --concurrency rows in flight on the client's engine; their outcomes come
  // back (on the client's I/O thread) through `completed`.
  std::deque<std::pair<Task, RowOutcome>> completed;
  const int limit = std::max(1, opts.concurrency);
  auto driver = [&] {
    std::unique_lock<std::mutex> lk(mu);
    bool exhausted = false;  // next_task said Done
    for (;;) {
      while (!completed.empty()) {
        auto item = std::move(completed.front());
        completed.pop_front();
        finish_task(lk, item.first, item.second);
      }
      Clock::time_point until = Clock::time_point::max();
      if (!exhausted && in_flight < limit) {
        Task task;
        const Next next = next_task(task, until);
        if (next == Next::Got) {
          ++in_flight;
          lk.unlock();
          RowOutcome bad;
          auto deliver = [&, task](RowOutcome o) {
            std::lock_guard<std::mutex> dlk(mu);
            completed.emplace_back(task, std::move(o));
            cv.notify_all();
          };
          if (malformed(task, &bad)) {
            deliver(std::move(bad));
          } else {
            try {
              const Row row(&header, task.values);
              spec.start(row, ctx.call_options(), deliver);
            } catch (const std::exception &e) {
              RowOutcome o;
              o.status = IK_STATUS_INTERNAL;
              o.message = e.what();
              deliver(std::move(o));
            }
          }
          lk.lock();
          continue;
        }
        if (next == Next::Done) exhausted = true;
      }
      if (exhausted && in_flight == 0 && completed.empty()) return;
      if (!completed.empty()) continue;
      wait_until(lk, until);
    }
  };

  // ---- progress ----
  std::mutex prog_mu;
  std::condition_variable prog_cv;
  bool finished = false;
  auto progress_text = [&](bool final_line) {
    long o, f, sk, rp;
    {
      std::lock_guard<std::mutex> lk(mu);
      o = ok;
      f = failed;
      sk = skipped;
      rp = rate_pauses;
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    const long done_rows = o + f + sk;
    const long processed = o + f;
    const double rate = elapsed > 0 ? processed / elapsed : 0.0;
    const long remaining = std::max(0L, total - done_rows);
    std::string eta = rate > 0 ? fmt_duration(remaining / rate) : "--:--";
    char buf[256];
    if (tty && !final_line) {
      const int width = 24;
      const int filled = total > 0 ? static_cast<int>(width * done_rows / total) : width;
      std::string bar(static_cast<size_t>(std::min(filled, width)), '#');
      bar.append(static_cast<size_t>(width - std::min(filled, width)), '-');
      std::snprintf(buf, sizeof buf, "\r\x1b[K[%s] %ld/%ld %3ld%%  %.1f rows/s  ETA %s  ok %ld  failed %ld%s",
                    bar.c_str(), done_rows, total, total > 0 ? 100 * done_rows / total : 100L, rate, eta.c_str(), o, f,
                    rp ? ("  rate-limit pauses " + std::to_string(rp)).c_str() : "");
    } else {
      std::snprintf(buf, sizeof buf,
                    "invitekit: progress: %ld/%ld rows (ok %ld, failed %ld, skipped %ld), %.1f rows/s, ETA %s\n",
                    done_rows, total, o, f, sk, rate, eta.c_str());
    }
    return std::string(buf);
  };
  std::thread progress([&] {
    const auto period = tty ? std::chrono::milliseconds(200) : std::chrono::milliseconds(2000);
    std::unique_lock<std::mutex> lk(prog_mu);
    while (!prog_cv.wait_for(lk, period, [&] { return finished; })) {
      const std::string text = progress_text(false);
      std::lock_guard<std::mutex> olk(out_mu);
      std::fputs(text.c_str(), stderr);
      std::fflush(stderr);
      progress_line_open = tty;
    }
  });

  // ---- run ----
  if (spec.start) {
    driver();
  } else {
    std::vector<std::thread> workers;
    workers.reserve(static_cast<size_t>(limit));
    for (int i = 0; i < limit; ++i) workers.emplace_back(worker);
    for (auto &w : workers) w.join();
  }
  {
    std::lock_guard<std::mutex> lk(prog_mu);
    finished = true;
  }
  prog_cv.notify_all();
  progress.join();
  set_cancel_hook({});

  // Rows still queued for a rate-limit retry when the run stopped are not dropped:
  // they are recorded with the error that queued them (cancelled / timed out).
  for (const auto &t : requeue) {
    RowOutcome o;
    o.status = ctx.cancelled() ? IK_STATUS_CANCELLED : IK_STATUS_RATE_LIMITED;
    o.http_status = ctx.cancelled() ? 0 : 429;
    o.message = ctx.cancelled() ? "cancelled while waiting after a rate limit" : "rate limited; run stopped";
    ++failed;
    record(t, o);
  }
  if (own_results) std::fclose(results);

  // ---- summary ----
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  const long processed = ok + failed;
  const long not_started = std::max(0L, total - processed - skipped);
  const double rate = elapsed > 0 ? processed / elapsed : 0.0;
  {
    const std::string last = progress_text(true);
    std::lock_guard<std::mutex> olk(out_mu);
    if (!tty) std::fputs(last.c_str(), stderr);
    char buf[320];
    std::snprintf(
        buf, sizeof buf,
        "invitekit: %s: %ld ok, %ld failed, %ld skipped, %ld not started; %ld rows in %.2f s (%.1f rows/s)%s\n",
        spec.operation.c_str(), ok, failed, skipped, not_started, total, elapsed, rate,
        rate_pauses ? (", " + std::to_string(rate_pauses) + " rate-limit pauses").c_str() : "");
    stderr_line(buf);
  }

  if (fatal) {
    print_cli_error(fatal_message);
    return kExitOther;
  }
  if (ctx.cancelled()) return kExitCancelled;
  if (timed_out) {
    print_cli_error("overall deadline (--timeout) exceeded; " + std::to_string(not_started) + " rows not started");
    return kExitNetwork;
  }
  return failed > 0 ? kExitBulkFailures : kExitOk;
}

}  // namespace ikcli
