using System.Net;
using System.Text.Json;

namespace Kabinet.Web.Tests.Infrastructure;

/// <summary>Checks that an API answer is a proper RFC 9457 problem and nothing leaked into it.</summary>
public static class Problems
{
    /// <summary>Asserts the status and the problem shape, and returns the problem.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", body);
        body.ShouldNotContain("   at ");
        body.ShouldNotContain("Exception");

        var problem = JsonDocument.Parse(body).RootElement.Clone();
        problem.GetProperty("status").GetInt32().ShouldBe((int)status);
        problem.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        problem.GetProperty("detail").GetString().ShouldNotBeNullOrWhiteSpace();
        problem.GetProperty("trace_id").GetString().ShouldNotBeNullOrWhiteSpace();
        return problem;
    }

    /// <summary>The problem's <c>detail</c>.</summary>
    public static string Detail(this JsonElement problem) => problem.GetProperty("detail").GetString()!;

    /// <summary>The problem's <c>code</c> extension.</summary>
    public static string? Code(this JsonElement problem) =>
        problem.TryGetProperty("code", out var code) ? code.GetString() : null;
}
