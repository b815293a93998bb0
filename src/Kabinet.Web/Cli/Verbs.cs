using System.Globalization;
using Kabinet.Data.Connections;
using Kabinet.Data.Migrations;
using Kabinet.Data.Seeding;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Billing;
using Kabinet.Web.Features.Ledger;
using Kabinet.Web.Features.Network;
using Kabinet.Web.Features.Demo;
using Kabinet.Web.Features.Payments;
using Kabinet.Web.Features.Staff;
using Kabinet.Domain.Common;
using Kabinet.Web.Hosting;
using Kabinet.Web.Integrations.YooKassa;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Cli;

/// <summary>The command verbs of the executable. Each builds the same services as the server.</summary>
public static class Verbs
{
    /// <summary>The password every bulk-seeded load-test subscriber gets.</summary>
    public const string LoadTestPassword = "kabinet-load";

    /// <summary>Runs a verb and returns the process exit code.</summary>
    public static Task<int> RunAsync(string verb, string[] args) => RunAsync(verb, args, Console.Out);

    /// <summary>Runs a verb; the report verbs (radius-policies, coa-log) write to <paramref name="output"/>.</summary>
    public static async Task<int> RunAsync(string verb, string[] args, TextWriter output)
    {
        if (verb == "keys-certificate")
        {
            // Before the services: they need the certificate this verb makes.
            return await KeysCertificateAsync(new ConfigurationBuilder().AddCommandLine(args).Build());
        }

        var builder = WebApplication.CreateBuilder(args);
        builder.AddKabinet();
        await using var app = builder.Build();
        var services = app.Services;
        try
        {
            switch (verb)
            {
                case "migrate":
                    var applied = await new Migrator(services.GetRequiredService<Database>()).MigrateAsync();
                    Console.WriteLine(applied.Count == 0 ? "The schema is up to date." : $"Applied migrations: {string.Join(", ", applied)}");
                    return 0;
                case "seed-demo":
                    return await SeedDemoAsync(services, app.Configuration["subscribers"]);
                case "bill":
                    return await BillAsync(services, app.Configuration["date"]);
                case "verify-ledger":
                    return await VerifyLedgerAsync(services);
                case "create-staff":
                    return await CreateStaffAsync(services, app.Configuration["login"], app.Configuration["role"]);
                case "add-nas":
                    return await AddNasAsync(services, app.Configuration);
                case "set-pppoe-password":
                    return await SetPppoePasswordAsync(services, app.Configuration["login"], app.Configuration["password"]);
                case "radius-policies":
                    return await RadiusPoliciesAsync(services, app.Configuration["vendor"], output);
                case "coa-log":
                    return await CoaLogAsync(services, app.Configuration, output);
                case "refund":
                    return await RefundAsync(services, app.Configuration["payment"], app.Configuration["amount"], app.Configuration["reason"]);
                default:
                    await Console.Error.WriteLineAsync($"Unknown verb '{verb}'. Verbs: migrate, seed-demo [--subscribers N], bill [--date YYYY-MM-DD], verify-ledger, create-staff --login L --role R, refund --payment ID [--amount 100.00] --reason TEXT, add-nas --name N --ip IP --vendor mikrotik|cisco|juniper|accel-ppp --secret S [--coa-port 3799], set-pppoe-password --login L --password P, radius-policies --vendor cisco|juniper, coa-log [--account A] [--contract C] [--outcome ack|nak|timeout|no_nas|ended] [--limit 50], keys-certificate --out PATH [--password P].");
                    return 2;
            }
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    private static async Task<int> KeysCertificateAsync(IConfiguration arguments)
    {
        var path = arguments["out"];
        if (string.IsNullOrWhiteSpace(path))
        {
            await Console.Error.WriteLineAsync("Usage: keys-certificate --out /etc/kabinet/keys.pfx [--password P]");
            return 2;
        }

        if (File.Exists(path))
        {
            // Replacing it would make every stored key unreadable.
            await Console.Error.WriteLineAsync($"{path} exists already; it is left as it is.");
            return 2;
        }

        using var certificate = KeyProtection.Create(path, arguments["password"], TimeProvider.System.GetUtcNow());
        Console.WriteLine($"""
            Wrote {Path.GetFullPath(path)} (readable by its owner only; thumbprint {certificate.Thumbprint}).
            Set Kabinet__DataProtection__CertificatePath={Path.GetFullPath(path)}{(arguments["password"] is null ? "" : " and Kabinet__DataProtection__CertificatePassword")}
            for every instance, make the file readable by the service's user, and keep a copy somewhere safe:
            the keys in the database (logins, API tokens, PPPoE passwords) cannot be read without it.
            """);
        return 0;
    }

    private static async Task<int> SeedDemoAsync(IServiceProvider services, string? subscribers)
    {
        var database = services.GetRequiredService<Database>();
        await new Migrator(database).MigrateAsync();
        var seeded = await services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(CancellationToken.None);
        Console.WriteLine(seeded ? "Demo provider seeded." : "The catalogue is already there; demo data left as is.");
        if (subscribers is null)
        {
            return 0;
        }

        if (!int.TryParse(subscribers, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 10_000_000)
        {
            await Console.Error.WriteLineAsync("--subscribers takes a whole number from 1 to 10000000.");
            return 2;
        }

        // Hashing is deliberately slow (~50 ms), so load-test subscribers share one hash.
        var hash = services.GetRequiredService<IPasswordHasher<ContractCredential>>().HashPassword(new ContractCredential(), LoadTestPassword);
        var report = await BulkSeeder.SeedAsync(database, count, hash, services.GetRequiredService<TimeProvider>().GetUtcNow(), Console.WriteLine);
        Console.WriteLine($"Seeded {report.Subscribers} subscribers in {report.Elapsed.TotalSeconds:F1} s: contracts {report.FirstContractNumber}..{report.LastContractNumber}, password {LoadTestPassword}.");
        // Their access points share one encrypted PPPoE password, for the same reason.
        var pppoe = await services.GetRequiredService<NetworkAdmin>().SetMissingPppoePasswordsAsync(LoadTestPassword, "seed-demo", CancellationToken.None);
        Console.WriteLine($"PPPoE: {pppoe} access points, login u<contract>, password {LoadTestPassword}.");
        return 0;
    }

    private static async Task<int> AddNasAsync(IServiceProvider services, IConfiguration args)
    {
        await new Migrator(services.GetRequiredService<Database>()).MigrateAsync();
        var port = args["coa-port"] ?? "3799";
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var coaPort))
        {
            await Console.Error.WriteLineAsync("--coa-port takes a UDP port number.");
            return 2;
        }

        var saved = await services.GetRequiredService<NetworkAdmin>().SaveNasAsync(
            args["name"] ?? "", args["ip"] ?? "", args["vendor"] ?? "", args["secret"] ?? "", coaPort, "cli", CancellationToken.None);
        return await ReportAsync(services, saved, id => $"NAS {id} saved.");
    }

    private static async Task<int> SetPppoePasswordAsync(IServiceProvider services, string? login, string? password)
    {
        await new Migrator(services.GetRequiredService<Database>()).MigrateAsync();
        var saved = await services.GetRequiredService<NetworkAdmin>().SetPppoePasswordAsync(login ?? "", password ?? "", "cli", CancellationToken.None);
        return await ReportAsync(services, saved, id => $"PPPoE password of access point {id} set.");
    }

    private static async Task<int> RadiusPoliciesAsync(IServiceProvider services, string? vendor, TextWriter output)
    {
        await new Migrator(services.GetRequiredService<Database>()).MigrateAsync();
        if (!await services.GetRequiredService<RadiusPolicies>().WriteAsync(vendor ?? "", output, CancellationToken.None))
        {
            await Console.Error.WriteLineAsync(VendorProfiles.IsKnown(vendor ?? "")
                ? $"A {vendor} NAS takes the rate itself (Mikrotik-Rate-Limit, Filter-Id): there is nothing to create on it."
                : "--vendor takes cisco or juniper.");
            return 2;
        }

        return 0;
    }

    private static async Task<int> CoaLogAsync(IServiceProvider services, IConfiguration args, TextWriter output)
    {
        await new Migrator(services.GetRequiredService<Database>()).MigrateAsync();
        var outcome = args["outcome"];
        if (outcome is not null && !CoaLog.Outcomes.Contains(outcome, StringComparer.Ordinal))
        {
            await Console.Error.WriteLineAsync($"--outcome takes one of: {string.Join(", ", CoaLog.Outcomes)}.");
            return 2;
        }

        var limit = 50;
        if (args["limit"] is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 10_000))
        {
            await Console.Error.WriteLineAsync("--limit takes a whole number from 1 to 10000.");
            return 2;
        }

        var entries = await services.GetRequiredService<CoaLog>().ReadAsync(args["account"], args["contract"], outcome, limit, CancellationToken.None);
        CoaLog.Write(entries, output);
        return 0;
    }

