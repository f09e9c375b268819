using System.Text.Json.Nodes;

namespace InviteKit.Tests;

/// <summary>The async ensure methods (C ik_&lt;resource&gt;_ensure_start) against one emulator of their own, for the
/// four resources: created then present, a create whose answer is lost (reset-mid-body) recovered with exactly one
/// object, 8 ensures of one person at once (one creates), a parked ensure cancelled through its CancellationToken,
/// and a client disposed with ensures parked.</summary>
public class EnsureAsyncTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private const string Service = "IS00000000000000000000000000000000";
    private const string Channel = "CH00000000000000000000000000000000";
    private Emulator Emu => fx.Emulator;

    /// <summary>One resource: its async ensure of a person (outcome and id), how many objects exist for that
    /// person, the create request a fault must hit, and a person (an identity that needs encoding for Twilio).</summary>
    public sealed record Resource(
        string Name,
        string CreateFault,
        Func<InviteKitClient, string, CancellationToken, Task<(EnsureOutcome Outcome, string? Id)>> Ensure,
        Func<InviteKitClient, string, Task<int>> Count,
        Func<string, string> Person)
    {
        public override string ToString() => Name;
    }

    private static async Task<int> CountMatching<T>(Pager<T> pager, Func<T, bool> match) where T : ApiObject
    {
        using (pager)
        {
            int n = 0;
            await foreach (T item in pager)
                if (match(item)) n++;
            return n;
        }
    }

    private static string Email(string tag) => $"ada.{tag}@example.com";
    private static string Identity(string tag) => $"ada|{tag}/x y";

    private static readonly Dictionary<string, Resource> Resources = new Resource[]
    {
        new("openai invite", "POST /v1/organization/invites",
            async (c, who, ct) =>
            {
                var r = await c.EnsureOpenAIInviteAsync(new() { Email = who, Role = "reader" }, null, ct);
                Assert.Equal(who, r.Value.Email);
                return (r.Outcome, r.Value.Id);
            },
            (c, who) => CountMatching(c.OpenAIInvites(new ListOptions { PageSize = 100 }), i => i.Email == who),
            Email),
        new("twilio channel invite", "POST /v1/Services/*/Channels/*/Invites",
            async (c, who, ct) =>
            {
                var r = await c.EnsureTwilioInviteAsync(Service, Channel, who, null, null, ct);
                Assert.Equal(who, r.Value.Identity);
                return (r.Outcome, r.Value.Sid);
            },
            (c, who) => CountMatching(c.TwilioInvites(Service, Channel, new[] { who }), i => i.Identity == who),
            Identity),
        new("twilio user", "POST /v2/Services/*/Users",
            async (c, who, ct) =>
            {
                var r = await c.EnsureTwilioUserAsync(Service, new() { Identity = who }, null, ct);
                Assert.Equal(who, r.Value.Identity);
                return (r.Outcome, r.Value.Sid);
            },
            (c, who) => CountMatching(c.TwilioUsers(Service, new ListOptions { PageSize = 100 }), u => u.Identity == who),
            Identity),
        new("fastly invitation", "POST /invitations",
            async (c, who, ct) =>
            {
                var r = await c.EnsureFastlyInvitationAsync(new() { Email = who, Role = "engineer" }, null, ct);
                Assert.Equal(who, r.Value.Email);
                return (r.Outcome, r.Value.Id);
            },
            (c, who) => CountMatching(c.FastlyInvitations(new ListOptions { PageSize = 100 }), i => i.Email == who),
            Email),
    }.ToDictionary(r => r.Name);

    public static IEnumerable<object[]> ResourceNames() => Resources.Keys.Select(k => new object[] { k });

    private static string Tag(string what) => $"{what}-{Guid.NewGuid().ToString("N")[..8]}";

    [Theory]
    [MemberData(nameof(ResourceNames))]
    public async Task CreatedThenPresent(string resource)
    {
        Resource r = Resources[resource];
        using var c = Emu.Client();
        string who = r.Person(Tag("plain"));
        var first = await r.Ensure(c, who, default);
        Assert.Equal(EnsureOutcome.Created, first.Outcome);
        Assert.NotNull(first.Id);
        var again = await r.Ensure(c, who, default);
        Assert.Equal(EnsureOutcome.Present, again.Outcome);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(1, await r.Count(c, who));
        Assert.Equal(0, await Env.SettledInFlight(c));
    }

    [Theory]
    [MemberData(nameof(ResourceNames))]
    public async Task LostCreateAnswerIsRecoveredWithExactlyOneObject(string resource)
    {
        Resource r = Resources[resource];
        using var c = Emu.Client();
        string who = r.Person(Tag("lost"));
        await Emu.AddFaultsAsync(new[] { r.CreateFault + " count=1 reset-mid-body" });
        try
        {
            var res = await r.Ensure(c, who, default);
            Assert.Equal(EnsureOutcome.Recovered, res.Outcome);
            Assert.NotNull(res.Id);
        }
        finally
        {
            await Emu.ClearFaultsAsync();
        }
        Assert.Equal(1, await r.Count(c, who));
    }

    [Theory]
    [MemberData(nameof(ResourceNames))]
    public async Task EightAtOnceCreateExactlyOnce(string resource)
    {
        Resource r = Resources[resource];
        using var c = Emu.Client();
        string who = r.Person(Tag("race"));
        // Started at once from this thread, none awaited before the last has started: 7 of them park in the
        // library (no thread each) until the person's key passes to them.
        var tasks = Enumerable.Range(0, 8).Select(_ => r.Ensure(c, who, default)).ToArray();
        var results = await Task.WhenAll(tasks);
        Assert.Equal(1, results.Count(x => x.Outcome == EnsureOutcome.Created));
        Assert.Equal(7, results.Count(x => x.Outcome == EnsureOutcome.Present));
        Assert.All(results, x => Assert.Equal(results[0].Id, x.Id));
        Assert.Equal(1, await r.Count(c, who));
        Assert.Equal(0, await Env.SettledInFlight(c));
    }

    [Theory]
    [MemberData(nameof(ResourceNames))]
    public async Task CancellingAParkedEnsureLeavesTheOthersAlone(string resource)
    {
        Resource r = Resources[resource];
        using var c = Emu.Client();
        string who = r.Person(Tag("parked"));
        // The first ensure's create is late, so it holds the person's key while the others park behind it.
        await Emu.AddFaultsAsync(new[] { r.CreateFault + " count=1 latency=1500" });
        try
        {
            await Emu.ClearRequestsAsync();
            using var cts = new CancellationTokenSource();
            var first = r.Ensure(c, who, default);
            var parked = r.Ensure(c, who, cts.Token);
            var third = r.Ensure(c, who, default);
            var fourth = r.Ensure(c, who, default);
            await Task.Delay(200);
            Assert.False(parked.IsCompleted);
            cts.Cancel();
            var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => parked);
            Assert.Equal(cts.Token, ex.CancellationToken);
            Assert.False(first.IsCompleted, "the cancellation ended the ensure that holds the key");
            var a = await first;
            var b = await third;
            var d = await fourth;
            Assert.Equal(EnsureOutcome.Created, a.Outcome);
            Assert.Equal(EnsureOutcome.Present, b.Outcome);
            Assert.Equal(EnsureOutcome.Present, d.Outcome);
            Assert.Equal(a.Id, b.Id);
            Assert.Equal(a.Id, d.Id);
        }
        finally
        {
            await Emu.ClearFaultsAsync();
        }
        Assert.Equal(1, await r.Count(c, who));
        string[] create = r.CreateFault.Split(' ');
        Assert.Equal(1, (await Emu.RequestsAsync()).Count(q => q.Method == create[0] && Matches(create[1], q.Path)));
        Assert.Equal(0, await Env.SettledInFlight(c));
    }

    [Fact]
    public async Task DisposeWithParkedEnsuresFailsThemAll()
    {
        Resource r = Resources["twilio user"];
        var c = Emu.Client();
        string who = r.Person(Tag("dispose"));
        await Emu.AddFaultsAsync(new[] { r.CreateFault + " count=1 latency=1500" });
        try
        {
            var tasks = Enumerable.Range(0, 3).Select(_ => r.Ensure(c, who, default)).ToArray();
            await Task.Delay(200);
            c.Dispose();
            foreach (var t in tasks) await Assert.ThrowsAsync<ObjectDisposedException>(() => t);
            await Assert.ThrowsAsync<ObjectDisposedException>(() => r.Ensure(c, who, default));
        }
        finally
        {
            await Emu.ClearFaultsAsync();
            c.Dispose();
        }
    }

    [Fact]
    public async Task ArgumentErrorsAndAnAlreadyCancelledToken()
    {
        using var c = Emu.Client();
        // refused by the start call itself: a faulted task, nothing sent
        var bad = await Assert.ThrowsAsync<InviteKitArgumentException>(() =>
            c.EnsureOpenAIInviteAsync(new() { Email = "x@example.com", Role = "admin" }));
        Assert.Equal(0, bad.Attempts);
        Assert.Null(bad.HttpStatus);
        await Assert.ThrowsAsync<InviteKitArgumentException>(() => c.EnsureTwilioInviteAsync("bad", Channel, "someone"));
        await Assert.ThrowsAsync<ArgumentNullException>(() => c.EnsureFastlyInvitationAsync(null!));
        Assert.True(c.EnsureTwilioUserAsync(Service, new() { Identity = "never" }, null, new CancellationToken(true)).IsCanceled);
        Assert.Equal(0, await Env.SettledInFlight(c));
    }

    /// <summary>A fault pattern ('*' = one path segment) against a request path.</summary>
    private static bool Matches(string pattern, string path)
    {
        string[] p = pattern.Split('/'), s = path.Split('?')[0].Split('/');
        return p.Length == s.Length && p.Zip(s).All(x => x.First == "*" || x.First == x.Second);
    }
}
