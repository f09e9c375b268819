using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using InviteKit.Native;
using static InviteKit.Native.NativeMethods;

namespace InviteKit;

internal delegate int StartFn(Utf8Arena arena, nint userData, out OpHandle op, out ErrorHandle err);
internal delegate int CallFn<THandle>(Utf8Arena arena, nint cancelToken, out THandle result, out ErrorHandle err)
    where THandle : InviteKitHandle;
internal delegate int TakeFn<THandle>(nint op, out THandle result, out ErrorHandle err) where THandle : InviteKitHandle;
internal unsafe delegate int BufFn(IkBuf* buf, out ErrorHandle err);

/// <summary>The completion of one non-blocking operation: found through a GCHandle in the callback's user data. The
/// result (or error) is taken inside the callback, on the client's I/O thread.</summary>
internal abstract class Completion
{
    internal abstract void Complete(nint op);
}

/// <summary>The Task of one non-blocking operation, completed by the callback. Continuations run on the library's
/// I/O thread (<see cref="InviteKitClientOptions.RunContinuationsOnIoThread"/>, the default; the client is then in
/// the relay mode, where a blocking continuation moves the loop to another thread), or on the thread pool
/// (<see cref="TaskCreationOptions.RunContinuationsAsynchronously"/>). The
/// operation's handle and the token's registration live here only when the token can be cancelled; whichever of
/// <see cref="Arm"/> (after the start call returned) and <see cref="Complete"/> (the callback, possibly earlier)
/// comes second releases them.</summary>
internal sealed class Completion<T> : Completion
{
    private const int Pending = 0, Armed = 1, Done = 2;

    private readonly TaskCompletionSource<T> _tcs;
    private readonly Func<nint, T> _take;
    private readonly CancellationToken _token;
    private OpHandle? _op;
    private CancellationTokenRegistration _reg;
    private int _state;

    internal Completion(Func<nint, T> take, CancellationToken token, bool inlineContinuations)
    {
        _tcs = new(inlineContinuations ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
        _take = take;
        _token = token;
    }

    internal Task<T> Task => _tcs.Task;

    /// <summary>Ties a cancellable token to the started operation: its cancellation calls ik_op_cancel.</summary>
    internal void Arm(OpHandle op)
    {
        _op = op;
        _reg = _token.UnsafeRegister(static s =>
        {
            try { ik_op_cancel((OpHandle)s!); } catch { }
        }, op);
        if (Interlocked.CompareExchange(ref _state, Armed, Pending) != Pending) Release(); // completed meanwhile
    }

    private void Release()
    {
        // Unregister does not wait for a cancellation callback that is running; the OpHandle (a SafeHandle) keeps
        // the native op alive until that ik_op_cancel returns.
        _reg.Unregister();
        _op!.Dispose();
    }

    internal override void Complete(nint op)
    {
        if (Interlocked.Exchange(ref _state, Done) == Armed) Release();
        try
        {
            int status = ik_op_status(op);
            if (status == 0)
            {
                _tcs.TrySetResult(_take(op));
                return;
            }
            ik_op_take_error(op, out ErrorHandle err, out ErrorHandle err2);
            using (err)
            using (err2)
            {
                var ex = InviteKitException.FromNative(status, err);
                if (ex.CancelledBy == CancelledBy.Operation && _token.IsCancellationRequested)
                    _tcs.TrySetCanceled(_token);
                else if (ex.CancelledBy == CancelledBy.ClientFree)
                    _tcs.TrySetException(new ObjectDisposedException(
                        "the InviteKitClient was disposed while the call was in flight", ex));
                else
                    _tcs.TrySetException(ex);
            }
        }
        catch (Exception e)
        {
            _tcs.TrySetException(e);
        }
    }
}

/// <summary>Runs calls: non-blocking ones through <c>ik_*_start</c> and one completion callback, blocking ones
/// (the synchronous twins) with an <c>ik_cancel_token</c> tied to the CancellationToken.</summary>
internal static unsafe class Calls
{
    internal static delegate* unmanaged[Cdecl]<nint, nint, void> Callback => &OnComplete;

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void OnComplete(nint op, nint userData)
    {
        // Nothing may unwind into native code: Complete catches everything; this catch is the last guard.
        try
        {
            GCHandle handle = GCHandle.FromIntPtr(userData);
            var completion = (Completion)handle.Target!;
            handle.Free();
            completion.Complete(op);
        }
        catch
        {
        }
    }

