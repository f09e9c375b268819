using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace InviteKit.Tests;

/// <summary>Behaviour of the C# API against one shared emulator (seed 25).</summary>
public class ClientTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private const string Service = "IS00000000000000000000000000000000";
    private const string Channel = "general";
    private Emulator Emu => fx.Emulator;

    [Fact]
    public async Task EveryOperationAsync()
    {
        using var c = Emu.Client();
        string tag = Guid.NewGuid().ToString("N")[..8];
        // OpenAI: create, retrieve, list, delete
        var inv = await c.CreateOpenAIInviteAsync(new() { Email = $"a-{tag}@example.com", Role = "reader", Projects = new[] { new OpenAIProject("proj_1", "member") } });
        Assert.Equal($"a-{tag}@example.com", inv.Email);
        Assert.True(inv.HasProjects);
        Assert.NotNull(inv.CreatedAt);
        Assert.Null(inv.AcceptedAt);
        Assert.Equal(200, inv.Response!.HttpStatus);
        Assert.Equal(inv.Id, (await c.RetrieveOpenAIInviteAsync(inv.Id!)).Id);
        var page = await c.ListOpenAIInvitesAsync(new ListOptions { PageSize = 5 });
        Assert.Equal(5, page.Items.Count);
        Assert.Equal(ItemKind.OpenAIInvite, page.Kind);
        Assert.True(page.HasMore);
        Assert.NotNull(page.NextCursor);
        Assert.Equal(page.Items[0].Id, page.ParseRawJsonItem(0).GetProperty("id").GetString());
        var del = await c.DeleteOpenAIInviteAsync(inv.Id!);
        Assert.True(del.Deleted);
        Assert.Equal(inv.Id, del.Id);
        // Twilio invites
        var ti = await c.CreateTwilioInviteAsync(Service, Channel, $"id-{tag}");
        Assert.Equal($"id-{tag}", ti.Identity);
        Assert.NotNull(ti.DateCreated);
        Assert.Equal(ti.Sid, (await c.FetchTwilioInviteAsync(Service, Channel, ti.Sid!)).Sid);
        var tpage = await c.ListTwilioInvitesAsync(Service, Channel, new[] { $"id-{tag}" });
        Assert.Single(tpage.Items);
        Assert.Equal(ItemKind.TwilioInvite, (await c.DeleteTwilioInviteAsync(Service, Channel, ti.Sid!)).Kind);
        // Twilio users, with an identity that needs encoding
        string identity = $"a|b/c d-{tag}";
        var u = await c.CreateTwilioUserAsync(Service, new() { Identity = identity, FriendlyName = "F" });
        Assert.Equal(identity, u.Identity);
        Assert.Null(u.IsOnline);
        Assert.Equal(u.Sid, (await c.FetchTwilioUserAsync(Service, identity)).Sid);
        var u2 = await c.UpdateTwilioUserAsync(Service, u.Sid!, new() { FriendlyName = "G", Attributes = "{\"x\":1}" });
        Assert.Equal("G", u2.FriendlyName);
        Assert.Equal("{\"x\":1}", u2.Attributes);
        Assert.NotEmpty((await c.ListTwilioUsersAsync(Service, new ListOptions { PageSize = 3 })).Items);
        Assert.True((await c.DeleteTwilioUserAsync(Service, identity)).Deleted);
        // Fastly
        var f = await c.CreateFastlyInvitationAsync(new() { Email = $"f-{tag}@example.com", Role = "engineer", LimitServices = true });
        Assert.Equal("engineer", f.Role);
        Assert.True(f.LimitServices);
        Assert.NotEmpty((await c.ListFastlyInvitationsAsync(new ListOptions { PageSize = 2 })).Items);
        Assert.True((await c.DeleteFastlyInvitationAsync(f.Id!)).Deleted);
    }

    [Fact]
    public void SynchronousTwinsAndEnsure()
    {
        using var c = Emu.Client();
        string tag = Guid.NewGuid().ToString("N")[..8];
        var inv = c.CreateOpenAIInvite(new() { Email = $"s-{tag}@example.com", Role = "owner" });
        Assert.Equal(inv.Id, c.RetrieveOpenAIInvite(inv.Id!).Id);
        Assert.NotEmpty(c.ListOpenAIInvites().Items);
        var again = c.EnsureOpenAIInvite(new() { Email = $"s-{tag}@example.com", Role = "owner" });
        Assert.Equal(EnsureOutcome.Present, again.Outcome);
        Assert.Equal(inv.Id, again.Value.Id);
        c.DeleteOpenAIInvite(inv.Id!);
        var ti = c.EnsureTwilioInvite(Service, Channel, $"e-{tag}");
        Assert.Equal(EnsureOutcome.Created, ti.Outcome);
        Assert.Equal(ti.Value.Sid, c.FetchTwilioInvite(Service, Channel, ti.Value.Sid!).Sid);
        Assert.Single(c.ListTwilioInvites(Service, Channel, new[] { $"e-{tag}" }).Items);
        c.DeleteTwilioInvite(Service, Channel, ti.Value.Sid!);
        var u = c.EnsureTwilioUser(Service, new() { Identity = $"u-{tag}" });
        Assert.Equal(EnsureOutcome.Created, u.Outcome);
        Assert.Equal(EnsureOutcome.Present, c.EnsureTwilioUser(Service, new() { Identity = $"u-{tag}" }).Outcome);
        c.UpdateTwilioUser(Service, $"u-{tag}", new() { FriendlyName = "x" });
        Assert.Equal("x", c.FetchTwilioUser(Service, $"u-{tag}").FriendlyName);
        Assert.NotEmpty(c.ListTwilioUsers(Service).Items);
        c.DeleteTwilioUser(Service, $"u-{tag}");
        c.CreateTwilioUser(Service, new() { Identity = $"v-{tag}" });
        var fe = c.EnsureFastlyInvitation(new() { Email = $"g-{tag}@example.com" });
        Assert.Equal(EnsureOutcome.Created, fe.Outcome);
        Assert.NotEmpty(c.ListFastlyInvitations().Items);
        c.DeleteFastlyInvitation(fe.Value.Id!);
        var f = c.CreateFastlyInvitation(new() { Email = $"h-{tag}@example.com" });
        c.DeleteFastlyInvitation(f.Id!);
        Assert.True(c.HasCredentials(Provider.Fastly));
        Assert.Equal(Emu.Url + "/v1", c.BaseUrl(Provider.OpenAI));
        Assert.True(c.ConnectionsOpened >= 1);
    }

    /// <summary>The ids of the Fastly invitations a new pager (pages of 4) delivers from <paramref name="cursor"/> on.</summary>
    private static async Task<List<string?>> FastlyIdsFrom(InviteKitClient c, string cursor)
    {
        using var p = c.FastlyInvitations(new ListOptions { PageSize = 4, Cursor = cursor });
        var ids = new List<string?>();
        await foreach (var i in p) ids.Add(i.Id);
        return ids;
    }

    [Fact]
    public async Task PageItemCursorResumesAtEveryItem()
    {
        using var c = Emu.Client();
        Task<List<string?>> Ids(string cursor) => FastlyIdsFrom(c, cursor);
        var all = await Ids("");
        Assert.True(all.Count >= 5);
        using var pager = c.FastlyInvitations(new ListOptions { PageSize = 4 });
        int first = 0;
        await foreach (var page in pager.Pages())
        {
            for (int i = 0; i <= page.Items.Count; i++)
            {
                string cursor = page.ItemCursor(i);
                if (first + i == all.Count) Assert.Equal("", cursor);
                else Assert.Equal(all.Skip(first + i).ToList(), await Ids(cursor));
            }
            Assert.Throws<ArgumentOutOfRangeException>(() => page.ItemCursor(page.Items.Count + 1));
            Assert.Throws<ArgumentOutOfRangeException>(() => page.ItemCursor(-1));
            first += page.Items.Count;
        }
        Assert.Equal(all.Count, first);
        // A single-page list call and a page cut by MaxItems.
        var listed = c.ListFastlyInvitations(new ListOptions { PageSize = 4 });
        Assert.Equal(all.Skip(2).ToList(), await Ids(listed.ItemCursor(2)));
        using var cut = c.FastlyInvitations(new ListOptions { PageSize = 4, MaxItems = 3 });
        var only = await cut.NextPageAsync();
        Assert.Equal(3, only!.Items.Count);
        Assert.Equal(cut.Cursor, only.ItemCursor(3));
        Assert.Equal(all.Skip(3).ToList(), await Ids(only.ItemCursor(3)));
        Assert.Throws<InvalidOperationException>(() => new Page<FastlyInvitation>().ItemCursor(0));
        // Dispose frees the native page: the managed copies stay, ItemCursor no longer works; twice is harmless.
        string before = only.ItemCursor(1);
        only.Dispose();
        only.Dispose();
        Assert.Throws<ObjectDisposedException>(() => only.ItemCursor(1));
        Assert.Equal(3, only.Items.Count);
        Assert.Equal(all[0], only.Items[0].Id);
        Assert.Equal(all.Skip(1).ToList(), await Ids(before));
        new Page<FastlyInvitation>().Dispose(); // a page not from the library: nothing to free
    }

    /// <summary>Every way of reading one pager continues where the last stopped, with and without read-ahead and
    /// in both continuation modes: await foreach left mid-page, await foreach again, NextPageAsync (the rest of a page),
    /// NextItem, NextPage; Cursor, ItemsDelivered and Done describe what was handed out, never the page read ahead.</summary>
    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task OnePagerReadEveryWayLosesAndRepeatsNothing(bool readAhead, bool onIoThread)
    {
        using var emu = new Emulator(25); // its own: no other test adds or removes invitations meanwhile
        var o = emu.Options();
        o.RunContinuationsOnIoThread = onIoThread;
        using var c = new InviteKitClient(o);
        Task<List<string?>> From(string cursor) => FastlyIdsFrom(c, cursor);
        var all = await From("");
        Assert.True(all.Count >= 21, $"{all.Count} invitations");
        using var p = c.FastlyInvitations(new ListOptions { PageSize = 4, ReadAhead = readAhead });
        var got = new List<string?>();
        await foreach (var i in p) // pages of 4: leave after item 6, in the middle of the second page
        {
            got.Add(i.Id);
            Assert.Equal(got.Count, p.ItemsDelivered);
            Assert.False(p.Done);
            if (got.Count == 6) break;
        }
        Assert.Equal(6, p.ItemsDelivered);
        Assert.Equal(all.Skip(6).ToList(), await From(p.Cursor)); // exact, mid-page
        int n = 0;
        await foreach (var i in p) // the rest of page 2, then page 3
        {
            got.Add(i.Id);
            if (++n == 3) break;
        }
        Assert.Equal(9, p.ItemsDelivered);
        var rest = await p.NextPageAsync(); // the rest of page 3
        Assert.Equal(all.Skip(9).Take(3).ToList(), rest!.Items.Select(i => i.Id).ToList());
        Assert.Equal(all.Skip(10).ToList(), await From(rest.ItemCursor(1)));
        got.AddRange(rest.Items.Select(i => i.Id));
        got.Add(p.NextItem()!.Id);
        Assert.Equal(13, p.ItemsDelivered);
        Assert.Equal(all.Skip(13).ToList(), await From(p.Cursor));
        got.AddRange(p.NextPage()!.Items.Select(i => i.Id)); // the rest of page 4
        Assert.Equal(16, p.ItemsDelivered);
        await foreach (var i in p) got.Add(i.Id);
        Assert.Equal(all, got);
        Assert.True(p.Done);
        Assert.Equal(all.Count, p.ItemsDelivered);
        Assert.Equal("", p.Cursor);
        Assert.Equal(0, await Env.SettledInFlight(c));
    }

    /// <summary>await foreach requests page n + 1 before its loop body sees page n (each page here is 1 s late, so the
    /// request is still out while the body runs); ReadAhead = false does not. Leaving the loop cancels that request
    /// (the pager stays where it was), and disposing a pager with one out does too.</summary>
    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task AwaitForeachReadsOnePageAhead(bool readAhead, bool onIoThread)
    {
        using var emu = new Emulator(25, "--fault", "GET /invitations latency=1000");
        var o = emu.Options();
        o.RunContinuationsOnIoThread = onIoThread;
        using var c = new InviteKitClient(o);
        using var p = c.FastlyInvitations(new ListOptions { PageSize = 4, ReadAhead = readAhead });
        string? first = null;
        // ConfigureAwait(false): the loop body runs where the enumerator completes, not on xunit's context.
        await foreach (var i in p.ConfigureAwait(false))
        {
            first = i.Id;
            // In flight: the request ahead (1 s late), and on the I/O thread the page 1 request too, whose callback
            // this loop body runs in (on the thread pool, that callback returns in a moment: wait up to 0.5 s).
            long expected = (readAhead ? 1 : 0) + (onIoThread ? 1 : 0);
            var sw = Stopwatch.StartNew();
            while (c.OperationsInFlight != expected && sw.ElapsedMilliseconds < 500) Thread.Sleep(2);
            Assert.Equal(expected, c.OperationsInFlight);
            break;
        }
        Assert.Equal(0, await Env.SettledInFlight(c));
        var rest = await p.NextPageAsync(); // the rest of page 1, then page 2: nothing lost to the cancelled request
        Assert.Equal(3, rest!.Items.Count);
        var second = await p.NextPageAsync();
        Assert.Equal(4, second!.Items.Count);
        Assert.Equal(8, p.ItemsDelivered);
        // Disposed with a request ahead out: cancelled; the client goes on.
        var q = c.FastlyInvitations(new ListOptions { PageSize = 4, ReadAhead = readAhead });
        await using (var e = q.GetAsyncEnumerator())
        {
            Assert.True(await e.MoveNextAsync());
            Assert.Equal(first, e.Current.Id);
            q.Dispose();
        }
        Assert.Equal(0, await Env.SettledInFlight(c));
    }

    [Fact]
    public async Task PagerAsAsyncEnumerableWithMaxItemsAndResume()
    {
        using var c = Emu.Client();
        int n = 0;
        await foreach (var u in c.TwilioUsers(Service, new ListOptions { PageSize = 7 }))
        {
            Assert.NotNull(u.Sid);
            n++;
        }
        Assert.True(n >= 25);
        using var p = c.FastlyInvitations(new ListOptions { PageSize = 4, MaxItems = 10 });
        var ids = new List<string?>();
        await foreach (var page in p.Pages()) ids.AddRange(page.Items.Select(i => i.Id));
        Assert.Equal(10, ids.Count);
        Assert.True(p.Done);
        Assert.Equal(10, p.ItemsDelivered);
        string cursor = p.Cursor;
        Assert.NotEqual("", cursor);
        using var rest = c.FastlyInvitations(new ListOptions { PageSize = 4, Cursor = cursor });
        var restIds = new List<string?>();
        await foreach (var i in rest) restIds.Add(i.Id);
        Assert.Empty(ids.Intersect(restIds));
        Assert.Equal("", rest.Cursor);
        // page by page with NextPageAsync and the async enumerator's cancellation
        using var q = c.OpenAIInvites(new ListOptions { PageSize = 10 });
        var first = await q.NextPageAsync();
        Assert.Equal(10, first!.Items.Count);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in q.WithCancellation(cts.Token)) { }
        });
    }

    [Fact]
    public async Task FiveHundredConcurrentCallsBlockNoThreads()
    {
        // Every response is 200 ms late: 500 calls that each blocked a thread would need hundreds of threads (or
        // minutes); non-blocking ones complete in a few rounds of max_connections with a handful of threads.
        using var emu = new Emulator(5, "--fault", "GET /v2/* latency=200");
        using var c = emu.Client();
        int before = ThreadPool.ThreadCount;
        var tasks = Enumerable.Range(0, 500).Select(_ => c.FetchTwilioUserAsync(Service, "user-0001")).ToArray();
        int maxThreads = ThreadPool.ThreadCount;
        var all = Task.WhenAll(tasks);
        while (!all.IsCompleted)
        {
            maxThreads = Math.Max(maxThreads, ThreadPool.ThreadCount);
            await Task.WhenAny(all, Task.Delay(5));
        }
        var users = await all;
        Assert.All(users, u => Assert.Equal("user-0001", u.Identity));
        Assert.True(maxThreads <= before + 24, $"thread pool grew from {before} to {maxThreads} threads for 500 calls");
        Assert.Equal(0, await Env.SettledInFlight(c));
    }

    [Fact]
    public async Task CancellationMidRequest()
    {
        using var emu = new Emulator(5, "--fault", "GET /v2/* latency=3000");
        using var c = emu.Client();
        // The answer comes 3 s late and the token fires after 200 ms: a call that was not cancelled in flight
        // would complete with the user instead of throwing (no clock is read).
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => c.FetchTwilioUserAsync(Service, "user-0001", null, cts.Token));
        Assert.Equal(cts.Token, ex.CancellationToken);
        // the synchronous twin, cancelled through an ik_cancel_token
        using var cts2 = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.ThrowsAny<OperationCanceledException>(() => c.FetchTwilioUser(Service, "user-0001", null, cts2.Token));
        // an already-cancelled token never starts the call
        Assert.True(c.FetchTwilioUserAsync(Service, "user-0001", null, new CancellationToken(true)).IsCanceled);
    }

    [Fact]
    public async Task DisposeTwiceUseAfterDisposeAndDisposeInFlight()
    {
        using var emu = new Emulator(5, "--fault", "GET /v2/* latency=3000");
        var c = emu.Client();
        var pager = c.TwilioUsers(Service);
        var inflight = c.FetchTwilioUserAsync(Service, "user-0001");
        c.Dispose();
        c.Dispose();
        Assert.True(c.IsDisposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => inflight);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => c.FetchTwilioUserAsync(Service, "user-0001"));
        Assert.Throws<ObjectDisposedException>(() => c.FetchTwilioUser(Service, "user-0001"));
        Assert.Throws<ObjectDisposedException>(() => c.TwilioUsers(Service));
        // a pager outlives its client: requests fail, the cursor still works
        var ex = await Assert.ThrowsAsync<InviteKitArgumentException>(() => pager.NextPageAsync());
        Assert.Equal(Status.InvalidArgument, ex.Status);
        Assert.NotNull(pager.Cursor);
        pager.Dispose();
        pager.Dispose();
    }

    [Fact]
    public async Task EveryFinalizationOrder()
    {
        for (int order = 0; order < 2; order++)
        {
            var c = Emu.Client();
            var p = c.OpenAIInvites(new ListOptions { PageSize = 2 });
            Assert.NotNull(await p.NextPageAsync());
            if (order == 0) { c.Dispose(); p.Dispose(); } else { p.Dispose(); c.Dispose(); }
        }
        // left to the finalizers, in no defined order
        MakeGarbage(Emu);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MakeGarbage(Emulator emu)
    {
        for (int i = 0; i < 5; i++)
        {
            var c = emu.Client();
            _ = c.OpenAIInvites();
            _ = c.TwilioUsers(Service);
        }
    }

    [Fact]
    public async Task ErrorMapping()
    {
        using var c = Emu.Client();
        var nf = await Assert.ThrowsAsync<InviteKitNotFoundException>(() => c.RetrieveOpenAIInviteAsync("invite-doesnotexist"));
        Assert.Equal(Status.NotFound, nf.Status);
        Assert.Equal(404, nf.HttpStatus);
        Assert.Equal(Provider.OpenAI, nf.Provider);
        Assert.NotNull(nf.RequestId);
        Assert.NotNull(nf.Body);
        Assert.False(nf.IsRetryable);
        Assert.Equal("IK_STATUS_NOT_FOUND", nf.StatusName);
        var arg = await Assert.ThrowsAsync<InviteKitArgumentException>(() => c.FetchTwilioInviteAsync("bad", Channel, "INx"));
        Assert.Null(arg.HttpStatus);
        Assert.Equal(0, arg.Attempts);
        await Emu.AddFaultsAsync(new[] { "GET /invitations status=429" });
        try
        {
            var rl = await Assert.ThrowsAsync<InviteKitRateLimitedException>(() => c.ListFastlyInvitationsAsync());
            Assert.Equal(429, rl.HttpStatus);
            Assert.True(rl.IsRetryable);
            Assert.Equal(Provider.Fastly, rl.Provider);
        }
        finally
        {
            await Emu.ClearFaultsAsync();
        }
        var opts = Emu.Options();
        opts.OpenAIAdminKey = "sk-admin-wrong";
        using var wrong = new InviteKitClient(opts);
        var auth = await Assert.ThrowsAsync<InviteKitAuthenticationException>(() => wrong.ListOpenAIInvitesAsync());
        Assert.Equal(401, auth.HttpStatus);
        Assert.NotNull(auth.ProviderCode);
        var bad = new InviteKitClientOptions { IgnoreEnvironment = true, OpenAIBaseUrl = "ftp://nope" };
        Assert.Throws<InviteKitArgumentException>(() => new InviteKitClient(bad));
        var noCreds = new InviteKitClient(new InviteKitClientOptions { IgnoreEnvironment = true, OpenAIBaseUrl = Emu.Url + "/v1" });
        using (noCreds)
            Assert.Equal(Status.NoCredentials, (await Assert.ThrowsAsync<InviteKitAuthenticationException>(() => noCreds.ListOpenAIInvitesAsync())).Status);
    }

    private sealed class ListLogger : ILogger
    {
        internal readonly List<(LogLevel, string)> Lines = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines) Lines.Add((logLevel, formatter(state, exception)));
            if (formatter(state, exception).Contains("boom-never")) throw new InvalidOperationException();
        }
    }

    [Fact]
    public async Task LoggerAndRetryCallbackAndThrowingCallbacks()
    {
        var logger = new ListLogger();
        var retries = new List<RetryInfo>();
        var o = Emu.Options(maxRetries: 3);
        o.Logger = logger;
        o.LogLevel = InviteKitLogLevel.Debug;
        o.OnRetry = r => { lock (retries) retries.Add(r); return r.Attempt < 2; };
        using (var c = new InviteKitClient(o))
        {
            await Emu.AddFaultsAsync(new[] { "GET /v2/* status=503" });
            try
            {
                var ex = await Assert.ThrowsAsync<InviteKitCancelledException>(() => c.FetchTwilioUserAsync(Service, "user-0001"));
                Assert.Equal(CancelledBy.RetryCallback, ex.CancelledBy);
                Assert.Equal(503, ex.HttpStatus);
                Assert.Equal(2, retries.Count);
                Assert.Equal(Status.ServerError, retries[0].Status);
            }
            finally
            {
                await Emu.ClearFaultsAsync();
            }
            await c.FetchTwilioUserAsync(Service, "user-0001");
        }
        lock (logger.Lines)
        {
            Assert.NotEmpty(logger.Lines);
            Assert.DoesNotContain(logger.Lines, l => l.Item2.Contains("emulator-twilio-token"));
        }
        // a retry callback that throws vetoes the retry; the exception never reaches native code
        var o2 = Emu.Options(maxRetries: 3);
        o2.OnRetry = _ => throw new InvalidOperationException("from the callback");
        using var c2 = new InviteKitClient(o2);
        await Emu.AddFaultsAsync(new[] { "GET /v2/* status=503" });
        try
        {
            var ex2 = await Assert.ThrowsAsync<InviteKitCancelledException>(() => c2.FetchTwilioUserAsync(Service, "user-0001"));
            Assert.Equal(CancelledBy.RetryCallback, ex2.CancelledBy);
        }
        finally
        {
            await Emu.ClearFaultsAsync();
        }
    }

    [Fact]
    public async Task MemoryStaysFlat()
    {
        using var c = Emu.Client();
        async Task Batch(int n)
        {
            for (int i = 0; i < n; i += 50)
                await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => c.FetchTwilioUserAsync(Service, "user-0002")));
            using var p = c.TwilioUsers(Service, new ListOptions { PageSize = 25 });
            await foreach (var _ in p) { }
        }
        await Batch(1000); // warm-up
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        long managed0 = GC.GetTotalMemory(true);
        long rss0 = Process.GetCurrentProcess().WorkingSet64;
        for (int round = 0; round < 4; round++) await Batch(1000);
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        long managed1 = GC.GetTotalMemory(true);
        long rss1 = Process.GetCurrentProcess().WorkingSet64;
        Assert.True(managed1 - managed0 < 8 << 20, $"managed heap grew {managed1 - managed0} bytes");
        Assert.True(rss1 - rss0 < 64 << 20, $"RSS grew {rss1 - rss0} bytes");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 NativeMallInfo2();

    /// <summary>Bytes the native heap (glibc malloc: the library's allocations) has handed out and not freed.</summary>
    private static long NativeHeapInUse()
    {
        MallInfo2 m = NativeMallInfo2();
        return (long)(m.Uordblks + m.Hblkhd);
    }

    private static (long managed, long native) SettledMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return (GC.GetTotalMemory(true), NativeHeapInUse());
    }

    [Fact]
    public void MillionObjectsCreatedAndFreed()
    {
        // 1,000,000 native objects without network: pagers (ik_pager + the list options built in a native arena) and
        // cancellation tokens (ik_cancel_token, through a blocking call's CancellationToken whose call fails its
        // argument check before any request). One pager in seven is not disposed: its SafeHandle's finalizer frees it.
        // Managed heap and native heap (glibc malloc in use) are measured after 100,000 objects and at the end.
        const int Total = 1_000_000, Baseline = 100_000;
        using var c = Emu.Client();
        using var cts = new CancellationTokenSource();
        var list = new ListOptions { PageSize = 5 };
        (long managed, long native) m0 = default;
        for (int i = 0; i < Total; i++)
        {
            if (i % 8 == 7)
            {
                // cancellable token: Calls.Run makes an ik_cancel_token; the empty service SID fails the argument check
                Assert.Throws<InviteKitArgumentException>(() => c.FetchTwilioUser("", "user-0001", null, cts.Token));
            }
            else if (i % 8 == 3)
            {
                _ = c.OpenAIInvites(list);
            }
            else
            {
                using var p = c.OpenAIInvites(list);
            }
            if (i + 1 == Baseline) m0 = SettledMemory();
        }
        var m1 = SettledMemory();
        Assert.True(m1.managed - m0.managed < 1 << 20,
            $"managed heap grew {m1.managed - m0.managed} bytes from object {Baseline:N0} to {Total:N0}");
        Assert.True(m1.native - m0.native < 4 << 20,
            $"native heap in use grew {m1.native - m0.native} bytes from object {Baseline:N0} to {Total:N0}");
    }

    /// <summary>Where the code after an <c>await</c> of an XxxAsync task runs: on the client's I/O thread (a thread the
    /// library started, not one of the pool's) by default, on a thread-pool thread with
    /// RunContinuationsOnIoThread = false.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ContinuationThread(bool onIoThread)
    {
        using var emu = new Emulator(5, "--fault", "GET /v2/* latency=100");
        var o = emu.Options();
        o.RunContinuationsOnIoThread = onIoThread;
        using var c = new InviteKitClient(o);
        // A continuation attached after the call completed runs inside ContinueWith on the attaching thread and
        // tells nothing: such attempts are repeated (bounded).
        for (int attempt = 0; attempt < 5; attempt++)
        {
            var attaching = new StrongBox<int>(Environment.CurrentManagedThreadId);
            var task = c.FetchTwilioUserAsync(Service, "user-0001");
            var cont = task.ContinueWith(
                t => (t.IsCompletedSuccessfully, Inline: Environment.CurrentManagedThreadId == Volatile.Read(ref attaching.Value),
                      Thread.CurrentThread.IsThreadPoolThread),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            Volatile.Write(ref attaching.Value, 0); // attached: from here on no thread id matches
            var where = await cont;
            Assert.True(where.IsCompletedSuccessfully);
            if (where.Inline) continue;
            Assert.Equal(!onIoThread, where.IsThreadPoolThread);
            // await foreach over a pager: its continuations follow the same option (one page, then the end)
            using var p = c.TwilioUsers(Service, new ListOptions { PageSize = 10, MaxItems = 3 });
            int n = 0;
            await foreach (var u in p.ConfigureAwait(false))
            {
                Assert.NotNull(u.Sid);
                n++;
            }
            Assert.Equal(3, n);
            // Leave the I/O thread before the client and the emulator are disposed (a wait on the I/O thread would
            // hold the client's connection open until the emulator's shutdown gives up on it).
            await Task.Yield();
            return;
        }
        Assert.Fail("every attempt completed before its continuation was attached");
    }

    /// <summary>The default continuations run on the I/O thread, and blocking there is safe: a continuation that waits
    /// for another task of the same client (<c>.Result</c>) and makes a synchronous call completes, because the
    /// library's loop moves to another thread (IK_COMPLETIONS_IO_THREAD_RELAY); meanwhile other calls complete.</summary>
    [Fact]
    public async Task BlockingInADefaultContinuationDoesNotDeadlock()
    {
        using var emu = new Emulator(5, "--fault", "GET /v2/* latency=50");
        using var c = new InviteKitClient(emu.Options());
        async Task<(bool pool, string a, string b, string s, int others)> Body()
        {
            await c.FetchTwilioUserAsync(Service, "user-0001"); // 50 ms: not complete when awaited
            bool pool = Thread.CurrentThread.IsThreadPoolThread;
            var others = Task.WhenAll(Enumerable.Range(0, 8).Select(_ => c.FetchTwilioUserAsync(Service, "user-0003")));
            var a = c.FetchTwilioUserAsync(Service, "user-0002").Result; // sync over async, on the I/O thread
            var b = c.FetchTwilioUser(Service, "user-0001");               // a blocking call there
            Thread.Sleep(200);                                             // a slow continuation
            var s = await c.FetchTwilioUserAsync(Service, "user-0003");
            return (pool, a.Sid!, b.Sid!, s.Sid!, (await others).Length);
        }
        var r = await Task.Run(Body).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(r.pool, "the continuation ran on the I/O thread");
        Assert.NotEmpty(r.a);
        Assert.NotEmpty(r.b);
        Assert.NotEmpty(r.s);
        Assert.Equal(8, r.others);
    }
}
