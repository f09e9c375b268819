using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using InviteKit.Native;
using Microsoft.Extensions.Logging;
using static InviteKit.Native.NativeMethods;

namespace InviteKit;

/// <summary>An ensure call's result: the object found or created, and what the call did.</summary>
/// <typeparam name="T">The object type.</typeparam>
/// <param name="Value">The object found or created.</param>
/// <param name="Outcome">What happened.</param>
public sealed record EnsureResult<T>(T Value, EnsureOutcome Outcome);

/// <summary>A client for the four invitation APIs (OpenAI invites, Twilio Chat v1 invites, Twilio Chat v2 users,
/// Fastly invitations). Thread-safe: share one per process (or per set of credentials); connections are pooled.
/// Every operation is an <c>XxxAsync</c> method that blocks no thread while the request is in flight (the library's
/// I/O thread completes it); the synchronous twins block the calling thread. Dispose it once done: calls still in
/// flight then fail with <see cref="ObjectDisposedException"/>, later calls throw it.</summary>
public sealed unsafe class InviteKitClient : IDisposable
{
    private readonly ClientHandle _handle;
    private readonly bool _inline;

    /// <summary>Creates a client. With null options everything comes from the environment and the defaults.</summary>
    /// <exception cref="InviteKitException">Bad options (e.g. a base URL that is not http or https).</exception>
    public InviteKitClient(InviteKitClientOptions? options = null)
    {
        Loader.EnsureInitialized();
        options ??= new InviteKitClientOptions();
        _inline = options.RunContinuationsOnIoThread;
        using var a = new Utf8Arena();
        IkClientOptions* o = a.Array<IkClientOptions>(1);
        Calls.Check(ik_client_options_init(o, Interop.ClientOptionsVersion, out ErrorHandle ierr), ierr);
        o->flags = (options.IgnoreEnvironment ? 1u : 0) | (options.InsecureSkipTlsVerify ? 2u : 0) |
                   (options.IgnoreProxyEnvironment ? 4u : 0) | (options.RetryAmbiguousPosts ? 8u : 0);
        o->twilio_account_sid = a.Str(options.TwilioAccountSid);
        o->twilio_auth_token = a.Str(options.TwilioAuthToken);
        o->twilio_api_key = a.Str(options.TwilioApiKey);
        o->twilio_api_secret = a.Str(options.TwilioApiSecret);
        o->twilio_edge = a.Str(options.TwilioEdge);
        o->twilio_region = a.Str(options.TwilioRegion);
        o->twilio_base_url = a.Str(options.TwilioBaseUrl);
        o->openai_admin_key = a.Str(options.OpenAIAdminKey);
        o->openai_organization = a.Str(options.OpenAIOrganization);
        o->openai_project = a.Str(options.OpenAIProject);
        o->openai_base_url = a.Str(options.OpenAIBaseUrl);
        o->fastly_api_token = a.Str(options.FastlyApiToken);
        o->fastly_base_url = a.Str(options.FastlyBaseUrl);
        o->user_agent_suffix = a.Str(options.UserAgentSuffix);
        o->connect_timeout_ms = Calls.Ms(options.ConnectTimeout);
        o->attempt_timeout_ms = Calls.Ms(options.AttemptTimeout);
        o->deadline_ms = Calls.Ms(options.Deadline);
        o->ca_file = a.Str(options.CaFile);
        o->proxy = a.Str(options.Proxy);
        o->max_response_bytes = options.MaxResponseBytes ?? 0;
        o->max_retries = Calls.Retries(options.MaxRetries);
        o->jitter = (int)options.Jitter;
        o->retry_base_delay_ms = Calls.Ms(options.RetryBaseDelay);
        o->retry_max_delay_ms = Calls.Ms(options.RetryMaxDelay);
        o->max_server_wait_ms = Calls.Ms(options.MaxServerWait);
        o->server_wait_policy = (int)options.ServerWaitPolicy;
        o->max_connections = options.MaxConnections ?? 0;
        // Continuations on the I/O thread need the relay mode: a slow or blocking one moves the loop to another
        // thread instead of holding back (or deadlocking) the client's other calls.
        o->completion_mode = _inline ? Interop.CompletionsIoThreadRelay : Interop.CompletionsIoThread;
        GCHandle retry = default, log = default;
        if (options.OnRetry is not null)
        {
            retry = GCHandle.Alloc(options.OnRetry);
            o->retry_cb = &Callbacks.OnRetry;
            o->retry_user_data = GCHandle.ToIntPtr(retry);
            o->retry_user_data_free = &Callbacks.FreeUserData;
        }
        if (options.Logger is not null)
        {
            log = GCHandle.Alloc(options.Logger);
            o->log_level = (int)options.LogLevel;
            o->log_cb = &Callbacks.OnLog;
            o->log_user_data = GCHandle.ToIntPtr(log);
            o->log_user_data_free = &Callbacks.FreeUserData;
        }
        int status = ik_client_new(o, out _handle, out ErrorHandle err);
        using (err)
        {
            if (status != 0)
            {
                // On failure the library does not take the user data: release it here.
                if (retry.IsAllocated) retry.Free();
                if (log.IsAllocated) log.Free();
                _handle.Dispose();
                throw InviteKitException.FromNative(status, err);
            }
        }
    }

