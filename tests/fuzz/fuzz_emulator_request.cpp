// invitekit-emulator's request parsing: the router (path segments, query),
// form bodies (Twilio), JSON bodies (OpenAI, Fastly) and the handlers behind
// them, through App::handle exactly as cpp-httplib calls it; plus the fault
// spec parser (--fault, POST /__emulator/faults).
// Input: byte 0 = auth + mode, then "METHOD TARGET\n", header lines, "\n", body.
#include <string>

#include "app.hpp"     // src/emulator
#include "faults.hpp"  // src/emulator
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const int mode = data[0];
  std::string_view in(reinterpret_cast<const char *>(data + 1), size - 1);
  if (mode % 8 == 7) {  // a fault spec
    (void)emu::parse_fault(std::string(in));
    return 0;
  }
  httplib::Request req;
  auto nl = in.find('\n');
  std::string_view first = in.substr(0, nl);
  in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  auto sp = first.find(' ');
  req.method = std::string(first.substr(0, sp));
  req.target = sp == std::string_view::npos ? std::string("/") : std::string(first.substr(sp + 1));
  if (req.target.empty() || req.target[0] != '/') req.target.insert(0, "/");
  req.path = req.target.substr(0, req.target.find('?'));
  // Header lines until an empty line; the rest is the body.
  while (!in.empty()) {
    nl = in.find('\n');
    std::string_view line = in.substr(0, nl);
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    if (line.empty()) break;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view v = line.substr(colon + 1);
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    req.headers.emplace(std::string(line.substr(0, colon)), std::string(v));
  }
  req.body = std::string(in);
  // Valid credentials most of the time, so that parsing past auth is reached.
  switch (mode % 4) {
    case 0: req.headers.emplace("Authorization", "Bearer sk-admin-emulator"); break;
    case 1:  // AC00000000000000000000000000000000:emulator-twilio-token
      req.headers.emplace("Authorization",
                          "Basic QUMwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDplbXVsYXRvci10d2lsaW8tdG9rZW4=");
      break;
    case 2: req.headers.emplace("Fastly-Key", "emulator-fastly-token"); break;
    default: break;
  }
  req.headers.emplace("Host", "127.0.0.1:8765");
  // Control endpoints change the emulator itself (faults with delays): not here.
  auto segs = emu::decode_segments(emu::split_target(req.target).first);
  if (!segs.empty() && segs[0] == "__emulator") return 0;

  emu::Config cfg;
  cfg.quiet = true;
  emu::App app(cfg);
  httplib::Response res;
  app.handle(req, res);
  FUZZ_CHECK(res.status >= 100 && res.status <= 599);
  return 0;
}
