using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using Npgsql;

namespace Kabinet.Data.Connections;

/// <summary>
/// A set of rows sent as parameters and used as a table in a statement (<c>FROM {rows} WHERE ...</c>).
/// On PostgreSQL each column is one array parameter, unnested: the statement's text is the same
/// whatever the number of rows, so a pooled connection prepares it once and the server plans it
/// once, where a VALUES list of each length was a new statement to parse and plan. On SQLite
/// (no arrays) it is a VALUES list with a parameter per value.
/// </summary>
public static class SqlRows
{
    /// <summary>
    /// PostgreSQL: a statement to put first in a transaction or batch whose statements take rows or
    /// lists as arrays. The server would otherwise plan such a prepared statement anew at each
    /// execution (a custom plan for each array's values; in pg_stat_statements the planning of the
    /// payment credit's reads took three times their execution); the generic plan is made once per
    /// connection, and for these statements it is the same plan. Empty on SQLite.
    /// </summary>
    /// <remarks>
    /// The setting is local to the transaction: in a command of several statements without an explicit
    /// transaction it reaches the statements after it because Npgsql sends the command's statements
    /// with one Sync, which makes them one implicit transaction.
    /// </remarks>
    public static string GenericPlans(DbConnection connection) =>
        connection is NpgsqlConnection ? "SELECT set_config('plan_cache_mode', 'force_generic_plan', true);\n" : "";

    // Arrays go to Npgsql as they are, past the UTC type handler single values get; timestamptz takes only UTC.
    private static Array Utc(Array values) => values switch
    {
        DateTimeOffset[] instants => instants.Select(i => i.ToUniversalTime()).ToArray(),
        DateTimeOffset?[] instants => instants.Select(i => i?.ToUniversalTime()).ToArray(),
        _ => values,
    };

    /// <summary>
    /// The table expression <c>alias (column, ...)</c> for the rows given column by column (arrays
    /// of one length), adding its parameters, named after the alias and column, to
    /// <paramref name="parameters"/>. Array element types pick the PostgreSQL types (long[] is
    /// bigint[], string[] text[], DateTimeOffset?[] timestamptz[]).
    /// </summary>
    public static string Table(DbConnection connection, DynamicParameters parameters, string alias, params (string Column, Array Values)[] columns)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(columns);
        var count = columns[0].Values.Length;
        if (count == 0 || columns.Any(c => c.Values.Length != count))
        {
            throw new ArgumentException("Every column needs the same, non-zero number of values.", nameof(columns));
        }

        var names = string.Join(", ", columns.Select(c => c.Column));
        if (connection is NpgsqlConnection)
        {
            foreach (var (column, values) in columns)
            {
                parameters.Add($"{alias}_{column}", Utc(values));
            }

            return $"unnest({string.Join(", ", columns.Select(c => $"@{alias}_{c.Column}"))}) AS {alias} ({names})";
        }

        // SQLite names a VALUES list's columns column1, column2...: renamed in a subquery.
        var sql = new StringBuilder("(SELECT ");
        sql.AppendJoin(", ", columns.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"column{i + 1} AS {c.Column}")));
        sql.Append(" FROM (VALUES ");
        for (var row = 0; row < count; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var i = 0; i < columns.Length; i++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"{alias}_{columns[i].Column}_{row}");
                sql.Append(i == 0 ? "@" : ", @").Append(name);
                parameters.Add(name, columns[i].Values.GetValue(row));
            }

            sql.Append(')');
        }

        return sql.Append(")) AS ").Append(alias).ToString();
    }
}
