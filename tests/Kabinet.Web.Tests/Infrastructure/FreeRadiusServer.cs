using System.Globalization;
using System.Net;

namespace Kabinet.Web.Tests.Infrastructure;

/// <summary>Settings of a test FreeRADIUS server.</summary>
public sealed record FreeRadiusOptions
{
    /// <summary>The secret NASes (radclient, a benchmark) share with FreeRADIUS for 127.0.0.1.</summary>
    public string NasSecret { get; init; } = "testing123";

    /// <summary>Refuse Access-Requests without a Message-Authenticator (what a careful operator sets).</summary>
    public bool RequireMessageAuthenticator { get; init; }

    /// <summary>Upper bound of FreeRADIUS's worker threads.</summary>
    public int MaxThreads { get; init; } = 16;

    /// <summary>radiusd.conf's reject_delay in seconds (0: rejects at once; deploy/freeradius/README.md asks for 0.5).</summary>
    public double RejectDelay { get; init; }

    /// <summary>Run with <c>-xx</c>: every request is traced into <see cref="FreeRadiusServer.ReadLog"/> (slow).</summary>
    public bool Debug { get; init; }
}

/// <summary>
/// A real FreeRADIUS for one test or benchmark, on free loopback UDP ports, configured from a
/// private directory under /tmp. <see cref="StartKabinetAsync"/> runs the repository's own
/// deploy/freeradius rest module and site, copied unchanged, against a Kabinet on a real port;
/// <see cref="StartFilesAsync"/> answers from FreeRADIUS's <c>files</c> module instead (the
/// benchmark's yardstick).
/// </summary>
public sealed class FreeRadiusServer : IAsyncDisposable
{
    private readonly FreeRadiusProcess _process;

    private FreeRadiusServer(FreeRadiusProcess process, int authPort, int acctPort, string secret)
    {
        _process = process;
        AuthPort = authPort;
        AcctPort = acctPort;
        Secret = secret;
    }

    /// <summary>UDP port for Access-Requests (and Status-Server) on 127.0.0.1.</summary>
    public int AuthPort { get; }

    /// <summary>UDP port for Accounting-Requests on 127.0.0.1.</summary>
    public int AcctPort { get; }

    /// <summary>The NAS secret for 127.0.0.1.</summary>
    public string Secret { get; }

    public IPEndPoint AuthEndpoint => new(IPAddress.Loopback, AuthPort);

    public IPEndPoint AcctEndpoint => new(IPAddress.Loopback, AcctPort);

    /// <summary>The configuration directory, kept until dispose.</summary>
    public string Directory => _process.Directory;

    /// <summary>A radclient pointed at this server.</summary>
    public RadClient RadClient() => new(AuthPort, AcctPort, Secret);

    /// <summary>FreeRADIUS's log so far (with <see cref="FreeRadiusOptions.Debug"/>, every request's trace).</summary>
    public string ReadLog() => _process.ReadLog();

    /// <summary>Log and console output, for a failure message.</summary>
    public string Diagnostics() => _process.Diagnostics();

