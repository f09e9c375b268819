using System.Runtime.CompilerServices;
using InviteKit.Native;
using static InviteKit.Native.NativeMethods;

namespace InviteKit;

/// <summary>Per-kind access to page items and owned items (internal plumbing of <see cref="Page{T}"/> and
/// <see cref="Pager{T}"/>).</summary>
internal sealed class ItemAccess<T> where T : ApiObject
{
    internal required ItemKind Kind { get; init; }
    internal required Func<nint, nuint, T> FromPage { get; init; }
    internal required Func<PagerHandle, nint, (int status, T? item, ErrorHandle err)> NextOwned { get; init; }

    private Func<nint, Page<T>>? _takePage;
    private Func<nint, Page<T>?>? _takeNextPage;

    /// <summary>A list call's page, taken from its completed operation (made once per kind, not per call).</summary>
    internal Func<nint, Page<T>> TakePage =>
        _takePage ??= Calls.Take<PageHandle, Page<T>>(ik_op_take_page, p => Page<T>.From(p, this));

    /// <summary>A pager's next page (null after the last one), taken from its completed operation.</summary>
    internal Func<nint, Page<T>?> TakeNextPage =>
        _takeNextPage ??= Calls.Take<PageHandle, Page<T>?>(ik_op_take_page, p => p == 0 ? null : Page<T>.From(p, this), nullable: true);

    /// <summary>A pager's next page as the native handle itself (null after the last one), converted later by the
    /// thread that reads it: what <c>await foreach</c> needs to request the following page before converting.</summary>
    internal static readonly Func<nint, PageHandle?> TakeNextHandle = op => Calls.TakeHandle<PageHandle>(op, ik_op_take_page);
}

internal static class Items
{
    internal static readonly ItemAccess<OpenAIInvite> OpenAI = new()
    {
        Kind = ItemKind.OpenAIInvite,
        FromPage = (p, i) => OpenAIInvite.From(ik_page_openai_invite_at(p, i), false),
        NextOwned = (pager, call) =>
        {
            unsafe
            {
                int s = ik_pager_next_openai_invite(pager, (IkCallOptions*)call, out var h, out var e);
                using (h) return (s, h.IsInvalid ? null : OpenAIInvite.From(h.Raw, false), e);
            }
        },
    };

    internal static readonly ItemAccess<TwilioInvite> TwilioInvites = new()
    {
        Kind = ItemKind.TwilioInvite,
        FromPage = (p, i) => TwilioInvite.From(ik_page_twilio_invite_at(p, i), false),
        NextOwned = (pager, call) =>
        {
            unsafe
            {
                int s = ik_pager_next_twilio_invite(pager, (IkCallOptions*)call, out var h, out var e);
                using (h) return (s, h.IsInvalid ? null : TwilioInvite.From(h.Raw, false), e);
            }
        },
    };

    internal static readonly ItemAccess<TwilioUser> TwilioUsers = new()
    {
        Kind = ItemKind.TwilioUser,
        FromPage = (p, i) => TwilioUser.From(ik_page_twilio_user_at(p, i), false),
        NextOwned = (pager, call) =>
        {
            unsafe
            {
                int s = ik_pager_next_twilio_user(pager, (IkCallOptions*)call, out var h, out var e);
                using (h) return (s, h.IsInvalid ? null : TwilioUser.From(h.Raw, false), e);
            }
        },
    };

    internal static readonly ItemAccess<FastlyInvitation> Fastly = new()
    {
        Kind = ItemKind.FastlyInvitation,
        FromPage = (p, i) => FastlyInvitation.From(ik_page_fastly_invitation_at(p, i), false),
        NextOwned = (pager, call) =>
        {
            unsafe
            {
                int s = ik_pager_next_fastly_invitation(pager, (IkCallOptions*)call, out var h, out var e);
                using (h) return (s, h.IsInvalid ? null : FastlyInvitation.From(h.Raw, false), e);
            }
        },
    };
}

