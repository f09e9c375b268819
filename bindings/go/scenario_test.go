package invitekit

// Runner of the language-neutral scenarios in tests/scenarios (format
// "invitekit-scenario/1", described in tests/scenarios/README.md), through
// this binding's API. One subtest per file, each against its own emulator.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

type scenarioFile struct {
	Format      string                 `json:"format"`
	Description string                 `json:"description"`
	Emulator    struct{ Seed int }     `json:"emulator"`
	Client      map[string]interface{} `json:"client"`
	Steps       []scenarioStep         `json:"steps"`
}

type scenarioStep struct {
	Name        string                 `json:"name"`
	Faults      []string               `json:"faults"`
	ClearFaults bool                   `json:"clear_faults"`
	Client      map[string]interface{} `json:"client"`
	Call        map[string]interface{} `json:"call"`
	Op          string                 `json:"op"`
	Nonblocking bool                   `json:"nonblocking"`
	Args        map[string]interface{} `json:"args"`
	Expect      map[string]interface{} `json:"expect"`
	Save        map[string]string      `json:"save"`
}

func TestScenarios(t *testing.T) {
	dir := filepath.Join("..", "..", "tests", "scenarios")
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		t.Skipf("no scenario format in %s: %v", dir, err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatalf("no scenario files in %s", dir)
	}
	needEmulator(t)
	for _, f := range files {
		f := f
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) { runScenarioFile(t, f) })
	}
}

func runScenarioFile(t *testing.T, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var sf scenarioFile
	if err := json.Unmarshal(b, &sf); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if sf.Format != "invitekit-scenario/1" {
		t.Fatalf("%s: unknown format %q", path, sf.Format)
	}
	e, err := startEmulator(sf.Emulator.Seed)
	if err != nil {
		t.Fatal(err)
	}
	defer e.stop()
	vars := map[string]interface{}{"emulator_url": e.url}
	fileClient, err := scenarioClient(e, sf.Client, nil)
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	defer fileClient.Close()
	for i, st := range sf.Steps {
		label := fmt.Sprintf("step %d %q (%s)", i+1, st.Name, st.Op)
		if !runScenarioStep(t, e, fileClient, sf.Client, st, vars, label) {
			t.Errorf("%s: stopping the file at the first failing step", filepath.Base(path))
			return
		}
	}
}

func runScenarioStep(t *testing.T, e *emulator, fileClient *Client, fileOpts map[string]interface{}, st scenarioStep,
	vars map[string]interface{}, label string) bool {
	defer e.clearFaults()
	if st.ClearFaults {
		e.clearFaults()
	}
	if len(st.Faults) > 0 {
		e.addFaults(t, st.Faults...)
	}
	c := fileClient
	if st.Client != nil {
		var err error
		c, err = scenarioClient(e, fileOpts, st.Client)
		if err != nil {
			t.Errorf("%s: client: %v", label, err)
			return false
		}
		defer c.Close()
	}
	args, err := resolveVars(st.Args, vars)
	if err != nil {
		t.Errorf("%s: %v", label, err)
		return false
	}
	expect, err := resolveVars(st.Expect, vars)
	if err != nil {
		t.Errorf("%s: %v", label, err)
		return false
	}
	am, _ := args.(map[string]interface{})
	if am == nil {
		am = map[string]interface{}{}
	}
	if st.Nonblocking && !strings.HasSuffix(st.Op, ".ensure") {
		t.Errorf("%s: \"nonblocking\" is defined for the *.ensure ops only", label)
		return false
	}
	var actual interface{}
	var opErr error
	if strings.HasSuffix(st.Op, ".ensure") {
		actual, opErr = runScenarioEnsure(c, st.Op, am, callOptions(st.Call), st.Nonblocking)
	} else {
		actual, opErr = runScenarioOp(c, st.Op, am, callOptions(st.Call))
	}
	exp, _ := expect.(map[string]interface{})
	var want interface{}
	var got interface{}
	var root string
	switch {
	case exp["ok"] != nil || hasKey(exp, "ok"):
		root, want = "ok", exp["ok"]
		if opErr != nil {
			t.Errorf("%s: expected success, got error %v", label, opErr)
			return false
		}
		got = actual
	case hasKey(exp, "error"):
		root, want = "error", exp["error"]
		if opErr == nil {
			t.Errorf("%s: expected an error, the call succeeded: %v", label, compact(actual))
			return false
		}
		got = errorActual(opErr)
	default:
		t.Errorf("%s: expect has neither ok nor error", label)
		return false
	}
	var mism []string
	matchValue(root, want, got, &mism)
	for _, m := range mism {
		t.Errorf("%s: %s", label, m)
	}
	if len(mism) > 0 {
		return false
	}
	for v, p := range st.Save {
		val, ok := lookupPath(got, p)
		if !ok || val == nil {
			t.Errorf("%s: save %s: no value at %q", label, v, p)
			return false
		}
		vars[v] = val
	}
	return true
}

