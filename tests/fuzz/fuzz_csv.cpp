// The CLI's CSV reader (src/cli/csv.cpp, --from-csv) on arbitrary file
// contents. CsvReader reads a path, so the input is put in a memfd and read
// through /proc/self/fd. Properties: it ends, never returns more field bytes
// than the file holds, and only fails with CliError (a usage error).
#include <sys/mman.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "common.hpp"  // src/cli
#include "csv.hpp"     // src/cli
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int fd = memfd_create("fuzz_csv", 0);
  if (fd < 0) std::abort();
  size_t off = 0;
  while (off < size) {
    ssize_t n = write(fd, data + off, size - off);
    if (n <= 0) std::abort();
    off += static_cast<size_t>(n);
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  try {
    ikcli::CsvReader reader(path);
    std::vector<std::string> fields;
    size_t records = 0, bytes = 0;
    while (reader.next(&fields)) {
      FUZZ_CHECK(!fields.empty());
      for (const auto &f : fields) bytes += f.size();
      FUZZ_CHECK(bytes <= size);
      FUZZ_CHECK(++records <= size);
      FUZZ_CHECK(reader.record_line() >= 1);
    }
  } catch (const ikcli::CliError &e) {
    FUZZ_CHECK(e.code == ikcli::kExitUsage);
  }
  close(fd);
  return 0;
}