/// <summary>One page of a list: typed items, the kind-generic view of them, the provider's paging metadata, the
/// cursor of the next page and the whole body, all managed copies. Immutable. A page from the library also keeps its
/// native page, for <see cref="ItemCursor"/>, until <see cref="Dispose"/> or, without it, until it is garbage
/// collected.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class Page<T> : IAdoptsNative, IDisposable where T : ApiObject
{
    private PageHandle? _native;
    private int _start; // the native page's index of Items[0]: a page can be the rest of one (Pager.NextPageAsync)

    void IAdoptsNative.Adopt(InviteKitHandle h) => _native = ((PageHandle)h).Transfer();

    /// <summary>Frees the native page now (<c>ik_page_free</c>) rather than when the page is garbage collected. The
    /// items, the metadata and the raw JSON stay readable (they are managed copies); only <see cref="ItemCursor"/>
    /// needs the native page and throws <see cref="ObjectDisposedException"/> afterwards. Idempotent; a call of
    /// <see cref="ItemCursor"/> already running on another thread finishes first (the handle is reference-counted).</summary>
    public void Dispose() => _native?.Dispose();

    /// <summary>A resumable cursor (for <see cref="ListOptions.Cursor"/>) from which a new pager delivers this page's
    /// items from <paramref name="index"/> on, then the rest of the list: a checkpoint in the middle of a page.
    /// <paramref name="index"/> = <c>Items.Count</c> is where the page ends: the first item a MaxItems stop left out,
    /// else the next page, or "" when the list ends with this page (library 0.2.3: <c>ik_page_item_cursor</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or past <c>Items.Count</c>.</exception>
    /// <exception cref="InvalidOperationException">The page was not made by the library.</exception>
    /// <exception cref="ObjectDisposedException">The page was disposed.</exception>
    public unsafe string ItemCursor(int index)
    {
        if (_native is null) throw new InvalidOperationException("this page was not returned by invitekit");
        if (index < 0 || index > Items.Count) throw new ArgumentOutOfRangeException(nameof(index));
        bool added = false;
        try
        {
            _native.DangerousAddRef(ref added);
            return CursorAt(_native.Raw, _start + index);
        }
        finally
        {
            if (added) _native.DangerousRelease();
        }
    }

    /// <summary><c>ik_page_item_cursor</c> of native page <paramref name="page"/> at <paramref name="index"/>.</summary>
    internal static unsafe string CursorAt(nint page, int index) =>
        Calls.BufString((IkBuf* b, out ErrorHandle e) => ik_page_item_cursor(page, (nuint)index, b, out e));

    /// <summary>Kind of the items.</summary>
    public ItemKind Kind { get; init; }
    /// <summary>The items.</summary>
    public IReadOnlyList<T> Items { get; init; } = Array.Empty<T>();
    /// <summary>Whether the provider says another page follows.</summary>
    public bool HasMore { get; init; }
    /// <summary>Opaque cursor of the next page (for <see cref="ListOptions.Cursor"/>), null on the last page.</summary>
    public string? NextCursor { get; init; }
    /// <summary>Item ids through the kind-generic accessor (OpenAI id, Twilio sid, Fastly id).</summary>
    public IReadOnlyList<string?> ItemIds { get; init; } = Array.Empty<string?>();
    /// <summary>Item JSON through the kind-generic accessor.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> ItemRawJson { get; init; } = Array.Empty<ReadOnlyMemory<byte>>();
    /// <summary>The whole response body.</summary>
    public ReadOnlyMemory<byte>? RawJson { get; init; }
    /// <summary>Exchange metadata.</summary>
    public ResponseInfo? Response { get; init; }
    /// <summary>OpenAI first_id.</summary>
    public string? OpenAIFirstId { get; init; }
    /// <summary>OpenAI last_id.</summary>
    public string? OpenAILastId { get; init; }
    /// <summary>Twilio meta.page.</summary>
    public long? TwilioPage { get; init; }
    /// <summary>Twilio meta.page_size.</summary>
    public long? TwilioPageSize { get; init; }
    /// <summary>Twilio meta.key.</summary>
    public string? TwilioKey { get; init; }
    /// <summary>Twilio meta.url.</summary>
    public string? TwilioUrl { get; init; }
    /// <summary>Twilio meta.first_page_url.</summary>
    public string? TwilioFirstPageUrl { get; init; }
    /// <summary>Twilio meta.previous_page_url.</summary>
    public string? TwilioPreviousPageUrl { get; init; }
    /// <summary>Twilio meta.next_page_url.</summary>
    public string? TwilioNextPageUrl { get; init; }
    /// <summary>Fastly links.first.</summary>
    public string? FastlyLinkFirst { get; init; }
    /// <summary>Fastly links.last.</summary>
    public string? FastlyLinkLast { get; init; }
    /// <summary>Fastly links.prev.</summary>
    public string? FastlyLinkPrev { get; init; }
    /// <summary>Fastly links.next.</summary>
    public string? FastlyLinkNext { get; init; }
    /// <summary>Fastly meta.current_page.</summary>
    public long? FastlyCurrentPage { get; init; }
    /// <summary>Fastly meta.per_page.</summary>
    public long? FastlyPerPage { get; init; }
    /// <summary>Fastly meta.record_count.</summary>
    public long? FastlyRecordCount { get; init; }
    /// <summary>Fastly meta.total_pages.</summary>
    public long? FastlyTotalPages { get; init; }

    /// <summary>Parses the kind-generic JSON of item <paramref name="index"/>.</summary>
    public System.Text.Json.JsonElement ParseRawJsonItem(int index) =>
        System.Text.Json.JsonDocument.Parse(ItemRawJson[index]).RootElement.Clone();

    internal static T[] ItemsOf(nint p, ItemAccess<T> access)
    {
        int n = checked((int)ik_page_count(p));
        if (n == 0) return Array.Empty<T>();
        var items = new T[n];
        for (int i = 0; i < n; i++) items[i] = access.FromPage(p, (nuint)i);
        return items;
    }

    /// <summary>A page from native page <paramref name="p"/>, its items from <paramref name="start"/> on.</summary>
    internal static unsafe Page<T> From(nint p, ItemAccess<T> access, int start = 0)
    {
        int n = checked((int)ik_page_count(p)) - start;
        var items = new T[n];
        var ids = new string?[n];
        var raws = new ReadOnlyMemory<byte>[n];
        for (int i = 0; i < n; i++)
        {
            nuint at = (nuint)(start + i);
            items[i] = access.FromPage(p, at);
            ids[i] = Interop.Str(ik_page_item_id(p, at));
            nint d; nuint len;
            raws[i] = Interop.Bytes(ik_page_item_raw_json(p, at, &d, &len), d, len) ?? default(ReadOnlyMemory<byte>);
        }
        long v;
        nint bd; nuint bl;
        return new Page<T>
        {
            _start = start,
            Kind = (ItemKind)ik_page_kind(p),
            Items = items,
            HasMore = ik_page_has_more(p) != 0,
            NextCursor = Interop.Str(ik_page_next_cursor(p)),
            ItemIds = ids,
            ItemRawJson = raws,
            RawJson = Interop.Bytes(ik_page_raw_json(p, &bd, &bl), bd, bl) is { } raw ? (ReadOnlyMemory<byte>?)raw : null,
            Response = ResponseInfo.From(ik_page_response(p)),
            OpenAIFirstId = Interop.Str(ik_page_openai_first_id(p)),
            OpenAILastId = Interop.Str(ik_page_openai_last_id(p)),
            TwilioPage = Interop.OptLong(ik_page_twilio_page(p, &v), v),
            TwilioPageSize = Interop.OptLong(ik_page_twilio_page_size(p, &v), v),
            TwilioKey = Interop.Str(ik_page_twilio_key(p)),
            TwilioUrl = Interop.Str(ik_page_twilio_url(p)),
            TwilioFirstPageUrl = Interop.Str(ik_page_twilio_first_page_url(p)),
            TwilioPreviousPageUrl = Interop.Str(ik_page_twilio_previous_page_url(p)),
            TwilioNextPageUrl = Interop.Str(ik_page_twilio_next_page_url(p)),
            FastlyLinkFirst = Interop.Str(ik_page_fastly_link_first(p)),
            FastlyLinkLast = Interop.Str(ik_page_fastly_link_last(p)),
            FastlyLinkPrev = Interop.Str(ik_page_fastly_link_prev(p)),
            FastlyLinkNext = Interop.Str(ik_page_fastly_link_next(p)),
            FastlyCurrentPage = Interop.OptLong(ik_page_fastly_current_page(p, &v), v),
            FastlyPerPage = Interop.OptLong(ik_page_fastly_per_page(p, &v), v),
            FastlyRecordCount = Interop.OptLong(ik_page_fastly_record_count(p, &v), v),
            FastlyTotalPages = Interop.OptLong(ik_page_fastly_total_pages(p, &v), v),
        };
    }
}

