namespace Kabinet.Data; internal static class Placeholder { }
