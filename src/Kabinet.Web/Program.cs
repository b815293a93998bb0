using Kabinet.Web.Cli;
using Kabinet.Web.Hosting;

// One executable: no verb runs the server; a verb (migrate, seed-demo, create-staff) does one job and exits.
// A configuration to change is not a bug: the operator gets the sentence, not a stack trace. Not a
// catch around the code below: the test host builds the app through this entry point and must see
// the exception itself.
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    if (StartupRefusedException.Find(e.ExceptionObject as Exception) is { } refused)
    {
        Console.Error.WriteLine("Kabinet cannot start: " + refused.Message);
        Environment.Exit(1);
    }
};

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