/// <summary>Iterates over a whole list, across the provider's pagination scheme: <c>await foreach</c> over the
/// items, <see cref="Pages"/> or <see cref="NextPageAsync"/> page by page, <see cref="NextItem"/> item by item,
/// <see cref="ListOptions.MaxItems"/> for an exact stop and <see cref="Cursor"/> to resume later. A pager is a cursor:
/// use it from one thread at a time; every way of reading it continues where the last one stopped (after a
/// <c>break</c> out of <c>await foreach</c>, the rest of that page comes first). Dispose it when done (the client and
/// its pagers may be disposed in any order).</summary>
/// <remarks><c>await foreach</c> reads one page ahead (<see cref="ListOptions.ReadAhead"/>, on by default): as soon as
/// a page arrives it requests the next one, then converts and hands out the items, so the round trip of page n + 1
/// overlaps the work on page n. With continuations on the I/O thread (the default), library 0.2.5 writes that
/// request before the loop body goes on; 0.2.4 writes it only when the loop body awaits the next page. The page read
/// ahead is invisible: <see cref="Cursor"/>, <see cref="ItemsDelivered"/> and <see cref="Done"/> describe what was
/// handed out. Leaving the loop cancels the request of the page ahead, or keeps that page for the next read when it
/// had already arrived. The cost is at most one extra request when the loop is left early (none at the end of the
/// list or at a <see cref="ListOptions.MaxItems"/> stop).</remarks>
/// <typeparam name="T">The item type.</typeparam>
public sealed class Pager<T> : IAsyncEnumerable<T>, IDisposable where T : ApiObject
{
    private readonly PagerHandle _handle;
    private readonly ItemAccess<T> _access;
    private readonly bool _inline;
    private readonly bool _readAhead;

