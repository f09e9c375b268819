#include "sync.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <unordered_map>

#include "csv.hpp"
#include "json.hpp"

namespace ikcli {

namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\t')) ++b;
  return s.substr(b);
}

std::string lower(std::string s) {
  for (char &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// ---------------------------------------------------------------------------
// A minimal reader for one NDJSON line: a flat object whose values are strings
// (taken unescaped), null (empty), or anything else (taken as its JSON text).
// ---------------------------------------------------------------------------
class LineParser {
 public:
  explicit LineParser(std::string_view s) : s_(s) {}

  // Returns "" on success, else an error message.
  std::string object(std::vector<std::pair<std::string, std::string>> *out) {
    ws();
    if (!eat('{')) return "expected a JSON object";
    ws();
    if (eat('}')) return end();
    for (;;) {
      ws();
      std::string key;
      if (peek() != '"' || !string(&key)) return "expected a string key";
      ws();
      if (!eat(':')) return "expected ':'";
      ws();
      std::string value;
      if (peek() == '"') {
        if (!string(&value)) return "bad string";
      } else {
        const size_t start = i_;
        if (!skip_value()) return "bad value";
        value = std::string(s_.substr(start, i_ - start));
        if (value == "null")
          value.clear();
        else
          value = json::reformat(value, false);
      }
      out->emplace_back(std::move(key), std::move(value));
      ws();
      if (eat(',')) continue;
      if (eat('}')) return end();
      return "expected ',' or '}'";
    }
  }

 private:
  std::string end() {
    ws();
    return i_ == s_.size() ? "" : "trailing characters after the object";
  }
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) ++i_;
  }
  static void put_utf8(std::string *out, unsigned cp) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  bool hex4(unsigned *cp) {
    if (i_ + 4 > s_.size()) return false;
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= static_cast<unsigned>(c - 'A' + 10);
      else
        return false;
    }
    *cp = v;
    return true;
  }
  bool string(std::string *out) {
    if (!eat('"')) return false;
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '"') return true;
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      switch (e) {
        case '"': out->push_back('"'); break;
        case '\\': out->push_back('\\'); break;
        case '/': out->push_back('/'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': {
          unsigned cp = 0;
          if (!hex4(&cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00 && i_ + 1 < s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u') {
            i_ += 2;
            unsigned lo = 0;
            if (!hex4(&lo) || lo < 0xDC00 || lo > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          put_utf8(out, cp);
          break;
        }
        default: return false;
      }
    }
    return false;
  }
  bool skip_value() {
    ws();
    const char c = peek();
    if (c == '"') {
      std::string tmp;
      return string(&tmp);
    }
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++i_;
      ws();
      if (eat(close)) return true;
      for (;;) {
        if (c == '{') {
          std::string k;
          ws();
          if (!string(&k)) return false;
          ws();
          if (!eat(':')) return false;
        }
        if (!skip_value()) return false;
        ws();
        if (eat(',')) continue;
        return eat(close);
      }
    }
    const size_t start = i_;
    while (i_ < s_.size() && std::strchr(",}] \t\r\n", s_[i_]) == nullptr) ++i_;
    const std::string_view tok = s_.substr(start, i_ - start);
    if (tok == "true" || tok == "false" || tok == "null") return true;
    if (tok.empty()) return false;
    for (char d : tok)
      if (!std::strchr("0123456789+-.eE", d)) return false;
    return true;
  }

  std::string_view s_;
  size_t i_ = 0;
};

// ---------------------------------------------------------------------------
// The desired file
// ---------------------------------------------------------------------------
struct Desired {
  std::vector<std::string> header;  // lower-case column names
  std::vector<MemoryRow> rows;      // row = data record number (1-based)
  std::vector<long> lines;          // physical line of each row
};

bool is_ndjson(const std::string &path, const std::string &format) {
  if (!format.empty()) return format == "ndjson";
  auto ends = [&](const char *suf) {
    const size_t n = std::strlen(suf);
    return path.size() >= n && lower(path.substr(path.size() - n)) == suf;
  };
  if (ends(".ndjson") || ends(".jsonl")) return true;
  if (ends(".csv")) return false;
  std::ifstream in(path, std::ios::binary);
  char c = 0;
  while (in.get(c))
    if (!std::isspace(static_cast<unsigned char>(c))) return c == '{';
  return false;
}

