// An operation ready to send: its request and how the response becomes the
// result. Provider modules build Prepared values; the blocking C functions
// run() them on the caller's thread and the non-blocking ones hand them to
// the client's engine (core/engine.hpp). One description, two drivers.
#pragma once

#include <functional>
#include <memory>
#include <type_traits>

#include "core/client.hpp"
#include "core/transport.hpp"
#include "core/types.hpp"

namespace ik::detail {

// Attaches operation context to a parse error raised while mapping a body.
[[noreturn]] void rethrow_parse(Error &e, const Request &req, const ik_response &resp);

template <class T>
struct Prepared {
  using Result = T;
  Request req;
  // Turns the successful response into the result; throws Error (PARSE).
  std::function<std::unique_ptr<T>(const ik_client &, const Request &, ResponsePtr)> finish;
};

// The blocking driver: sends on the calling thread, then finishes.
template <class T>
std::unique_ptr<T> run(const ik_client &client, const Prepared<T> &p, const CallSettings &cs) {
  return p.finish(client, p.req, client.transport->execute(p.req, cs));
}

// A single-object operation: the JSON object body mapped with map(obj,
// result, text), its fields in an arena owned with its response (attach_text).
// A map that needs the parsed document itself (to slice a member's exact
// bytes from the same parse: member_slice) takes it instead of the object.
template <class T, class Map>
Prepared<T> object_call(Request req, Map map, const char *what = "response body") {
  Prepared<T> p;
  p.req = std::move(req);
  p.finish = [map, what](const ik_client &client, const Request &r, ResponsePtr resp) {
    auto out = std::make_unique<T>();
    TextArena &text = attach_text(resp);
    out->resp = resp;
    out->raw = resp->body;
    try {
      auto lease = client.transport->parser();
      const JsonDoc doc = parse_json(*lease, resp->body, what);
      if constexpr (std::is_invocable_v<Map, const JsonDoc &, T &, TextArena &>)
        map(doc, *out, text);
      else
        map(as_object(doc, what), *out, text);
    } catch (Error &e) {
      rethrow_parse(e, r, *resp);
    }
    return out;
  };
  return p;
}

// A delete answered by 204 without a body: the deletion result carries the
// id the call was given.
Prepared<ik_deletion> delete_no_body_call(Request req, int32_t kind, const char *id);

}  // namespace ik::detail
