using Npgsql;

namespace Kabinet.Web.Tests.Infrastructure;

[Collection("postgres")]
public sealed class PostgresServerTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Creates_a_database_and_answers_queries()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync("smoke_" + Guid.NewGuid().ToString("N"));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        connection.Database.ShouldStartWith("smoke_");

        await using var command = new NpgsqlCommand("select version()", connection);
        var version = (string?)await command.ExecuteScalarAsync();

        version.ShouldNotBeNull();
        version.ShouldStartWith("PostgreSQL 15");
    }

    [Fact]
    public async Task Rejects_unsafe_database_names()
    {
        await Should.ThrowAsync<ArgumentException>(() => fixture.Server.CreateDatabaseAsync("x\"; drop"));
    }
}