    /// <summary>Starts an operation; its Task completes from the callback. Every failure goes into the Task. The
    /// op handle is released at once unless the token can cancel it (ik_op_free may come before the callback).</summary>
    internal static Task<T> Start<T>(StartFn start, Func<nint, T> take, CancellationToken ct, bool inlineContinuations)
    {
        if (ct.IsCancellationRequested) return Task.FromCanceled<T>(ct);
        var completion = new Completion<T>(take, ct, inlineContinuations);
        GCHandle gch = GCHandle.Alloc(completion);
        OpHandle? op = null;
        ErrorHandle? err = null;
        try
        {
            int status;
            using (var arena = new Utf8Arena())
                status = start(arena, GCHandle.ToIntPtr(gch), out op, out err);
            if (status != 0)
            {
                gch.Free(); // the callback never runs when the start call fails
                op.Dispose();
                return Task.FromException<T>(InviteKitException.FromNative(status, err));
            }
        }
        catch (Exception e)
        {
            if (gch.IsAllocated && (op is null || op.IsInvalid)) gch.Free(); // not accepted: no callback will run
            op?.Dispose();
            return Task.FromException<T>(e);
        }
        finally
        {
            err?.Dispose();
        }
        if (ct.CanBeCanceled)
            completion.Arm(op!);
        else
            op!.Dispose();
        return completion.Task;
    }

    /// <summary>The text a call writes into an <c>ik_buf</c> ("" for none), the buffer disposed; a failure throws.</summary>
    internal static string BufString(BufFn fill)
    {
        IkBuf buf;
        ik_buf_init(&buf);
        try
        {
            Check(fill(&buf, out ErrorHandle err), err);
            return buf.data == null ? "" : System.Text.Encoding.UTF8.GetString(buf.data, checked((int)buf.len));
        }
        finally
        {
            ik_buf_dispose(&buf);
        }
    }

    /// <summary>The typed result of a completed operation as its owned handle (null when the operation produced none),
    /// taken inside the callback; a failed take throws.</summary>
    internal static THandle? TakeHandle<THandle>(nint op, TakeFn<THandle> take) where THandle : InviteKitHandle
    {
        int s = take(op, out THandle h, out ErrorHandle e);
        using (e)
        {
            if (s != 0)
            {
                h.Dispose();
                throw InviteKitException.FromNative(s, e);
            }
        }
        if (!h.IsInvalid) return h;
        h.Dispose();
        return null;
    }

    /// <summary>The typed result of a completed operation, taken inside the callback and converted at once.</summary>
    internal static Func<nint, T> Take<THandle, T>(TakeFn<THandle> take, Func<nint, T> convert, bool nullable = false)
        where THandle : InviteKitHandle =>
        op =>
        {
            THandle? h = TakeHandle(op, take);
            if (h is null)
            {
                if (nullable) return convert(0);
                throw new InviteKitException(Status.Internal, "the operation completed without a result");
            }
            using (h) return Adopt(convert(h.Raw), h);
        };

    /// <summary>Hands the call's handle to a result that keeps it (<see cref="IAdoptsNative"/>).</summary>
    private static T Adopt<T>(T result, InviteKitHandle h)
    {
        if (result is IAdoptsNative a && !h.IsInvalid) a.Adopt(h);
        return result;
    }

    /// <summary>A blocking call (synchronous twin). A cancellable token gets an ik_cancel_token for the call.</summary>
    internal static T Run<THandle, T>(CallFn<THandle> call, Func<nint, T> convert, CancellationToken ct)
        where THandle : InviteKitHandle
    {
        ct.ThrowIfCancellationRequested();
        CancelTokenHandle? token = null;
        CancellationTokenRegistration reg = default;
        try
        {
            if (ct.CanBeCanceled)
            {
                int ts = ik_cancel_token_new(out token, out ErrorHandle terr);
                using (terr)
                    if (ts != 0) throw InviteKitException.FromNative(ts, terr);
                reg = ct.UnsafeRegister(static s =>
                {
                    try { ik_cancel_token_cancel((CancelTokenHandle)s!); } catch { }
                }, token);
            }
            bool added = false;
            token?.DangerousAddRef(ref added);
            try
            {
                int status;
                THandle h;
                ErrorHandle err;
                using (var arena = new Utf8Arena())
                    status = call(arena, token?.Raw ?? 0, out h, out err);
                using (h)
                using (err)
                {
                    if (status != 0)
                    {
                        var ex = InviteKitException.FromNative(status, err);
                        if (ex.CancelledBy == CancelledBy.Token && token is not null && ik_cancel_token_is_cancelled(token) != 0)
                            throw new OperationCanceledException(ex.Message, ex, ct);
                        throw ex;
                    }
                    return Adopt(convert(h.IsInvalid ? 0 : h.Raw), h);
                }
            }
            finally
            {
                if (added) token!.DangerousRelease();
            }
        }
        finally
        {
            reg.Dispose();
            token?.Dispose();
        }
    }

    // ---- input structures, allocated in the call's arena and initialised by the library's own _init ----

