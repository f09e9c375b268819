// Form/query encoding round trips, as a property: what the library encodes
// (encode_component, FormBuilder, encode_path_segment) decodes back to the
// same text, both with the library's own percent_decode and with the
// emulator's parsers (which stand in for the vendors' servers).
#include "fuzz_util.hpp"
#include "core/encoding.hpp"
#include "text.hpp"  // src/emulator

using namespace ik::detail;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view in(reinterpret_cast<const char *>(data), size);
  // Split the input into key / value / value2 at the first two 0xff bytes.
  auto a = in.find('\xff');
  std::string key(in.substr(0, a));
  std::string_view rest = a == std::string_view::npos ? std::string_view() : in.substr(a + 1);
  auto b = rest.find('\xff');
  std::string v1(rest.substr(0, b)), v2(b == std::string_view::npos ? std::string_view() : rest.substr(b + 1));

  // encode then decode == identity
  FUZZ_CHECK(percent_decode(encode_component(v1)) == v1);
  FUZZ_CHECK(emu::percent_decode(encode_component(v1), true) == v1);
  const std::string seg = encode_path_segment(v1);
  FUZZ_CHECK(seg.find('/') == std::string::npos && seg.find('?') == std::string::npos &&
             seg.find('#') == std::string::npos);
  if (!v1.empty()) {
    auto segs = emu::decode_segments("/x/" + seg + "/y");
    FUZZ_CHECK(segs.size() == 3 && segs[1] == v1);
  }

  // A form with repeated keys decodes to the same ordered list.
  if (!key.empty()) {
    FormBuilder f;
    f.add(key, v1);
    f.add(key, v2);
    f.add("page[number]", v2, true);
    emu::Params p = emu::parse_params(f.str());
    FUZZ_CHECK(p.size() == 3);
    FUZZ_CHECK(p[0].first == key && p[0].second == v1);
    FUZZ_CHECK(p[1].first == key && p[1].second == v2);
    FUZZ_CHECK(p[2].first == "page[number]" && p[2].second == v2);
    // and back through the emulator's own encoder
    emu::Params again = emu::parse_params(emu::format_params(p));
    FUZZ_CHECK(again == p);
  }
  // base64 both ways
  FUZZ_CHECK(base64_decode(base64_encode(v2)) == v2);
  FUZZ_CHECK(base64_decode(base64_encode(v2, true, false)) == v2);
  (void)base64_decode(in);
  (void)emu::base64_decode(in);
  return 0;
}
