namespace GatewayStorage;

/// <summary>How secrets are shown wherever a record is printed.</summary>
internal static class Redaction
{
    /// <summary>The text that stands in for a secret: <c>***</c>.</summary>
    public const string Mask = "***";
}
