namespace Kabinet.Data.Seeding;

/// <summary>
/// Believable Russian full names ("Фамилия Имя Отчество") from small lists, with the Latin spelling
/// of the first and last name for an e-mail address.
/// </summary>
internal static class RussianNames
{
    // Male first name, the patronymics it gives (son, daughter), Latin spelling.
    private static readonly (string Name, string Son, string Daughter, string Latin)[] MaleNames =
    [
        ("Александр", "Александрович", "Александровна", "aleksandr"),
        ("Алексей", "Алексеевич", "Алексеевна", "aleksey"),
        ("Андрей", "Андреевич", "Андреевна", "andrey"),
        ("Антон", "Антонович", "Антоновна", "anton"),
        ("Артём", "Артёмович", "Артёмовна", "artyom"),
        ("Борис", "Борисович", "Борисовна", "boris"),
        ("Вадим", "Вадимович", "Вадимовна", "vadim"),
        ("Валерий", "Валерьевич", "Валерьевна", "valeriy"),
        ("Виктор", "Викторович", "Викторовна", "viktor"),
        ("Владимир", "Владимирович", "Владимировна", "vladimir"),
        ("Геннадий", "Геннадьевич", "Геннадьевна", "gennadiy"),
        ("Дмитрий", "Дмитриевич", "Дмитриевна", "dmitriy"),
        ("Евгений", "Евгеньевич", "Евгеньевна", "evgeniy"),
        ("Иван", "Иванович", "Ивановна", "ivan"),
        ("Игорь", "Игоревич", "Игоревна", "igor"),
        ("Константин", "Константинович", "Константиновна", "konstantin"),
        ("Максим", "Максимович", "Максимовна", "maksim"),
        ("Михаил", "Михайлович", "Михайловна", "mikhail"),
        ("Николай", "Николаевич", "Николаевна", "nikolay"),
        ("Олег", "Олегович", "Олеговна", "oleg"),
        ("Павел", "Павлович", "Павловна", "pavel"),
        ("Роман", "Романович", "Романовна", "roman"),
        ("Сергей", "Сергеевич", "Сергеевна", "sergey"),
        ("Степан", "Степанович", "Степановна", "stepan"),
        ("Фёдор", "Фёдорович", "Фёдоровна", "fyodor"),
        ("Юрий", "Юрьевич", "Юрьевна", "yuriy"),
    ];

    private static readonly (string Name, string Latin)[] FemaleNames =
    [
        ("Алина", "alina"), ("Анастасия", "anastasiya"), ("Анна", "anna"), ("Вера", "vera"),
        ("Виктория", "viktoriya"), ("Галина", "galina"), ("Дарья", "darya"), ("Екатерина", "ekaterina"),
        ("Елена", "elena"), ("Ирина", "irina"), ("Ксения", "kseniya"), ("Людмила", "lyudmila"),
        ("Марина", "marina"), ("Мария", "mariya"), ("Надежда", "nadezhda"), ("Наталья", "natalya"),
        ("Оксана", "oksana"), ("Ольга", "olga"), ("Полина", "polina"), ("Светлана", "svetlana"),
        ("Татьяна", "tatyana"), ("Юлия", "yuliya"),
    ];

