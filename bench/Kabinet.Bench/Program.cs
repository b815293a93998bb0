namespace Kabinet.Bench; internal static class Program { public static void Main() { } }