std::string column_list(const SyncResource &res) {
  std::string k;
  for (const auto &c : res.columns) k += (k.empty() ? "" : ",") + c;
  return k;
}

// One NDJSON object: its values in header order.
MemoryRow ndjson_row(const SyncResource &res, const Desired &d, const std::string &line, const std::string &where) {
  std::vector<std::pair<std::string, std::string>> kv;
  if (std::string e = LineParser(line).object(&kv); !e.empty()) throw CliError(kExitUsage, where + e);
  MemoryRow r;
  r.row = static_cast<long>(d.rows.size()) + 1;
  r.values.assign(d.header.size(), "");
  for (auto &[k, v] : kv) {
    auto it = std::find(d.header.begin(), d.header.end(), lower(k));
    if (it == d.header.end())
      throw CliError(kExitUsage, where + "unknown key '" + k + "' (expected: " + column_list(res) + ")");
    r.values[static_cast<size_t>(it - d.header.begin())] = v;
  }
  return r;
}

Desired read_desired_ndjson(const SyncResource &res, const std::string &path) {
  Desired d;
  d.header = res.columns;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CliError(kExitUsage, "cannot open " + path + ": " + std::strerror(errno));
  std::string line;
  long lineno = 0;
  while (std::getline(in, line)) {  // ends with the file
    ++lineno;
    if (trim(line).empty()) continue;
    d.rows.push_back(ndjson_row(res, d, line, path + ":" + std::to_string(lineno) + ": "));
    d.lines.push_back(lineno);
  }
  for (const auto &req : res.required) {
    const size_t c = static_cast<size_t>(std::find(d.header.begin(), d.header.end(), req) - d.header.begin());
    for (size_t i = 0; i < d.rows.size(); ++i)
      if (trim(d.rows[i].values[c]).empty())
        throw CliError(kExitUsage, path + ":" + std::to_string(d.lines[i]) + ": missing '" + req + "'");
  }
  return d;
}

// The CSV header: known, lower-case column names with the required ones.
std::vector<std::string> desired_csv_header(const SyncResource &res, const std::string &path, CsvReader &csv) {
  std::vector<std::string> h;
  if (!csv.next(&h)) throw CliError(kExitUsage, path + ": empty CSV file (a header row is required)");
  for (auto &name : h) {
    name = lower(trim(name));
    if (std::find(res.columns.begin(), res.columns.end(), name) == res.columns.end())
      throw CliError(kExitUsage, path + ": unknown column '" + name + "' (expected: " + column_list(res) + ")");
  }
  for (const auto &req : res.required)
    if (std::find(h.begin(), h.end(), req) == h.end())
      throw CliError(kExitUsage, path + ": missing required column '" + req + "'");
  return h;
}

Desired read_desired_csv(const SyncResource &res, const std::string &path) {
  Desired d;
  CsvReader csv(path);
  const std::vector<std::string> h = desired_csv_header(res, path, csv);
  d.header = h;
  std::vector<std::string> v;
  while (csv.next(&v)) {  // ends with the file
    const std::string where = path + ":" + std::to_string(csv.record_line()) + ": ";
    if (v.size() != h.size())
      throw CliError(kExitUsage, where + "row has " + std::to_string(v.size()) + " fields, the header has " +
                                     std::to_string(h.size()));
    for (const auto &req : res.required) {
      const size_t c = static_cast<size_t>(std::find(h.begin(), h.end(), req) - h.begin());
      if (trim(v[c]).empty()) throw CliError(kExitUsage, where + "missing '" + req + "'");
    }
    MemoryRow r;
    r.row = static_cast<long>(d.rows.size()) + 1;
    r.values = v;
    d.rows.push_back(std::move(r));
    d.lines.push_back(csv.record_line());
  }
  return d;
}

Desired read_desired(const SyncResource &res, const SyncArgs &args) {
  if (is_ndjson(args.desired, args.desired_format)) return read_desired_ndjson(res, args.desired);
  return read_desired_csv(res, args.desired);
}