    // Where the reader is when the native pager is ahead of it. _page: a page read item by item (by await foreach,
    // or by NextItem after a loop was left), _items its converted items, _next of them handed out, _base the items
    // handed out before it. _ahead: the request of the following page, started by await foreach; _pending: that page
    // once the loop that asked for it was left. The native pager has delivered exactly up to the end of _pending, else
    // of _page. One thread uses a pager at a time; the callback of _ahead touches none of these fields.
    private PageHandle? _page;
    private T[] _items = Array.Empty<T>();
    private int _next;
    private long _base;
    private Task<PageHandle?>? _ahead;
    private CancellationTokenSource? _aheadCancel;
    private PageHandle? _pending;

    internal Pager(PagerHandle handle, ItemAccess<T> access, bool inlineContinuations, bool readAhead)
    {
        _handle = handle;
        _access = access;
        _inline = inlineContinuations;
        _readAhead = readAhead;
    }

    /// <summary>Kind of the items.</summary>
    public ItemKind Kind => (ItemKind)ik_pager_kind(_handle);

    /// <summary>Whether the iteration is over: nothing is left to hand out and the list (or
    /// <see cref="ListOptions.MaxItems"/>) has ended.</summary>
    public bool Done
    {
        get
        {
            if (_next < _items.Length || _ahead is not null || _pending is not null) return false;
            return ik_pager_done(_handle) != 0;
        }
    }

    /// <summary>Items handed out so far, by every way of reading (pages, items, <c>await foreach</c>; not the page
    /// read ahead).</summary>
    public long ItemsDelivered
    {
        get
        {
            if (_page is not null) return _base + _next;
            long delivered = ik_pager_items_delivered(_handle);
            return _pending is { } p ? delivered - (long)ik_page_count(p.Raw) : delivered;
        }
    }

    /// <summary>Where a new pager resumes (<see cref="ListOptions.Cursor"/>): right after the last item handed out,
    /// also in the middle of a page (a <c>break</c> out of <c>await foreach</c>) and after a MaxItems stop (the first
    /// item left out); "" once the whole list was read.</summary>
    public unsafe string Cursor
    {
        get
        {
            // _ahead is never running without _page (see the fields), so the native pager is only asked when idle.
            if (_page is { } p) return Page<T>.CursorAt(p.Raw, _next);
            if (_pending is { } q) return Page<T>.CursorAt(q.Raw, 0);
            return Calls.BufString((IkBuf* b, out ErrorHandle e) => ik_pager_cursor(_handle, b, out e));
        }
    }

