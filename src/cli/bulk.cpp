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
#include <future>
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

RowOutcome run_started_row(const RowStart &start, const Row &row, const ik_call_options &opts) {
  std::promise<RowOutcome> outcome;
  std::future<RowOutcome> got = outcome.get_future();
  start(row, opts, [&outcome](RowOutcome o) { outcome.set_value(std::move(o)); });
  return got.get();  // done runs exactly once: the operation ends (or is cancelled)
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

struct Counts {
  long ok = 0, failed = 0, skipped = 0, rate_pauses = 0;
};

// ---------------------------------------------------------------------------
// Input checks: the CSV header against the spec, and the number of rows
// ---------------------------------------------------------------------------
void check_header(const BulkSpec &spec, const BulkOptions &opts, const std::vector<std::string> &h) {
  for (const auto &name : h) {
    if (std::find(spec.known_columns.begin(), spec.known_columns.end(), name) != spec.known_columns.end()) continue;
    std::string known;
    for (const auto &k : spec.known_columns) known += (known.empty() ? "" : ",") + k;
    throw CliError(kExitUsage, opts.input_path + ": unknown column '" + name + "' (expected: " + known + ")");
  }
  for (const auto &req : spec.required_columns)
    if (std::find(h.begin(), h.end(), req) == h.end())
      throw CliError(kExitUsage, opts.input_path + ": missing required column '" + req + "'");
}

// A counting pass over the input (it also validates the CSV).
long count_rows(const BulkSpec &spec, const BulkOptions &opts) {
  std::vector<std::string> h;
  auto counter = open_source(opts, &h);
  if (opts.input_is_csv && !opts.memory) check_header(spec, opts, h);
  long total = 0;
  std::vector<std::string> v;
  while (counter->next(&v)) ++total;  // ends with the input
  return total;
}

// The text shown on stderr for a failed row (one line).
std::string row_error_text(long row, const RowOutcome &o) {
  std::string msg = "invitekit: row " + std::to_string(row) + ": " + ik_status_name(o.status) + ": " + o.message;
  if (!o.provider_code.empty()) msg += " (provider code: " + o.provider_code + ")";
  for (char &c : msg)
    if (c == '\n' || c == '\r') c = ' ';
  return msg + "\n";
}

// ---------------------------------------------------------------------------
// Result writer: the results file and every stderr line, under its one lock
// ---------------------------------------------------------------------------
class ResultWriter {
 public:
  // Opens --results (appending with --resume; *done gets the rows a previous
  // run finished), or writes to stdout.
  ResultWriter(const BulkOptions &opts, std::unordered_map<long, size_t> *done) {
    if (opts.results_path.empty()) return;
    bool needs_newline = false;
    if (opts.resume) *done = load_done_rows(opts.results_path, &needs_newline);
    if (!opts.resume_skips) done->clear();
    file_ = std::fopen(opts.results_path.c_str(), opts.resume ? "ab" : "wb");
    if (!file_) throw CliError(kExitUsage, "cannot open " + opts.results_path + ": " + std::strerror(errno));
    own_ = true;
    if (needs_newline) std::fputs("\n", file_);
  }
  ~ResultWriter() { close(); }
  ResultWriter(const ResultWriter &) = delete;
  ResultWriter &operator=(const ResultWriter &) = delete;

  // Writes the row's result line and shows its error (the first 20 of them).
  // Returns "" or why the line could not be written.
  std::string record(long row, const std::string &input, const RowOutcome &o) {
    const std::string line = result_line(row, input, o);
    std::lock_guard<std::mutex> lk(mu_);
    std::string write_error;
    if (std::fputs(line.c_str(), file_) < 0 || std::fflush(file_) != 0)
      write_error = "cannot write results: " + std::string(std::strerror(errno));
    if (!o.ok && o.status != IK_STATUS_CANCELLED) {
      if (errors_shown_ < kErrorsShown)
        stderr_line(row_error_text(row, o));
      else if (errors_shown_ == kErrorsShown)
        stderr_line("invitekit: further row errors are only in the results\n");
      ++errors_shown_;
    }
    return write_error;
  }
  // A line on stderr (it replaces a progress line on screen).
  void note(const std::string &text) {
    std::lock_guard<std::mutex> lk(mu_);
    stderr_line(text);
  }
  // A progress text; `stays_open`: it is a \r line that the next line replaces.
  void progress(const std::string &text, bool stays_open) {
    std::lock_guard<std::mutex> lk(mu_);
    std::fputs(text.c_str(), stderr);
    std::fflush(stderr);
    progress_open_ = stays_open;
  }
  void close() {
    std::lock_guard<std::mutex> lk(mu_);
    if (own_) std::fclose(file_);
    own_ = false;
  }

 private:
  static constexpr long kErrorsShown = 20;
  void stderr_line(const std::string &text) {  // mu_ held
    if (progress_open_) {
      std::fputs("\r\x1b[K", stderr);
      progress_open_ = false;
    }
    std::fputs(text.c_str(), stderr);
    std::fflush(stderr);
  }
  std::mutex mu_;
  std::FILE *file_ = stdout;
  bool own_ = false;
  bool progress_open_ = false;  // a \r progress line is on screen
  long errors_shown_ = 0;
};

// ---------------------------------------------------------------------------
// Row reader: numbered input rows, minus those a previous run finished. No
// lock of its own: only the scheduler calls it, under the scheduler's lock.
// ---------------------------------------------------------------------------
class RowReader {
 public:
  RowReader(const BulkOptions &opts, std::unordered_map<long, size_t> done, ResultWriter *writer)
      : resume_(opts.resume), done_(std::move(done)), writer_(writer) {
    source_ = open_source(opts, &header_);
  }
  // The next row to run; false at the end of the input. Throws on a read error.
  bool next(Task *task) {
    std::vector<std::string> values;
    while (source_->next(&values)) {  // ends with the input
      ++count_;
      task->row = source_->row_number() > 0 ? source_->row_number() : count_;
      task->input = input_json(header_, values);
      task->values = std::move(values);
      if (!already_done(*task)) return true;
      ++skipped_;
    }
    return false;
  }
  const std::vector<std::string> &header() const { return header_; }
  long skipped() const { return skipped_; }

 private:
  // With --resume: the row is ok in the results file with the same input.
  bool already_done(const Task &task) {
    if (!resume_) return false;
    auto it = done_.find(task.row);
    if (it == done_.end()) return false;
    if (it->second == std::hash<std::string_view>{}(task.input)) return true;
    writer_->note("invitekit: row " + std::to_string(task.row) +
                  " changed since the previous run; processing it again\n");
    return false;
  }
  bool resume_;
  std::unordered_map<long, size_t> done_;
  ResultWriter *writer_;
  std::vector<std::string> header_;
  std::unique_ptr<Source> source_;
  long count_ = 0;
  long skipped_ = 0;
};

// How long every row waits after a 429 that survived the library's own
// retries: the server's Retry-After (from the error) when it gave one, else
// 1 s, 2 s, ... 32 s by the number of rate limits in a row; within 50 ms..60 s.
int64_t rate_limit_pause_ms(int64_t retry_after_ms, int consecutive) {
  int64_t wait_ms = retry_after_ms;
  if (wait_ms < 0) wait_ms = 1000LL << std::min(consecutive, 5);
  return std::min<int64_t>(std::max<int64_t>(wait_ms, 50), 60000);
}

// ---------------------------------------------------------------------------
// Scheduler: which row runs next, the rows in flight, the shared pause after a
// rate limit, the counts and why the run stopped. One lock (mu), one cv.
// ---------------------------------------------------------------------------
class Scheduler {
 public:
  enum class Next { Got, Wait, Done };
  Scheduler(const Context &ctx, const BulkOptions &opts, RowReader *reader) : ctx_(ctx), opts_(opts), reader_(reader) {}

  std::unique_lock<std::mutex> lock() { return std::unique_lock<std::mutex>(mu_); }
  // Ctrl-C: no new row starts.
  void stop() {
    std::lock_guard<std::mutex> lk(mu_);
    stop_locked();
  }
  // A fatal error (the first one is kept): the run stops.
  void fail(const std::string &message) {
    std::lock_guard<std::mutex> lk(mu_);
    fail_locked(message);
  }
  // Got: task filled (and counted in flight). Wait: nothing to start before
  // `until` (max = until a row finishes). Done: nothing more will start.
  Next next(Task *task, Clock::time_point *until);  // mu held
  void wait(std::unique_lock<std::mutex> &lk, Clock::time_point until) {
    if (until == Clock::time_point::max())
      cv_.wait(lk);
    else
      cv_.wait_until(lk, until);
  }
  // A row left flight. True: its outcome is final (counted; record it). False:
  // it was rate limited and goes again after the pause (mu held).
  bool settle(Task &task, const RowOutcome &outcome);
  void notify() { cv_.notify_all(); }  // mu held

  // Outcomes of rows started without blocking, handed over from any thread.
  void complete(Task task, RowOutcome outcome) {
    std::lock_guard<std::mutex> lk(mu_);
    completed_.emplace_back(std::move(task), std::move(outcome));
    cv_.notify_all();
  }
  bool take_completed(std::pair<Task, RowOutcome> *item);  // mu held
  int in_flight() const { return in_flight_; }             // mu held

  // After the run (no other thread left): rows still waiting after a rate limit.
  std::deque<Task> take_requeued() { return std::move(requeue_); }
  void count_failed() { ++counts_.failed; }
  Counts counts() {
    std::lock_guard<std::mutex> lk(mu_);
    Counts c = counts_;
    c.skipped = reader_->skipped();
    return c;
  }
  // True after a fatal error; *message tells it.
  bool fatal(std::string *message) const {
    *message = fatal_message_;
    return fatal_;
  }
  bool timed_out() const { return timed_out_; }

 private:
  void stop_locked() {
    stop_ = true;
    cv_.notify_all();
  }
  void fail_locked(const std::string &message) {
    if (!fatal_) {
      fatal_ = true;
      fatal_message_ = message;
    }
    stop_locked();
  }
  bool paused(Clock::time_point *until) const;
  bool read_row(Task *task);

  const Context &ctx_;
  const BulkOptions &opts_;
  RowReader *reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> requeue_;
  std::deque<std::pair<Task, RowOutcome>> completed_;
  bool source_done_ = false, stop_ = false, timed_out_ = false, fatal_ = false;
  std::string fatal_message_;
  int in_flight_ = 0;
  int consecutive_rate_limits_ = 0;
  Clock::time_point pause_until_ = Clock::now();
  Counts counts_;
};

// True while the shared pause after a rate limit lasts (*until: its end, or the deadline).
bool Scheduler::paused(Clock::time_point *until) const {
  if (Clock::now() >= pause_until_) return false;
  *until = pause_until_;
  if (ctx_.deadline && *ctx_.deadline < *until) *until = *ctx_.deadline;
  return true;
}

// The next row from the input; false at its end or on a read error (which stops the run).
bool Scheduler::read_row(Task *task) {
  try {
    if (reader_->next(task)) return true;
    source_done_ = true;
  } catch (const std::exception &e) {
    fail_locked(e.what());
  }
  cv_.notify_all();
  return false;
}

Scheduler::Next Scheduler::next(Task *task, Clock::time_point *until) {
  if (!stop_ && ctx_.deadline_passed()) {
    timed_out_ = true;
    stop_locked();
  }
  if (stop_) return Next::Done;
  if (paused(until)) return Next::Wait;
  if (!requeue_.empty()) {
    *task = std::move(requeue_.front());
    requeue_.pop_front();
  } else if (source_done_ || !read_row(task)) {
    if (stop_) return Next::Done;
    if (in_flight_ > 0) {
      *until = Clock::time_point::max();
      return Next::Wait;
    }
    cv_.notify_all();  // nothing left and nobody can re-queue
    return Next::Done;
  }
  ++in_flight_;
  return Next::Got;
}

bool Scheduler::settle(Task &task, const RowOutcome &outcome) {
  --in_flight_;
  if (!outcome.ok && outcome.status == IK_STATUS_RATE_LIMITED && task.rate_retries < opts_.rate_limit_retries) {
    // Slow down instead of failing: every row waits, then this one goes again.
    // If the run stopped meanwhile (Ctrl-C, time limit), the row stays with the
    // rows already waiting, and record_requeued records them all alike.
    if (!stop_) {
      const int64_t wait_ms = rate_limit_pause_ms(outcome.retry_after_ms, consecutive_rate_limits_);
      ++consecutive_rate_limits_;
      pause_until_ = std::max(pause_until_, Clock::now() + std::chrono::milliseconds(wait_ms));
      ++task.rate_retries;
      ++counts_.rate_pauses;
    }
    requeue_.push_back(std::move(task));
    cv_.notify_all();
    return false;
  }
  if (outcome.ok) {
    consecutive_rate_limits_ = 0;
    ++counts_.ok;
  } else {
    ++counts_.failed;
  }
  return true;
}

bool Scheduler::take_completed(std::pair<Task, RowOutcome> *item) {
  if (completed_.empty()) return false;
  *item = std::move(completed_.front());
  completed_.pop_front();
  return true;
}

// ---------------------------------------------------------------------------
// Progress reporter: a thread that shows the progress every period
// ---------------------------------------------------------------------------
class ProgressReporter {
 public:
  ProgressReporter(std::chrono::milliseconds period, std::function<void()> show)
      : thread_([this, period, show = std::move(show)] {
          std::unique_lock<std::mutex> lk(mu_);
          while (!cv_.wait_for(lk, period, [&] { return finished_; })) show();
        }) {}
  ~ProgressReporter() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      finished_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  ProgressReporter(const ProgressReporter &) = delete;
  ProgressReporter &operator=(const ProgressReporter &) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool finished_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

std::string progress_bar(long done_rows, long total) {
  const int width = 24;
  const int filled = std::min(total > 0 ? static_cast<int>(width * done_rows / total) : width, width);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(width - filled), '-');
  return bar;
}

// The progress text: a \r bar on a terminal, else a plain line.
std::string progress_text(const Counts &c, long total, double elapsed, bool bar) {
  const long done_rows = c.ok + c.failed + c.skipped;
  const double rate = elapsed > 0 ? (c.ok + c.failed) / elapsed : 0.0;
  const long remaining = std::max(0L, total - done_rows);
  const std::string eta = rate > 0 ? fmt_duration(remaining / rate) : "--:--";
  char buf[256];
  if (bar) {
    std::snprintf(buf, sizeof buf, "\r\x1b[K[%s] %ld/%ld %3ld%%  %.1f rows/s  ETA %s  ok %ld  failed %ld%s",
                  progress_bar(done_rows, total).c_str(), done_rows, total, total > 0 ? 100 * done_rows / total : 100L,
                  rate, eta.c_str(), c.ok, c.failed,
                  c.rate_pauses ? ("  rate-limit pauses " + std::to_string(c.rate_pauses)).c_str() : "");
  } else {
    std::snprintf(buf, sizeof buf,
                  "invitekit: progress: %ld/%ld rows (ok %ld, failed %ld, skipped %ld), %.1f rows/s, ETA %s\n",
                  done_rows, total, c.ok, c.failed, c.skipped, rate, eta.c_str());
  }
  return buf;
}

std::string summary_text(const std::string &operation, const Counts &c, long total, double elapsed) {
  const long processed = c.ok + c.failed;
  const long not_started = std::max(0L, total - processed - c.skipped);
  const double rate = elapsed > 0 ? processed / elapsed : 0.0;
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "invitekit: %s: %ld ok, %ld failed, %ld skipped, %ld not started; %ld rows in %.2f s (%.1f rows/s)%s\n",
                operation.c_str(), c.ok, c.failed, c.skipped, not_started, total, elapsed, rate,
                c.rate_pauses ? (", " + std::to_string(c.rate_pauses) + " rate-limit pauses").c_str() : "");
  return buf;
}

