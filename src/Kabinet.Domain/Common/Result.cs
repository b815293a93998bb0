namespace Kabinet.Domain.Common;

/// <summary>
/// An expected failure: a stable machine code, the input field it concerns (if any), and a message
/// key that the host turns into words in the user's language.
/// </summary>
public sealed record Error(string Code, string? Field = null, IReadOnlyDictionary<string, string>? Args = null);

/// <summary>A value or an expected failure; expected failures are never exceptions.</summary>
public readonly record struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, Error? error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>The failure, when there is one.</summary>
    public Error? Error { get; }

    /// <summary>True when there is a value.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>The value; reading it from a failure is a bug.</summary>
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"No value: {Error!.Code}");

    /// <summary>A success.</summary>
    public static Result<T> Ok(T value) => new(value, null);

    /// <summary>A failure.</summary>
    public static Result<T> Fail(Error error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));

    public static implicit operator Result<T>(Error error) => Fail(error);

    public static implicit operator Result<T>(T value) => Ok(value);

    /// <summary>Named alternative for the implicit conversion (CA2225).</summary>
    public static Result<T> FromError(Error error) => Fail(error);

    /// <summary>Named alternative for the implicit conversion (CA2225).</summary>
    public static Result<T> FromT(T value) => Ok(value);
}
