namespace Kabinet.Web.Features.Localization;

/// <summary>
/// One feature's words in both languages. Each feature keeps its own table beside its pages, so
/// features do not edit one shared file; <see cref="Texts"/> merges them.
/// </summary>
public sealed record TextTable(IReadOnlyDictionary<string, string> Ru, IReadOnlyDictionary<string, string> En);
