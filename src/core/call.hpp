// Executing a single-object operation: send through the transport, parse the
// JSON body, map it into the result type. Shared by every provider module.
#pragma once

#include <memory>

#include "core/client.hpp"
#include "core/transport.hpp"
#include "core/types.hpp"

namespace ik::detail {

// Attaches operation context to a parse error raised while mapping a body.
[[noreturn]] void rethrow_parse(Error &e, const Request &req, const ik_response &resp);

// Sends req and maps the JSON object body with map(obj, result).
template <class T, class Map>
std::unique_ptr<T> call_object(const ik_client &client, const Request &req, const CallSettings &cs, Map map,
                               const char *what = "response body") {
  std::shared_ptr<const ik_response> resp = client.transport->execute(req, cs);
  auto out = std::make_unique<T>();
  out->resp = resp;
  out->raw_is_body = true;
  try {
    auto lease = client.transport->parser();
    JsonElement root = parse_json(*lease, resp->body, what);
    map(as_object(root, what), *out);
  } catch (Error &e) {
    rethrow_parse(e, req, *resp);
  }
  return out;
}

// Sends a delete answered by 204 without a body: the deletion result carries
// the id the call was given.
std::unique_ptr<ik_deletion> call_delete_no_body(const ik_client &client, const Request &req, const CallSettings &cs,
                                                 int32_t kind, const char *id);

}  // namespace ik::detail
