// The resumable cursor decoder (ik_list_options.cursor) and provider cursors
// (ik_list_options.provider_cursor) for every list: whatever the text, the
// decoder either refuses it with IK_STATUS_INVALID_ARGUMENT or returns a
// cursor that encodes back to one decoding to the same value; and
// decode(encode(raw, skip)) == (raw, skip) for any UTF-8 raw.
#include "fuzz_util.hpp"
#include "core/encoding.hpp"
#include "providers/fastly.hpp"
#include "providers/openai.hpp"
#include "providers/twilio.hpp"

using namespace ik::detail;

namespace {
ListSpec spec_for(int i) {
  static const char *kService = "IS0123456789abcdef0123456789abcdef";
  switch (i) {
    case 0: return openai::list_spec();
    case 1: return twilio::invite_list_spec(kService, "CHgeneral", nullptr, 0);
    case 2: return twilio::user_list_spec(kService);
    default: return fastly::list_spec();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const int which = data[0] % 4;
  const bool as_provider_cursor = (data[0] / 4) % 2 == 1;
  std::string text(reinterpret_cast<const char *>(data + 1), size - 1);
  ListSpec spec = spec_for(which);

  // The decoder on arbitrary text (C strings: cut at the first NUL as a caller would pass it).
  const std::string ctext = text.c_str();
  try {
    Cursor c;
    ik_list_options lo = IK_LIST_OPTIONS_INIT;
    if (as_provider_cursor)
      lo.provider_cursor = ctext.c_str();
    else
      lo.cursor = ctext.c_str();
    int64_t max_items = -1;
    apply_list_options(spec, &lo, &max_items, &c);
    FUZZ_CHECK(max_items == 0);
    FUZZ_CHECK(c.skip >= 0);
    if (!as_provider_cursor && !ctext.empty()) {
      Cursor again = decode_cursor(spec, encode_cursor(spec, c.raw, c.skip).c_str());
      FUZZ_CHECK(again.raw == c.raw && again.skip == c.skip);
    }
  } catch (const Error &e) {
    FUZZ_CHECK(e.info().status == IK_STATUS_INVALID_ARGUMENT || e.info().status == IK_STATUS_INVALID_UTF8);
  }

  // Round trip: any valid UTF-8 raw cursor with any skip.
  if (valid_utf8(text)) {
    int64_t skip = static_cast<int64_t>(size) * 7919;
    Cursor back = decode_cursor(spec, encode_cursor(spec, text, skip).c_str());
    FUZZ_CHECK(back.raw == text && back.skip == skip);
    // A cursor of one list is refused by every other list.
    ListSpec other = spec_for((which + 1) % 4);
    bool refused = false;
    try {
      decode_cursor(other, encode_cursor(spec, text, skip).c_str());
    } catch (const Error &) {
      refused = true;
    }
    FUZZ_CHECK(refused);
  }
  return 0;
}
