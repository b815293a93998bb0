using System.Data.Common;
using Npgsql;

namespace Kabinet.Data.Connections;

/// <summary>SQL text that differs between the engines for the same meaning.</summary>
public static class SqlList
{
    /// <summary>
    /// "column is one of the list @parameter": Dapper expands a list into one parameter per item
    /// for SQLite, and sends it to PostgreSQL as one array, which <c>IN</c> does not take.
    /// </summary>
    public static string In(DbConnection connection, string column, string parameter) =>
        connection is NpgsqlConnection ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";
}
