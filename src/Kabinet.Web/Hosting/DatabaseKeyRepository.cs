using System.Xml.Linq;
using Dapper;
using Kabinet.Data.Connections;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Kabinet.Web.Hosting;

/// <summary>
/// Keeps the data-protection key ring (which signs cookies and API tokens) in the database, so
/// every web instance behind the balancer reads the tokens the others issued, and a restart does
/// not log everyone out.
/// </summary>
public sealed class DatabaseKeyRepository(Database database) : IXmlRepository
{
    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.OpenAsync().GetAwaiter().GetResult();
        return connection.Query<string>("SELECT xml FROM app_keys ORDER BY id").Select(XElement.Parse).ToList();
    }

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var connection = database.OpenAsync().GetAwaiter().GetResult();
        connection.Execute(
            "INSERT INTO app_keys (friendly_name, xml) VALUES (@friendlyName, @xml) ON CONFLICT (friendly_name) DO NOTHING",
            new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}
