using Kabinet.Web.Features.Localization;

namespace Kabinet.Web.Features.SandboxAcquirer;

/// <summary>The sandbox acquirer's hosted page words.</summary>
internal static class SandboxTexts
{
    public static readonly TextTable Table = new(
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["sandbox.title"] = "Оплата картой",
            ["sandbox.banner"] = "Тестовый эквайер Kabinet: настоящие деньги не списываются.",
            ["sandbox.card"] = "Номер карты",
            ["sandbox.card_hint"] = "Тестовые карты — ниже.",
            ["sandbox.expiry"] = "Срок действия",
            ["sandbox.pay"] = "Оплатить",
            ["sandbox.test_cards"] = "Тестовые карты",
            ["sandbox.bad_card"] = "Такого номера карты не бывает: проверьте цифры.",
            ["sandbox.no_3ds"] = "Этот платёж не ждёт кода 3-D Secure: сначала введите карту.",
            ["sandbox.code"] = "Код 3-D Secure из SMS",
            ["sandbox.code_hint"] = "В тестовом эквайере код 123456.",
            ["sandbox.confirm"] = "Подтвердить",
            ["sandbox.sbp"] = "Откройте приложение банка и подтвердите оплату через СБП.",
            ["sandbox.sbp_pay"] = "Подтвердить в приложении банка",
            ["sandbox.sbp_decline"] = "Отказаться",
            ["sandbox.done"] = "Платёж уже обработан.",
            ["sandbox.back"] = "Вернуться в магазин",
        },
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["sandbox.title"] = "Card payment",
            ["sandbox.banner"] = "Kabinet's test acquirer: no real money is taken.",
            ["sandbox.card"] = "Card number",
            ["sandbox.card_hint"] = "Test cards are listed below.",
            ["sandbox.expiry"] = "Expiry",
            ["sandbox.pay"] = "Pay",
            ["sandbox.test_cards"] = "Test cards",
            ["sandbox.bad_card"] = "That is not a card number: check the digits.",
            ["sandbox.no_3ds"] = "This payment is not waiting for a 3-D Secure code: enter the card first.",
            ["sandbox.code"] = "3-D Secure code from the SMS",
            ["sandbox.code_hint"] = "In the test acquirer the code is 123456.",
            ["sandbox.confirm"] = "Confirm",
            ["sandbox.sbp"] = "Open your bank's app and confirm the payment through SBP.",
            ["sandbox.sbp_pay"] = "Confirm in the bank's app",
            ["sandbox.sbp_decline"] = "Decline",
            ["sandbox.done"] = "The payment has been processed already.",
            ["sandbox.back"] = "Back to the shop",
        });
}