    private static async Task<int> ReportAsync(IServiceProvider services, Result<long> result, Func<long, string> success)
    {
        if (result.IsSuccess)
        {
            Console.WriteLine(success(result.Value));
            return 0;
        }

        await Console.Error.WriteLineAsync(services.GetRequiredService<Features.Localization.Texts>().Error(result.Error!));
        return 2;
    }

    private static async Task<int> BillAsync(IServiceProvider services, string? date)
    {
        await new Migrator(services.GetRequiredService<Database>()).MigrateAsync();
        var clock = services.GetRequiredService<OperatorClock>();
        var today = clock.Today;
        var day = today;
        if (date is not null && !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            await Console.Error.WriteLineAsync("--date takes a day as YYYY-MM-DD.");
            return 2;
        }

        // A day ahead would be charged before it is used, could block accounts for it and would be
        // marked finished, so the nightly job would never bill it again: only today and before.
        if (day > today)
        {
            await Console.Error.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"--date {day:yyyy-MM-dd} is after today ({today:yyyy-MM-dd} in {clock.Zone.Id}): days are billed when they come, not ahead. Nothing charged."));
            return 2;
        }

        var report = await services.GetRequiredService<BillingRun>().RunUpToAsync(day, CancellationToken.None);
        if (report.Busy)
        {
            await Console.Error.WriteLineAsync("Another instance is billing right now; nothing done.");
            return 3;
        }

        foreach (var d in report.Days)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{d.Day:yyyy-MM-dd}: {d.Charges} charges in {d.Elapsed.TotalSeconds:F1} s"));
        }

        if (report.StoppedOn is { } stopped)
        {
            await Console.Error.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"Stopped on {stopped:yyyy-MM-dd}: another instance took over the billing lease. The days above are done; {stopped:yyyy-MM-dd} onwards is left to that instance."));
            return 4;
        }

        Console.WriteLine(report.Days.Count == 0 ? $"Everything up to {day:yyyy-MM-dd} is billed already." : "Done.");
        return 0;
    }

    private static async Task<int> VerifyLedgerAsync(IServiceProvider services)
    {
        var problems = await services.GetRequiredService<LedgerVerifier>().VerifyAsync(CancellationToken.None);
        foreach (var problem in problems)
        {
            Console.WriteLine(problem);
        }

        Console.WriteLine(problems.Count == 0 ? "The ledger is consistent." : $"{problems.Count} problem(s) found.");
        return problems.Count == 0 ? 0 : 1;
    }

    private static async Task<int> RefundAsync(IServiceProvider services, string? payment, string? amount, string? reason)
    {
        if (string.IsNullOrWhiteSpace(payment))
        {
            await Console.Error.WriteLineAsync("Usage: refund --payment <payment id> [--amount 100.00] --reason \"...\" (without --amount, all that is left is refunded).");
            return 2;
        }

        await new Migrator(services.GetRequiredService<Database>()).MigrateAsync();
        Result<RefundOutcome> result;
        try
        {
            result = await services.GetRequiredService<PaymentRefunds>().RefundAsync(payment, amount, reason, "cli:refund", CancellationToken.None);
        }
        catch (InvalidOperationException) when (services.GetRequiredService<IOptions<GatewayOptions>>().Value is { Configured: true, BaseUrl: "" })
        {
            await Console.Error.WriteLineAsync(
                "The gateway is this Kabinet's built-in sandbox acquirer, which runs inside the server: give the running server's address, " +
                "e.g. --Kabinet:Gateway:BaseUrl http://127.0.0.1:5000/sandbox-acquirer/v3/");
            return 2;
        }

        if (!result.IsSuccess)
        {
            var error = result.Error!;
            await Console.Error.WriteLineAsync(error.Code switch
            {
                "refund.reason_required" => "--reason is required (at most 500 characters).",
                "refund.amount_invalid" => "--amount takes a positive amount in roubles with two decimals, e.g. 100.00.",
                "refund.payment_not_found" => $"No payment '{payment}'.",
                "refund.not_succeeded" => $"Payment '{payment}' did not succeed; there is nothing to refund.",
                "refund.nothing_left" => $"Payment '{payment}' is refunded in full already.",
                "refund.amount_exceeds" => $"At most {error.Args!["left"]} is left to refund on payment '{payment}'.",
                "refund.gateway_refused" => $"The gateway refused the refund: {error.Args?.GetValueOrDefault("gateway") ?? "canceled"}.",
                "refund.pending" => "The gateway is still processing the refund; run the same command again later (it refunds once).",
                _ => "The gateway did not answer; run the same command again (it refunds once).",
            });
            return error.Code is "refund.gateway_unavailable" or "refund.pending" ? 3 : 2;
        }

        var done = result.Value;
        Console.WriteLine(done.Repeated
            ? $"This refund was made already by the same request: {done.Amount} of payment {done.PaymentId} (refund {done.RefundId}). Left to refund: {done.Left}."
            : $"Refunded {done.Amount} of payment {done.PaymentId} (refund {done.RefundId}). Left to refund: {done.Left}.");
        return 0;
    }

    private static async Task<int> CreateStaffAsync(IServiceProvider services, string? login, string? role)
    {
        await new Migrator(services.GetRequiredService<Database>()).MigrateAsync();
        var result = await services.GetRequiredService<StaffAccounts>().CreateAsync(login, role, "cli:create-staff");
        if (!result.IsSuccess)
        {
            var roles = string.Join(", ", Enum.GetNames<StaffRole>().Select(r => r.ToLowerInvariant()));
            await Console.Error.WriteLineAsync(result.Error!.Code switch
            {
                "staff.login_taken" => $"The login '{login}' is taken.",
                "staff.role_invalid" => $"--role must be one of: {roles}.",
                _ => "--login takes letters, digits, '.', '-' or '_' (at most 64).",
            });
            return 2;
        }

        Console.WriteLine($"Created staff '{login!.ToLowerInvariant()}' ({role!.ToLowerInvariant()}). Password: {result.Value}");
        return 0;
    }
}