// ---------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------
struct Entry {
  std::string action;  // create | present | present_different | delete | keep
  std::string key;
  std::string id;
  std::string role;
  std::string detail;
  long row = 0;        // desired file row (0: not in the file)
  size_t desired = 0;  // index into Desired::rows (create)
};

struct Counts {
  long create = 0, present = 0, different = 0, del = 0, keep = 0;
  long changes() const { return create + del; }
};

std::string summary_json(const std::string &op, const Counts &c, bool prune, long desired, long existing) {
  std::string j = "{\"operation\":";
  json::append_string(j, op + " sync");
  j += ",\"desired\":" + std::to_string(desired) + ",\"existing\":" + std::to_string(existing);
  j += ",\"create\":" + std::to_string(c.create) + ",\"present\":" + std::to_string(c.present) +
       ",\"present_different\":" + std::to_string(c.different) + ",\"delete\":" + std::to_string(c.del) +
       ",\"not_in_file_kept\":" + std::to_string(c.keep) + ",\"prune\":" + (prune ? "true" : "false") +
       ",\"changes\":" + std::to_string(c.changes()) + "}";
  return j;
}

std::string entry_json(const Entry &e, const std::string &key_column) {
  std::string j = "{\"action\":";
  json::append_string(j, e.action);
  j += ",";
  json::append_string(j, key_column);
  j += ":";
  json::append_string(j, e.key);
  j += ",\"id\":";
  if (e.id.empty())
    j += "null";
  else
    json::append_string(j, e.id);
  j += ",\"role\":";
  if (e.role.empty())
    j += "null";
  else
    json::append_string(j, e.role);
  j += ",\"row\":";
  j += e.row ? std::to_string(e.row) : "null";
  j += ",\"detail\":";
  if (e.detail.empty())
    j += "null";
  else
    json::append_string(j, e.detail);
  j += "}";
  return j;
}

void print_plan(const Context &ctx, const SyncResource &res, const std::vector<Entry> &entries, const Counts &c,
                bool prune, long desired, long existing) {
  const std::string summary = summary_json(res.operation, c, prune, desired, existing);
  Format f = ctx.format;
  if (!ctx.format_given) f = isatty(STDOUT_FILENO) ? Format::Table : Format::Json;
  switch (f) {
    case Format::Table: {
      std::vector<std::vector<std::string>> rows;
      for (const auto &e : entries) {
        std::string d = e.detail;
        for (char &ch : d)
          if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
        rows.push_back({e.action, e.key, e.id, e.role, e.row ? std::to_string(e.row) : "", d});
      }
      std::string key_header = res.key_column;
      for (char &ch : key_header) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      std::string out =
          entries.empty() ? std::string() : render_table({"ACTION", key_header, "ID", "ROLE", "ROW", "DETAIL"}, rows);
      char buf[400];
      std::snprintf(buf, sizeof buf,
                    "Plan: %ld to create, %ld to delete, %ld present, %ld present with a different %s (left "
                    "unchanged), %ld not in the file (%s).\n",
                    c.create, c.del, c.present, c.different, res.role_column.empty() ? "value" : "role/value", c.keep,
                    res.prune_refusal.empty()
                        ? (prune ? "kept: not pending" : "kept: add --prune to delete pending ones")
                        : "kept: never pruned");
      out += buf;
      write_stdout(out);
      return;
    }
    case Format::Ndjson: {
      std::string out;
      for (const auto &e : entries) out += entry_json(e, res.key_column) + "\n";
      out += "{\"summary\":" + summary + "}\n";
      write_stdout(out);
      return;
    }
    case Format::Json: {
      std::string j = "{\"summary\":" + summary + ",\"plan\":[";
      for (size_t i = 0; i < entries.size(); ++i) {
        if (i) j += ",";
        j += entry_json(entries[i], res.key_column);
      }
      j += "]}";
      print_json_text(ctx, j);
      return;
    }
  }
}

std::string key_of(const SyncResource &res, const std::string &v) {
  return res.key_case_insensitive ? lower(trim(v)) : trim(v);
}

}  // namespace

