using System.Data.Common;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kabinet.Bench;

/// <summary>
/// The yardstick: a bare minimal-API endpoint doing the dashboard's essential reads on the raw
/// driver (one account and its last 5 operations, rendered as HTML), with no authentication,
/// localization, layout or framework around it.
/// </summary>
internal sealed class BaselineServer(Func<DbConnection> connect) : IAsyncDisposable
{
    private WebApplication? _app;

    public Uri Address { get; private set; } = new("http://127.0.0.1");

    public async Task StartAsync()
    {
        var port = KabinetProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _app = builder.Build();
        _app.MapGet("/baseline", RenderAsync);
        await _app.StartAsync();
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task RenderAsync(HttpContext http, long id)
    {
        await using var connection = connect();
        await connection.OpenAsync();
        var html = new StringBuilder("<!DOCTYPE html><html><body>");
        long ledger;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT a.number, la.balance, la.id FROM accounts a JOIN ledger_accounts la ON la.id = a.ledger_account_id WHERE a.id = @id";
            Add(command, "@id", id);
            await using var reader = await command.ExecuteReaderAsync();
            if (!await reader.ReadAsync())
            {
                http.Response.StatusCode = 404;
                return;
            }

            html.Append("<h1>").Append(WebUtility.HtmlEncode(reader.GetString(0))).Append("</h1><p>").Append(reader.GetInt64(1)).Append("</p>");
            ledger = reader.GetInt64(2);
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT t.description, e.amount FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
                WHERE e.ledger_account_id = @ledger ORDER BY e.transaction_id DESC LIMIT 5
                """;
            Add(command, "@ledger", ledger);
            await using var reader = await command.ExecuteReaderAsync();
            html.Append("<table>");
            while (await reader.ReadAsync())
            {
                html.Append("<tr><td>").Append(WebUtility.HtmlEncode(reader.GetString(0))).Append("</td><td>").Append(reader.GetInt64(1)).Append("</td></tr>");
            }

            html.Append("</table></body></html>");
        }

        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(html.ToString());
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
