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
    private Func<nint, T[]?>? _takeNextItems;

    /// <summary>A list call's page, taken from its completed operation (made once per kind, not per call).</summary>
    internal Func<nint, Page<T>> TakePage =>
        _takePage ??= Calls.Take<PageHandle, Page<T>>(ik_op_take_page, p => Page<T>.From(p, this));

    /// <summary>A pager's next page (null after the last one), taken from its completed operation.</summary>
    internal Func<nint, Page<T>?> TakeNextPage =>
        _takeNextPage ??= Calls.Take<PageHandle, Page<T>?>(ik_op_take_page, p => p == 0 ? null : Page<T>.From(p, this), nullable: true);

    /// <summary>Only the items of a pager's next page (null after the last one): what <c>await foreach</c> needs,
    /// without the page's ids, item JSON copies, body and metadata.</summary>
    internal Func<nint, T[]?> TakeNextItems =>
        _takeNextItems ??= Calls.Take<PageHandle, T[]?>(ik_op_take_page, p => p == 0 ? null : Page<T>.ItemsOf(p, this), nullable: true);
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
        IkBuf buf;
        ik_buf_init(&buf);
        bool added = false;
        try
        {
            _native.DangerousAddRef(ref added);
            Calls.Check(ik_page_item_cursor(_native.Raw, (nuint)index, &buf, out ErrorHandle err), err);
            return buf.data == null ? "" : System.Text.Encoding.UTF8.GetString(buf.data, checked((int)buf.len));
        }
        finally
        {
            if (added) _native.DangerousRelease();
            ik_buf_dispose(&buf);
        }
    }

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

    internal static unsafe Page<T> From(nint p, ItemAccess<T> access)
    {
        int n = checked((int)ik_page_count(p));
        var items = new T[n];
        var ids = new string?[n];
        var raws = new ReadOnlyMemory<byte>[n];
        for (int i = 0; i < n; i++)
        {
            items[i] = access.FromPage(p, (nuint)i);
            ids[i] = Interop.Str(ik_page_item_id(p, (nuint)i));
            nint d; nuint len;
            raws[i] = Interop.Bytes(ik_page_item_raw_json(p, (nuint)i, &d, &len), d, len) ?? default(ReadOnlyMemory<byte>);
        }
        long v;
        nint bd; nuint bl;
        return new Page<T>
        {
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
/// items, <see cref="Pages"/> or <see cref="NextPageAsync"/> page by page, <see cref="ListOptions.MaxItems"/> for an
/// exact stop and <see cref="Cursor"/> to resume later. A pager is a cursor: use it from one thread at a time.
/// Dispose it when done (the client and its pagers may be disposed in any order).</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class Pager<T> : IAsyncEnumerable<T>, IDisposable where T : ApiObject
{
    private readonly PagerHandle _handle;
    private readonly ItemAccess<T> _access;
    private readonly bool _inline;

    internal Pager(PagerHandle handle, ItemAccess<T> access, bool inlineContinuations)
    {
        _handle = handle;
        _access = access;
        _inline = inlineContinuations;
    }

    /// <summary>Kind of the items.</summary>
    public ItemKind Kind => (ItemKind)ik_pager_kind(_handle);

    /// <summary>Whether the iteration is over.</summary>
    public bool Done => ik_pager_done(_handle) != 0;

    /// <summary>Items delivered so far (by pages and by items).</summary>
    public long ItemsDelivered => ik_pager_items_delivered(_handle);

    /// <summary>Where a new pager resumes (<see cref="ListOptions.Cursor"/>): mid-page and after a MaxItems stop
    /// too; "" once the whole list was read.</summary>
    public unsafe string Cursor
    {
        get
        {
            IkBuf buf;
            ik_buf_init(&buf);
            try
            {
                Calls.Check(ik_pager_cursor(_handle, &buf, out ErrorHandle err), err);
                return buf.data == null ? "" : System.Text.Encoding.UTF8.GetString(buf.data, checked((int)buf.len));
            }
            finally
            {
                ik_buf_dispose(&buf);
            }
        }
    }

    /// <summary>Fetches the next page without blocking a thread; null once the iteration is over. A failed page can
    /// be asked for again (the pager stays where it was).</summary>
    public unsafe Task<Page<T>?> NextPageAsync(CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Start<Page<T>?>(
            (Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
                ik_pager_next_page_start(_handle, Calls.CallOptions(a, options, 0), Calls.Callback, ud, out op, out err),
            _access.TakeNextPage,
            cancellationToken, _inline);

    /// <summary>The items of the next page (null once the iteration is over), for the enumerator.</summary>
    private unsafe Task<T[]?> NextItemsAsync(CancellationToken cancellationToken) =>
        Calls.Start<T[]?>(
            (Utf8Arena a, nint ud, out OpHandle op, out ErrorHandle err) =>
                ik_pager_next_page_start(_handle, null, Calls.Callback, ud, out op, out err),
            _access.TakeNextItems,
            cancellationToken, _inline);

    /// <summary>Fetches the next page, blocking the calling thread (synchronous twin of <see cref="NextPageAsync"/>).</summary>
    public unsafe Page<T>? NextPage(CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.Run<PageHandle, Page<T>?>(
            (Utf8Arena a, nint cancel, out PageHandle h, out ErrorHandle err) =>
                ik_pager_next_page(_handle, Calls.CallOptions(a, options, cancel), out h, out err),
            p => p == 0 ? null : Page<T>.From(p, _access),
            cancellationToken);

    /// <summary>The next item, blocking the calling thread; null once the iteration is over. Fetches a page only
    /// when the current one is used up.</summary>
    public unsafe T? NextItem(CallOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
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

    /// <summary>The remaining items, page by page (one page in memory at a time). <c>MoveNextAsync</c> completes
    /// synchronously while the current page has items; it fetches the next page, without blocking a thread, only
    /// when the current one is used up.</summary>
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        new ItemEnumerator(this, cancellationToken);

    /// <summary>Releases the native pager (deferred by the library while a page request is running).</summary>
    public void Dispose() => _handle.Dispose();

    private sealed class ItemEnumerator(Pager<T> pager, CancellationToken cancellationToken) : IAsyncEnumerator<T>
    {
        private T[] _items = Array.Empty<T>();
        private int _index = -1;
        private bool _done;

        public T Current => _items[_index];

        public ValueTask<bool> MoveNextAsync()
        {
            if (_index + 1 < _items.Length)
            {
                _index++;
                return new ValueTask<bool>(true);
            }
            return _done ? new ValueTask<bool>(false) : new ValueTask<bool>(NextPageAsync());
        }

        private async Task<bool> NextPageAsync()
        {
            while (true)
            {
                T[]? items = await pager.NextItemsAsync(cancellationToken).ConfigureAwait(false);
                if (items is null)
                {
                    _done = true;
                    _items = Array.Empty<T>();
                    _index = -1;
                    return false;
                }
                _items = items;
                _index = 0;
                if (items.Length > 0) return true; // an empty page that is not the last: ask for the next one
                _index = -1;
            }
        }

        public ValueTask DisposeAsync() => default;
    }
}