RowOutcome internal_error(const std::exception &e) {
  RowOutcome o;
  o.status = IK_STATUS_INTERNAL;
  o.message = e.what();
  return o;
}

// ---------------------------------------------------------------------------
// One bulk run: the units above, wired together
// ---------------------------------------------------------------------------
class BulkRun {
 public:
  BulkRun(const Context &ctx, const BulkSpec &spec, const BulkOptions &opts, long total,
          std::unordered_map<long, size_t> *done)
      : ctx_(ctx),
        spec_(spec),
        opts_(opts),
        total_(total),
        writer_(opts, done),
        reader_(opts, std::move(*done), &writer_),
        sched_(ctx, opts, &reader_) {}

  void run();
  void cancel() { sched_.stop(); }
  int finish();

 private:
  bool malformed(const Task &task, RowOutcome *o) const;
  RowOutcome run_row(const Task &task);
  void start_row(const Task &task);
  void settle(std::unique_lock<std::mutex> &lk, Task &task, const RowOutcome &outcome);
  void record(const Task &task, const RowOutcome &outcome);
  void worker();
  void drive();
  void record_requeued();
  double elapsed() const { return std::chrono::duration<double>(Clock::now() - started_).count(); }

  const Context &ctx_;
  const BulkSpec &spec_;
  const BulkOptions &opts_;
  const long total_;
  const Clock::time_point started_ = Clock::now();
  const bool tty_ = isatty(STDERR_FILENO) != 0;
  const int limit_ = std::max(1, opts_.concurrency);
  ResultWriter writer_;
  RowReader reader_;
  Scheduler sched_;
};

