using System.Data.Common;
using System.Globalization;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Data.Ledger;
using Kabinet.Domain.Billing;
using Kabinet.Domain.Catalog;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Staff;
using Kabinet.Web.Hosting;
using Microsoft.AspNetCore.Identity;

namespace Kabinet.Web.Features.Demo;

/// <summary>
/// Fills an empty database with a believable provider: catalogue, buildings, subscribers with a
/// couple of months of payments and daily charges, and the demo logins the README prints.
/// </summary>
public sealed class DemoSeeder(
    Database database,
    OperatorClock clock,
    IPasswordHasher<ContractCredential> hasher,
    StaffAccounts staff,
    Network.NetworkSecrets secrets,
    ILogger<DemoSeeder> logger)
{
    /// <summary>The demo subscriber's contract number (the login).</summary>
    public const string DemoContract = "100000000001";

    /// <summary>The demo subscriber's password.</summary>
    public const string DemoPassword = "kabinet-demo";

    /// <summary>The demo administrator's login.</summary>
    public const string DemoStaffLogin = "admin";

    /// <summary>The demo administrator's password.</summary>
    public const string DemoStaffPassword = "kabinet-admin";

    /// <summary>The PPPoE password of every demo access point (the demo subscriber's login is u100000000001_1).</summary>
    public const string DemoPppoePassword = "pppoe-demo";

    /// <summary>The demo NAS: a MikroTik on this host, which also takes CoA on the usual port.</summary>
    public const string DemoNasIp = "127.0.0.1";

    private const int OtherSubscribers = 30;

    private string? _pppoePassword;
    private const int HistoryDays = 60;

    /// <summary>Seeds when the database has no contracts yet; returns whether it did.</summary>
    public async Task<bool> SeedIfEmptyAsync(CancellationToken ct)
    {
        // Encrypted before the write transaction: the first use of the key ring may write a key,
        // which on SQLite would wait for this very transaction.
        _pppoePassword = secrets.Protect(DemoPppoePassword);
        var coaSecret = secrets.Protect("kabinet-coa-demo");
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        // Checked inside the write transaction: a second instance starting at once waits, then sees rows.
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tariffs", transaction: tx) > 0)
        {
            return false;
        }

        var random = new Random(20261121);
        var catalog = await InsertCatalogAsync(connection, tx);
        await connection.ExecuteAsync(
            "INSERT INTO nas (name, ip, vendor, coa_port, coa_secret, created_at) VALUES ('Демо MikroTik', @ip, 'mikrotik', 3799, @secret, @now)",
            new { ip = DemoNasIp, secret = coaSecret, now = clock.UtcNow }, tx);
        var today = clock.Today;
        var demo = new SubscriberPlan(
            "Иванов Иван Петрович", SubscriberKind.Individual, "+79130000001", "demo@kabinet.local",
            [
                new AccountPlan("Интернет и ТВ, ул. Ленина 12, кв. 34", "bundle-300", ["static-ip", "router-rent"], 1.15m, 0, 1),
                new AccountPlan("Дача, СНТ Черёмушки", "dacha-50", [], 0.92m, 9, 9),
            ]);
        await InsertSubscriberAsync(connection, tx, catalog, demo, 1, today, random, ct);

        for (var n = 2; n <= OtherSubscribers + 1; n++)
        {
            await InsertSubscriberAsync(connection, tx, catalog, RandomPlan(random, n), n, today, random, ct);
        }

        // The history above charged every day before today: the billing run starts with today.
        for (var day = today.AddDays(-HistoryDays); day < today; day = day.AddDays(1))
        {
            await connection.ExecuteAsync(
                "INSERT INTO billing_days (day, started_at, finished_at, charges) VALUES (@day, @now, @now, 0)",
                new { day, now = clock.UtcNow }, tx);
        }

        await tx.CommitAsync(ct);
        await staff.CreateAsync(DemoStaffLogin, nameof(StaffRole.Administrator), "demo-seed", DemoStaffPassword, ct);
        logger.LogInformation("Demo data seeded: {Count} subscribers", OtherSubscribers + 1);
        return true;
    }

    private static SubscriberPlan RandomPlan(Random random, int n)
    {
        if (n % 10 == 0)
        {
            var company = DemoCatalog.Companies[random.Next(DemoCatalog.Companies.Length)];
            return new SubscriberPlan(company, SubscriberKind.Business, Phone(random), $"office{n}@example.ru",
                [new AccountPlan("Офис", random.Next(2) == 0 ? "biz-100" : "biz-500", ["static-ip"], 1.0m, random.Next(10), random.Next(10))]);
        }

        var female = random.Next(2) == 0;
        var last = DemoCatalog.LastNames[random.Next(DemoCatalog.LastNames.Length)];
        var name = female
            ? $"{last}а {DemoCatalog.FemaleFirstNames[random.Next(10)]} {DemoCatalog.FemalePatronymics[random.Next(6)]}"
            : $"{last} {DemoCatalog.FirstNames[random.Next(10)]} {DemoCatalog.Patronymics[random.Next(6)]}";
        string[] tariffs = ["home-100", "home-300", "home-1000", "bundle-300", "start-50"];
        string[][] extras = [[], [], ["router-rent"], ["antivirus"], ["static-ip", "router-rent"], ["tv-cinema"]];
        // Most pay a little ahead; some run short and end blocked, as in any real base.
        decimal[] payers = [1.0m, 1.1m, 1.3m, 1.05m, 0.85m];
        var accounts = new List<AccountPlan>
        {
            new("Интернет", tariffs[random.Next(tariffs.Length)], extras[random.Next(extras.Length)], payers[random.Next(payers.Length)], random.Next(10), random.Next(10)),
        };
        if (random.Next(5) == 0)
        {
            accounts.Add(new AccountPlan("Телевидение", "tv-basic", [], 1.1m, random.Next(10), random.Next(10)));
        }

        return new SubscriberPlan(name, SubscriberKind.Individual, Phone(random), $"user{n}@example.ru", accounts);
    }

    private static string Phone(Random random) =>
        "+7913" + random.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);

    private static async Task<Catalog> InsertCatalogAsync(DbConnection connection, DbTransaction tx)
    {
        var tariffs = new Dictionary<string, TariffRow>(StringComparer.Ordinal);
        foreach (var t in DemoCatalog.Tariffs)
        {
            var id = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO tariffs (code, name_ru, name_en, description_ru, description_en, category, audience, monthly_fee, down_kbps, up_kbps, charge_mode, is_archived, change_modes)
                VALUES (@Code, @Ru, @En, @DescRu, @DescEn, @Cat, @Aud, @FeeKopecks, @Down, @Up, @Mode, @Archived, @Modes) RETURNING id
                """,
                new
                {
                    t.Code, t.Ru, t.En, t.DescRu, t.DescEn, Cat = (int)t.Cat, Aud = (int)t.Aud, t.FeeKopecks, t.Down, t.Up, Mode = (int)t.Mode, t.Archived,
                    // Monthly-in-advance tariffs are paid for whole months: switch to them from the 1st only.
                    Modes = (int)(t.Mode == ChargeMode.MonthlyInAdvance ? TariffChangeModes.NextMonth : TariffChangeModes.Tomorrow | TariffChangeModes.NextMonth),
                },
                tx);
            tariffs[t.Code] = new TariffRow(id, t.Ru, new Money(t.FeeKopecks));
        }

        var services = new Dictionary<string, TariffRow>(StringComparer.Ordinal);
        foreach (var s in DemoCatalog.Services)
        {
            var id = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO extra_services (code, name_ru, name_en, kind, price, charged_while_frozen, network_role) VALUES (@Code, @Ru, @En, @Kind, @PriceKopecks, @ChargedWhileFrozen, @NetworkRole) RETURNING id",
                new { s.Code, s.Ru, s.En, Kind = (int)s.Kind, s.PriceKopecks, s.ChargedWhileFrozen, s.NetworkRole },
                tx);
            services[s.Code] = new TariffRow(id, s.Ru, new Money(s.PriceKopecks));
        }

        var buildings = new List<long>();
        foreach (var b in DemoCatalog.Buildings)
        {
            buildings.Add(await connection.ExecuteScalarAsync<long>(
                "INSERT INTO buildings (city, street, house) VALUES (@City, @Street, @House) RETURNING id", new { b.City, b.Street, b.House }, tx));
        }

        return new Catalog(tariffs, services, buildings);
    }

    private async Task InsertSubscriberAsync(
        DbConnection connection, DbTransaction tx, Catalog catalog, SubscriberPlan plan, int sequence, DateOnly today, Random random, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var now = clock.UtcNow;
        var number = ContractNumber.FromSequence(sequence).Value;
        var password = sequence == 1 ? DemoPassword : PasswordGenerator.New();
        var subscriberId = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO subscribers (kind, full_name, phone, email, created_at) VALUES (@kind, @name, @phone, @email, @now) RETURNING id",
            new { kind = (int)plan.Kind, name = plan.Name, phone = plan.Phone, email = plan.Email, now }, tx);
        var signedOn = today.AddDays(-HistoryDays - random.Next(0, 700));
        var contractId = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO contracts (number, subscriber_id, password_hash, security_stamp, failed_logins, signed_on, building_id, flat, created_at)
            VALUES (@number, @subscriberId, @hash, @stamp, 0, @signedOn, @building, @flat, @now) RETURNING id
            """,
            new
            {
                number,
                subscriberId,
                hash = hasher.HashPassword(new ContractCredential(), password),
                stamp = Guid.NewGuid().ToString("N"),
                signedOn,
                building = catalog.Buildings[sequence == 1 ? 1 : random.Next(catalog.Buildings.Count)],
                flat = random.Next(1, 200).ToString(CultureInfo.InvariantCulture),
                now,
            },
            tx);

        var index = 0;
        foreach (var account in plan.Accounts)
        {
            index++;
            await InsertAccountAsync(connection, tx, catalog, contractId, $"{number}-{index}", account, today);
        }
    }

    private async Task InsertAccountAsync(
        DbConnection connection, DbTransaction tx, Catalog catalog, long contractId, string number, AccountPlan plan, DateOnly today)
    {
        var now = clock.UtcNow;
        var tariff = catalog.Tariffs[plan.Tariff];
        var ledgerId = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO ledger_accounts (kind, name, balance, updated_at) VALUES (@kind, @name, 0, @now) RETURNING id",
            new { kind = (int)LedgerAccountKind.Subscriber, name = number, now }, tx);
        var accountId = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO accounts (contract_id, number, title, ledger_account_id, tariff_id, tariff_since, status, threshold, created_at)
            VALUES (@contractId, @number, @title, @ledgerId, @tariffId, @start, @status, 0, @now) RETURNING id
            """,
            new { contractId, number, title = plan.Title, ledgerId, tariffId = tariff.Id, start = today.AddDays(-HistoryDays), status = (int)AccountStatus.Active, now = At(today.AddDays(-HistoryDays), 9) }, tx);
        var start = today.AddDays(-HistoryDays);
        foreach (var code in plan.Services)
        {
            await connection.ExecuteAsync(
                "INSERT INTO account_services (account_id, service_id, active_from) VALUES (@accountId, @serviceId, @start)",
                new { accountId, serviceId = catalog.Services[code].Id, start }, tx);
        }

        // A TV-only tariff has no internet, so no PPPoE login to connect with.
        var internet = DemoCatalog.Tariffs.Single(t => t.Code == plan.Tariff).Down is not null;
        await connection.ExecuteAsync(
            "INSERT INTO access_points (account_id, kind, login, mac, ip, password_protected) SELECT @accountId, @kind, @login, @mac, @ip, @password WHERE @internet",
            new
            {
                internet,
                accountId,
                kind = (int)AccessPointKind.Pppoe,
                login = "u" + number.Replace("-", "_", StringComparison.Ordinal),
                mac = $"02:4b:{accountId / 65536 % 256:x2}:{accountId / 256 % 256:x2}:{accountId % 256:x2}:01",
                password = _pppoePassword,
                ip = $"10.{accountId / 65536 % 256}.{accountId / 256 % 256}.{accountId % 256}",
            },
            tx);

        var monthly = tariff.Fee + plan.Services.Aggregate(Money.Zero, (sum, code) => sum + catalog.Services[code].Fee);
        var balance = await PostHistoryAsync(connection, tx, catalog, accountId, ledgerId, plan, monthly, start, today);
        if (balance.IsNegative)
        {
            await connection.ExecuteAsync("UPDATE accounts SET status = @status WHERE id = @accountId",
                new { status = (int)AccountStatus.Blocked, accountId }, tx);
        }
    }

    private async Task<Money> PostHistoryAsync(
        DbConnection connection, DbTransaction tx, Catalog catalog, long accountId, long ledgerId,
        AccountPlan plan, Money monthly, DateOnly start, DateOnly today)
    {
        var balance = Money.Zero;
        var payment = new Money((long)(monthly.Kopecks * plan.PaymentFactor) / 100 * 100);
        for (var day = start; day < today; day = day.AddDays(1))
        {
            if (day == start || day.Day == 1 + plan.PayDay)
            {
                var method = plan.PayDay % 3 == 0 ? (SystemLedgerAccounts.CashDesk, "Оплата в кассе") : (SystemLedgerAccounts.SandboxGatewayTransit, "Оплата банковской картой");
                balance += await PostAsync(connection, tx, LedgerTransaction.Transfer(
                    $"demo-payment:{accountId}:{day:yyyy-MM-dd}", TransactionKind.Payment, accountId, At(day, 10 + plan.PayHour),
                    method.Item2, method.Item1, ledgerId, payment).Value, ledgerId);
            }

            var charges = new List<(string Key, string Name, Money Fee)> { (ChargeKey.Tariff, catalog.Tariffs[plan.Tariff].Name, catalog.Tariffs[plan.Tariff].Fee) };
            charges.AddRange(plan.Services.Select(code => (ChargeKey.Service(catalog.Services[code].Id), catalog.Services[code].Name, catalog.Services[code].Fee)));
            foreach (var (key, name, fee) in charges)
            {
                var part = DailyCharge.ForDay(fee, day);
                if (!part.IsPositive)
                {
                    continue;
                }

                balance += await PostAsync(connection, tx, LedgerTransaction.Transfer(
                    ChargeKey.For(day, accountId, key), TransactionKind.Charge, accountId, At(day, 0),
                    $"«{name}» за {day.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)}", ledgerId, SystemLedgerAccounts.Revenue, part).Value, ledgerId);
            }
        }

        return balance;
    }

    private static async Task<Money> PostAsync(DbConnection connection, DbTransaction tx, LedgerTransaction transaction, long ledgerId)
    {
        await LedgerWriter.PostAsync(connection, tx, transaction);
        return transaction.Entries.Where(e => e.LedgerAccountId == ledgerId).Aggregate(Money.Zero, (s, e) => s + e.Amount);
    }

    private DateTimeOffset At(DateOnly day, int hour) =>
        new(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(new TimeOnly(hour % 24, 5)), clock.Zone), TimeSpan.Zero);

    private sealed record SubscriberPlan(string Name, SubscriberKind Kind, string Phone, string Email, IReadOnlyList<AccountPlan> Accounts);

    private sealed record AccountPlan(string Title, string Tariff, string[] Services, decimal PaymentFactor, int PayDay, int PayHour);

    private sealed record TariffRow(long Id, string Name, Money Fee);

    private sealed record Catalog(Dictionary<string, TariffRow> Tariffs, Dictionary<string, TariffRow> Services, List<long> Buildings);
}
