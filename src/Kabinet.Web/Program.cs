using Kabinet.Web.Cli;
using Kabinet.Web.Hosting;

// One executable: no verb runs the server; a verb (migrate, seed-demo, create-staff) does one job and exits.
if (args.Length > 0 && !args[0].StartsWith('-'))
{
    return await Verbs.RunAsync(args[0], args[1..]);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddKabinet();
var app = builder.Build();
app.UseKabinet();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