// A row whose field count does not match the header never runs.
bool BulkRun::malformed(const Task &task, RowOutcome *o) const {
  const auto &header = reader_.header();
  if (!opts_.input_is_csv || task.values.size() == header.size()) return false;
  *o = RowOutcome::invalid("row has " + std::to_string(task.values.size()) + " fields, the header has " +
                           std::to_string(header.size()));
  return true;
}

void BulkRun::record(const Task &task, const RowOutcome &outcome) {
  const std::string write_error = writer_.record(task.row, task.input, outcome);
  if (!write_error.empty()) sched_.fail(write_error);
}

// A row left flight (mu held; released while its result is written).
void BulkRun::settle(std::unique_lock<std::mutex> &lk, Task &task, const RowOutcome &outcome) {
  if (!sched_.settle(task, outcome)) return;
  lk.unlock();
  record(task, outcome);
  lk.lock();
  sched_.notify();
}

// spec.run: the row runs to its end on this thread.
RowOutcome BulkRun::run_row(const Task &task) {
  RowOutcome outcome;
  if (malformed(task, &outcome)) return outcome;
  try {
    return spec_.run(Row(&reader_.header(), task.values), ctx_.call_options());
  } catch (const std::exception &e) {
    return internal_error(e);
  }
}

// spec.start: the row starts on the library's engine; its outcome comes back
// (on the client's I/O thread, or here) through the scheduler.
void BulkRun::start_row(const Task &task) {
  auto deliver = [this, task](RowOutcome o) { sched_.complete(task, std::move(o)); };
  RowOutcome bad;
  if (malformed(task, &bad)) return deliver(std::move(bad));
  try {
    spec_.start(Row(&reader_.header(), task.values), ctx_.call_options(), deliver);
  } catch (const std::exception &e) {
    deliver(internal_error(e));
  }
}

