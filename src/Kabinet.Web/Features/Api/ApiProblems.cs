using Kabinet.Domain.Common;
using Kabinet.Web.Features.Localization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kabinet.Web.Features.Api;

/// <summary>
/// Turns expected failures into RFC 9457 problem details in the caller's language, with a stable
/// machine code and, for input errors, the field.
/// </summary>
public sealed class ApiProblems(Texts texts)
{
    /// <summary>The problem for an expected failure, its arguments filled into the words.</summary>
    public ProblemHttpResult For(Error error, int status) => For(error, status, texts.Error(error));

    /// <summary>
    /// The problem with a message worded by the feature; the error's arguments (limits, amounts
    /// needed) also travel as extension members for programs.
    /// </summary>
    public static ProblemHttpResult For(Error error, int status, string message)
    {
        ArgumentNullException.ThrowIfNull(error);
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code };
        foreach (var (key, value) in error.Args ?? new Dictionary<string, string>())
        {
            extensions[key] = value;
        }

        if (error.Field is not null)
        {
            extensions["errors"] = new Dictionary<string, string[]> { [error.Field] = [message] };
        }

        return TypedResults.Problem(
            detail: message,
            statusCode: status,
            title: Title(status),
            extensions: extensions);
    }

    /// <summary>404 in the caller's language; used for anything not theirs, too (never 403).</summary>
    public ProblemHttpResult NotFound() =>
        TypedResults.Problem(detail: texts["api.not_found"], statusCode: StatusCodes.Status404NotFound, title: Title(404));

    /// <summary>A short title for a status.</summary>
    public static string Title(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        _ => status >= 500 ? "Internal Server Error" : "Error",
    };
}
