// Twilio bodies as a server can send them: a Channel Invite or a v2 User
// (fetch, create), a page of either, an error body. First byte selects.
#include "fuzz_util.hpp"
#include "providers/twilio.hpp"

using namespace ik::detail;

namespace {
const char *kService = "IS0123456789abcdef0123456789abcdef";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const int mode = data[0] % 5;
  std::string_view body(reinterpret_cast<const char *>(data + 1), size - 1);
  auto resp = fuzz::response_of(body);
  simdjson::dom::parser parser;
  try {
    if (mode == 0) {
      ik_twilio_invite inv;
      inv.resp = resp;
      TextArena text(resp->body.size());
      twilio::map_invite_object(as_object(parse_json(parser, resp->body, "response body"), "response body"), inv, text);
      for (const auto *s : {&inv.sid, &inv.identity, &inv.url, &inv.channel_sid}) fuzz::check_str(*s);
    } else if (mode == 1) {
      ik_twilio_user u;
      u.resp = resp;
      TextArena text(resp->body.size());
      twilio::map_user_object(as_object(parse_json(parser, resp->body, "response body"), "response body"), u, text);
      for (const auto *s : {&u.sid, &u.identity, &u.attributes, &u.friendly_name, &u.url}) fuzz::check_str(*s);
    } else if (mode == 2 || mode == 3) {
      ListSpec spec =
          mode == 2 ? twilio::invite_list_spec(kService, "CHgeneral", nullptr, 0) : twilio::user_list_spec(kService);
      ik_page page;
      page.kind = spec.kind;
      page.resp = resp;
      spec.parse(page, parse_json(parser, resp->body, "list response"));
      const auto *meta = meta_of<twilio::PageMeta>(&page);
      if (meta) fuzz::check_str(meta->next_page_url);
      if (page.has_next) FUZZ_CHECK(meta && page.next_raw == meta->next_page_url.s && !page.next_raw.empty());
    } else {
      ErrorInfo info;
      twilio_parse_error(info, "application/json", resp->body);
    }
  } catch (const Error &e) {
    fuzz::check_parse_error(e);
  }
  return 0;
}
