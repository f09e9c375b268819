// invitekit CLI - bulk runs (--from-csv / --from-file): bounded concurrency
// over one shared client, shared pacing on rate limits, a results file with
// one JSON line per row, --resume, progress and a summary.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common.hpp"

namespace ikcli {

// The result of one row.
struct RowOutcome {
  bool ok = false;
  std::string id;  // id of the created/deleted object (ok rows)
  ik_status status = IK_STATUS_OK;
  int32_t http_status = 0;
  std::string message;
  std::string provider_code;  // empty = absent
  std::string request_id;     // empty = absent
  int64_t retry_after_ms = -1;
  std::string outcome;     // ok rows of an ensure: "created", "recovered", ... (empty = none)
  bool ambiguous = false;  // failed rows: the request may have taken effect (ik_error_is_ambiguous)

  static RowOutcome success(std::string id);
  static RowOutcome invalid(std::string message);
  // Takes ownership of err.
  static RowOutcome failure(ik_status status, ik_error *err);
};

// A row of input: the values by column name.
class Row {
 public:
  Row(const std::vector<std::string> *header, std::vector<std::string> values)
      : header_(header), values_(std::move(values)) {}
  // The value of a column, or nullptr when the file has no such column.
  const std::string *get(std::string_view column) const;
  // The value, or nullptr when the column is absent or the cell is empty.
  const char *get_nonempty(std::string_view column) const;
  const std::vector<std::string> &values() const { return values_; }

 private:
  const std::vector<std::string> *header_;
  std::vector<std::string> values_;
};

// Receives the outcome of a row started without blocking, exactly once.
using RowDone = std::function<void(RowOutcome)>;
// Begins one row on the library's non-blocking engine and returns at once.
using RowStart = std::function<void(const Row &row, const ik_call_options &opts, RowDone done)>;

struct BulkSpec {
  std::string operation;                      // e.g. "openai invites create"
  int32_t provider = IK_PROVIDER_NONE;        // checked for credentials before the run
  std::vector<std::string> known_columns;     // CSV header names accepted
  std::vector<std::string> required_columns;  // must be present in the header
  // One of the two. start: begins one row on the library's non-blocking
  // engine and returns at once (done may run on the client's I/O thread);
  // run_bulk then keeps --concurrency rows in flight from one thread. run:
  // runs one row to its end, on --concurrency worker threads (ensure rows use
  // the blocking ik_*_ensure; ik_*_ensure_start could replace them).
  RowStart start;
  std::function<RowOutcome(const Row &row, const ik_call_options &opts)> run;
};

// For BulkSpec::start: calls `start_call` (an ik_*_start with the given
// callback and user data) and hands done the row's outcome: the id (or SID)
// of the operation's result, or its error. done runs exactly once, here when
// the start itself fails.
void start_row_op(const std::function<ik_status(ik_op_cb cb, void *user_data, ik_error **err)> &start_call,
                  RowDone done);

// Runs one row of a RowStart to its end and returns its outcome: the same
// request and result handling as a bulk row, for a caller that needs the
// outcome before going on (sync --apply's plain create). Blocks the calling
// thread, which must not be the client's I/O thread.
RowOutcome run_started_row(const RowStart &start, const Row &row, const ik_call_options &opts);

// Rows given in memory instead of a file (sync --apply): each keeps its own row
// number (stable across runs, for --resume).
struct MemoryRow {
  long row = 0;
  std::vector<std::string> values;
};
struct MemoryInput {
  std::vector<std::string> header;
  std::vector<MemoryRow> rows;
};

struct BulkOptions {
  std::string input_path;
  bool input_is_csv = true;             // false: one id per line (--from-file)
  const MemoryInput *memory = nullptr;  // when set: the rows to run (input_path only names them)
  std::string results_path;             // empty: result lines go to stdout
  bool resume = false;
  bool resume_skips = true;  // false: --resume only appends to the results file (sync: the plan decides)
  int concurrency = 4;
  int rate_limit_retries = 8;  // re-queues of one row after a 429
};

// Runs the bulk operation and returns the exit code.
int run_bulk(const Context &ctx, const BulkSpec &spec, const BulkOptions &opts,
             const std::function<void(std::function<void()>)> &set_cancel_hook);

}  // namespace ikcli