    internal static IkCallOptions* CallOptions(Utf8Arena a, CallOptions? o, nint cancelToken)
    {
        if (o is null && cancelToken == 0) return null;
        IkCallOptions* c = a.Array<IkCallOptions>(1);
        Check(ik_call_options_init(c, Interop.CallOptionsVersion, out ErrorHandle err), err);
        c->cancel = cancelToken;
        if (o is not null)
        {
            c->connect_timeout_ms = Ms(o.ConnectTimeout);
            c->attempt_timeout_ms = Ms(o.AttemptTimeout);
            c->deadline_ms = Ms(o.Deadline);
            c->max_retries = Retries(o.MaxRetries);
            c->retry_ambiguous_posts = Interop.FromOptBool(o.RetryAmbiguousPosts);
            c->extra_headers = a.StrArray(o.ExtraHeaders);
            c->extra_headers_count = (nuint)(o.ExtraHeaders?.Count ?? 0);
        }
        return c;
    }

    internal static IkListOptions* ListOptions(Utf8Arena a, ListOptions? o)
    {
        if (o is null) return null;
        IkListOptions* l = a.Array<IkListOptions>(1);
        Check(ik_list_options_init(l, Interop.ListOptionsVersion, out ErrorHandle err), err);
        l->page_size = o.PageSize ?? 0;
        l->max_items = o.MaxItems ?? 0;
        l->cursor = a.Str(o.Cursor);
        l->provider_cursor = a.Str(o.ProviderCursor);
        return l;
    }

    internal static IkOpenAIInviteCreateParams* Params(Utf8Arena a, OpenAIInviteCreateParams p)
    {
        ArgumentNullException.ThrowIfNull(p);
        IkOpenAIInviteCreateParams* n = a.Array<IkOpenAIInviteCreateParams>(1);
        Check(ik_openai_invite_create_params_init(n, 1, out ErrorHandle err), err);
        n->email = a.Str(p.Email);
        n->role = a.Str(p.Role);
        if (p.Projects is not null)
        {
            n->send_projects = 1;
            n->projects_count = (nuint)p.Projects.Count;
            n->projects = a.Array<IkOpenAIProjectRef>(p.Projects.Count);
            for (int i = 0; i < p.Projects.Count; i++)
            {
                n->projects[i].id = a.Str(p.Projects[i].Id);
                n->projects[i].role = a.Str(p.Projects[i].Role);
            }
        }
        return n;
    }

    internal static IkTwilioUserParams* Params(Utf8Arena a, TwilioUserParams p)
    {
        ArgumentNullException.ThrowIfNull(p);
        IkTwilioUserParams* n = a.Array<IkTwilioUserParams>(1);
        Check(ik_twilio_user_params_init(n, 1, out ErrorHandle err), err);
        n->identity = a.Str(p.Identity);
        n->role_sid = a.Str(p.RoleSid);
        n->attributes = a.Str(p.Attributes);
        n->friendly_name = a.Str(p.FriendlyName);
        n->webhook_enabled = Interop.FromOptBool(p.WebhookEnabled);
        return n;
    }

    internal static IkFastlyInvitationCreateParams* Params(Utf8Arena a, FastlyInvitationCreateParams p)
    {
        ArgumentNullException.ThrowIfNull(p);
        IkFastlyInvitationCreateParams* n = a.Array<IkFastlyInvitationCreateParams>(1);
        Check(ik_fastly_invitation_create_params_init(n, 1, out ErrorHandle err), err);
        n->email = a.Str(p.Email);
        n->role = a.Str(p.Role);
        n->roles = a.StrArray(p.Roles);
        n->roles_count = (nuint)(p.Roles?.Count ?? 0);
        n->limit_services = Interop.FromOptBool(p.LimitServices);
        n->customer_id = a.Str(p.CustomerId);
        if (p.Services is { Count: > 0 })
        {
            n->services = a.Array<IkFastlyServiceGrant>(p.Services.Count);
            n->services_count = (nuint)p.Services.Count;
            for (int i = 0; i < p.Services.Count; i++)
            {
                n->services[i].service_id = a.Str(p.Services[i].ServiceId);
                n->services[i].permission = a.Str(p.Services[i].Permission);
            }
        }
        return n;
    }

    internal static void Check(int status, ErrorHandle err)
    {
        using (err)
            if (status != 0) throw InviteKitException.FromNative(status, err);
    }

    internal static long Ms(TimeSpan? t) =>
        t is null ? 0 : t.Value < TimeSpan.Zero ? -1 : Math.Max(1, (long)Math.Ceiling(t.Value.TotalMilliseconds));

    /// <summary>Managed retries (null = default, 0 = none) to the C convention (0 = default, -1 = none).</summary>
    internal static int Retries(int? r) => r switch { null => 0, 0 => -1, < 0 => -2, _ => r.Value };

    internal static nint[] ToPointers(Utf8Arena a, IReadOnlyList<string>? items)
    {
        if (items is null || items.Count == 0) return Array.Empty<nint>();
        var ptrs = new nint[items.Count];
        for (int i = 0; i < ptrs.Length; i++) ptrs[i] = (nint)a.Str(items[i]);
        return ptrs;
    }
}
