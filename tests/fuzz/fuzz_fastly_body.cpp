// Fastly JSON:API bodies as a server can send them: a create response, a list
// page (requested as page 1 or a later page), an error body. First byte selects.
#include "fuzz_util.hpp"
#include "core/encoding.hpp"
#include "providers/fastly.hpp"

using namespace ik::detail;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const int mode = data[0] % 4;
  std::string_view body(reinterpret_cast<const char *>(data + 1), size - 1);
  auto resp = fuzz::response_of(body);
  simdjson::dom::parser parser;
  try {
    if (mode == 0) {
      ik_fastly_invitation inv;
      inv.resp = resp;
      TextArena text(resp->body.size());
      fastly::map_create_response(parse_json(parser, resp->body, "response body"), inv, text);
      for (const auto *s : {&inv.id, &inv.email, &inv.role, &inv.customer_id}) fuzz::check_str(*s);
      for (const auto r : inv.roles) fuzz::check_str(r);
    } else if (mode == 1 || mode == 2) {
      ListSpec spec = fastly::list_spec();
      ik_page page;
      page.kind = spec.kind;
      page.resp = resp;
      const std::string requested = mode == 1 ? std::string() : std::string("7");
      page.next_raw = requested;
      spec.parse(page, parse_json(parser, resp->body, "list response"));
      if (page.has_next) {
        // The next page number always exists and moves forward.
        auto n = parse_int(page.next_raw);
        FUZZ_CHECK(n && *n >= 2);
      }
    } else {
      ErrorInfo info;
      fastly_parse_error(info, "application/vnd.api+json", resp->body);
    }
  } catch (const Error &e) {
    fuzz::check_parse_error(e);
  }
  return 0;
}
