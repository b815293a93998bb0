using System.Globalization;
using Kabinet.Domain.Common;
using Kabinet.Domain.Ledger;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Api;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Localization;
using Kabinet.Web.Features.Shared;
using Kabinet.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.History;

/// <summary>One operation in the API; <c>day</c> is its date in the operator's zone.</summary>
public sealed record HistoryLineResponse(long Id, TransactionKind Kind, DateTimeOffset At, DateOnly Day, string Description, Money Amount);

/// <summary>A page of operations, newest first; pass <c>next_after</c> as <c>after</c> for the next one.</summary>
public sealed record OperationsResponse(long AccountId, DateOnly From, DateOnly To, IReadOnlyList<HistoryLineResponse> Items, long? NextAfter);

/// <summary>The statement: opening_balance + credits - debits = closing_balance; lines oldest first.</summary>
public sealed record StatementResponse(
    long AccountId, string AccountNumber, string AccountTitle, string Contract, string Holder, DateOnly From, DateOnly To,
    Money OpeningBalance, Money Credits, Money Debits, Money ClosingBalance, IReadOnlyList<HistoryLineResponse> Lines);

/// <summary>The provider's details as printed on documents.</summary>
public sealed record ProviderResponse(
    string Name, string Inn, string Kpp, string Ogrn, string BankName, string BankAccount, string CorrespondentAccount, string Bik,
    string Address, string Phone, string Email);

/// <summary>How to find a payment again; <c>gateway_payment_id</c> is null until card payments record it.</summary>
public sealed record ReferenceResponse(long JournalId, string IdempotencyKey, string? GatewayPaymentId);

/// <summary>A payment's receipt in the API.</summary>
public sealed record ReceiptResponse(
    long Id, long AccountId, string AccountNumber, string Contract, string Holder, DateTimeOffset PaidAt, DateOnly Day,
    string Description, Money Amount, PaymentChannel Channel, ReferenceResponse Reference, ProviderResponse Provider);

/// <summary>History and documents (M10) in the API, over the same query as the pages.</summary>
public static class HistoryEndpoints
{
    /// <summary>Registers the query and binds the provider's details (<c>Kabinet:Provider</c>).</summary>
    public static void AddHistory(IServiceCollection services)
    {
        services.AddOptions<ProviderOptions>().BindConfiguration(ProviderOptions.Section);
        services.AddSingleton<HistoryQuery>();
    }

    /// <summary>Maps the operations, statement (JSON and CSV) and receipt endpoints.</summary>
    public static void MapHistory(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/accounts/{id:long}/operations", OperationsAsync)
            .WithName("GetOperations")
            .WithSummary("Operations of a period (from, to: YYYY-MM-DD in the operator's zone, inclusive; the current month by default), newest first. kind: payment, charge, adjustment, refund, promised_payment, reversal, opening_balance, or several comma-separated. limit: 1-500 (50). after: next_after of the previous page.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/accounts/{id:long}/statement", StatementAsync)
            .WithName("GetStatement")
            .WithSummary("The account statement of a period: opening and closing balance, credits, debits and every line, oldest first.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/accounts/{id:long}/statement.csv", StatementCsvAsync)
            .WithName("GetStatementCsv")
            .WithSummary("The statement's lines as CSV: ';'-separated, UTF-8 with BOM, ISO dates, amounts as 1234.50.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/accounts/{id:long}/operations/{transactionId:long}/receipt", ReceiptAsync)
            .WithName("GetReceipt")
            .WithSummary("The receipt of a payment with the provider's details; 404 for any other operation.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>The API's form of a line.</summary>
    public static HistoryLineResponse Line(HistoryLine line, OperatorClock clock, Func<string, string> words)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(words);
        return new HistoryLineResponse(line.Id, line.Kind, line.At, DateOnly.FromDateTime(clock.ToLocal(line.At).DateTime), words(line.Description), line.Amount);
    }

    /// <summary>Reads limit ("1".."500", default 50) and after (a positive id, optional).</summary>
    public static Result<(int Limit, long? After)> ReadPaging(string? limit, string? after)
    {
        var take = HistoryQuery.DefaultPageSize;
        if (!string.IsNullOrWhiteSpace(limit)
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take < 1 || take > HistoryQuery.MaxPageSize))
        {
            return new Error(HistoryErrors.LimitInvalid, "limit",
                new Dictionary<string, string>(StringComparer.Ordinal) { ["max"] = HistoryQuery.MaxPageSize.ToString(CultureInfo.InvariantCulture) });
        }

        long? cursor = null;
        if (!string.IsNullOrWhiteSpace(after))
        {
            if (!long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                return new Error(HistoryErrors.AfterInvalid, "after");
            }

            cursor = id;
        }

        return (take, cursor);
    }

