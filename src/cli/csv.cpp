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

bool CsvReader::next(std::vector<std::string> *fields) {
  if (first_) {
    first_ = false;
    const int a = get();
    if (a == 0xEF) {
      const int b = get();
      if (b == 0xBB) {
        const int c = get();
        if (c != 0xBF) {
          unget(c);
          unget(b);
          unget(a);
        }
      } else {
        unget(b);
        unget(a);
      }
    } else {
      unget(a);
    }
  }
  for (;;) {
    fields->clear();
    int c = get();
    if (c == EOF) return false;
    record_line_ = line_;
    // A line break at the start of a record is a blank line: skip it.
    if (c == '\n') {
      ++line_;
      continue;
    }
    if (c == '\r') {
      const int c2 = get();
      if (c2 == '\n' || c2 == EOF) {
        ++line_;
        continue;
      }
      unget(c2);
    }
    fields->emplace_back();
    for (;;) {  // one field per iteration; c is its first character
      std::string &field = fields->back();
      if (c == '"') {
        for (;;) {
          c = get();
          if (c == EOF)
            throw CliError(kExitUsage, path_ + ":" + std::to_string(record_line_) + ": unterminated quoted field");
          if (c == '"') {
            c = get();
            if (c == '"') {
              field.push_back('"');
              continue;
            }
            break;  // closing quote; c is the character after it
          }
          if (c == '\n') ++line_;
          field.push_back(static_cast<char>(c));
        }
        // Anything between the closing quote and the separator is kept
        // literally (lenient about `"a"b`).
      }
      for (;;) {
        if (c == EOF) return true;
        if (c == ',') break;
        if (c == '\n') {
          ++line_;
          return true;
        }
        if (c == '\r') {
          const int c2 = get();
          if (c2 == '\n' || c2 == EOF) {
            ++line_;
            return true;
          }
          unget(c2);
        }
        field.push_back(static_cast<char>(c));
        c = get();
      }
      fields->emplace_back();
      c = get();
    }
  }
}

}  // namespace ikcli
