// Embedding test: a plugin host dlopen()s the SHARED library by path, uses it,
// and dlclose()s it, 50 times (client.h EMBEDDING). This program does not
// link libinvitekit; it only uses the header for types (decltype).
//
// Usage: embed_dlopen /path/to/libinvitekit.so [cycles]
// Exit status 0 on success; 1 with a message on stderr otherwise. Run under
// valgrind as a separate test (tests/unit/meson.build).
#include <dlfcn.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <invitekit/invitekit.h>

#include "mock_server.hpp"

namespace {

int fail(const std::string &msg) {
  std::fprintf(stderr, "embed_dlopen: FAIL: %s\n", msg.c_str());
  return 1;
}

template <class F>
bool resolve(void *h, const char *name, F *&out, std::string &why) {
  dlerror();
  out = reinterpret_cast<F *>(dlsym(h, name));
  if (!out) {
    const char *e = dlerror();
    why = std::string("dlsym ") + name + ": " + (e ? e : "NULL");
    return false;
  }
  return true;
}

struct Api {
  decltype(ik_client_options_init) *options_init = nullptr;
  decltype(ik_client_new) *client_new = nullptr;
  decltype(ik_client_free) *client_free = nullptr;
  decltype(ik_openai_invite_retrieve) *retrieve = nullptr;
  decltype(ik_openai_invite_id) *invite_id = nullptr;
  decltype(ik_openai_invite_free) *invite_free = nullptr;
  decltype(ik_error_message) *error_message = nullptr;
  decltype(ik_error_free) *error_free = nullptr;
  decltype(ik_abi_version) *abi_version = nullptr;
};

bool load(void *h, Api &a, std::string &why) {
  return resolve(h, "ik_client_options_init", a.options_init, why) && resolve(h, "ik_client_new", a.client_new, why) &&
         resolve(h, "ik_client_free", a.client_free, why) && resolve(h, "ik_openai_invite_retrieve", a.retrieve, why) &&
         resolve(h, "ik_openai_invite_id", a.invite_id, why) &&
         resolve(h, "ik_openai_invite_free", a.invite_free, why) &&
         resolve(h, "ik_error_message", a.error_message, why) && resolve(h, "ik_error_free", a.error_free, why) &&
         resolve(h, "ik_abi_version", a.abi_version, why);
}

}  // namespace

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : std::getenv("IK_SHARED_LIB");
  if (!path || !*path) return fail("no library path (argv[1] or IK_SHARED_LIB)");
  const int cycles = argc > 2 ? std::atoi(argv[2]) : 50;

  iktest::MockServer::Options so;
  so.threads = 4;
  iktest::MockServer server(so);
  server.set_handler([](const iktest::RecordedRequest &r) {
    const std::string id = r.path.substr(r.path.rfind('/') + 1);
    return iktest::Reply::json(200, "{\"object\":\"organization.invite\",\"id\":\"" + id +
                                        "\",\"email\":\"e@x.com\",\"role\":\"reader\",\"status\":\"pending\","
                                        "\"created_at\":1,\"expires_at\":null,\"accepted_at\":null}");
  });
  const std::string url = server.base_url();
  int still_loaded = 0;
  const auto t0 = std::chrono::steady_clock::now();

  for (int i = 0; i < cycles; ++i) {
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) return fail(std::string("dlopen: ") + dlerror());
    Api api;
    std::string why;
    if (!load(h, api, why)) return fail(why);
    if (std::strcmp(api.abi_version(), IK_ABI_VERSION) != 0)
      return fail(std::string("ABI mismatch: library ") + api.abi_version() + ", header " + IK_ABI_VERSION);

    ik_client_options o;
    if (api.options_init(&o, IK_CLIENT_OPTIONS_VERSION, nullptr) != IK_STATUS_OK) return fail("options_init");
    o.flags = IK_CLIENT_IGNORE_ENV | IK_CLIENT_NO_PROXY_ENV;
    o.openai_admin_key = "sk-admin-embed";
    o.openai_base_url = url.c_str();
    o.max_retries = -1;
    o.attempt_timeout_ms = 10000;
    ik_client *c = nullptr;
    ik_error *err = nullptr;
    if (api.client_new(&o, &c, &err) != IK_STATUS_OK) {
      std::string m = api.error_message(err) ? api.error_message(err) : "?";
      api.error_free(err);
      return fail("client_new: " + m);
    }
    const std::string id = "invite-" + std::to_string(i);
    ik_openai_invite *inv = nullptr;
    if (api.retrieve(c, id.c_str(), nullptr, &inv, &err) != IK_STATUS_OK) {
      std::string m = api.error_message(err) ? api.error_message(err) : "?";
      api.error_free(err);
      api.client_free(c);
      return fail("retrieve: " + m);
    }
    const char *got = api.invite_id(inv);
    if (!got || id != got) return fail("wrong invite id");
    api.invite_free(inv);
    api.client_free(c);
    if (dlclose(h) != 0) return fail(std::string("dlclose: ") + dlerror());
    void *again = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    if (again) {
      ++still_loaded;
      dlclose(again);
    }
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (server.request_count() != static_cast<size_t>(cycles))
    return fail("server saw " + std::to_string(server.request_count()) + " requests");
  std::printf(
      "embed_dlopen: %d dlopen/use/dlclose cycles OK in %.2f s; library stayed mapped after dlclose in %d "
      "cycle(s)\n",
      cycles, secs, still_loaded);
  return 0;
}
