#include "csv.hpp"

#include <cerrno>
#include <cstring>

#include "common.hpp"

namespace ikcli {

CsvReader::CsvReader(const std::string &path) : path_(path) {
  f_ = std::fopen(path.c_str(), "rb");
  if (!f_) throw CliError(kExitUsage, "cannot open " + path + ": " + std::strerror(errno));
}

CsvReader::~CsvReader() {
  if (f_) std::fclose(f_);
}

int CsvReader::get() {
  if (!pending_.empty()) {
    const int c = pending_.back();
    pending_.pop_back();
    return c;
  }
  return std::getc(f_);
}

// A UTF-8 byte order mark at the start of the file is skipped.
void CsvReader::skip_bom() {
  const int a = get();
  if (a != 0xEF) return unget(a);
  const int b = get();
  if (b != 0xBB) {
    unget(b);
    return unget(a);
  }
  const int c = get();
  if (c == 0xBF) return;
  unget(c);
  unget(b);
  unget(a);
}

bool CsvReader::crlf_ends_line() {
  const int c2 = get();
  if (c2 == '\n' || c2 == EOF) {
    ++line_;
    return true;
  }
  unget(c2);
  return false;
}

void CsvReader::read_quoted(std::string *field, int *c) {
  for (;;) {  // ends at the closing quote or throws at the end of the file
    *c = get();
    if (*c == EOF)
      throw CliError(kExitUsage, path_ + ":" + std::to_string(record_line_) + ": unterminated quoted field");
    if (*c == '"') {
      *c = get();
      if (*c != '"') return;  // closing quote; *c is the character after it
      field->push_back('"');
      continue;
    }
    if (*c == '\n') ++line_;
    field->push_back(static_cast<char>(*c));
  }
}

bool CsvReader::read_rest(std::string *field, int *c) {
  for (;;) {  // ends at a separator, a line break or the end of the file
    if (*c == EOF) return true;
    if (*c == ',') return false;
    if (*c == '\n') {
      ++line_;
      return true;
    }
    if (*c == '\r' && crlf_ends_line()) return true;
    field->push_back(static_cast<char>(*c));
    *c = get();
  }
}

bool CsvReader::next(std::vector<std::string> *fields) {
  if (first_) {
    first_ = false;
    skip_bom();
  }
  for (;;) {  // skips blank lines; ends with a record or the end of the file
    fields->clear();
    int c = get();
    if (c == EOF) return false;
    record_line_ = line_;
    // A line break at the start of a record is a blank line: skip it.
    if (c == '\n') {
      ++line_;
      continue;
    }
    if (c == '\r' && crlf_ends_line()) continue;
    for (;;) {  // one field per iteration; c is its first character
      fields->emplace_back();
      std::string &field = fields->back();
      // Anything between the closing quote and the separator is kept
      // literally (lenient about `"a"b`).
      if (c == '"') read_quoted(&field, &c);
      if (read_rest(&field, &c)) return true;
      c = get();
    }
  }
}

}  // namespace ikcli
