using System.Globalization;
using Dapper;
using Kabinet.Data.Connections;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Network;

/// <summary>
/// The ready-made QoS definitions a Cisco or Juniper NAS must hold: those NASes are told a speed by
/// naming a policy (<see cref="VendorProfiles.Rate"/>), so every rate Kabinet may name needs one:
/// each tariff's speed, the same times the Turbo factor, and the blocked slow-down rate.
/// MikroTik and accel-ppp take the rate itself and need nothing.
/// </summary>
public sealed class RadiusPolicies(Database database, IOptions<NetworkOptions> options)
{
    /// <summary>The vendors whose NASes need named policies.</summary>
    public static readonly string[] Vendors = ["cisco", "juniper"];

    /// <summary>Every (down, up) rate in kbit/s Kabinet may send, with why, in ascending order.</summary>
    public async Task<IReadOnlyList<(int Down, int Up, string Why)>> RatesAsync(CancellationToken ct)
    {
        var settings = options.Value;
        await using var connection = await database.OpenAsync(ct);
        // Every tariff, archived too: accounts may still be on one.
        var tariffs = (await connection.QueryAsync<(long Down, long Up, string Code)>(new CommandDefinition(
            "SELECT down_kbps, up_kbps, code FROM tariffs WHERE down_kbps IS NOT NULL AND up_kbps IS NOT NULL ORDER BY down_kbps, up_kbps, code",
            cancellationToken: ct))).ToList();
        var turbo = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM extra_services WHERE network_role = 'turbo'", cancellationToken: ct)) > 0;

        var rates = new SortedDictionary<(int Down, int Up), List<string>>();
        void Add(long down, long up, string why)
        {
            var key = (checked((int)down), checked((int)up));
            if (!rates.TryGetValue(key, out var reasons))
            {
                rates[key] = reasons = [];
            }

            reasons.Add(why);
        }

        foreach (var (down, up, code) in tariffs)
        {
            Add(down, up, "tariff " + code);
            if (turbo && settings.TurboFactor > 1)
            {
                Add(down * settings.TurboFactor, up * settings.TurboFactor, string.Create(CultureInfo.InvariantCulture, $"tariff {code} with Turbo ×{settings.TurboFactor}"));
            }
        }

        if (LineReply.ThrottlesBlocked(settings))
        {
            Add(settings.BlockedRateKbps!.Value, settings.BlockedRateKbps.Value, "blocked (Kabinet:Radius:BlockedRateKbps)");
        }

        return rates.Select(r => (r.Key.Down, r.Key.Up, string.Join(", ", r.Value))).ToList();
    }

    /// <summary>Writes the vendor's configuration for every rate; false for a vendor that needs none.</summary>
    public async Task<bool> WriteAsync(string vendor, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!Vendors.Contains(vendor, StringComparer.Ordinal))
        {
            return false;
        }

        var rates = await RatesAsync(ct);
        if (vendor == "cisco")
        {
            WriteCisco(rates, output);
        }
        else
        {
            WriteJuniper(rates, output);
        }

        return true;
    }

    /// <summary>
    /// IOS XE ISG: Cisco-AVPair "ip:sub-qos-policy-in=KABINET_UP_&lt;kbps&gt;K" (the subscriber's upload,
    /// policed as it enters) and "ip:sub-qos-policy-out=KABINET_DOWN_&lt;kbps&gt;K" (download).
    /// </summary>
    private static void WriteCisco(IReadOnlyList<(int Down, int Up, string Why)> rates, TextWriter output)
    {
        output.WriteLine("! Kabinet QoS policies for Cisco IOS XE (ISG). Kabinet sends Cisco-AVPair");
        output.WriteLine("! \"ip:sub-qos-policy-in=KABINET_UP_<kbps>K\" and \"ip:sub-qos-policy-out=KABINET_DOWN_<kbps>K\".");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"! {rates.Count} rate(s); run `kabinet radius-policies --vendor cisco` again after a tariff, Turbo or blocked-rate change."));
        var policies = rates.Select(r => ("UP", r.Up, r.Why)).Concat(rates.Select(r => ("DOWN", r.Down, r.Why)))
            .GroupBy(p => (p.Item1, p.Item2))
            .OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Item2);
        foreach (var policy in policies)
        {
            var (direction, kbps) = policy.Key;
            output.WriteLine("!");
            output.WriteLine($"! {string.Join("; ", policy.Select(p => p.Why).Distinct(StringComparer.Ordinal))}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"policy-map KABINET_{direction}_{kbps}K"));
            output.WriteLine(" class class-default");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  police cir {(long)kbps * 1000}"));
            output.WriteLine("   conform-action transmit");
            output.WriteLine("   exceed-action drop");
        }
    }

    /// <summary>
    /// Junos (MX subscriber management): ERX-Qos-Profile-Name "KABINET_&lt;down&gt;K_&lt;up&gt;K" names a
    /// traffic-control profile shaping the download, with a policer of the same name for the upload.
    /// </summary>
    private static void WriteJuniper(IReadOnlyList<(int Down, int Up, string Why)> rates, TextWriter output)
    {
        output.WriteLine("# Kabinet QoS profiles for Juniper (Junos). Kabinet sends ERX-Qos-Profile-Name \"KABINET_<down>K_<up>K\" (kbit/s).");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {rates.Count} rate(s); run `kabinet radius-policies --vendor juniper` again after a tariff, Turbo or blocked-rate change."));
        foreach (var (down, up, why) in rates)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"KABINET_{down}K_{up}K");
            // 10 ms of the rate, at least one full frame.
            var burst = Math.Max(1500L, (long)up * 1000 / 8 / 100);
            output.WriteLine($"# {why}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"set class-of-service traffic-control-profiles {name} shaping-rate {down}k"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"set firewall policer {name}-up if-exceeding bandwidth-limit {up}k burst-size-limit {burst}"));
            output.WriteLine($"set firewall policer {name}-up then discard");
        }
    }
}
