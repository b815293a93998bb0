namespace Kabinet.Web.Integrations.Radius;

/// <summary>A datagram that is not a well-formed RADIUS packet (bad length, truncated attribute).</summary>
public sealed class RadiusPacketException : FormatException
{
    public RadiusPacketException()
    {
    }

    public RadiusPacketException(string message)
        : base(message)
    {
    }

    public RadiusPacketException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