// Rows that run to their end (spec.run): one per worker thread.
void BulkRun::worker() {
  auto lk = sched_.lock();
  for (;;) {  // ends when the scheduler says Done
    Task task;
    Clock::time_point until;
    const Scheduler::Next next = sched_.next(&task, &until);
    if (next == Scheduler::Next::Done) return;
    if (next == Scheduler::Next::Wait) {
      sched_.wait(lk, until);
      continue;
    }
    lk.unlock();
    const RowOutcome outcome = run_row(task);
    lk.lock();
    settle(lk, task, outcome);
  }
}

// Rows started without blocking (spec.start): this one thread keeps up to
// --concurrency rows in flight on the client's engine.
void BulkRun::drive() {
  auto lk = sched_.lock();
  bool exhausted = false;  // the scheduler said Done
  for (;;) {               // ends when nothing is left in flight or to start
    std::pair<Task, RowOutcome> item;
    while (sched_.take_completed(&item)) settle(lk, item.first, item.second);
    Clock::time_point until = Clock::time_point::max();
    if (!exhausted && sched_.in_flight() < limit_) {
      Task task;
      const Scheduler::Next next = sched_.next(&task, &until);
      if (next == Scheduler::Next::Got) {
        lk.unlock();
        start_row(task);
        lk.lock();
        continue;
      }
      exhausted = next == Scheduler::Next::Done;
    }
    if (exhausted && sched_.in_flight() == 0) return;  // completed is empty: drained above, under mu
    sched_.wait(lk, until);
  }
}

