/*
 * tests/abi/header_test_main.c - compiled as C99 (-std=c99 -pedantic -Werror
 * -Wall -Wextra) and, through header_test_main.cpp, as C++11. It includes the
 * umbrella header, uses every *_INIT macro (-Wmissing-field-initializers
 * proves they list every field), checks type sizes at compile time, and at
 * run time checks that header and library versions agree.
 */
#include <invitekit/invitekit.h>

#include <stdio.h>
#include <string.h>

/* C99 has no _Static_assert: a negative array size fails the build. */
#define IK_ABI_ASSERT(name, cond) typedef char ik_abi_assert_##name[(cond) ? 1 : -1]

IK_ABI_ASSERT(status_is_32bit, sizeof(ik_status) == 4);
IK_ABI_ASSERT(buf_layout, sizeof(ik_buf) == sizeof(void *) + 2 * sizeof(size_t));
IK_ABI_ASSERT(options_version_first, offsetof(ik_client_options, version) == 0);
IK_ABI_ASSERT(call_options_version_first, offsetof(ik_call_options, version) == 0);
IK_ABI_ASSERT(list_options_version_first, offsetof(ik_list_options, version) == 0);
IK_ABI_ASSERT(openai_params_version_first, offsetof(ik_openai_invite_create_params, version) == 0);
IK_ABI_ASSERT(twilio_params_version_first, offsetof(ik_twilio_user_params, version) == 0);
IK_ABI_ASSERT(fastly_params_version_first, offsetof(ik_fastly_invitation_create_params, version) == 0);
IK_ABI_ASSERT(log_record_version_first, offsetof(ik_log_record, version) == 0);
IK_ABI_ASSERT(retry_info_version_first, offsetof(ik_retry_info, version) == 0);

static int failures = 0;

static void check(int cond, const char *what) {
  if (!cond) {
    fprintf(stderr, "FAIL: %s\n", what);
    ++failures;
  }
}

int main(void) {
  ik_client_options co = IK_CLIENT_OPTIONS_INIT;
  ik_call_options callo = IK_CALL_OPTIONS_INIT;
  ik_list_options lo = IK_LIST_OPTIONS_INIT;
  ik_buf buf = IK_BUF_INIT;
  ik_openai_invite_create_params op = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  ik_twilio_user_params tp = IK_TWILIO_USER_PARAMS_INIT;
  ik_fastly_invitation_create_params fp = IK_FASTLY_INVITATION_CREATE_PARAMS_INIT;

  check(co.version == IK_CLIENT_OPTIONS_VERSION, "IK_CLIENT_OPTIONS_INIT version");
  check(callo.version == IK_CALL_OPTIONS_VERSION, "IK_CALL_OPTIONS_INIT version");
  check(lo.version == IK_LIST_OPTIONS_VERSION, "IK_LIST_OPTIONS_INIT version");
  check(buf.data == NULL && buf.len == 0, "IK_BUF_INIT");
  check(op.version == IK_OPENAI_INVITE_CREATE_PARAMS_VERSION, "IK_OPENAI_INVITE_CREATE_PARAMS_INIT version");
  check(tp.version == IK_TWILIO_USER_PARAMS_VERSION, "IK_TWILIO_USER_PARAMS_INIT version");
  check(fp.version == IK_FASTLY_INVITATION_CREATE_PARAMS_VERSION, "IK_FASTLY_INVITATION_CREATE_PARAMS_INIT version");

  check(ik_version_number() == IK_VERSION_NUMBER, "ik_version_number() == IK_VERSION_NUMBER");
  check(strcmp(ik_version_string(), IK_VERSION_STRING) == 0, "ik_version_string() == IK_VERSION_STRING");
  check(strcmp(ik_abi_version(), IK_ABI_VERSION) == 0, "ik_abi_version() == IK_ABI_VERSION");
  check(ik_client_options_version() == IK_CLIENT_OPTIONS_VERSION, "ik_client_options_version()");
  check(ik_call_options_version() == IK_CALL_OPTIONS_VERSION, "ik_call_options_version()");
  check(ik_list_options_version() == IK_LIST_OPTIONS_VERSION, "ik_list_options_version()");

  if (failures == 0) printf("headers and library agree (version %s, ABI %s)\n", IK_VERSION_STRING, IK_ABI_VERSION);
  return failures == 0 ? 0 : 1;
}
