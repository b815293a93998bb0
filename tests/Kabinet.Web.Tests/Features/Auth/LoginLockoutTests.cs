using System.Net;
using System.Net.Http.Json;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Auth;

/// <summary>
/// The per-contract limit on password guessing (issue 14, point 2): it answers the same for real and
/// made-up contract numbers, holds across instances, and a stranger's guesses do not lock the owner's
/// own device out.
/// </summary>
public abstract class LoginLockoutTests(KabinetFactory factory)
{
    internal static readonly Dictionary<string, string?> Settings = new(StringComparer.Ordinal)
    {
        ["Kabinet:Login:FailuresPerContract"] = "3",
        ["Kabinet:Login:FailureWindowMinutes"] = "15",
    };

    [Fact]
    public async Task A_real_and_a_made_up_contract_get_the_same_answers_attempt_after_attempt()
    {
        const string real = "100000000003";
        const string madeUp = "999999999993";
        await factory.SetPasswordAsync(real, "right-password-3");

        var realAnswers = new List<string>();
        var madeUpAnswers = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            realAnswers.Add(await AnswerAsync("198.51.100.1", real, "wrong-" + i));
            madeUpAnswers.Add(await AnswerAsync("198.51.100.2", madeUp, "wrong-" + i));
        }

        madeUpAnswers.ShouldBe(realAnswers);
        realAnswers.Take(3).ShouldAllBe(a => a.StartsWith("401 auth.invalid_credentials", StringComparison.Ordinal));
        realAnswers.Skip(3).ShouldAllBe(a => a.StartsWith("429 auth.too_many_attempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_owner_on_a_known_device_logs_in_while_a_stranger_has_used_up_the_number()
    {
        const string contract = "100000000008";
        const string password = "right-password-8";
        await factory.SetPasswordAsync(contract, password);
        using var owner = await factory.LoggedInBrowserAsync(contract, password);
        (await owner.PostFormFromAsync("/logout", "http://localhost", "same-origin")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // A stranger guesses from many addresses, far past the allowance.
        for (var i = 0; i < 10; i++)
        {
            await AnswerAsync($"203.0.113.{i + 1}", contract, "guess-" + i);
        }

        (await AnswerAsync("203.0.113.50", contract, password)).ShouldStartWith("429", customMessage: "an unknown device waits out the window, even with the right password");

        using var back = await owner.LogInAsync(contract, password);
        back.StatusCode.ShouldBe(HttpStatusCode.Redirect, "the owner's browser has logged in here before");
        back.Headers.Location!.OriginalString.ShouldBe("/");
    }

    [Fact]
    public async Task The_count_is_shared_by_instances_and_ends_with_its_window()
    {
        const string contract = "100000000005";
        const string password = "right-password-5";
        await factory.SetPasswordAsync(contract, password);
        for (var i = 0; i < 3; i++)
        {
            (await AnswerAsync("192.0.2.1", contract, "wrong")).ShouldStartWith("401");
        }

        using var second = factory.Restarted();
        using (var elsewhere = second.CreateClient())
        using (var refused = await elsewhere.PostAsJsonAsync("/api/v1/auth/token", new { contract, password }))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, "another instance sees the same count");
        }

        var start = factory.Clock.GetUtcNow();
        try
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(15));
            (await AnswerAsync("192.0.2.1", contract, password)).ShouldStartWith("200");
        }
        finally
        {
            factory.Clock.Set(start);
        }
    }

    [Fact]
    public async Task A_right_password_does_not_use_up_the_allowance()
    {
        const string contract = "100000000006";
        const string password = "right-password-6";
        await factory.SetPasswordAsync(contract, password);
        for (var i = 0; i < 5; i++)
        {
            (await AnswerAsync("192.0.2.2", contract, password)).ShouldStartWith("200");
        }

        (await AnswerAsync("192.0.2.2", contract, "wrong")).ShouldStartWith("401");
    }

    /// <summary>A token request from the given address, as "status code detail".</summary>
    private async Task<string> AnswerAsync(string ip, string contract, string password)
    {
        var address = IPAddress.Parse(ip);
        using var client = new HttpClient(factory.Server.CreateHandler(http => http.Connection.RemoteIpAddress = address)) { BaseAddress = factory.Server.BaseAddress };
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { contract, password });
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return "200";
        }

        var problem = await response.ShouldBeProblemAsync(response.StatusCode);
        return $"{(int)response.StatusCode} {problem.Code()} {problem.Detail()} {problem.GetProperty("title").GetString()}";
    }
}

/// <summary>A Kabinet on SQLite that allows 3 failed logins per contract number in 15 minutes.</summary>
public sealed class LockoutSqliteApp : IDisposable
{
    public KabinetFactory Factory { get; } = KabinetFactory.Sqlite(LoginLockoutTests.Settings);

    public void Dispose() => Factory.Dispose();
}

/// <summary>A Kabinet on PostgreSQL that allows 3 failed logins per contract number in 15 minutes.</summary>
public sealed class LockoutPostgresApp(PostgresFixture postgres) : IAsyncLifetime
{
    private KabinetFactory? _factory;

    public KabinetFactory Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _factory = await KabinetFactory.PostgresAsync(postgres, LoginLockoutTests.Settings);

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}

public sealed class SqliteLoginLockoutTests(LockoutSqliteApp app) : LoginLockoutTests(app.Factory), IClassFixture<LockoutSqliteApp>;

[Collection("postgres")]
public sealed class PostgresLoginLockoutTests(LockoutPostgresApp app) : LoginLockoutTests(app.Factory), IClassFixture<LockoutPostgresApp>;
