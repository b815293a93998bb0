using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Data.Migrations;
using Kabinet.Web.Features.Staff;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace Kabinet.Web.Tests.Features.Data;

/// <summary>What the <c>create-staff</c> verb does: check the input, create the login, audit it (M22).</summary>
public abstract class StaffAccountsTests : IAsyncLifetime
{
    private Database? _database;

    private Database Db => _database ?? throw new InvalidOperationException("Not started.");

    /// <summary>A new, empty database of the engine under test.</summary>
    protected abstract Task<Database> FreshDatabaseAsync();

    public async Task InitializeAsync()
    {
        _database = await FreshDatabaseAsync();
        await new Migrator(_database).MigrateAsync();
    }

    public Task DisposeAsync()
    {
        _database?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Creates_a_staff_login_with_a_generated_password_and_audits_it()
    {
        var hasher = new PasswordHasher<StaffCredential>();
        var result = await Staff(hasher).CreateAsync("Cashier.Anna", "cashier", "cli:create-staff");

        result.IsSuccess.ShouldBeTrue(result.Error?.Code);
        result.Value.Length.ShouldBeGreaterThanOrEqualTo(12);
        await using var connection = await Db.OpenAsync();
        var staff = await connection.QuerySingleAsync<(long Id, string Hash, int Role)>(
            "SELECT id, password_hash, role FROM staff WHERE login = 'cashier.anna'");
        staff.Role.ShouldBe((int)StaffRole.Cashier);
        hasher.VerifyHashedPassword(new StaffCredential(), staff.Hash, result.Value).ShouldNotBe(PasswordVerificationResult.Failed);
        var audit = await connection.QuerySingleAsync<(string Actor, string Action, string Subject, string Details)>(
            "SELECT actor, action, subject, details FROM audit_log");
        audit.Actor.ShouldBe("cli:create-staff");
        audit.Action.ShouldBe("staff.create");
        audit.Subject.ShouldBe("staff:" + staff.Id);
        audit.Details.ShouldContain("cashier.anna");
        audit.Details.ShouldNotContain(result.Value, customMessage: "the password never goes into the audit log");
    }

    [Theory]
    [InlineData("janitor")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("1")]
    [InlineData("99")]
    [InlineData("Administrator, Cashier")]
    public async Task Refuses_a_role_that_does_not_exist_and_writes_nothing(string? role)
    {
        var result = await Staff().CreateAsync("someone", role, "cli:create-staff");

        result.IsSuccess.ShouldBeFalse();
        result.Error!.Code.ShouldBe("staff.role_invalid");
        result.Error.Field.ShouldBe("role");
        await ShouldHaveRowsAsync(staff: 0, audit: 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("логин")]
    [InlineData("a;drop")]
    public async Task Refuses_a_malformed_login(string login)
    {
        var result = await Staff().CreateAsync(login, "support", "cli:create-staff");
        result.Error!.Code.ShouldBe("staff.login_invalid");
        await ShouldHaveRowsAsync(staff: 0, audit: 0);
    }

    [Fact]
    public async Task Refuses_a_taken_login_whatever_its_case_and_audits_only_the_first()
    {
        (await Staff().CreateAsync("support1", "support", "cli:create-staff")).IsSuccess.ShouldBeTrue();

        var again = await Staff().CreateAsync("Support1", "manager", "cli:create-staff");

        again.IsSuccess.ShouldBeFalse();
        again.Error!.Code.ShouldBe("staff.login_taken");
        again.Error.Field.ShouldBe("login");
        await ShouldHaveRowsAsync(staff: 1, audit: 1);
        await using var connection = await Db.OpenAsync();
        (await connection.ExecuteScalarAsync<int>("SELECT role FROM staff WHERE login = 'support1'")).ShouldBe((int)StaffRole.Support);
    }

    [Fact]
    public async Task Two_creations_of_one_login_at_once_make_one_account()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Staff().CreateAsync("tech", "technician", "cli:create-staff"))));

        results.Count(r => r.IsSuccess).ShouldBe(1);
        results.Where(r => !r.IsSuccess).ShouldAllBe(r => r.Error!.Code == "staff.login_taken");
        await ShouldHaveRowsAsync(staff: 1, audit: 1);
    }

    private StaffAccounts Staff(IPasswordHasher<StaffCredential>? hasher = null) =>
        new(Db, TimeProvider.System, hasher ?? new PasswordHasher<StaffCredential>());

    private async Task ShouldHaveRowsAsync(int staff, int audit)
    {
        await using var connection = await Db.OpenAsync();
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM staff")).ShouldBe(staff);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log")).ShouldBe(audit);
    }
}

public sealed class SqliteStaffAccountsTests : StaffAccountsTests
{
    protected override Task<Database> FreshDatabaseAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "kabinet-tests");
        Directory.CreateDirectory(dir);
        return Task.FromResult(new Database(DatabaseKind.Sqlite, $"Data Source={Path.Combine(dir, "staff-" + Guid.NewGuid().ToString("N"))}.db"));
    }
}

[Collection("postgres")]
public sealed class PostgresStaffAccountsTests(PostgresFixture postgres) : StaffAccountsTests
{
    protected override async Task<Database> FreshDatabaseAsync() =>
        new(DatabaseKind.Postgres, await postgres.CreateDatabaseAsync("staff"));
}
