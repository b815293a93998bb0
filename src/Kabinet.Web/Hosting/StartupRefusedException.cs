namespace Kabinet.Web.Hosting;

/// <summary>
/// A configuration Kabinet will not run with (demo-only parts in production, a missing key
/// certificate, a malformed address). The message says what to change; the entry point prints it
/// without a stack trace and exits with code 1.
/// </summary>
public sealed class StartupRefusedException : InvalidOperationException
{
    /// <summary>Refuses the start with the operator-facing message.</summary>
    public StartupRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Refuses the start because of an underlying failure (an unreadable certificate).</summary>
    public StartupRefusedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The refusal inside an exception the host wrapped it in, if any.</summary>
    public static StartupRefusedException? Find(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is StartupRefusedException refused)
            {
                return refused;
            }

            if (e is AggregateException { InnerExceptions.Count: > 0 } many)
            {
                return many.InnerExceptions.Select(Find).FirstOrDefault(r => r is not null);
            }
        }

        return null;
    }
}
