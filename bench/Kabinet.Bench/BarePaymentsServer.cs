using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Kabinet.Bench;

/// <summary>
/// The payments yardstick: the same three requests per payment (create, hosted page, card submit)
/// against bare minimal-API endpoints on the raw driver, in the same database: insert the payment,
/// read it for the page, and on submit flip its status and add the amount to a balance in one
/// transaction. No authentication, gateway hop, notification, re-check, journal or unblock.
/// </summary>
internal sealed class BarePaymentsServer(Func<DbConnection> connect) : IAsyncDisposable
{
    private WebApplication? _app;

    public Uri Address { get; private set; } = new("http://127.0.0.1");

    public async Task StartAsync()
    {
        await using (var connection = connect())
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, null, "DROP TABLE IF EXISTS bench_payment; DROP TABLE IF EXISTS bench_balance;");
            await ExecuteAsync(connection, null, """
                CREATE TABLE bench_payment (id BIGINT PRIMARY KEY, account_id BIGINT NOT NULL, amount BIGINT NOT NULL, status INT NOT NULL);
                CREATE TABLE bench_balance (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL);
                INSERT INTO bench_balance (id, balance) SELECT id, 0 FROM accounts;
                """);
        }

        var port = KabinetProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _app = builder.Build();
        long next = 0;
        _app.MapPost("/bare/accounts/{id:long}/payments", async (HttpContext http, long id) =>
        {
            var paymentId = Interlocked.Increment(ref next);
            await using var connection = await OpenAsync();
            await ExecuteAsync(connection, null, "INSERT INTO bench_payment (id, account_id, amount, status) VALUES (@p, @a, 50000, 1)", ("@p", paymentId), ("@a", id));
            http.Response.StatusCode = 201;
            await http.Response.WriteAsJsonAsync(new Dictionary<string, object> { ["id"] = paymentId, ["confirmation_url"] = $"{Address}bare/pay/{paymentId}" });
        });
        _app.MapGet("/bare/pay/{id:long}", async (HttpContext http, long id) =>
        {
            await using var connection = await OpenAsync();
            await using var command = Command(connection, null, "SELECT amount FROM bench_payment WHERE id = @p", ("@p", id));
            var amount = await command.ExecuteScalarAsync();
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync($"<!DOCTYPE html><form method=\"post\"><p>{amount}</p><input name=\"card\"><input name=\"__RequestVerificationToken\" type=\"hidden\" value=\"bare\"></form>");
        });
        _app.MapPost("/bare/pay/{id:long}", async (HttpContext http, long id) =>
        {
            await using var connection = await OpenAsync();
            await using (var tx = connection is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: false) : await connection.BeginTransactionAsync())
            {
                await ExecuteAsync(connection, tx, "UPDATE bench_payment SET status = 2 WHERE id = @p AND status = 1", ("@p", id));
                await ExecuteAsync(connection, tx, "UPDATE bench_balance SET balance = balance + 50000 WHERE id = (SELECT account_id FROM bench_payment WHERE id = @p)", ("@p", id));
                await tx.CommitAsync();
            }

            http.Response.Redirect("/bare/done");
        });
        await _app.StartAsync();
        Address = new Uri($"http://127.0.0.1:{port}/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, null, "DROP TABLE IF EXISTS bench_payment; DROP TABLE IF EXISTS bench_balance;");
    }

    private async Task<DbConnection> OpenAsync()
    {
        var connection = connect();
        await connection.OpenAsync();
        return connection;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }
}
