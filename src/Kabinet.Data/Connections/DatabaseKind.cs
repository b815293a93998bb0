namespace Kabinet.Data.Connections;

/// <summary>The storage engines Kabinet runs on (setting <c>Kabinet:Database</c>).</summary>
public enum DatabaseKind
{
    /// <summary>An embedded SQLite file in WAL mode: nothing to install.</summary>
    Sqlite = 1,

    /// <summary>A PostgreSQL server, for production and several web instances.</summary>
    Postgres = 2,
}