func hasKey(m map[string]interface{}, k string) bool { _, ok := m[k]; return ok }

func compact(v interface{}) string {
	b, _ := json.Marshal(v)
	if len(b) > 400 {
		b = append(b[:400], "..."...)
	}
	return string(b)
}

func resolveVars(v interface{}, vars map[string]interface{}) (interface{}, error) {
	switch x := v.(type) {
	case string:
		if strings.HasPrefix(x, "$") {
			val, ok := vars[x[1:]]
			if !ok {
				return nil, fmt.Errorf("undefined variable %s", x)
			}
			return val, nil
		}
		return x, nil
	case map[string]interface{}:
		out := make(map[string]interface{}, len(x))
		for k, e := range x {
			r, err := resolveVars(e, vars)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	case []interface{}:
		out := make([]interface{}, len(x))
		for i, e := range x {
			r, err := resolveVars(e, vars)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	return v, nil
}

func num(v interface{}) (float64, bool) {
	f, ok := v.(float64)
	return f, ok
}

func intArg(m map[string]interface{}, k string, def int64) int64 {
	if f, ok := num(m[k]); ok {
		return int64(f)
	}
	return def
}

func strArg(m map[string]interface{}, k string) string {
	s, _ := m[k].(string)
	return s
}

func boolPtrArg(m map[string]interface{}, k string) *bool {
	if b, ok := m[k].(bool); ok {
		return &b
	}
	return nil
}

func strPtrArg(m map[string]interface{}, k string) *string {
	if s, ok := m[k].(string); ok {
		return &s
	}
	return nil
}

func strListArg(m map[string]interface{}, k string) []string {
	a, _ := m[k].([]interface{})
	var out []string
	for _, e := range a {
		s, _ := e.(string)
		out = append(out, s)
	}
	return out
}

func scenarioClient(e *emulator, base, override map[string]interface{}) (*Client, error) {
	m := map[string]interface{}{}
	for k, v := range base {
		m[k] = v
	}
	for k, v := range override {
		m[k] = v
	}
	msd := func(k string, def int64) time.Duration { return time.Duration(intArg(m, k, def)) * time.Millisecond }
	o := Options{
		Twilio:         TwilioOptions{AccountSID: emuTwilioSID, AuthToken: emuTwilioToken, BaseURL: e.url},
		OpenAI:         OpenAIOptions{AdminKey: emuOpenAIKey, BaseURL: e.url + "/v1"},
		Fastly:         FastlyOptions{APIToken: emuFastlyToken, BaseURL: e.url},
		IgnoreEnv:      true,
		NoProxyEnv:     true,
		MaxRetries:     int(intArg(m, "max_retries", -1)),
		RetryBaseDelay: msd("retry_base_delay_ms", 1),
		RetryMaxDelay:  msd("retry_max_delay_ms", 10),
		ConnectTimeout: msd("connect_timeout_ms", 5000),
		AttemptTimeout: msd("attempt_timeout_ms", 10000),
		Deadline:       msd("deadline_ms", 0),
		MaxServerWait:  msd("max_server_wait_ms", 0),
		Jitter:         JitterNone,
	}
	switch strArg(m, "jitter") {
	case "full":
		o.Jitter = JitterFull
	case "decorrelated":
		o.Jitter = JitterDecorrelated
	}
	if strArg(m, "server_wait_policy") == "cap" {
		o.ServerWaitPolicy = ServerWaitCap
	}
	if b, _ := m["retry_ambiguous_posts"].(bool); b {
		o.RetryAmbiguousPosts = true
	}
	if strArg(m, "credentials") == "wrong" {
		o.Twilio.AuthToken, o.OpenAI.AdminKey, o.Fastly.APIToken = "wrong-twilio-token", "sk-admin-wrong", "wrong-fastly-token"
	}
	return NewClient(o)
}

func callOptions(m map[string]interface{}) []CallOption {
	var cos []CallOption
	if m == nil {
		return nil
	}
	if v := intArg(m, "max_retries", 0); v != 0 {
		cos = append(cos, WithMaxRetries(int(v)))
	}
	if v := intArg(m, "deadline_ms", 0); v != 0 {
		cos = append(cos, WithDeadline(time.Duration(v)*time.Millisecond))
	}
	if v := intArg(m, "attempt_timeout_ms", 0); v != 0 {
		cos = append(cos, WithAttemptTimeout(time.Duration(v)*time.Millisecond))
	}
	if v := intArg(m, "connect_timeout_ms", 0); v != 0 {
		cos = append(cos, WithConnectTimeout(time.Duration(v)*time.Millisecond))
	}
	if b := boolPtrArg(m, "retry_ambiguous_posts"); b != nil {
		cos = append(cos, WithRetryAmbiguousPosts(*b))
	}
	return cos
}

func listArgs(m map[string]interface{}) ListOptions {
	return ListOptions{PageSize: int(intArg(m, "page_size", 0)), MaxItems: intArg(m, "max_items", 0),
		Cursor: strArg(m, "cursor"), ProviderCursor: strArg(m, "provider_cursor")}
}

// ---- actual values (README "Actual values") ----

func nilIfEmpty(s string) interface{} {
	if s == "" {
		return nil
	}
	return s
}

func sp(s *string) interface{} {
	if s == nil {
		return nil
	}
	return *s
}

func ip(v *int64) interface{} {
	if v == nil {
		return nil
	}
	return float64(*v)
}

func tp(v *time.Time) interface{} {
	if v == nil {
		return nil
	}
	return float64(v.Unix())
}

func bp(v *bool) interface{} {
	if v == nil {
		return nil
	}
	return *v
}

func rawStr(r json.RawMessage) interface{} {
	if r == nil {
		return nil
	}
	return string(r)
}

func addResponse(m map[string]interface{}, r *Response) map[string]interface{} {
	if r == nil {
		return m
	}
	m["http_status"] = float64(r.HTTPStatus)
	m["attempts"] = float64(r.Attempts)
	m["request_id"] = nilIfEmpty(r.RequestID)
	m["provider"] = r.Provider.String()
	m["ratelimit_remaining"] = ip(r.RateLimitRemaining)
	m["ratelimit_reset_unix"] = tp(r.RateLimitReset)
	return m
}

func openaiActual(v *OpenAIInvite) map[string]interface{} {
	projects := []interface{}{}
	for _, p := range v.Projects {
		projects = append(projects, map[string]interface{}{"id": nilIfEmpty(p.ID), "role": nilIfEmpty(p.Role)})
	}
	return map[string]interface{}{"object": nilIfEmpty(v.Object), "id": nilIfEmpty(v.ID), "email": nilIfEmpty(v.Email),
		"role": nilIfEmpty(v.Role), "status": nilIfEmpty(v.Status), "created_at_unix": tp(v.CreatedAt),
		"expires_at_unix": tp(v.ExpiresAt), "accepted_at_unix": tp(v.AcceptedAt), "projects": projects,
		"has_projects": v.HasProjects, "raw_json": rawStr(v.Raw)}
}

func twilioInviteActual(v *TwilioInvite) map[string]interface{} {
	return map[string]interface{}{"sid": nilIfEmpty(v.SID), "account_sid": nilIfEmpty(v.AccountSID),
		"channel_sid": nilIfEmpty(v.ChannelSID), "service_sid": nilIfEmpty(v.ServiceSID), "identity": nilIfEmpty(v.Identity),
		"role_sid": sp(v.RoleSID), "created_by": sp(v.CreatedBy), "url": sp(v.URL), "date_created": sp(v.DateCreatedText),
		"date_updated": sp(v.DateUpdatedText), "date_created_unix": tp(v.DateCreated), "date_updated_unix": tp(v.DateUpdated),
		"raw_json": rawStr(v.Raw)}
}

func twilioUserActual(v *TwilioUser) map[string]interface{} {
	return map[string]interface{}{"sid": nilIfEmpty(v.SID), "account_sid": nilIfEmpty(v.AccountSID),
		"service_sid": nilIfEmpty(v.ServiceSID), "attributes": sp(v.Attributes), "friendly_name": sp(v.FriendlyName),
		"role_sid": sp(v.RoleSID), "identity": nilIfEmpty(v.Identity), "is_online": bp(v.IsOnline),
		"is_notifiable": bp(v.IsNotifiable), "date_created": sp(v.DateCreatedText), "date_updated": sp(v.DateUpdatedText),
		"date_created_unix": tp(v.DateCreated), "date_updated_unix": tp(v.DateUpdated),
		"joined_channels_count": ip(v.JoinedChannelsCount), "link_user_channels": sp(v.LinkUserChannels),
		"link_user_bindings": sp(v.LinkUserBindings), "url": sp(v.URL), "raw_json": rawStr(v.Raw)}
}

func fastlyActual(v *FastlyInvitation) map[string]interface{} {
	roles := []interface{}{}
	for _, r := range v.Roles {
		roles = append(roles, r)
	}
	sis := []interface{}{}
	for _, s := range v.ServiceInvitations {
		sis = append(sis, s)
	}
	return map[string]interface{}{"id": nilIfEmpty(v.ID), "type": nilIfEmpty(v.Type), "email": nilIfEmpty(v.Email),
		"limit_services": bp(v.LimitServices), "role": sp(v.Role), "roles": roles, "status_code": ip(v.StatusCode),
		"created_at": sp(v.CreatedAtText), "updated_at": sp(v.UpdatedAtText), "deleted_at": sp(v.DeletedAtText),
		"created_at_unix": tp(v.CreatedAt), "updated_at_unix": tp(v.UpdatedAt), "deleted_at_unix": tp(v.DeletedAt),
		"customer_id": sp(v.CustomerID), "service_invitations": sis, "raw_json": rawStr(v.Raw)}
}

func pageActual[T any](p *Page[T], item func(*T) map[string]interface{}) map[string]interface{} {
	items := []interface{}{}
	for i := range p.Items {
		m := item(&p.Items[i])
		m["generic_matches_typed"] = i < len(p.genericOK) && p.genericOK[i]
		items = append(items, m)
	}
	ids := []interface{}{}
	for _, id := range p.ItemIDs {
		ids = append(ids, nilIfEmpty(id))
	}
	pm := p.Meta
	m := map[string]interface{}{"kind": p.Kind.String(), "count": float64(len(p.Items)), "has_more": p.HasMore,
		"next_cursor": nilIfEmpty(p.NextCursor), "items": items, "item_ids": ids,
		"openai_first_id": sp(pm.OpenAIFirstID), "openai_last_id": sp(pm.OpenAILastID),
		"twilio_page": ip(pm.TwilioPage), "twilio_page_size": ip(pm.TwilioPageSize), "twilio_key": sp(pm.TwilioKey),
		"twilio_url": sp(pm.TwilioURL), "twilio_first_page_url": sp(pm.TwilioFirstPageURL),
		"twilio_previous_page_url": sp(pm.TwilioPreviousPageURL), "twilio_next_page_url": sp(pm.TwilioNextPageURL),
		"fastly_link_first": sp(pm.FastlyLinkFirst), "fastly_link_last": sp(pm.FastlyLinkLast),
		"fastly_link_prev": sp(pm.FastlyLinkPrev), "fastly_link_next": sp(pm.FastlyLinkNext),
		"fastly_current_page": ip(pm.FastlyCurrentPage), "fastly_per_page": ip(pm.FastlyPerPage),
		"fastly_record_count": ip(pm.FastlyRecordCount), "fastly_total_pages": ip(pm.FastlyTotalPages),
		"raw_json": rawStr(p.Raw)}
	return addResponse(m, p.Response)
}

func deletionActual(d *Deletion) map[string]interface{} {
	return addResponse(map[string]interface{}{"kind": d.Kind.String(), "id": nilIfEmpty(d.ID), "deleted": bp(d.Deleted),
		"object": sp(d.Object), "raw_json": rawStr(d.Raw)}, d.Response)
}

func errorActual(err error) interface{} {
	var e *Error
	if !errors.As(err, &e) {
		return map[string]interface{}{"message": err.Error()}
	}
	fields := map[string]interface{}{}
	for _, n := range []string{"more_info", "details", "type", "title", "detail", "instance", "param", "code", "status",
		"msg", "id", "meta", "errors", "content_type", "url"} {
		if v, ok := e.Field(n); ok {
			fields[n] = v
		} else {
			fields[n] = nil
		}
	}
	var ra interface{}
	if e.HasRetryAfter {
		ra = float64(e.RetryAfter / time.Millisecond)
	}
	var body interface{}
	if e.Body != nil {
		body = string(e.Body)
	}
	return map[string]interface{}{"status": e.Status.Name(), "error_status": e.Status.Name(), "message": e.Message,
		"http_status": float64(e.HTTPStatus), "provider": e.Provider.String(), "operation": nilIfEmpty(e.Operation),
		"provider_code": nilIfEmpty(e.ProviderCode), "provider_message": nilIfEmpty(e.ProviderMessage),
		"request_id": nilIfEmpty(e.RequestID), "retry_after_ms": ra, "retryable": e.Retryable, "ambiguous": e.Ambiguous,
		"attempts": float64(e.Attempts), "transport_code": float64(e.TransportCode), "cancelled_by": e.CancelledBy.String(),
		"fields": fields, "body": body}
}

// ---- operations ----

// The arguments of the create ops, shared with their *.ensure twins.

func openaiCreateArgs(a map[string]interface{}) OpenAIInviteCreate {
	in := OpenAIInviteCreate{Email: strArg(a, "email"), Role: strArg(a, "role")}
	if ps, ok := a["projects"].([]interface{}); ok {
		in.SendProjects = true
		for _, p := range ps {
			pm, _ := p.(map[string]interface{})
			in.Projects = append(in.Projects, OpenAIProject{ID: strArg(pm, "id"), Role: strArg(pm, "role")})
		}
	}
	return in
}

func twilioUserArgs(a map[string]interface{}) TwilioUserParams {
	return TwilioUserParams{Identity: strArg(a, "identity"), RoleSID: strPtrArg(a, "role_sid"), Attributes: strPtrArg(a, "attributes"),
		FriendlyName: strPtrArg(a, "friendly_name"), WebhookEnabled: boolPtrArg(a, "webhook_enabled")}
}

func fastlyCreateArgs(a map[string]interface{}) FastlyInvitationCreate {
	in := FastlyInvitationCreate{Email: strArg(a, "email"), Role: strArg(a, "role"), Roles: strListArg(a, "roles"),
		LimitServices: boolPtrArg(a, "limit_services"), CustomerID: strArg(a, "customer_id")}
	if ss, ok := a["services"].([]interface{}); ok {
		for _, s := range ss {
			sm, _ := s.(map[string]interface{})
			in.Services = append(in.Services, FastlyServiceGrant{ServiceID: strArg(sm, "service_id"), Permission: strArg(sm, "permission")})
		}
	}
	return in
}

// ensureActual is an ensure's result: the object (with its response fields)
// plus "outcome".
func ensureActual(m map[string]interface{}, r *Response, oc EnsureOutcome) map[string]interface{} {
	m = addResponse(m, r)
	m["outcome"] = oc.String()
	return m
}

// waitEnsure waits for a non-blocking ensure: the start call's own error
// (an argument error) or the operation's outcome.
func waitEnsure[T any](op *Op[EnsureResult[T]], err error) (T, EnsureOutcome, error) {
	if err != nil {
		var zero T
		return zero, 0, err
	}
	r, err := op.Wait(context.Background())
	return r.Value, r.Outcome, err
}

// runScenarioEnsure runs the four *.ensure ops, through the blocking Ensure*
// methods or (nonblocking) their StartEnsure* twins, waited for.
func runScenarioEnsure(c *Client, op string, a map[string]interface{}, cos []CallOption, nonblocking bool) (interface{}, error) {
	ctx := context.Background()
	switch op {
	case "openai.invites.ensure":
		var v *OpenAIInvite
		var oc EnsureOutcome
		var err error
		if nonblocking {
			v, oc, err = waitEnsure(c.StartEnsureOpenAIInvite(ctx, openaiCreateArgs(a), cos...))
		} else {
			v, oc, err = c.EnsureOpenAIInvite(ctx, openaiCreateArgs(a), cos...)
		}
		if err != nil {
			return nil, err
		}
		return ensureActual(openaiActual(v), v.Response, oc), nil
	case "twilio.invites.ensure":
		svc, ch, id, role := strArg(a, "service_sid"), strArg(a, "channel_sid"), strArg(a, "identity"), strArg(a, "role_sid")
		var v *TwilioInvite
		var oc EnsureOutcome
		var err error
		if nonblocking {
			v, oc, err = waitEnsure(c.StartEnsureTwilioInvite(ctx, svc, ch, id, role, cos...))
		} else {
			v, oc, err = c.EnsureTwilioInvite(ctx, svc, ch, id, role, cos...)
		}
		if err != nil {
			return nil, err
		}
		return ensureActual(twilioInviteActual(v), v.Response, oc), nil
	case "twilio.users.ensure":
		var v *TwilioUser
		var oc EnsureOutcome
		var err error
		if nonblocking {
			v, oc, err = waitEnsure(c.StartEnsureTwilioUser(ctx, strArg(a, "service_sid"), twilioUserArgs(a), cos...))
		} else {
			v, oc, err = c.EnsureTwilioUser(ctx, strArg(a, "service_sid"), twilioUserArgs(a), cos...)
		}
		if err != nil {
			return nil, err
		}
		return ensureActual(twilioUserActual(v), v.Response, oc), nil
	case "fastly.invitations.ensure":
		var v *FastlyInvitation
		var oc EnsureOutcome
		var err error
		if nonblocking {
			v, oc, err = waitEnsure(c.StartEnsureFastlyInvitation(ctx, fastlyCreateArgs(a), cos...))
		} else {
			v, oc, err = c.EnsureFastlyInvitation(ctx, fastlyCreateArgs(a), cos...)
		}
		if err != nil {
			return nil, err
		}
		return ensureActual(fastlyActual(v), v.Response, oc), nil
	}
	return nil, fmt.Errorf("unknown op %q", op)
}

func runScenarioOp(c *Client, op string, a map[string]interface{}, cos []CallOption) (interface{}, error) {
	ctx := context.Background()
	switch op {
	case "openai.invites.create":
		v, err := c.CreateOpenAIInvite(ctx, openaiCreateArgs(a), cos...)
		if err != nil {
			return nil, err
		}
		return addResponse(openaiActual(v), v.Response), nil
	case "openai.invites.retrieve":
		v, err := c.RetrieveOpenAIInvite(ctx, strArg(a, "invite_id"), cos...)
		if err != nil {
			return nil, err
		}
		return addResponse(openaiActual(v), v.Response), nil
	case "openai.invites.list":
		p, err := c.ListOpenAIInvites(ctx, listArgs(a), cos...)
		if err != nil {
			return nil, err
		}
		return pageActual(p, openaiActual), nil
	case "openai.invites.delete":
		d, err := c.DeleteOpenAIInvite(ctx, strArg(a, "invite_id"), cos...)
		if err != nil {
			return nil, err
		}
		return deletionActual(d), nil
	case "twilio.invites.create":
		v, err := c.CreateTwilioInvite(ctx, strArg(a, "service_sid"), strArg(a, "channel_sid"), strArg(a, "identity"), strArg(a, "role_sid"), cos...)
		if err != nil {
			return nil, err
		}
		return addResponse(twilioInviteActual(v), v.Response), nil
	case "twilio.invites.fetch":
		v, err := c.FetchTwilioInvite(ctx, strArg(a, "service_sid"), strArg(a, "channel_sid"), strArg(a, "invite_sid"), cos...)
		if err != nil {
			return nil, err
		}
		return addResponse(twilioInviteActual(v), v.Response), nil
	case "twilio.invites.list":
		p, err := c.ListTwilioInvites(ctx, strArg(a, "service_sid"), strArg(a, "channel_sid"), strListArg(a, "identities"), listArgs(a), cos...)
		if err != nil {
			return nil, err
		}
		return pageActual(p, twilioInviteActual), nil
	case "twilio.invites.delete":
		d, err := c.DeleteTwilioInvite(ctx, strArg(a, "service_sid"), strArg(a, "channel_sid"), strArg(a, "invite_sid"), cos...)
		if err != nil {
			return nil, err
		}
		return deletionActual(d), nil
	case "twilio.users.create", "twilio.users.update":
		p := twilioUserArgs(a)
		var v *TwilioUser
		var err error
		if op == "twilio.users.create" {
			v, err = c.CreateTwilioUser(ctx, strArg(a, "service_sid"), p, cos...)
		} else {
			v, err = c.UpdateTwilioUser(ctx, strArg(a, "service_sid"), strArg(a, "sid_or_identity"), p, cos...)
		}
		if err != nil {
			return nil, err
		}
		return addResponse(twilioUserActual(v), v.Response), nil
	case "twilio.users.fetch":
		v, err := c.FetchTwilioUser(ctx, strArg(a, "service_sid"), strArg(a, "sid_or_identity"), cos...)
		if err != nil {
			return nil, err
		}
		return addResponse(twilioUserActual(v), v.Response), nil
	case "twilio.users.list":
		p, err := c.ListTwilioUsers(ctx, strArg(a, "service_sid"), listArgs(a), cos...)
		if err != nil {
			return nil, err
		}
		return pageActual(p, twilioUserActual), nil
	case "twilio.users.delete":
		d, err := c.DeleteTwilioUser(ctx, strArg(a, "service_sid"), strArg(a, "sid_or_identity"), cos...)
		if err != nil {
			return nil, err
		}
		return deletionActual(d), nil
	case "fastly.invitations.create":
		v, err := c.CreateFastlyInvitation(ctx, fastlyCreateArgs(a), cos...)
		if err != nil {
			return nil, err
		}
		return addResponse(fastlyActual(v), v.Response), nil
	case "fastly.invitations.list":
		p, err := c.ListFastlyInvitations(ctx, listArgs(a), cos...)
		if err != nil {
			return nil, err
		}
		return pageActual(p, fastlyActual), nil
	case "fastly.invitations.delete":
		d, err := c.DeleteFastlyInvitation(ctx, strArg(a, "invitation_id"), cos...)
		if err != nil {
			return nil, err
		}
		return deletionActual(d), nil
	case "pager.items", "pager.pages":
		byPages := op == "pager.pages"
		switch strArg(a, "list") {
		case "openai.invites":
			return runPager(c.OpenAIInvites(ctx, listArgs(a), cos...), byPages, a, func(v *OpenAIInvite) string { return v.ID })
		case "twilio.invites":
			return runPager(c.TwilioInvites(ctx, strArg(a, "service_sid"), strArg(a, "channel_sid"), strListArg(a, "identities"), listArgs(a), cos...),
				byPages, a, func(v *TwilioInvite) string { return v.SID })
		case "twilio.users":
			return runPager(c.TwilioUsers(ctx, strArg(a, "service_sid"), listArgs(a), cos...), byPages, a, func(v *TwilioUser) string { return v.SID })
		case "fastly.invitations":
			return runPager(c.FastlyInvitations(ctx, listArgs(a), cos...), byPages, a, func(v *FastlyInvitation) string { return v.ID })
		}
		return nil, fmt.Errorf("unknown list %q", strArg(a, "list"))
	}
	return nil, fmt.Errorf("unknown op %q", op)
}

func runPager[T any](it *Iterator[T], byPages bool, a map[string]interface{}, id func(*T) string) (interface{}, error) {
	defer it.Close()
	ctx := context.Background()
	ids := []interface{}{}
	pageCounts := []interface{}{}
	count := 0
	if byPages {
		stop := int(intArg(a, "stop_after_pages", 0))
		for n := 0; n < 10000 && (stop == 0 || n < stop); n++ {
			if !it.NextPage(ctx) {
				break
			}
			p := it.Page()
			for _, x := range p.ItemIDs {
				ids = append(ids, nilIfEmpty(x))
			}
			count += len(p.Items)
			pageCounts = append(pageCounts, float64(len(p.Items)))
		}
	} else {
		stop := int(intArg(a, "stop_after_items", 0))
		for n := 0; n < 100000 && (stop == 0 || n < stop); n++ {
			if !it.Next(ctx) {
				break
			}
			item := it.Item()
			ids = append(ids, nilIfEmpty(id(&item)))
			count++
		}
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	cur, err := it.Cursor()
	if err != nil {
		return nil, err
	}
	m := map[string]interface{}{"kind": it.Kind().String(), "count": float64(count), "item_ids": ids,
		"done": it.Done(), "items_delivered": float64(it.ItemsDelivered()), "cursor": cur}
	if byPages {
		m["pages"] = float64(len(pageCounts))
		m["page_counts"] = pageCounts
	}
	return m, nil
}

// ---- comparison (README "Comparison") ----

var matcherKeys = map[string]bool{"present": true, "contains": true, "prefix": true, "length": true, "min": true, "max": true, "not": true}

func isMatcher(m map[string]interface{}) bool {
	if len(m) == 0 {
		return false
	}
	for k := range m {
		if !matcherKeys[k] {
			return false
		}
	}
	return true
}

func matchValue(path string, want, got interface{}, out *[]string) {
	fail := func(what string) {
		*out = append(*out, fmt.Sprintf("%s: %s: expected %s, actual %s", path, what, compact(want), compact(got)))
	}
	switch w := want.(type) {
	case map[string]interface{}:
		if isMatcher(w) {
			matchMatcher(path, w, got, out)
			return
		}
		g, ok := got.(map[string]interface{})
		if !ok {
			fail("not an object")
			return
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			gv, ok := g[k]
			if !ok {
				*out = append(*out, fmt.Sprintf("%s.%s: the actual result has no such key", path, k))
				continue
			}
			matchValue(path+"."+k, w[k], gv, out)
		}
	case []interface{}:
		g, ok := got.([]interface{})
		if !ok || len(g) != len(w) {
			fail("array of another length")
			return
		}
		for i := range w {
			matchValue(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], out)
		}
	default:
		if !reflect.DeepEqual(want, got) {
			fail("value")
		}
	}
}

func matchMatcher(path string, m map[string]interface{}, got interface{}, out *[]string) {
	fail := func(what string, operand interface{}) {
		*out = append(*out, fmt.Sprintf("%s: %s %s, actual %s", path, what, compact(operand), compact(got)))
	}
	for k, op := range m {
		switch k {
		case "present":
			if b, _ := op.(bool); b != (got != nil) {
				fail("present", op)
			}
		case "contains":
			s, ok := got.(string)
			if o, _ := op.(string); !ok || !strings.Contains(s, o) {
				fail("contains", op)
			}
		case "prefix":
			s, ok := got.(string)
			if o, _ := op.(string); !ok || !strings.HasPrefix(s, o) {
				fail("prefix", op)
			}
		case "length":
			n := -1
			switch g := got.(type) {
			case string:
				n = len(g)
			case []interface{}:
				n = len(g)
			}
			if f, _ := num(op); n < 0 || float64(n) != f {
				fail("length", op)
			}
		case "min", "max":
			g, ok := num(got)
			f, _ := num(op)
			if !ok || (k == "min" && g < f) || (k == "max" && g > f) {
				fail(k, op)
			}
		case "not":
			if reflect.DeepEqual(op, got) {
				fail("not", op)
			}
		}
	}
}

func lookupPath(v interface{}, path string) (interface{}, bool) {
	cur := v
	for _, part := range strings.Split(path, ".") {
		switch c := cur.(type) {
		case map[string]interface{}:
			x, ok := c[part]
			if !ok {
				return nil, false
			}
			cur = x
		case []interface{}:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// TestScenarioComparison checks the comparison rules on known cases, so that a
// runner that matches everything cannot pass unnoticed.
func TestScenarioComparison(t *testing.T) {
	got := map[string]interface{}{"a": "xyz", "n": float64(3), "l": []interface{}{float64(1), map[string]interface{}{"k": nil}}, "z": nil}
	cases := []struct {
		want string
		ok   bool
	}{
		{`{"a":"xyz","n":3}`, true},
		{`{"a":"xy"}`, false},
		{`{"missing":null}`, false},
		{`{"z":null,"a":{"prefix":"xy","contains":"yz","length":3,"not":"q","present":true}}`, true},
		{`{"z":{"present":true}}`, false},
		{`{"n":{"min":1,"max":3}}`, true},
		{`{"n":{"max":2}}`, false},
		{`{"l":[1,{}]}`, true},
		{`{"l":[1]}`, false},
		{`{"l":[2,{}]}`, false},
	}
	for _, c := range cases {
		var w interface{}
		if err := json.Unmarshal([]byte(c.want), &w); err != nil {
			t.Fatal(err)
		}
		var mism []string
		matchValue("ok", w, got, &mism)
		if (len(mism) == 0) != c.ok {
			t.Errorf("%s: want match=%v, mismatches %v", c.want, c.ok, mism)
		}
	}
}
