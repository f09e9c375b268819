#include "core/call.hpp"

namespace ik::detail {

void rethrow_parse(Error &e, const Request &req, const ik_response &resp) {
  ErrorInfo &info = e.info();
  info.provider = req.ep->provider;
  info.operation = req.ep->operation;
  info.http_status = resp.http_status;
  info.attempts = resp.attempts;
  info.headers = resp.headers;
  if (resp.request_id.set) {
    info.has_request_id = true;
    info.request_id = resp.request_id.s;
  }
  // The server answered 2xx: a POST it processed may have taken effect.
  info.ambiguous = req.ep->method == Method::Post;
  info.has_body = !resp.body.empty();
  info.body = resp.body;
  info.message = std::string(provider_traits(req.ep->provider).name) + " " + req.ep->operation + ": " + info.message;
  throw e;
}

Prepared<ik_deletion> delete_no_body_call(Request req, int32_t kind, const char *id) {
  Prepared<ik_deletion> p;
  p.req = std::move(req);
  p.finish = [kind, id = std::string(id)](const ik_client &, const Request &, ResponsePtr resp) {
    auto del = std::make_unique<ik_deletion>();
    del->resp = std::move(resp);
    del->kind = kind;
    del->id.assign(id);
    del->deleted = IK_OPTBOOL_TRUE;
    return del;
  };
  return p;
}

}  // namespace ik::detail
