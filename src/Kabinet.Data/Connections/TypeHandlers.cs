using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Kabinet.Data.Connections;

/// <summary>
/// Maps instants and days the same way on both engines: SQLite keeps them as fixed-width ISO text
/// (which sorts in time order), PostgreSQL as timestamptz and date.
/// </summary>
public static class TypeHandlers
{
    private const string InstantFormat = "yyyy-MM-dd HH:mm:ss.ffffff+00:00";
    private static int _registered;

    /// <summary>Registers the Dapper handlers once per process.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        // Dapper maps these types to a DbType itself and would never call a handler for a
        // parameter (SQLite would then store 7 fraction digits, breaking text order).
        foreach (var type in new[] { typeof(DateTimeOffset), typeof(DateTimeOffset?), typeof(DateOnly), typeof(DateOnly?) })
        {
            SqlMapper.RemoveTypeMap(type);
        }

        SqlMapper.AddTypeHandler(new InstantHandler());
        SqlMapper.AddTypeHandler(new DayHandler());
    }

    /// <summary>The SQLite text form of an instant, for SQL built by hand (bulk loads).</summary>
    public static string SqliteInstant(DateTimeOffset value) =>
        value.ToUniversalTime().ToString(InstantFormat, CultureInfo.InvariantCulture);

    /// <summary>A day as a parameter value for the given engine (raw ADO.NET, outside Dapper).</summary>
    public static object Day(DatabaseKind kind, DateOnly day) =>
        kind == DatabaseKind.Sqlite ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : day;

    /// <summary>An instant as a parameter value for the given engine (raw ADO.NET, outside Dapper).</summary>
    public static object Instant(DatabaseKind kind, DateTimeOffset value) =>
        kind == DatabaseKind.Sqlite ? SqliteInstant(value) : value.ToUniversalTime();

    /// <summary>Reads a day column from either engine (raw ADO.NET, outside Dapper).</summary>
    public static DateOnly ReadDay(object value) => DayHandler.ParseValue(value);

    /// <summary>Reads an instant column from either engine (raw ADO.NET, outside Dapper).</summary>
    public static DateTimeOffset ReadInstant(object value) => InstantHandler.ParseValue(value);

    private sealed class InstantHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = SqliteInstant(value);
            }
            else
            {
                parameter.Value = value.ToUniversalTime();
            }
        }

        public override DateTimeOffset Parse(object value) => ParseValue(value);

        public static DateTimeOffset ParseValue(object value) => value switch
        {
            DateTimeOffset dto => dto.ToUniversalTime(),
            DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
            string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime(),
            _ => throw new DataException($"Cannot read an instant from {value.GetType().Name}."),
        };
    }

    private sealed class DayHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }
            else
            {
                parameter.Value = value;
            }
        }

        public override DateOnly Parse(object value) => ParseValue(value);

        public static DateOnly ParseValue(object value) => value switch
        {
            DateOnly d => d,
            DateTime dt => DateOnly.FromDateTime(dt),
            string s => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => throw new DataException($"Cannot read a day from {value.GetType().Name}."),
        };
    }
}