void for_each_page(const Context &ctx, const std::function<ik_status(ik_pager **, ik_error **)> &make_pager,
                   const std::function<void(const ik_page *)> &fn) {
  ik_pager *pager = nullptr;
  ik_error *err = nullptr;
  check(make_pager(&pager, &err), &err);
  PagerPtr pg(pager);
  for (;;) {
    ik_page *page = nullptr;
    ik_error *perr = nullptr;
    const ik_call_options co = ctx.call_options();
    const ik_status st = ik_pager_next_page(pg.get(), &co, &page, &perr);
    if (st != IK_STATUS_OK) throw LibError(st, perr);
    if (!page) break;
    PagePtr p(page);
    fn(p.get());
  }
}

std::string normalize_pairs(const std::string &cell) {
  const std::string t = trim(cell);
  if (t.empty() || t == "[]") return t;
  std::vector<std::string> parts = split_list(t, ";");
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const auto &p : parts) out += (out.empty() ? "" : ";") + p;
  return out;
}

void add_sync_options(CLI::App *cmd, SyncArgs &args) {
  cmd->add_option("--desired", args.desired,
                  "CSV (header row) or NDJSON file of who should be invited; NDJSON when the name ends in .ndjson or "
                  ".jsonl or the file starts with '{'")
      ->required()
      ->type_name("FILE");
  cmd->add_option("--desired-format", args.desired_format, "Force the format of --desired")
      ->check(CLI::IsMember({"csv", "ndjson"}));
  auto *apply = cmd->add_flag("--apply", args.apply, "Carry out the plan (default: only print it)");
  auto *dry = cmd->add_flag("--dry-run", args.dry_run, "Only print the plan (the default); exit 11 if it has changes");
  apply->excludes(dry);
  cmd->add_flag("--prune", args.prune,
                "Also delete pending invitations that are not in the file (never accepted members)");
  add_bulk_options(cmd, args.bulk);
}

