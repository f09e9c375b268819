// OpenAI invite bodies as a server can send them: a single invite (retrieve,
// create), a list page, an error body. First byte selects the shape.
#include "fuzz_util.hpp"
#include "providers/openai.hpp"

using namespace ik::detail;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const int mode = data[0] % 3;
  std::string_view body(reinterpret_cast<const char *>(data + 1), size - 1);
  auto resp = fuzz::response_of(body);
  simdjson::dom::parser parser;
  try {
    if (mode == 0) {
      ik_openai_invite inv;
      inv.resp = resp;
      TextArena text(resp->body.size());
      openai::map_invite_object(as_object(parse_json(parser, resp->body, "response body"), "response body"), inv, text);
      for (const auto *s : {&inv.object, &inv.id, &inv.email, &inv.role, &inv.status}) fuzz::check_str(*s);
      for (const auto &p : inv.projects) {
        fuzz::check_str(p.first);
        fuzz::check_str(p.second);
      }
    } else if (mode == 1) {
      ListSpec spec = openai::list_spec();
      ik_page page;
      page.kind = spec.kind;
      page.resp = resp;
      spec.parse(page, parse_json(parser, resp->body, "list response"));
      if (page.items) {
        for (const auto &inv : items_of<ik_openai_invite>(page)) fuzz::check_str(inv.id);
      }
      // A next page is requested with after=<id>: it must be a real id.
      if (page.has_next) FUZZ_CHECK(!page.next_raw.empty() && page.count() > 0);
    } else {
      ErrorInfo info;
      openai_parse_error(info, "application/json", resp->body);
      (void)openai_non_retryable_429(info);
    }
  } catch (const Error &e) {
    fuzz::check_parse_error(e);
  }
  return 0;
}