    // Male form, female form, Latin spelling.
    private static readonly (string Male, string Female, string Latin)[] LastNames =
    [
        ("Иванов", "Иванова", "ivanov"), ("Смирнов", "Смирнова", "smirnov"),
        ("Кузнецов", "Кузнецова", "kuznetsov"), ("Попов", "Попова", "popov"),
        ("Васильев", "Васильева", "vasilyev"), ("Петров", "Петрова", "petrov"),
        ("Соколов", "Соколова", "sokolov"), ("Михайлов", "Михайлова", "mikhaylov"),
        ("Новиков", "Новикова", "novikov"), ("Фёдоров", "Фёдорова", "fyodorov"),
        ("Морозов", "Морозова", "morozov"), ("Волков", "Волкова", "volkov"),
        ("Алексеев", "Алексеева", "alekseev"), ("Лебедев", "Лебедева", "lebedev"),
        ("Семёнов", "Семёнова", "semyonov"), ("Егоров", "Егорова", "egorov"),
        ("Павлов", "Павлова", "pavlov"), ("Козлов", "Козлова", "kozlov"),
        ("Степанов", "Степанова", "stepanov"), ("Николаев", "Николаева", "nikolaev"),
        ("Орлов", "Орлова", "orlov"), ("Андреев", "Андреева", "andreev"),
        ("Макаров", "Макарова", "makarov"), ("Никитин", "Никитина", "nikitin"),
        ("Захаров", "Захарова", "zakharov"), ("Зайцев", "Зайцева", "zaytsev"),
        ("Соловьёв", "Соловьёва", "solovyov"), ("Борисов", "Борисова", "borisov"),
        ("Яковлев", "Яковлева", "yakovlev"), ("Григорьев", "Григорьева", "grigoryev"),
        ("Романов", "Романова", "romanov"), ("Воробьёв", "Воробьёва", "vorobyov"),
        ("Сергеев", "Сергеева", "sergeev"), ("Кузьмин", "Кузьмина", "kuzmin"),
        ("Фролов", "Фролова", "frolov"), ("Александров", "Александрова", "aleksandrov"),
        ("Дмитриев", "Дмитриева", "dmitriev"), ("Королёв", "Королёва", "korolyov"),
        ("Гусев", "Гусева", "gusev"), ("Киселёв", "Киселёва", "kiselyov"),
        ("Ильин", "Ильина", "ilyin"), ("Максимов", "Максимова", "maksimov"),
        ("Поляков", "Полякова", "polyakov"), ("Сорокин", "Сорокина", "sorokin"),
        ("Виноградов", "Виноградова", "vinogradov"), ("Ковалёв", "Ковалёва", "kovalyov"),
        ("Белов", "Белова", "belov"), ("Медведев", "Медведева", "medvedev"),
        ("Антонов", "Антонова", "antonov"), ("Тарасов", "Тарасова", "tarasov"),
        ("Жуков", "Жукова", "zhukov"), ("Баранов", "Баранова", "baranov"),
        ("Филиппов", "Филиппова", "filippov"), ("Комаров", "Комарова", "komarov"),
        ("Давыдов", "Давыдова", "davydov"), ("Беляев", "Беляева", "belyaev"),
        ("Герасимов", "Герасимова", "gerasimov"), ("Богданов", "Богданова", "bogdanov"),
        ("Осипов", "Осипова", "osipov"), ("Сидоров", "Сидорова", "sidorov"),
        ("Островский", "Островская", "ostrovskiy"), ("Белозерский", "Белозерская", "belozerskiy"),
        ("Толстой", "Толстая", "tolstoy"), ("Шевченко", "Шевченко", "shevchenko"),
        ("Ковальчук", "Ковальчук", "kovalchuk"), ("Ткаченко", "Ткаченко", "tkachenko"),
    ];

    /// <summary>A random person: the full name and a Latin "first.last" stem for an e-mail.</summary>
    public static (string FullName, string LatinStem) Next(Random random)
    {
        var last = LastNames[random.Next(LastNames.Length)];
        var father = MaleNames[random.Next(MaleNames.Length)];
        if (random.Next(2) == 0)
        {
            var first = MaleNames[random.Next(MaleNames.Length)];
            return ($"{last.Male} {first.Name} {father.Son}", $"{first.Latin}.{last.Latin}");
        }

        var her = FemaleNames[random.Next(FemaleNames.Length)];
        var latinLast = last.Male == last.Female ? last.Latin : FeminineLatin(last.Latin);
        return ($"{last.Female} {her.Name} {father.Daughter}", $"{her.Latin}.{latinLast}");
    }

    private static string FeminineLatin(string male) =>
        male.EndsWith("iy", StringComparison.Ordinal) || male.EndsWith("oy", StringComparison.Ordinal)
            ? male[..^2] + "aya"
            : male + "a";
}
