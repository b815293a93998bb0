using Kabinet.Domain.Common;
using Kabinet.Web.Features.Localization;

namespace Kabinet.Web.Features.Freeze;

/// <summary>The words of the freeze page and the freeze errors.</summary>
public static class FreezeTexts
{
    /// <summary>Russian and English.</summary>
    public static readonly TextTable Table = new(
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["freeze.title"] = "Добровольная блокировка",
            ["freeze.intro"] = "На время отъезда счёт можно заморозить: абонентская плата по тарифу не списывается. Аренда оборудования и статический IP продолжают оплачиваться.",
            ["freeze.account"] = "Лицевой счёт",
            ["freeze.rules"] = "Условия",
            ["freeze.rule.length"] = "Срок блокировки",
            ["freeze.rule.length_value"] = "от {min} до {max} дней",
            ["freeze.rule.per_year"] = "Всего за календарный год",
            ["freeze.rule.days"] = "{days} дн.",
            ["freeze.rule.free"] = "Бесплатно за год",
            ["freeze.rule.fee"] = "Далее за каждый день",
            ["freeze.rule.ahead"] = "Начало — не позже чем через",
            ["freeze.usage"] = "В {year} году использовано {used} дн. из {total}; бесплатных дней осталось: {free}.",
            ["freeze.current_planned"] = "Блокировка запланирована",
            ["freeze.current_active"] = "Блокировка действует",
            ["freeze.current_dates"] = "С {start} по {end} включительно.",
            ["freeze.current_paid"] = "Платные дни с {date}: {fee} в день, всего {total}.",
            ["freeze.current_free"] = "Все дни бесплатные.",
            ["freeze.cancel"] = "Отменить блокировку",
            ["freeze.end_early"] = "Завершить досрочно",
            ["freeze.new"] = "Новая блокировка",
            ["freeze.start"] = "Первый день",
            ["freeze.start_hint"] = "Не раньше завтрашнего дня",
            ["freeze.end"] = "Последний день",
            ["freeze.end_hint"] = "Включительно",
            ["freeze.calculate"] = "Рассчитать",
            ["freeze.quote"] = "Расчёт",
            ["freeze.quote.days"] = "Дней блокировки",
            ["freeze.quote.free"] = "Бесплатных дней",
            ["freeze.quote.paid"] = "Платных дней",
            ["freeze.quote.fee"] = "Плата за блокировку",
            ["freeze.quote.fee_note"] = "Плата списывается по {fee} в каждый платный день блокировки. Абонентская плата по тарифу в эти дни не списывается.",
            ["freeze.confirm"] = "Подтвердить блокировку",
            ["freeze.done.booked"] = "Блокировка запланирована.",
            ["freeze.done.cancelled"] = "Блокировка отменена.",
            ["freeze.done.ended"] = "Блокировка завершена, счёт снова работает.",
            ["error.freeze.start_in_past"] = "Блокировка может начаться не раньше завтрашнего дня.",
            ["error.freeze.too_far"] = "Начало блокировки — не позже чем через {max} дней.",
            ["error.freeze.end_before_start"] = "Последний день не может быть раньше первого.",
            ["error.freeze.too_short"] = "Блокировка — не меньше {min} дней.",
            ["error.freeze.too_long"] = "Блокировка — не больше {max} дней.",
            ["error.freeze.yearly_limit"] = "Превышен годовой лимит: в этом году можно заблокировать ещё {left} дн.",
            ["error.freeze.already_planned"] = "Блокировка уже запланирована или действует.",
            ["error.freeze.not_eligible"] = "Этот счёт нельзя заблокировать: он уже заблокирован или закрыт.",
            ["error.freeze.date_required"] = "Укажите дату.",
            ["error.freeze.date_invalid"] = "Дата в формате ГГГГ-ММ-ДД, например 2026-12-01.",
            ["error.freeze.none"] = "Запланированной или действующей блокировки нет.",
        },
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["freeze.title"] = "Voluntary freeze",
            ["freeze.intro"] = "While you are away the account can be frozen: no tariff fee is charged. Equipment rental and a static IP are still paid for.",
            ["freeze.account"] = "Account",
            ["freeze.rules"] = "Rules",
            ["freeze.rule.length"] = "Length of a freeze",
            ["freeze.rule.length_value"] = "{min} to {max} days",
            ["freeze.rule.per_year"] = "In total per calendar year",
            ["freeze.rule.days"] = "{days} days",
            ["freeze.rule.free"] = "Free per year",
            ["freeze.rule.fee"] = "Then for each day",
            ["freeze.rule.ahead"] = "Starts at most in",
            ["freeze.usage"] = "In {year}, {used} of {total} days are used; free days left: {free}.",
            ["freeze.current_planned"] = "Freeze booked",
            ["freeze.current_active"] = "Freeze in effect",
            ["freeze.current_dates"] = "From {start} to {end} inclusive.",
            ["freeze.current_paid"] = "Paid days from {date}: {fee} a day, {total} in total.",
            ["freeze.current_free"] = "All days are free.",
            ["freeze.cancel"] = "Cancel the freeze",
            ["freeze.end_early"] = "End it now",
            ["freeze.new"] = "New freeze",
            ["freeze.start"] = "First day",
            ["freeze.start_hint"] = "Tomorrow at the earliest",
            ["freeze.end"] = "Last day",
            ["freeze.end_hint"] = "Inclusive",
            ["freeze.calculate"] = "Calculate",
            ["freeze.quote"] = "Quote",
            ["freeze.quote.days"] = "Days frozen",
            ["freeze.quote.free"] = "Free days",
            ["freeze.quote.paid"] = "Paid days",
            ["freeze.quote.fee"] = "Freeze fee",
            ["freeze.quote.fee_note"] = "{fee} is charged on each paid day of the freeze. No tariff fee is charged on those days.",
            ["freeze.confirm"] = "Confirm the freeze",
            ["freeze.done.booked"] = "The freeze is booked.",
            ["freeze.done.cancelled"] = "The freeze is cancelled.",
            ["freeze.done.ended"] = "The freeze has ended; the account works again.",
            ["error.freeze.start_in_past"] = "A freeze can start tomorrow at the earliest.",
            ["error.freeze.too_far"] = "A freeze must start within {max} days.",
            ["error.freeze.end_before_start"] = "The last day cannot be before the first.",
            ["error.freeze.too_short"] = "A freeze lasts at least {min} days.",
            ["error.freeze.too_long"] = "A freeze lasts at most {max} days.",
            ["error.freeze.yearly_limit"] = "Over the yearly limit: {left} more days can be frozen this year.",
            ["error.freeze.already_planned"] = "A freeze is already booked or in effect.",
            ["error.freeze.not_eligible"] = "This account cannot be frozen: it is already frozen or closed.",
            ["error.freeze.date_required"] = "Enter a date.",
            ["error.freeze.date_invalid"] = "A date is YYYY-MM-DD, for example 2026-12-01.",
            ["error.freeze.none"] = "There is no booked or running freeze.",
        });

    /// <summary>The words of an error in the current language, its placeholders filled.</summary>
    public static string Message(Texts texts, Error error)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(error);
        var args = (error.Args ?? new Dictionary<string, string>()).Select(a => (a.Key, (object)a.Value)).ToArray();
        return texts.Format("error." + error.Code, args);
    }
}