namespace {

void check_sync_args(const SyncResource &res, SyncArgs &args, const std::string &op) {
  if (args.prune && !res.prune_refusal.empty())
    throw CliError(kExitUsage, op + ": --prune refused: " + res.prune_refusal);
  if (!args.apply && (args.bulk.resume || !args.bulk.results_path.empty()))
    throw CliError(kExitUsage, op + ": --results and --resume need --apply");
  validate_bulk_options(args.bulk);
}

size_t column_of(const Desired &d, const std::string &name) {
  return static_cast<size_t>(std::find(d.header.begin(), d.header.end(), name) - d.header.begin());
}

// The desired rows by key (index in d.rows); a key given twice is a usage error.
std::unordered_map<std::string, size_t> index_desired(const SyncResource &res, const SyncArgs &args, const Desired &d) {
  const size_t key_col = column_of(d, res.key_column);
  std::unordered_map<std::string, size_t> wanted;
  for (size_t i = 0; i < d.rows.size(); ++i) {
    auto [it, inserted] = wanted.emplace(key_of(res, d.rows[i].values[key_col]), i);
    if (!inserted)
      throw CliError(kExitUsage, args.desired + ":" + std::to_string(d.lines[i]) + ": " + res.key_column + " '" +
                                     d.rows[i].values[key_col] + "' is already on line " +
                                     std::to_string(d.lines[it->second]));
  }
  return wanted;
}

// The plan's entry of one desired row: create, present or present_different.
Entry desired_entry(const SyncResource &res, const Desired &d, size_t i,
                    const std::unordered_map<std::string, const Existing *> &have, Counts &c) {
  const MemoryRow &r = d.rows[i];
  const size_t key_col = column_of(d, res.key_column);
  const size_t role_col = column_of(d, res.role_column);
  Entry e;
  e.row = r.row;
  e.desired = i;
  e.key = trim(r.values[key_col]);
  auto it = have.find(key_of(res, r.values[key_col]));
  if (it == have.end()) {
    e.action = "create";
    if (role_col < r.values.size()) e.role = r.values[role_col];
    ++c.create;
    return e;
  }
  const Row row(&d.header, r.values);
  e.id = it->second->id;
  e.role = it->second->role;
  e.detail = res.difference(row, *it->second);
  e.action = e.detail.empty() ? "present" : "present_different";
  ++(e.detail.empty() ? c.present : c.different);
  if (!it->second->pending && res.prune_refusal.empty())
    e.detail += std::string(e.detail.empty() ? "" : "; ") + "accepted";
  return e;
}

// The plan's entry of an existing object that is not in the file: delete (--prune) or keep.
Entry other_entry(const SyncResource &res, const SyncArgs &args, const Existing &x, Counts &c) {
  Entry e;
  e.key = x.display_key;
  e.id = x.id;
  e.role = x.role;
  if (args.prune && x.pending) {
    e.action = "delete";
    e.detail = "pending, not in the file";
    ++c.del;
  } else {
    e.action = "keep";
    e.detail = x.pending
                   ? "pending, not in the file"
                   : "not in the file; " + (res.prune_refusal.empty() ? std::string("not pending") : "never pruned");
    ++c.keep;
  }
  return e;
}

std::vector<Entry> make_plan(const SyncResource &res, const SyncArgs &args, const Desired &d,
                             const std::vector<Existing> &existing, Counts &c) {
  const std::unordered_map<std::string, size_t> wanted = index_desired(res, args, d);
  std::unordered_map<std::string, const Existing *> have;
  for (const auto &e : existing) have.emplace(e.key, &e);  // the first (oldest listed) wins
  std::vector<Entry> entries;
  for (size_t i = 0; i < d.rows.size(); ++i) entries.push_back(desired_entry(res, d, i, have, c));
  for (const auto &x : existing) {
    if (wanted.count(x.key)) continue;
    if (!x.pending && !res.list_non_pending) continue;
    entries.push_back(other_entry(res, args, x, c));
  }
  return entries;
}

// The bulk rows of --apply: columns action, the desired file's columns, id.
MemoryInput apply_rows(const SyncResource &res, const Desired &d, const std::vector<Entry> &entries) {
  MemoryInput mem;
  mem.header.push_back("action");
  for (const auto &h : d.header) mem.header.push_back(h);
  mem.header.push_back("id");
  const long n_rows = static_cast<long>(d.rows.size());
  long delete_no = 0;
  for (const auto &e : entries) {
    MemoryRow r;
    if (e.action == "create") {
      r.row = e.row;
      r.values.push_back("ensure");
      for (const auto &v : d.rows[e.desired].values) r.values.push_back(v);
      r.values.push_back("");
    } else if (e.action == "delete") {
      r.row = n_rows + (++delete_no);
      r.values.push_back("delete");
      for (const auto &h : d.header) r.values.push_back(h == res.key_column ? e.key : "");
      r.values.push_back(e.id);
    } else {
      continue;
    }
    mem.rows.push_back(std::move(r));
  }
  return mem;
}

RowOutcome apply_delete(const SyncResource &res, const Row &row, const ik_call_options &co) {
  const std::string *id = row.get("id");
  ik_error *err = nullptr;
  const ik_status st = res.remove(id ? *id : "", co, &err);
  RowOutcome o;
  if (st == IK_STATUS_NOT_FOUND) {  // deleted meanwhile (or accepted, for a provider that answers 404)
    ik_error_free(err);
    o = RowOutcome::success(id ? *id : "");
    o.outcome = "already_gone";
  } else {
    o = st == IK_STATUS_OK ? RowOutcome::success(id ? *id : "") : RowOutcome::failure(st, err);
    if (o.ok) o.outcome = "deleted";
  }
  return o;
}

RowOutcome apply_create(const SyncResource &res, const Row &row, const ik_call_options &co) {
  if (!res.create) return res.ensure(row, co);
  // The plan has just listed everything, so this person is absent: one
  // create, not a full listing per row. Only a create whose outcome is
  // unknown, or that conflicts, goes through ensure (look up, then decide).
  RowOutcome o = res.create(row, co);
  if (o.ok) {
    o.outcome = "created";
  } else if (o.ambiguous || o.status == IK_STATUS_CONFLICT) {
    const bool lost_answer = o.ambiguous;
    o = res.ensure(row, co);
    if (o.ok && lost_answer && (o.outcome == "present" || o.outcome == "present_different"))
      o.outcome = "recovered";  // the object our own create made
  }
  return o;
}

// --apply: one bulk run over the rows to create and the invitations to delete.
int apply_plan(const Context &ctx, const SyncResource &res, const SyncArgs &args, const Desired &d,
               const std::vector<Entry> &entries, const std::string &op,
               const std::function<void(std::function<void()>)> &set_cancel_hook) {
  const MemoryInput mem = apply_rows(res, d, entries);
  std::map<std::string, long> outcomes;
  std::mutex outcomes_mu;
  BulkSpec spec;
  spec.operation = op + " --apply";
  spec.provider = res.provider;
  spec.run = [&](const Row &row, const ik_call_options &co) {
    const std::string *action = row.get("action");
    RowOutcome o = (action && *action == "delete") ? apply_delete(res, row, co) : apply_create(res, row, co);
    if (o.ok) {
      std::lock_guard<std::mutex> lk(outcomes_mu);
      ++outcomes[o.outcome];
    }
    return o;
  };
  BulkOptions bo = args.bulk;
  bo.memory = &mem;
  bo.resume_skips = false;  // the plan was made from what exists now: rows done before are 'present'
  bo.input_path = args.desired;
  const int code = run_bulk(ctx, spec, bo, set_cancel_hook);
  std::string line = "invitekit: " + op + ": applied:";
  for (const char *k : {"created", "recovered", "present", "present_different", "deleted", "already_gone"})
    line += std::string(" ") + k + " " + std::to_string(outcomes.count(k) ? outcomes[k] : 0) + ",";
  line.pop_back();
  line += "\n";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  return code;
}

}  // namespace