    /// <summary>
    /// FreeRADIUS with the repository's deploy/freeradius/mods-available/kabinet and
    /// sites-available/kabinet, KABINET_URL and KABINET_RADIUS_SECRET set for Kabinet at
    /// <paramref name="kabinet"/> (e.g. from KabinetFactory.StartRealServer()).
    /// </summary>
    public static Task<FreeRadiusServer> StartKabinetAsync(Uri kabinet, string kabinetSecret, FreeRadiusOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kabinet);
        ArgumentException.ThrowIfNullOrEmpty(kabinetSecret);
        var deploy = Path.Combine(RepositoryRoot(), "deploy", "freeradius");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["KABINET_URL"] = kabinet.GetLeftPart(UriPartial.Authority),
            ["KABINET_RADIUS_SECRET"] = kabinetSecret,
        };
        return StartAsync(options ?? new FreeRadiusOptions(), "kabinet", environment, process =>
        {
            WriteStockModules(process);
            process.Write("mods-enabled/kabinet", File.ReadAllText(Path.Combine(deploy, "mods-available", "kabinet")));
            process.Write("sites-enabled/kabinet", File.ReadAllText(Path.Combine(deploy, "sites-available", "kabinet")));
        });
    }

    /// <summary>
    /// FreeRADIUS answering from its own <c>files</c> module: <paramref name="users"/> is the users
    /// file, e.g. <c>alice Cleartext-Password := "secret"\n\tMikrotik-Rate-Limit = "20M/50M"</c>.
    /// Accounting is acknowledged without being stored.
    /// </summary>
    public static Task<FreeRadiusServer> StartFilesAsync(string users, FreeRadiusOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(users);
        return StartAsync(options ?? new FreeRadiusOptions(), "files", new Dictionary<string, string>(StringComparer.Ordinal), process =>
        {
            WriteStockModules(process);
            process.Write("users", users.EndsWith('\n') ? users : users + "\n");
            process.Write("mods-enabled/files", "files {\n\tfilename = ${confdir}/users\n}\n");
            process.Write("sites-enabled/files", """
                server files {
                authorize {
                	files
                	chap
                	mschap
                	pap
                }
                authenticate {
                	Auth-Type PAP {
                		pap
                	}
                	Auth-Type CHAP {
                		chap
                	}
                	Auth-Type MS-CHAP {
                		mschap
                	}
                }
                preacct {
                	acct_unique
                }
                accounting {
                	ok
                }
                post-auth {
                	Post-Auth-Type REJECT {
                		attr_filter.access_reject
                	}
                }
                }

                """);
        });
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static Task<FreeRadiusServer> StartAsync(FreeRadiusOptions options, string virtualServer, Dictionary<string, string> environment, Action<FreeRadiusProcess> writeFiles) =>
        FreeRadiusProcess.WithFreePortsAsync(async () =>
        {
            var process = FreeRadiusProcess.Create();
            try
            {
                var authPort = FreeRadiusProcess.FreeUdpPort();
                var acctPort = FreeRadiusProcess.FreeUdpPort();
                writeFiles(process);
                var clients = $$"""
                    client loopback {
                    	ipaddr = 127.0.0.1
                    	secret = {{FreeRadiusProcess.Quote(options.NasSecret)}}
                    	require_message_authenticator = {{(options.RequireMessageAuthenticator ? "yes" : "no")}}
                    	nas_type = other
                    }
                    """;
                var listeners = string.Create(CultureInfo.InvariantCulture, $$"""
                    listen {
                    	type = auth
                    	ipaddr = 127.0.0.1
                    	port = {{authPort}}
                    	virtual_server = {{virtualServer}}
                    }
                    listen {
                    	type = acct
                    	ipaddr = 127.0.0.1
                    	port = {{acctPort}}
                    	virtual_server = {{virtualServer}}
                    }
                    """);
                process.WriteMainConfig(clients, listeners, options.MaxThreads, options.RejectDelay);
                await process.StartAsync(environment, options.Debug, TimeSpan.FromSeconds(30));
                return new FreeRadiusServer(process, authPort, acctPort, options.NasSecret);
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }
        });

    /// <summary>
    /// The stock modules the sites rely on, as a Debian install enables them: the always
    /// instances (ok, reject...), expr (%{md5:}), pap, chap, mschap, attr_filter.access_reject,
    /// and the acct_unique policy.
    /// </summary>
    private static void WriteStockModules(FreeRadiusProcess process)
    {
        var always = string.Concat(new[] { "reject", "fail", "ok", "handled", "invalid", "userlock", "notfound", "noop", "updated" }
            .Select(code => $"always {code} {{\n\trcode = {code}\n}}\n"));
        process.Write("mods-enabled/always", always);
        process.Write("mods-enabled/expr", "expr {\n}\n");
        process.Write("mods-enabled/pap", "pap {\n}\n");
        process.Write("mods-enabled/chap", "chap {\n}\n");
        process.Write("mods-enabled/mschap", "mschap {\n}\n");
        process.Write("mods-enabled/attr_filter", """
            attr_filter attr_filter.access_reject {
            	key = "%{User-Name}"
            	filename = ${modconfdir}/attr_filter/access_reject
            }

            """);
        process.Write("mods-config/attr_filter/access_reject", """
            DEFAULT
            	EAP-Message =* ANY,
            	Message-Authenticator =* ANY,
            	Error-Cause =* ANY,
            	Reply-Message =* ANY,
            	MS-CHAP-Error =* ANY,
            	Proxy-State =* ANY

            """);
        // The stock policy.d/accounting's acct_unique without its Class-based branch.
        process.Write("policy.d/accounting", """
            acct_unique {
            	update request {
            		&Acct-Unique-Session-Id := "%{md5:%{User-Name},%{Acct-Session-ID},%{%{NAS-IPv6-Address}:-%{NAS-IP-Address}},%{NAS-Identifier},%{NAS-Port-ID},%{NAS-Port}}"
            	}
            }

            """);
    }

    /// <summary>The directory holding Kabinet.slnx, found by walking up from the test assembly.</summary>
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kabinet.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Kabinet.slnx was not found above {AppContext.BaseDirectory}.");
    }
}
