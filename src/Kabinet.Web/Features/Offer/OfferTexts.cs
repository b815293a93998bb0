using Kabinet.Web.Features.Localization;

namespace Kabinet.Web.Features.Offer;

/// <summary>The words of the public offer for paying online.</summary>
public static class OfferTexts
{
    /// <summary>Russian and English.</summary>
    public static readonly TextTable Table = new(
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["offer.title"] = "Публичная оферта",
            ["offer.subtitle"] = "об оплате услуг связи банковской картой и через СБП в интернете",
            ["offer.link"] = "публичной оферты",
            ["offer.general.title"] = "1. Общие положения",
            ["offer.general.text"] = "{name} (далее — Оператор) предлагает абонентам и любым лицам, которые платят за абонента (далее — Плательщик), оплачивать услуги связи на сайте и в личном кабинете Оператора на условиях этой оферты. Плательщик принимает оферту, когда отмечает согласие с ней на странице оплаты и оплачивает; приложение, которое платит через API Оператора от имени абонента, принимает оферту за него.",
            ["offer.credit.title"] = "2. Зачисление платежа",
            ["offer.credit.text"] = "Оплаченная сумма полностью зачисляется на лицевой счёт по договору, указанному при оплате, в рублях, как только банк подтвердит платёж — обычно в течение минуты. Если доступ был приостановлен из-за нехватки средств, он возобновляется, как только баланса хватает. Один платёж — от {min} до {max}. За правильность номера договора отвечает Плательщик.",
            ["offer.fees.title"] = "3. Комиссии",
            ["offer.fees.text"] = "Оператор не берёт комиссию за оплату картой или через СБП: на счёт зачисляется вся оплаченная сумма. Банк Плательщика может взимать плату по своим тарифам; Оператор её не получает.",
            ["offer.receipt.title"] = "4. Кассовый чек",
            ["offer.receipt.text"] = "По каждому платежу Оператор формирует электронный кассовый чек по 54-ФЗ (предмет расчёта — «Услуги связи») и отправляет его на e-mail или телефон, указанные при оплате. Квитанция об оплате есть и в личном кабинете, в разделе «История».",
            ["offer.refund.title"] = "5. Возврат средств",
            ["offer.refund.text"] = "Ошибочный или лишний платёж возвращается по заявлению абонента, поданному Оператору по телефону, e-mail или в офисе. Возврат делает Оператор через своего банка-эквайера на ту же карту или счёт, с которых платили; сумма списывается с лицевого счёта. Срок зачисления возврата на карту зависит от банка Плательщика и обычно не превышает 30 дней. Банк, выпустивший карту, вернуть платёж Оператору сам не может — обращайтесь к Оператору.",
            ["offer.autopay.title"] = "6. Сохранённая карта и автоплатёж",
            ["offer.autopay.text"] = "При оплате абонент может отдельно согласиться сохранить карту для автоплатежей. Данные карты хранит банк-эквайер; Оператор видит только последние четыре цифры. Текст согласия и момент, когда оно дано, хранятся вместе с платежом. Карту можно отвязать, а автоплатёж выключить в любой момент в личном кабинете, в разделе «Автоплатёж»; после этого списания по карте прекращаются.",
            ["offer.security.title"] = "7. Безопасность",
            ["offer.security.text"] = "Номер карты и код проверки вводятся только на защищённой странице банка-эквайера, Оператор их не получает и не хранит. Банк может попросить подтвердить платёж кодом 3-D Secure.",
            ["offer.details.title"] = "8. Реквизиты Оператора",
        },
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["offer.title"] = "Public offer",
            ["offer.subtitle"] = "on paying for communication services online by bank card or SBP",
            ["offer.link"] = "public offer",
            ["offer.general.title"] = "1. General",
            ["offer.general.text"] = "{name} (the Operator) offers subscribers, and anyone who pays for a subscriber (the Payer), to pay for communication services on the Operator's website and in the subscriber's cabinet on the terms of this offer. The Payer accepts the offer by ticking the consent on the payment page and paying; an application that pays through the Operator's API on the subscriber's behalf accepts the offer for them.",
            ["offer.credit.title"] = "2. Crediting the payment",
            ["offer.credit.text"] = "The whole amount paid is credited in roubles to the personal account of the contract given at payment, as soon as the bank confirms the payment — usually within a minute. If access was suspended for lack of funds, it is restored as soon as the balance is enough. One payment is from {min} to {max}. The Payer is responsible for the contract number being right.",
            ["offer.fees.title"] = "3. Fees",
            ["offer.fees.text"] = "The Operator charges no fee for paying by card or SBP: the whole amount paid is credited. The Payer's bank may charge fees under its own tariffs; the Operator does not receive them.",
            ["offer.receipt.title"] = "4. Fiscal receipt",
            ["offer.receipt.text"] = "For every payment the Operator issues an electronic fiscal receipt under Federal Law 54-FZ (item: \"Communication services\") and sends it to the e-mail or phone given at payment. A payment receipt is also in the cabinet, under History.",
            ["offer.refund.title"] = "5. Refunds",
            ["offer.refund.text"] = "A mistaken or excess payment is refunded on the subscriber's request to the Operator by phone, e-mail or at the office. The Operator refunds it through its acquiring bank to the card or account it was paid from; the amount is taken from the personal account. How long the refund takes to reach the card depends on the Payer's bank, usually no more than 30 days. The bank that issued the card cannot return a payment to the Operator by itself — contact the Operator.",
            ["offer.autopay.title"] = "6. Saved card and autopay",
            ["offer.autopay.text"] = "When paying, the subscriber may separately agree to save the card for autopay. The acquiring bank keeps the card's details; the Operator sees only its last four digits. The text of the consent and the moment it was given are stored with the payment. The card can be removed, and autopay switched off, at any time in the cabinet under Autopay; after that the card is not charged any more.",
            ["offer.security.title"] = "7. Security",
            ["offer.security.text"] = "The card number and security code are typed only on the acquiring bank's secure page; the Operator neither receives nor stores them. The bank may ask to confirm the payment with a 3-D Secure code.",
            ["offer.details.title"] = "8. The Operator's details",
        });
}