    /// <summary>The base URL the client uses for a provider, or null for an unknown provider.</summary>
    public string? BaseUrl(Provider provider) => Interop.Str(ik_client_base_url(_handle, (int)provider));

    /// <summary>Whether credentials are configured for a provider.</summary>
    public bool HasCredentials(Provider provider) => ik_client_has_credentials(_handle, (int)provider) != 0;

    /// <summary>TCP connections opened so far (diagnostics: connection reuse).</summary>
    public long ConnectionsOpened => ik_client_connections_opened(_handle);

    /// <summary>Non-blocking operations started and not completed yet. An operation counts until its completion has
    /// returned; the code after an <c>await</c> that runs on the I/O thread (the default) is part of that
    /// completion, so there the awaited operation still counts.</summary>
    public long OperationsInFlight => ik_client_ops_in_flight(_handle);

    /// <summary>Whether <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed => _handle.IsClosed;

    /// <summary>Releases the client: cancels the calls in flight (their tasks fail with
    /// <see cref="ObjectDisposedException"/>), closes the connections, wipes the secrets. Idempotent; the native
    /// client is freed only once no call on another thread is still inside it.</summary>
    public void Dispose() => _handle.Dispose();

    private ClientHandle H
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    // One converter per result type, made once (not one closure per call).
    private static readonly Func<nint, OpenAIInvite> TakeOpenAI = Calls.Take<OpenAIInviteHandle, OpenAIInvite>(ik_op_take_openai_invite, p => OpenAIInvite.From(p, true));
    private static readonly Func<nint, TwilioInvite> TakeTwilioInvite = Calls.Take<TwilioInviteHandle, TwilioInvite>(ik_op_take_twilio_invite, p => TwilioInvite.From(p, true));
    private static readonly Func<nint, TwilioUser> TakeTwilioUser = Calls.Take<TwilioUserHandle, TwilioUser>(ik_op_take_twilio_user, p => TwilioUser.From(p, true));
    private static readonly Func<nint, FastlyInvitation> TakeFastly = Calls.Take<FastlyInvitationHandle, FastlyInvitation>(ik_op_take_fastly_invitation, p => FastlyInvitation.From(p, true));
    private static readonly Func<nint, Deletion> TakeDeletion = Calls.Take<DeletionHandle, Deletion>(ik_op_take_deletion, Deletion.From);
    private static Func<nint, Page<T>> TakePage<T>(ItemAccess<T> access) where T : ApiObject => access.TakePage;
    private static Func<nint, EnsureResult<T>> TakeEnsure<T>(Func<nint, T> take) =>
        op => new(take(op), (EnsureOutcome)ik_op_ensure_outcome(op));

    // =========================================================================================== OpenAI invites

