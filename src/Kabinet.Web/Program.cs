using Kabinet.Web.Cli;
using Kabinet.Web.Hosting;

// One executable: no verb runs the server; a verb (migrate, seed-demo, create-staff) does one job and exits.
try
{
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
}
catch (Exception error) when (StartupRefusedException.Find(error) is { } refused)
{
    // A configuration to change, not a bug: the operator gets the sentence, not a stack trace.
    await Console.Error.WriteLineAsync("Kabinet cannot start: " + refused.Message);
    return 1;
}

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
