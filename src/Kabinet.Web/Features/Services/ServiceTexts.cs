using System.Globalization;
using Kabinet.Domain.Common;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Localization;

namespace Kabinet.Web.Features.Services;

/// <summary>The words of the services page and the extra-service errors.</summary>
public static class ServiceTexts
{
    /// <summary>Russian and English.</summary>
    public static readonly TextTable Table = new(
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["services.title"] = "Дополнительные услуги",
            ["services.account"] = "Лицевой счёт",
            ["services.balance"] = "Баланс: {amount}",
            ["services.monthly"] = "Ежемесячные услуги",
            ["services.oneoff"] = "Разовые услуги",
            ["services.per_month"] = "{amount} в месяц",
            ["services.once"] = "{amount} разово",
            ["services.on"] = "Подключена",
            ["services.off"] = "Не подключена",
            ["services.off_from"] = "Отключится с {date}",
            ["services.turbo_until"] = "Включено до {time}",
            ["services.switch_on"] = "Подключить",
            ["services.switch_off"] = "Отключить",
            ["services.keep_on"] = "Оставить подключённой",
            ["services.buy"] = "Купить за {amount}",
            ["services.confirm_title"] = "Подключение услуги «{name}»",
            ["services.confirm_now"] = "Спишется сейчас (за сегодня)",
            ["services.confirm_now_monthly"] = "Спишется сейчас (до конца месяца)",
            ["services.confirm_rest"] = "Далее до конца месяца, по дням",
            ["services.confirm_month"] = "Затем каждый месяц",
            ["services.confirm_monthly_first"] = "Затем {amount} 1-го числа каждого месяца",
            ["services.confirm_off_note"] = "Отключить можно в любой момент: услуга перестанет списываться со следующего дня.",
            ["services.confirm_turbo_title"] = "Покупка услуги «{name}»",
            ["services.confirm_turbo"] = "Спишется {amount}. Скорость будет повышена на 24 часа с момента покупки.",
            ["services.confirm"] = "Подтвердить",
            ["services.cancel"] = "Отмена",
            ["services.done.on"] = "Услуга «{name}» подключена.",
            ["services.done.off"] = "Услуга «{name}» отключится с {date}.",
            ["services.done.bought"] = "Услуга «{name}» включена до {time}.",
            ["error.service.not_found"] = "Такой услуги нет.",
            ["error.service.already_on"] = "Услуга уже подключена.",
            ["error.service.not_on"] = "Услуга не подключена.",
            ["error.service.one_off"] = "Разовую услугу нельзя отключить: она закончится сама.",
            ["error.service.turbo_active"] = "Турбо уже включено.",
            ["error.service.not_enough_money"] = "Недостаточно средств: пополните счёт на {needed}.",
            ["error.service.account_blocked"] = "Счёт заблокирован за неуплату: пополните баланс, чтобы подключать услуги.",
            ["error.service.account_frozen"] = "Счёт на добровольной блокировке: услуги можно подключить после её окончания.",
            ["error.service.account_terminated"] = "Лицевой счёт закрыт.",
            ["error.service.idempotency_key_invalid"] = "Ключ идемпотентности — от 1 до 100 латинских букв, цифр и знаков - _ : .",
        },
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["services.title"] = "Extra services",
            ["services.account"] = "Account",
            ["services.balance"] = "Balance: {amount}",
            ["services.monthly"] = "Monthly services",
            ["services.oneoff"] = "One-off services",
            ["services.per_month"] = "{amount} a month",
            ["services.once"] = "{amount} once",
            ["services.on"] = "On",
            ["services.off"] = "Off",
            ["services.off_from"] = "Switches off from {date}",
            ["services.turbo_until"] = "On until {time}",
            ["services.switch_on"] = "Switch on",
            ["services.switch_off"] = "Switch off",
            ["services.keep_on"] = "Keep it on",
            ["services.buy"] = "Buy for {amount}",
            ["services.confirm_title"] = "Switching on “{name}”",
            ["services.confirm_now"] = "Charged now (for today)",
            ["services.confirm_now_monthly"] = "Charged now (to the end of the month)",
            ["services.confirm_rest"] = "Then day by day to the end of the month",
            ["services.confirm_month"] = "Then every month",
            ["services.confirm_monthly_first"] = "Then {amount} on the 1st of every month",
            ["services.confirm_off_note"] = "You can switch it off at any time: charges stop from the next day.",
            ["services.confirm_turbo_title"] = "Buying “{name}”",
            ["services.confirm_turbo"] = "{amount} will be charged. The speed is raised for 24 hours from the purchase.",
            ["services.confirm"] = "Confirm",
            ["services.cancel"] = "Cancel",
            ["services.done.on"] = "“{name}” is on.",
            ["services.done.off"] = "“{name}” switches off from {date}.",
            ["services.done.bought"] = "“{name}” is on until {time}.",
            ["error.service.not_found"] = "There is no such service.",
            ["error.service.already_on"] = "The service is already on.",
            ["error.service.not_on"] = "The service is not on.",
            ["error.service.one_off"] = "A one-off service cannot be switched off: it ends by itself.",
            ["error.service.turbo_active"] = "Turbo is already on.",
            ["error.service.not_enough_money"] = "Not enough money: top up the account by {needed}.",
            ["error.service.account_blocked"] = "The account is blocked for non-payment: top up the balance to switch services on.",
            ["error.service.account_frozen"] = "The account is frozen: services can be switched on after the freeze ends.",
            ["error.service.account_terminated"] = "The account is closed.",
            ["error.service.idempotency_key_invalid"] = "An idempotency key is 1 to 100 Latin letters, digits and - _ : .",
        });

    /// <summary>The words of an error in the current language, amounts shown as money.</summary>
    public static string Message(Texts texts, Error error)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(error);
        var args = (error.Args ?? new Dictionary<string, string>())
            .Select(a => (a.Key, (object)(Money.TryParse(a.Value, out var m) ? MoneyFormat.Display(m, CultureInfo.CurrentCulture) : a.Value)))
            .ToArray();
        return texts.Format("error." + error.Code, args);
    }
}