    /// <summary>Invites a user to the OpenAI organization (POST /organization/invites). Not retried after an
    /// ambiguous failure unless asked (<see cref="CallOptions.RetryAmbiguousPosts"/>).</summary>
    public Task<OpenAIInvite> CreateOpenAIInviteAsync(OpenAIInviteCreateParams invite, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_openai_invite_create_start(H, Calls.Params(a, invite), Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakeOpenAI, cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="CreateOpenAIInviteAsync"/>.</summary>
    public OpenAIInvite CreateOpenAIInvite(OpenAIInviteCreateParams invite, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Run((Utf8Arena a, nint c, out OpenAIInviteHandle h, out ErrorHandle err) =>
            ik_openai_invite_create(H, Calls.Params(a, invite), Calls.CallOptions(a, options, c), out h, out err),
            p => OpenAIInvite.From(p, true), cancellationToken);

    /// <summary>Retrieves an OpenAI invite by id.</summary>
    public Task<OpenAIInvite> RetrieveOpenAIInviteAsync(string inviteId, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_openai_invite_retrieve_start(H, inviteId, Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakeOpenAI, cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="RetrieveOpenAIInviteAsync"/>.</summary>
    public OpenAIInvite RetrieveOpenAIInvite(string inviteId, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Run((Utf8Arena a, nint c, out OpenAIInviteHandle h, out ErrorHandle err) =>
            ik_openai_invite_retrieve(H, inviteId, Calls.CallOptions(a, options, c), out h, out err),
            p => OpenAIInvite.From(p, true), cancellationToken);

    /// <summary>One page of OpenAI invites (for all of them, see <see cref="OpenAIInvites"/>).</summary>
    public Task<Page<OpenAIInvite>> ListOpenAIInvitesAsync(ListOptions? list = null, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_openai_invite_list_start(H, Calls.ListOptions(a, list), Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakePage(Items.OpenAI), cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="ListOpenAIInvitesAsync"/>.</summary>
    public Page<OpenAIInvite> ListOpenAIInvites(ListOptions? list = null, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Run((Utf8Arena a, nint c, out PageHandle h, out ErrorHandle err) =>
            ik_openai_invite_list(H, Calls.ListOptions(a, list), Calls.CallOptions(a, options, c), out h, out err),
            p => Page<OpenAIInvite>.From(p, Items.OpenAI), cancellationToken);

    /// <summary>Deletes an OpenAI invite (an accepted invite cannot be deleted).</summary>
    public Task<Deletion> DeleteOpenAIInviteAsync(string inviteId, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_openai_invite_delete_start(H, inviteId, Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakeDeletion, cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="DeleteOpenAIInviteAsync"/>.</summary>
    public Deletion DeleteOpenAIInvite(string inviteId, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Run((Utf8Arena a, nint c, out DeletionHandle h, out ErrorHandle err) =>
            ik_openai_invite_delete(H, inviteId, Calls.CallOptions(a, options, c), out h, out err),
            Deletion.From, cancellationToken);

    /// <summary>A pager over all OpenAI invites.</summary>
    public Pager<OpenAIInvite> OpenAIInvites(ListOptions? list = null)
    {
        using var a = new Utf8Arena();
        Calls.Check(ik_openai_invite_pager(H, Calls.ListOptions(a, list), out PagerHandle h, out ErrorHandle err), err);
        return new Pager<OpenAIInvite>(h, Items.OpenAI, _inline, list?.ReadAhead ?? true);
    }

    /// <summary>Invites a user exactly once: looks the email up (listing all invites), creates only when absent,
    /// and after an ambiguous failure looks again. Ensures of one client for the same person run one after another
    /// in the order they were started (blocking and async together), so exactly one of them creates; one that has to
    /// wait holds no thread, and cancelling it sends nothing.</summary>
    public Task<EnsureResult<OpenAIInvite>> EnsureOpenAIInviteAsync(OpenAIInviteCreateParams invite, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_openai_invite_ensure_start(H, Calls.Params(a, invite), Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakeEnsure(TakeOpenAI), cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="EnsureOpenAIInviteAsync"/>.</summary>
    public EnsureResult<OpenAIInvite> EnsureOpenAIInvite(OpenAIInviteCreateParams invite, CallOptions? options = null, CancellationToken cancellationToken = default)
    {
        var outcome = new int[1];
        var v = Calls.Run((Utf8Arena a, nint c, out OpenAIInviteHandle h, out ErrorHandle err) =>
        {
            fixed (int* o = outcome)
                return ik_openai_invite_ensure(H, Calls.Params(a, invite), Calls.CallOptions(a, options, c), out h, o, out err);
        },
            p => OpenAIInvite.From(p, true), cancellationToken);
        return new(v, (EnsureOutcome)outcome[0]);
    }

    // =========================================================================================== Twilio invites

    /// <summary>Creates a Twilio channel invite (roleSid null = not sent).</summary>
    public Task<TwilioInvite> CreateTwilioInviteAsync(string serviceSid, string channelSid, string identity, string? roleSid = null, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_twilio_invite_create_start(H, serviceSid, channelSid, identity, roleSid, Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakeTwilioInvite, cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="CreateTwilioInviteAsync"/>.</summary>
    public TwilioInvite CreateTwilioInvite(string serviceSid, string channelSid, string identity, string? roleSid = null, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Run((Utf8Arena a, nint c, out TwilioInviteHandle h, out ErrorHandle err) =>
            ik_twilio_invite_create(H, serviceSid, channelSid, identity, roleSid, Calls.CallOptions(a, options, c), out h, out err),
            p => TwilioInvite.From(p, true), cancellationToken);

    /// <summary>Fetches a Twilio channel invite by SID.</summary>
    public Task<TwilioInvite> FetchTwilioInviteAsync(string serviceSid, string channelSid, string inviteSid, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_twilio_invite_fetch_start(H, serviceSid, channelSid, inviteSid, Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakeTwilioInvite, cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="FetchTwilioInviteAsync"/>.</summary>
    public TwilioInvite FetchTwilioInvite(string serviceSid, string channelSid, string inviteSid, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Run((Utf8Arena a, nint c, out TwilioInviteHandle h, out ErrorHandle err) =>
            ik_twilio_invite_fetch(H, serviceSid, channelSid, inviteSid, Calls.CallOptions(a, options, c), out h, out err),
            p => TwilioInvite.From(p, true), cancellationToken);

    /// <summary>One page of a channel's invites, optionally filtered by identities.</summary>
    public Task<Page<TwilioInvite>> ListTwilioInvitesAsync(string serviceSid, string channelSid, IReadOnlyList<string>? identities = null, ListOptions? list = null, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
        {
            nint[] ids = Calls.ToPointers(a, identities);
            fixed (nint* p = ids)
                return ik_twilio_invite_list_start(H, serviceSid, channelSid, p, (nuint)ids.Length, Calls.ListOptions(a, list), Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err);
        }, TakePage(Items.TwilioInvites), cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="ListTwilioInvitesAsync"/>.</summary>
    public Page<TwilioInvite> ListTwilioInvites(string serviceSid, string channelSid, IReadOnlyList<string>? identities = null, ListOptions? list = null, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Run((Utf8Arena a, nint c, out PageHandle h, out ErrorHandle err) =>
        {
            nint[] ids = Calls.ToPointers(a, identities);
            fixed (nint* p = ids)
                return ik_twilio_invite_list(H, serviceSid, channelSid, p, (nuint)ids.Length, Calls.ListOptions(a, list), Calls.CallOptions(a, options, c), out h, out err);
        }, p => Page<TwilioInvite>.From(p, Items.TwilioInvites), cancellationToken);

    /// <summary>Deletes a Twilio channel invite.</summary>
    public Task<Deletion> DeleteTwilioInviteAsync(string serviceSid, string channelSid, string inviteSid, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_twilio_invite_delete_start(H, serviceSid, channelSid, inviteSid, Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakeDeletion, cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="DeleteTwilioInviteAsync"/>.</summary>
    public Deletion DeleteTwilioInvite(string serviceSid, string channelSid, string inviteSid, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Run((Utf8Arena a, nint c, out DeletionHandle h, out ErrorHandle err) =>
            ik_twilio_invite_delete(H, serviceSid, channelSid, inviteSid, Calls.CallOptions(a, options, c), out h, out err),
            Deletion.From, cancellationToken);

    /// <summary>A pager over a channel's invites.</summary>
    public Pager<TwilioInvite> TwilioInvites(string serviceSid, string channelSid, IReadOnlyList<string>? identities = null, ListOptions? list = null)
    {
        using var a = new Utf8Arena();
        nint[] ids = Calls.ToPointers(a, identities);
        PagerHandle h;
        ErrorHandle err;
        int status;
        fixed (nint* p = ids)
            status = ik_twilio_invite_pager(H, serviceSid, channelSid, p, (nuint)ids.Length, Calls.ListOptions(a, list), out h, out err);
        Calls.Check(status, err);
        return new Pager<TwilioInvite>(h, Items.TwilioInvites, _inline, list?.ReadAhead ?? true);
    }

    /// <summary>Invites an identity to a channel exactly once (looked up by identity); serialized per person like
    /// <see cref="EnsureOpenAIInviteAsync"/>.</summary>
    public Task<EnsureResult<TwilioInvite>> EnsureTwilioInviteAsync(string serviceSid, string channelSid, string identity, string? roleSid = null, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_twilio_invite_ensure_start(H, serviceSid, channelSid, identity, roleSid, Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakeEnsure(TakeTwilioInvite), cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="EnsureTwilioInviteAsync"/>.</summary>
    public EnsureResult<TwilioInvite> EnsureTwilioInvite(string serviceSid, string channelSid, string identity, string? roleSid = null, CallOptions? options = null, CancellationToken cancellationToken = default)
    {
        var outcome = new int[1];
        var v = Calls.Run((Utf8Arena a, nint c, out TwilioInviteHandle h, out ErrorHandle err) =>
        {
            fixed (int* o = outcome)
                return ik_twilio_invite_ensure(H, serviceSid, channelSid, identity, roleSid, Calls.CallOptions(a, options, c), out h, o, out err);
        },
            p => TwilioInvite.From(p, true), cancellationToken);
        return new(v, (EnsureOutcome)outcome[0]);
    }

    // =========================================================================================== Twilio users

    /// <summary>Creates a Twilio user (<see cref="TwilioUserParams.Identity"/> required).</summary>
    public Task<TwilioUser> CreateTwilioUserAsync(string serviceSid, TwilioUserParams user, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_twilio_user_create_start(H, serviceSid, Calls.Params(a, user), Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakeTwilioUser, cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="CreateTwilioUserAsync"/>.</summary>
    public TwilioUser CreateTwilioUser(string serviceSid, TwilioUserParams user, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Run((Utf8Arena a, nint c, out TwilioUserHandle h, out ErrorHandle err) =>
            ik_twilio_user_create(H, serviceSid, Calls.Params(a, user), Calls.CallOptions(a, options, c), out h, out err),
            p => TwilioUser.From(p, true), cancellationToken);

    /// <summary>Fetches a Twilio user by SID ("US…") or identity (any characters; percent-encoded on the wire).</summary>
    public Task<TwilioUser> FetchTwilioUserAsync(string serviceSid, string sidOrIdentity, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_twilio_user_fetch_start(H, serviceSid, sidOrIdentity, Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakeTwilioUser, cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="FetchTwilioUserAsync"/>.</summary>
    public TwilioUser FetchTwilioUser(string serviceSid, string sidOrIdentity, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Run((Utf8Arena a, nint c, out TwilioUserHandle h, out ErrorHandle err) =>
            ik_twilio_user_fetch(H, serviceSid, sidOrIdentity, Calls.CallOptions(a, options, c), out h, out err),
            p => TwilioUser.From(p, true), cancellationToken);

    /// <summary>One page of a service's users.</summary>
    public Task<Page<TwilioUser>> ListTwilioUsersAsync(string serviceSid, ListOptions? list = null, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_twilio_user_list_start(H, serviceSid, Calls.ListOptions(a, list), Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakePage(Items.TwilioUsers), cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="ListTwilioUsersAsync"/>.</summary>
    public Page<TwilioUser> ListTwilioUsers(string serviceSid, ListOptions? list = null, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Run((Utf8Arena a, nint c, out PageHandle h, out ErrorHandle err) =>
            ik_twilio_user_list(H, serviceSid, Calls.ListOptions(a, list), Calls.CallOptions(a, options, c), out h, out err),
            p => Page<TwilioUser>.From(p, Items.TwilioUsers), cancellationToken);

    /// <summary>Updates a Twilio user by SID or identity (<see cref="TwilioUserParams.Identity"/> must be null).</summary>
    public Task<TwilioUser> UpdateTwilioUserAsync(string serviceSid, string sidOrIdentity, TwilioUserParams user, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_twilio_user_update_start(H, serviceSid, sidOrIdentity, Calls.Params(a, user), Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakeTwilioUser, cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="UpdateTwilioUserAsync"/>.</summary>
    public TwilioUser UpdateTwilioUser(string serviceSid, string sidOrIdentity, TwilioUserParams user, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Run((Utf8Arena a, nint c, out TwilioUserHandle h, out ErrorHandle err) =>
            ik_twilio_user_update(H, serviceSid, sidOrIdentity, Calls.Params(a, user), Calls.CallOptions(a, options, c), out h, out err),
            p => TwilioUser.From(p, true), cancellationToken);

    /// <summary>Deletes a Twilio user by SID or identity.</summary>
    public Task<Deletion> DeleteTwilioUserAsync(string serviceSid, string sidOrIdentity, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_twilio_user_delete_start(H, serviceSid, sidOrIdentity, Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakeDeletion, cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="DeleteTwilioUserAsync"/>.</summary>
    public Deletion DeleteTwilioUser(string serviceSid, string sidOrIdentity, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Run((Utf8Arena a, nint c, out DeletionHandle h, out ErrorHandle err) =>
            ik_twilio_user_delete(H, serviceSid, sidOrIdentity, Calls.CallOptions(a, options, c), out h, out err),
            Deletion.From, cancellationToken);

    /// <summary>A pager over a service's users.</summary>
    public Pager<TwilioUser> TwilioUsers(string serviceSid, ListOptions? list = null)
    {
        using var a = new Utf8Arena();
        Calls.Check(ik_twilio_user_pager(H, serviceSid, Calls.ListOptions(a, list), out PagerHandle h, out ErrorHandle err), err);
        return new Pager<TwilioUser>(h, Items.TwilioUsers, _inline, list?.ReadAhead ?? true);
    }

    /// <summary>Creates a Twilio user exactly once (looked up by identity); serialized per person like
    /// <see cref="EnsureOpenAIInviteAsync"/>.</summary>
    public Task<EnsureResult<TwilioUser>> EnsureTwilioUserAsync(string serviceSid, TwilioUserParams user, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_twilio_user_ensure_start(H, serviceSid, Calls.Params(a, user), Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakeEnsure(TakeTwilioUser), cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="EnsureTwilioUserAsync"/>.</summary>
    public EnsureResult<TwilioUser> EnsureTwilioUser(string serviceSid, TwilioUserParams user, CallOptions? options = null, CancellationToken cancellationToken = default)
    {
        var outcome = new int[1];
        var v = Calls.Run((Utf8Arena a, nint c, out TwilioUserHandle h, out ErrorHandle err) =>
        {
            fixed (int* o = outcome)
                return ik_twilio_user_ensure(H, serviceSid, Calls.Params(a, user), Calls.CallOptions(a, options, c), out h, o, out err);
        },
            p => TwilioUser.From(p, true), cancellationToken);
        return new(v, (EnsureOutcome)outcome[0]);
    }

    // =========================================================================================== Fastly

    /// <summary>Creates a Fastly invitation.</summary>
    public Task<FastlyInvitation> CreateFastlyInvitationAsync(FastlyInvitationCreateParams invitation, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_fastly_invitation_create_start(H, Calls.Params(a, invitation), Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakeFastly, cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="CreateFastlyInvitationAsync"/>.</summary>
    public FastlyInvitation CreateFastlyInvitation(FastlyInvitationCreateParams invitation, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Run((Utf8Arena a, nint c, out FastlyInvitationHandle h, out ErrorHandle err) =>
            ik_fastly_invitation_create(H, Calls.Params(a, invitation), Calls.CallOptions(a, options, c), out h, out err),
            p => FastlyInvitation.From(p, true), cancellationToken);

    /// <summary>One page of Fastly invitations.</summary>
    public Task<Page<FastlyInvitation>> ListFastlyInvitationsAsync(ListOptions? list = null, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_fastly_invitation_list_start(H, Calls.ListOptions(a, list), Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakePage(Items.Fastly), cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="ListFastlyInvitationsAsync"/>.</summary>
    public Page<FastlyInvitation> ListFastlyInvitations(ListOptions? list = null, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Run((Utf8Arena a, nint c, out PageHandle h, out ErrorHandle err) =>
            ik_fastly_invitation_list(H, Calls.ListOptions(a, list), Calls.CallOptions(a, options, c), out h, out err),
            p => Page<FastlyInvitation>.From(p, Items.Fastly), cancellationToken);

    /// <summary>Deletes a Fastly invitation.</summary>
    public Task<Deletion> DeleteFastlyInvitationAsync(string invitationId, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_fastly_invitation_delete_start(H, invitationId, Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakeDeletion, cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="DeleteFastlyInvitationAsync"/>.</summary>
    public Deletion DeleteFastlyInvitation(string invitationId, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Run((Utf8Arena a, nint c, out DeletionHandle h, out ErrorHandle err) =>
            ik_fastly_invitation_delete(H, invitationId, Calls.CallOptions(a, options, c), out h, out err),
            Deletion.From, cancellationToken);

    /// <summary>A pager over all Fastly invitations.</summary>
    public Pager<FastlyInvitation> FastlyInvitations(ListOptions? list = null)
    {
        using var a = new Utf8Arena();
        Calls.Check(ik_fastly_invitation_pager(H, Calls.ListOptions(a, list), out PagerHandle h, out ErrorHandle err), err);
        return new Pager<FastlyInvitation>(h, Items.Fastly, _inline, list?.ReadAhead ?? true);
    }

    /// <summary>Invites an email to Fastly exactly once (looked up by email); serialized per person like
    /// <see cref="EnsureOpenAIInviteAsync"/>.</summary>
    public Task<EnsureResult<FastlyInvitation>> EnsureFastlyInvitationAsync(FastlyInvitationCreateParams invitation, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start((Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
            ik_fastly_invitation_ensure_start(H, Calls.Params(a, invitation), Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            TakeEnsure(TakeFastly), cancellationToken, _inline);

    /// <summary>Synchronous twin of <see cref="EnsureFastlyInvitationAsync"/>.</summary>
    public EnsureResult<FastlyInvitation> EnsureFastlyInvitation(FastlyInvitationCreateParams invitation, CallOptions? options = null, CancellationToken cancellationToken = default)
    {
        var outcome = new int[1];
        var v = Calls.Run((Utf8Arena a, nint c, out FastlyInvitationHandle h, out ErrorHandle err) =>
        {
            fixed (int* o = outcome)
                return ik_fastly_invitation_ensure(H, Calls.Params(a, invitation), Calls.CallOptions(a, options, c), out h, o, out err);
        },
            p => FastlyInvitation.From(p, true), cancellationToken);
        return new(v, (EnsureOutcome)outcome[0]);
    }
}

/// <summary>The client's log and retry trampolines: they catch everything, nothing unwinds into native code.</summary>
internal static unsafe class Callbacks
{
    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static void FreeUserData(nint userData)
    {
        try { GCHandle.FromIntPtr(userData).Free(); } catch { }
    }

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static int OnRetry(IkRetryInfo* info, nint userData)
    {
        try
        {
            var fn = (Func<RetryInfo, bool>)GCHandle.FromIntPtr(userData).Target!;
            var r = new RetryInfo((Provider)info->provider, Interop.Str(info->operation), info->attempt, (Status)info->status,
                info->http_status != 0 ? info->http_status : null, TimeSpan.FromMilliseconds(info->delay_ms),
                info->server_directed != 0);
            return fn(r) ? 0 : 1;
        }
        catch
        {
            return 1; // a throwing callback vetoes the retry
        }
    }

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    internal static void OnLog(IkLogRecord* rec, nint userData)
    {
        try
        {
            var logger = (ILogger)GCHandle.FromIntPtr(userData).Target!;
            LogLevel level = rec->level switch
            {
                1 => LogLevel.Error, 2 => LogLevel.Warning, 3 => LogLevel.Information, 4 => LogLevel.Debug, _ => LogLevel.Trace,
            };
            if (!logger.IsEnabled(level)) return;
            var state = new List<KeyValuePair<string, object?>>
            {
                new("Message", Interop.Str(rec->message)),
                new("Provider", (Provider)rec->provider),
                new("Operation", Interop.Str(rec->operation)),
                new("Method", Interop.Str(rec->method)),
                new("Url", Interop.Str(rec->url)),
                new("HttpStatus", rec->http_status),
                new("Attempt", rec->attempt),
                new("LatencyUs", rec->latency_us),
                new("RequestId", Interop.Str(rec->request_id)),
                new("{OriginalFormat}", "{Message}"),
            };
            logger.Log(level, new EventId(rec->level, "invitekit"), (IReadOnlyList<KeyValuePair<string, object?>>)state, null,
                static (s, _) => s[0].Value as string ?? "");
        }
        catch
        {
        }
    }
}