void BulkRun::run() {
  const auto period = tty_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(2000);
  ProgressReporter progress(
      period, [this] { writer_.progress(progress_text(sched_.counts(), total_, elapsed(), tty_), tty_); });
  if (spec_.start) {
    drive();
    return;
  }
  std::vector<std::thread> workers;
  workers.reserve(static_cast<size_t>(limit_));
  for (int i = 0; i < limit_; ++i) workers.emplace_back([this] { worker(); });
  for (auto &w : workers) w.join();
}

// Rows still queued for a rate-limit retry when the run stopped are not dropped:
// they are recorded with the error that queued them (cancelled / timed out).
void BulkRun::record_requeued() {
  for (const auto &t : sched_.take_requeued()) {
    RowOutcome o;
    o.status = ctx_.cancelled() ? IK_STATUS_CANCELLED : IK_STATUS_RATE_LIMITED;
    o.http_status = ctx_.cancelled() ? 0 : 429;
    o.message = ctx_.cancelled() ? "cancelled while waiting after a rate limit" : "rate limited; run stopped";
    sched_.count_failed();
    record(t, o);
  }
}

// After run(): the leftover rows, the summary, and the exit code.
int BulkRun::finish() {
  record_requeued();
  writer_.close();
  const Counts c = sched_.counts();
  const double secs = elapsed();
  if (!tty_) writer_.note(progress_text(c, total_, secs, false));
  writer_.note(summary_text(spec_.operation, c, total_, secs));
  std::string fatal_message;
  if (sched_.fatal(&fatal_message)) {
    print_cli_error(fatal_message);
    return kExitOther;
  }
  if (ctx_.cancelled()) return kExitCancelled;
  if (sched_.timed_out()) {
    const long not_started = std::max(0L, total_ - c.ok - c.failed - c.skipped);
    print_cli_error("overall deadline (--timeout) exceeded; " + std::to_string(not_started) + " rows not started");
    return kExitNetwork;
  }
  return c.failed > 0 ? kExitBulkFailures : kExitOk;
}

}  // namespace

int run_bulk(const Context &ctx, const BulkSpec &spec, const BulkOptions &opts,
             const std::function<void(std::function<void()>)> &set_cancel_hook) {
  // Without credentials every row would fail the same way: say so once.
  if (spec.provider != IK_PROVIDER_NONE && !ik_client_has_credentials(ctx.client, spec.provider))
    throw CliError(kExitAuth, std::string("no credentials configured for ") + ik_provider_name(spec.provider) +
                                  " (see invitekit --help)");
  const long total = count_rows(spec, opts);
  std::unordered_map<long, size_t> done;
  BulkRun bulk(ctx, spec, opts, total, &done);
  set_cancel_hook([&bulk] { bulk.cancel(); });
  bulk.run();
  set_cancel_hook({});
  return bulk.finish();
}

}  // namespace ikcli