    private static async Task<Results<Ok<OperationsResponse>, ProblemHttpResult>> OperationsAsync(
        long id, string? from, string? to, string? kind, string? limit, string? after,
        HttpContext http, HistoryQuery query, OperatorClock clock, ApiProblems problems, JournalWording wording, CancellationToken ct)
    {
        var account = await query.AccountAsync(http.User.ContractId(), id, ct);
        if (account is null)
        {
            return problems.NotFound();
        }

        var period = HistoryPeriod.Parse(from, to, clock.Today);
        var kinds = HistoryPeriod.ParseKinds(kind);
        var paging = ReadPaging(limit, after);
        if ((period.Error ?? kinds.Error ?? paging.Error) is { } error)
        {
            return problems.For(error, StatusCodes.Status400BadRequest);
        }

        var page = await query.OperationsAsync(account, period.Value, kinds.Value, paging.Value.Limit, paging.Value.After, ct);
        var words = await wording.ReaderAsync(ct);
        return TypedResults.Ok(new OperationsResponse(
            account.Id, period.Value.From, period.Value.To, page.Lines.Select(l => Line(l, clock, words)).ToList(), page.NextAfter));
    }

    private static async Task<Results<Ok<StatementResponse>, ProblemHttpResult>> StatementAsync(
        long id, string? from, string? to, HttpContext http, HistoryQuery query, OperatorClock clock, ApiProblems problems, JournalWording wording,
        CancellationToken ct)
    {
        var loaded = await LoadStatementAsync(id, from, to, http, query, clock, problems, ct);
        if (loaded.Problem is not null)
        {
            return loaded.Problem;
        }

        var s = loaded.Statement!;
        var words = await wording.ReaderAsync(ct);
        return TypedResults.Ok(new StatementResponse(
            s.Account.Id, s.Account.Number, s.Account.Title, s.Account.Contract, s.Account.Holder, s.Period.From, s.Period.To,
            s.Totals.Opening, s.Totals.Credits, s.Totals.Debits, s.Totals.Closing, s.Lines.Select(l => Line(l, clock, words)).ToList()));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> StatementCsvAsync(
        long id, string? from, string? to, HttpContext http, HistoryQuery query, OperatorClock clock, ApiProblems problems, Texts texts, JournalWording words,
        CancellationToken ct)
    {
        var loaded = await LoadStatementAsync(id, from, to, http, query, clock, problems, ct);
        if (loaded.Problem is not null)
        {
            return loaded.Problem;
        }

        return TypedResults.File(
            await StatementCsv.WriteAsync(loaded.Statement!, texts, clock, words, ct), StatementCsv.ContentType, StatementCsv.FileName(loaded.Statement!));
    }

    private static async Task<Results<Ok<ReceiptResponse>, ProblemHttpResult>> ReceiptAsync(
        long id, long transactionId, HttpContext http, HistoryQuery query, OperatorClock clock, IOptions<ProviderOptions> provider,
        ApiProblems problems, JournalWording wording, CancellationToken ct)
    {
        var receipt = await query.ReceiptAsync(http.User.ContractId(), transactionId, id, ct);
        if (receipt is null)
        {
            return problems.NotFound();
        }

        var p = provider.Value;
        return TypedResults.Ok(new ReceiptResponse(
            receipt.Id, receipt.Account.Id, receipt.Account.Number, receipt.Account.Contract, receipt.Account.Holder, receipt.At,
            DateOnly.FromDateTime(clock.ToLocal(receipt.At).DateTime), await wording.ForAsync(receipt.Description, ct), receipt.Amount, receipt.Channel,
            new ReferenceResponse(receipt.Reference.JournalId, receipt.Reference.IdempotencyKey, receipt.Reference.GatewayPaymentId),
            new ProviderResponse(p.Name, p.Inn, p.Kpp, p.Ogrn, p.BankName, p.BankAccount, p.CorrespondentAccount, p.Bik, p.Address, p.Phone, p.Email)));
    }

    private static async Task<(Statement? Statement, ProblemHttpResult? Problem)> LoadStatementAsync(
        long id, string? from, string? to, HttpContext http, HistoryQuery query, OperatorClock clock, ApiProblems problems, CancellationToken ct)
    {
        var contractId = http.User.ContractId();
        if (await query.AccountAsync(contractId, id, ct) is null)
        {
            return (null, problems.NotFound());
        }

        var period = HistoryPeriod.Parse(from, to, clock.Today);
        if (!period.IsSuccess)
        {
            return (null, problems.For(period.Error!, StatusCodes.Status400BadRequest));
        }

        var statement = await query.StatementAsync(contractId, id, period.Value, ct);
        return statement is null ? (null, problems.NotFound()) : (statement, null);
    }
}