    /// <summary>Fetches the next page without blocking a thread; null once the iteration is over. A failed page can
    /// be asked for again (the pager stays where it was). After a <c>break</c> out of <c>await foreach</c> or after
    /// <see cref="NextItem"/>, the next page is the rest of the current one (its <see cref="Page{T}.ItemCursor"/>
    /// counts from that rest).</summary>
    public unsafe Task<Page<T>?> NextPageAsync(CallOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (_ahead is not null) return AheadThenPageAsync(options, cancellationToken);
        if (TakeHeldPage() is { } held) return Task.FromResult<Page<T>?>(held);
        return StartNextPage(options, _access.TakeNextPage, cancellationToken);
    }

    /// <summary><c>ik_pager_next_page_start</c>, its result taken by <paramref name="take"/>.</summary>
    private unsafe Task<TResult> StartNextPage<TResult>(CallOptions? options, Func<nint, TResult> take,
        CancellationToken cancellationToken) =>
        Calls.Start<TResult>(
            (Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
                ik_pager_next_page_start(_handle, Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            take, cancellationToken, _inline);

    private async Task<Page<T>?> AheadThenPageAsync(CallOptions? options, CancellationToken cancellationToken)
    {
        await SettleAheadAsync(cancellationToken, cancel: false).ConfigureAwait(false);
        return await NextPageAsync(options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fetches the next page, blocking the calling thread (synchronous twin of <see cref="NextPageAsync"/>).</summary>
    public unsafe Page<T>? NextPage(CallOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (_ahead is not null) SettleAheadAsync(cancellationToken, cancel: false).GetAwaiter().GetResult();
        if (TakeHeldPage() is { } held) return held;
        return Calls.Run<PageHandle, Page<T>?>(
            (Utf8Arena a, nint cancel, out PageHandle h, out ErrorHandle err) =>
                ik_pager_next_page(_handle, Calls.CallOptions(a, options, cancel), out h, out err),
            p => p == 0 ? null : Page<T>.From(p, _access),
            cancellationToken);
    }

    /// <summary>The next item, blocking the calling thread; null once the iteration is over. Fetches a page only
    /// when the current one is used up.</summary>
    public unsafe T? NextItem(CallOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_ahead is not null) SettleAheadAsync(cancellationToken, cancel: false).GetAwaiter().GetResult();
        while (true)
        {
            if (_next < _items.Length) return _items[_next++];
            if (_pending is not { } p) break;
            _pending = null;
            Enter(p, readAhead: false, default);
        }
        Leave();
        using var arena = new Utf8Arena();
        var (status, item, err) = _access.NextOwned(_handle, (nint)Calls.CallOptions(arena, options, 0));
        using (err)
        {
            if (status != 0) throw InviteKitException.FromNative(status, err);
        }
        return item;
    }

    /// <summary>The remaining pages, fetched without blocking a thread.</summary>
    public async IAsyncEnumerable<Page<T>> Pages([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await NextPageAsync(null, cancellationToken).ConfigureAwait(false) is { } page)
            yield return page;
    }

    /// <summary>The remaining items, page by page (one page in memory, and with <see cref="ListOptions.ReadAhead"/>
    /// the next one on its way). <c>MoveNextAsync</c> completes synchronously while the current page has items; it
    /// waits, without blocking a thread, only when the current one is used up.</summary>
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        new ItemEnumerator(this, cancellationToken);

    /// <summary>Releases the native pager (deferred by the library while a page request is running) and cancels the
    /// request of a page read ahead.</summary>
    public void Dispose()
    {
        if (_ahead is { } ahead)
        {
            CancellationTokenSource? cancel = _aheadCancel;
            _ahead = null;
            _aheadCancel = null;
            cancel?.Cancel();
            ahead.ContinueWith(static (t, c) =>
            {
                if (t.IsCompletedSuccessfully) t.Result?.Dispose();
                ((CancellationTokenSource?)c)?.Dispose();
            }, cancel, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        Leave();
        _pending?.Dispose();
        _pending = null;
        _handle.Dispose();
    }

    /// <summary>Starts the request of the next page (native pager idle, the reader on <see cref="_page"/>).</summary>
    private void StartAhead(CancellationToken cancellationToken)
    {
        if (ik_pager_done(_handle) != 0) return;
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _aheadCancel = cancel;
        _ahead = Fetch(cancel.Token);
    }

    /// <summary>Requests the next page as a native handle. From a continuation on the I/O thread (the default), the
    /// library writes the request at once (relay mode), while the continuation goes on.</summary>
    private Task<PageHandle?> Fetch(CancellationToken cancellationToken) =>
        StartNextPage(null, ItemAccess<T>.TakeNextHandle, cancellationToken);

    /// <summary>Waits for the request of the page ahead and takes its result: with <paramref name="cancel"/> (a loop
    /// was left) it is cancelled first and only a page that arrived anyway is kept (as <see cref="_pending"/>);
    /// without, its page becomes <see cref="_pending"/> and its error is thrown (the native pager is then unchanged).</summary>
    private async Task SettleAheadAsync(CancellationToken cancellationToken, bool cancel)
    {
        Task<PageHandle?> ahead = _ahead!;
        CancellationTokenSource aheadCancel = _aheadCancel!;
        if (cancel) aheadCancel.Cancel();
        try
        {
            PageHandle? page = await ahead.ConfigureAwait(false);
            if (page is not null) _pending = page;
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested && !cancel)
        {
            throw new OperationCanceledException(e.Message, e, cancellationToken);
        }
        catch when (cancel)
        {
        }
        finally
        {
            _ahead = null;
            _aheadCancel = null;
            aheadCancel.Dispose();
        }
    }

    /// <summary>Makes <paramref name="page"/> the page read item by item (the native pager has delivered it and
    /// nothing after), requests the next one when <paramref name="readAhead"/>, then converts the items.</summary>
    private void Enter(PageHandle page, bool readAhead, CancellationToken cancellationToken)
    {
        Leave();
        _page = page;
        _base = ik_pager_items_delivered(_handle) - (long)ik_page_count(page.Raw);
        if (readAhead) StartAhead(cancellationToken);
        _items = Page<T>.ItemsOf(page.Raw, _access);
    }

    /// <summary>Gives the position back to the native pager.</summary>
    private void Leave()
    {
        _page?.Dispose();
        _page = null;
        _items = Array.Empty<T>();
        _next = 0;
    }

    /// <summary>What is held before the native pager, as a page: the rest of <see cref="_page"/>, else
    /// <see cref="_pending"/>; null when nothing is held.</summary>
    private Page<T>? TakeHeldPage()
    {
        if (_page is { } current && _next < _items.Length)
        {
            int from = _next;
            _page = null; // the page's native handle goes to the Page
            Leave();
            return Adopt(Page<T>.From(current.Raw, _access, from), current);
        }
        Leave();
        if (_pending is not { } pending) return null;
        _pending = null;
        return Adopt(Page<T>.From(pending.Raw, _access), pending);
    }

    private static Page<T> Adopt(Page<T> page, PageHandle h)
    {
        ((IAdoptsNative)page).Adopt(h);
        h.Dispose(); // Adopt moved the pointer to a new owner; this one is empty
        return page;
    }

    private sealed class ItemEnumerator(Pager<T> pager, CancellationToken cancellationToken) : IAsyncEnumerator<T>
    {
        private T? _current;
        private bool _done;

        public T Current => _current!;

        public ValueTask<bool> MoveNextAsync()
        {
            if (pager._next < pager._items.Length)
            {
                _current = pager._items[pager._next++];
                return new ValueTask<bool>(true);
            }
            return _done ? new ValueTask<bool>(false) : new ValueTask<bool>(NextPageAsync());
        }

        private async Task<bool> NextPageAsync()
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (pager._ahead is not null) await pager.SettleAheadAsync(cancellationToken, cancel: false).ConfigureAwait(false);
                PageHandle? page;
                if (pager._pending is { } pending)
                {
                    pager._pending = null;
                    page = pending;
                }
                else
                {
                    page = await pager.Fetch(cancellationToken).ConfigureAwait(false);
                }
                if (page is null)
                {
                    _done = true;
                    pager.Leave();
                    return false;
                }
                pager.Enter(page, pager._readAhead, cancellationToken);
                if (pager._items.Length > 0) // an empty page that is not the last: ask for the next one
                {
                    _current = pager._items[pager._next++];
                    return true;
                }
            }
        }

        /// <summary>Leaving the loop: the request of the page ahead is cancelled (a page that arrived anyway is kept
        /// for the next read).</summary>
        public async ValueTask DisposeAsync()
        {
            if (pager._ahead is not null) await pager.SettleAheadAsync(default, cancel: true).ConfigureAwait(false);
        }
    }
}
