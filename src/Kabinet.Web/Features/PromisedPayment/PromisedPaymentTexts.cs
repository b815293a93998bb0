using Kabinet.Web.Features.Localization;

namespace Kabinet.Web.Features.PromisedPayment;

/// <summary>The promised payment's words.</summary>
internal static class PromisedPaymentTexts
{
    public static readonly TextTable Table = new(
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["promised.title"] = "Обещанный платёж",
            ["promised.intro"] = "Обещанный платёж — это кредит на несколько дней: доступ включается сразу, а сумма погашается из следующего платежа.",
            ["promised.rules"] = "Условия",
            ["promised.rule.max"] = "до {amount}",
            ["promised.rule.term"] = "на {days} дн.",
            ["promised.rule.interval"] = "не чаще раза в {days} дн.",
            ["promised.rule.age"] = "счёт открыт не менее {days} дн. назад",
            ["promised.rule.debt"] = "долг не больше {amount}",
            ["promised.amount"] = "Сумма, ₽",
            ["promised.amount_hint"] = "Не больше {amount}. Например 500 или 500,50",
            ["promised.submit"] = "Взять обещанный платёж",
            ["promised.open"] = "Обещанный платёж {amount} действует до {date} включительно. Осталось погасить {outstanding}.",
            ["promised.taken"] = "Готово: на счёт зачислено {amount}, погасить до {date}.",
            ["promised.unavailable"] = "Сейчас взять обещанный платёж нельзя",
            ["error.promised.amount_invalid"] = "Введите сумму в рублях, например 500 или 500,50.",
            ["error.promised.amount_over_limit"] = "Сумма больше допустимой: не больше {max}.",
            ["error.promised.already_open"] = "У вас уже есть непогашенный обещанный платёж.",
            ["error.promised.too_soon"] = "Следующий обещанный платёж можно взять с {next}.",
            ["error.promised.debt_too_large"] = "Долг слишком большой: обещанный платёж доступен при долге не больше {limit}.",
            ["error.promised.account_too_new"] = "Обещанный платёж доступен, когда счёту не меньше {days} дн.",
            ["error.promised.not_eligible"] = "Обещанный платёж недоступен для приостановленного или расторгнутого счёта.",
        },
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["promised.title"] = "Promised payment",
            ["promised.intro"] = "A promised payment is credit for a few days: access is restored at once, and the next payment repays it.",
            ["promised.rules"] = "Terms",
            ["promised.rule.max"] = "up to {amount}",
            ["promised.rule.term"] = "for {days} days",
            ["promised.rule.interval"] = "at most once in {days} days",
            ["promised.rule.age"] = "the account is at least {days} days old",
            ["promised.rule.debt"] = "debt of at most {amount}",
            ["promised.amount"] = "Amount, ₽",
            ["promised.amount_hint"] = "At most {amount}. For example 500 or 500.50",
            ["promised.submit"] = "Take a promised payment",
            ["promised.open"] = "A promised payment of {amount} runs until {date} inclusive. Still to repay: {outstanding}.",
            ["promised.taken"] = "Done: {amount} credited, to be repaid by {date}.",
            ["promised.unavailable"] = "A promised payment cannot be taken now",
            ["error.promised.amount_invalid"] = "Enter an amount in roubles, for example 500 or 500.50.",
            ["error.promised.amount_over_limit"] = "The amount is over the limit: at most {max}.",
            ["error.promised.already_open"] = "You already have an unpaid promised payment.",
            ["error.promised.too_soon"] = "The next promised payment can be taken from {next}.",
            ["error.promised.debt_too_large"] = "The debt is too large: a promised payment needs a debt of at most {limit}.",
            ["error.promised.account_too_new"] = "A promised payment is available once the account is {days} days old.",
            ["error.promised.not_eligible"] = "A promised payment is not available for a frozen or terminated account.",
        });
}