int run_sync(const Context &ctx, const SyncResource &res, SyncArgs &args,
             const std::function<void(std::function<void()>)> &set_cancel_hook) {
  const std::string op = res.operation + " sync";
  check_sync_args(res, args, op);
  const Desired d = read_desired(res, args);
  if (args.prune && d.rows.empty())
    throw CliError(kExitUsage, op + ": " + args.desired + " has no rows; refusing to --prune every pending invitation");
  index_desired(res, args, d);  // duplicates are a usage error before anything is sent
  if (!ik_client_has_credentials(ctx.client, res.provider))
    throw CliError(kExitAuth, std::string("no credentials configured for ") + ik_provider_name(res.provider) +
                                  " (see invitekit --help)");
  const std::vector<Existing> existing = res.list_existing(ctx);
  Counts c;
  const std::vector<Entry> entries = make_plan(res, args, d, existing, c);
  if (!args.apply) {
    print_plan(ctx, res, entries, c, args.prune, static_cast<long>(d.rows.size()), static_cast<long>(existing.size()));
    return c.changes() > 0 ? kExitPlanChanges : kExitOk;
  }
  std::fprintf(stderr,
               "invitekit: %s: plan: %ld to create, %ld to delete, %ld present, %ld present with differences (left "
               "unchanged), %ld not in the file kept\n",
               op.c_str(), c.create, c.del, c.present, c.different, c.keep);
  std::fflush(stderr);
  return apply_plan(ctx, res, args, d, entries, op, set_cancel_hook);
}

void print_ensured(const Context &ctx, const std::string &operation, const std::string &who, const Item &item,
                   int32_t outcome) {
  const char *name = ik_ensure_outcome_name(outcome);
  if (ctx.format == Format::Table) {
    auto headers = table_headers(item.kind);
    auto row = table_row(item);
    headers.push_back("OUTCOME");
    row.push_back(name);
    write_stdout(render_table(headers, {row}));
  } else {
    std::string object(item.raw);
    if (item.kind == IK_KIND_FASTLY_INVITATION) {
      // A created invitation comes as the create body {"data":{...}}, a found one as the item: show the item.
      std::vector<std::pair<std::string, std::string>> kv;
      if (LineParser(item.raw).object(&kv).empty())
        for (const auto &[k, v] : kv)
          if (k == "data" && !v.empty() && v[0] == '{') object = v;
    }
    std::string j = "{\"outcome\":";
    json::append_string(j, name);
    j += ",\"object\":";
    j += object;
    j += "}";
    print_json_text(ctx, j);
  }
  std::string line = "invitekit: " + operation + ": " + who + ": " + name;
  if (outcome == IK_ENSURE_PRESENT_DIFFERENT) line += " (exists with other values; left unchanged)";
  for (char &c : line)
    if (c == '\n' || c == '\r') c = ' ';
  line += "\n";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace ikcli
