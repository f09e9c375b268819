// invitekit CLI - a streaming RFC 4180 CSV reader.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace ikcli {

// Reads records one at a time from a file: fields separated by commas,
// records by CRLF or LF; a field in double quotes may hold commas, line
// breaks and doubled quotes (""). A UTF-8 byte-order mark at the start is
// skipped and blank lines are ignored. Memory is bounded by one record.
class CsvReader {
 public:
  // Opens the file; throws CliError (usage) if it cannot be read.
  explicit CsvReader(const std::string &path);
  ~CsvReader();
  CsvReader(const CsvReader &) = delete;
  CsvReader &operator=(const CsvReader &) = delete;

  // Reads the next record into *fields. Returns false at the end of the file.
  // Throws CliError on malformed input (an unterminated quoted field).
  bool next(std::vector<std::string> *fields);

  // Physical line number at which the last record returned started (1-based).
  long record_line() const { return record_line_; }

 private:
  int get();
  void unget(int c) { pending_.push_back(c); }
  void skip_bom();
  // After a '\r': true (and the line counted) when it ends a line.
  bool crlf_ends_line();
  // The rest of a quoted field after its opening quote; *c: the character after the closing quote.
  void read_quoted(std::string *field, int *c);
  // The unquoted rest of a field from *c; true when the record ends there.
  bool read_rest(std::string *field, int *c);

  std::string path_;
  std::FILE *f_ = nullptr;
  std::vector<int> pending_;
  long line_ = 1;
  long record_line_ = 0;
  bool first_ = true;
};

}  // namespace ikcli
