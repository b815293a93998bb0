using Kabinet.Domain.Catalog;

namespace Kabinet.Web.Features.Demo;

/// <summary>The demo provider's catalogue: what a regional provider in Novosibirsk sells.</summary>
internal static class DemoCatalog
{
    public static readonly (string Code, string Ru, string En, string DescRu, string DescEn, ServiceCategory Cat, Audience Aud, long FeeKopecks, int? Down, int? Up, ChargeMode Mode, bool Archived)[] Tariffs =
    [
        ("home-100", "Домашний 100", "Home 100", "Интернет до 100 Мбит/с", "Internet up to 100 Mbit/s", ServiceCategory.Internet, Audience.Individual, 550_00, 100_000, 100_000, ChargeMode.Daily, false),
        ("home-300", "Домашний 300", "Home 300", "Интернет до 300 Мбит/с", "Internet up to 300 Mbit/s", ServiceCategory.Internet, Audience.Individual, 750_00, 300_000, 300_000, ChargeMode.Daily, false),
        ("home-1000", "Максимум 1000", "Maximum 1000", "Интернет до 1 Гбит/с", "Internet up to 1 Gbit/s", ServiceCategory.Internet, Audience.Individual, 990_00, 1_000_000, 1_000_000, ChargeMode.Daily, false),
        ("tv-basic", "ТВ Базовый", "TV Basic", "120 каналов", "120 channels", ServiceCategory.Tv, Audience.Individual, 290_00, null, null, ChargeMode.Daily, false),
        ("bundle-300", "Интернет + ТВ 300", "Internet + TV 300", "300 Мбит/с и 180 каналов", "300 Mbit/s and 180 channels", ServiceCategory.Bundle, Audience.Individual, 950_00, 300_000, 300_000, ChargeMode.Daily, false),
        ("dacha-50", "Дачный 50", "Country house 50", "Интернет до 50 Мбит/с для дачи", "Internet up to 50 Mbit/s for a country house", ServiceCategory.Internet, Audience.Individual, 450_00, 50_000, 50_000, ChargeMode.Daily, false),
        ("biz-100", "Бизнес 100", "Business 100", "100 Мбит/с, SLA 99,9%", "100 Mbit/s, 99.9% SLA", ServiceCategory.Internet, Audience.Business, 2_500_00, 100_000, 100_000, ChargeMode.MonthlyInAdvance, false),
        ("biz-500", "Бизнес 500", "Business 500", "500 Мбит/с, SLA 99,95%, статический IP", "500 Mbit/s, 99.95% SLA, static IP", ServiceCategory.Internet, Audience.Business, 6_000_00, 500_000, 500_000, ChargeMode.MonthlyInAdvance, false),
        ("start-50", "Старт 50", "Start 50", "Архивный тариф", "Archived tariff", ServiceCategory.Internet, Audience.Individual, 400_00, 50_000, 50_000, ChargeMode.Daily, true),
    ];

    /// <summary>Extra services; the last field is what the service means to the network (static IP, Turbo).</summary>
    public static readonly (string Code, string Ru, string En, ExtraServiceKind Kind, long PriceKopecks, bool ChargedWhileFrozen, string? NetworkRole)[] Services =
    [
        ("static-ip", "Статический IP-адрес", "Static IP address", ExtraServiceKind.Monthly, 150_00, true, "static_ip"),
        ("router-rent", "Аренда роутера", "Router rental", ExtraServiceKind.Monthly, 100_00, true, null),
        ("antivirus", "Антивирус", "Antivirus", ExtraServiceKind.Monthly, 99_00, false, null),
        ("tv-cinema", "ТВ-пакет «Кино»", "TV package \"Cinema\"", ExtraServiceKind.Monthly, 199_00, false, null),
        ("cctv", "Видеонаблюдение", "Video surveillance", ExtraServiceKind.Monthly, 300_00, false, null),
        ("turbo", "Турбо на 24 часа", "Turbo for 24 hours", ExtraServiceKind.OneOff, 50_00, false, "turbo"),
    ];

    public static readonly (string City, string Street, string House)[] Buildings =
    [
        ("Новосибирск", "Красный проспект", "25"),
        ("Новосибирск", "улица Ленина", "12"),
        ("Новосибирск", "улица Гоголя", "44"),
        ("Новосибирск", "улица Кирова", "108"),
        ("Новосибирск", "Вокзальная магистраль", "4"),
        ("Новосибирск", "улица Челюскинцев", "30"),
        ("Новосибирск", "проспект Карла Маркса", "57"),
        ("Новосибирск", "улица Фрунзе", "71"),
        ("Бердск", "улица Ленина", "3"),
        ("Бердск", "СНТ Черёмушки, улица Садовая", "17"),
    ];

    public static readonly string[] FirstNames = ["Иван", "Алексей", "Сергей", "Дмитрий", "Андрей", "Михаил", "Николай", "Павел", "Олег", "Владимир"];
    public static readonly string[] FemaleFirstNames = ["Анна", "Мария", "Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Светлана", "Юлия", "Екатерина"];
    public static readonly string[] LastNames = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков"];
    public static readonly string[] Patronymics = ["Иванович", "Петрович", "Сергеевич", "Алексеевич", "Андреевич", "Николаевич"];
    public static readonly string[] FemalePatronymics = ["Ивановна", "Петровна", "Сергеевна", "Алексеевна", "Андреевна", "Николаевна"];
    public static readonly string[] Companies = ["ООО «Сибирский хлеб»", "ИП Ковалёв А. В.", "ООО «Обь-Логистик»", "АО «Новосибирская типография»", "ООО «Кофейня на Гоголя»"];
}
