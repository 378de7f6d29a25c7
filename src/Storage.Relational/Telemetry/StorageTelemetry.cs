using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace GatewayStorage.Relational;

/// <summary>
/// The library's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, and their instruments. Attribute names
/// follow OpenTelemetry's database semantic conventions; the library's own counters live under <c>gatewaystorage.</c>.
/// No attribute ever carries a parameter value or a secret.
/// </summary>
internal static class StorageTelemetry
{
    private static readonly string? Version = typeof(StorageTelemetry).Assembly.GetName().Version?.ToString(3);

    public static readonly ActivitySource Source = new(GatewayStorageDiagnostics.ActivitySourceName, Version);

    public static readonly Meter Meter = new(GatewayStorageDiagnostics.MeterName, Version);

    // The bucket boundaries OpenTelemetry's database conventions advise for db.client.operation.duration.
    public static readonly Histogram<double> OperationDuration = Meter.CreateHistogram(
        "db.client.operation.duration", "s", "Duration of database client operations.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10] });

    public static readonly Counter<long> ApiKeyVerifications = Meter.CreateCounter<long>(
        "gatewaystorage.api_key.verifications", "{verification}", "API-key verifications by outcome: valid, unknown, revoked, expired, malformed.");

    public static readonly Counter<long> SingleUseTokenConsumes = Meter.CreateCounter<long>(
        "gatewaystorage.single_use_token.consumes", "{consume}", "Single-use-token consumes by outcome: consumed, rejected (unknown, used or expired), malformed.");

    public static readonly Counter<long> DecryptionFailures = Meter.CreateCounter<long>(
        "gatewaystorage.secret.decryption_failures", "{failure}", "Stored secrets that could not be decrypted (a missing or wrong key, or a damaged value).");

    public const string SystemName = "db.system.name";
    public const string OperationName = "db.operation.name";
    public const string CollectionName = "db.collection.name";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string ErrorType = "error.type";
    public const string Outcome = "gatewaystorage.outcome";

    public static void ApiKeyVerified(string systemName, string outcome)
    {
        if (ApiKeyVerifications.Enabled)
        {
            ApiKeyVerifications.Add(1, new KeyValuePair<string, object?>(SystemName, systemName), new KeyValuePair<string, object?>(Outcome, outcome));
        }
    }

    public static void SingleUseTokenConsumed(string systemName, string outcome)
    {
        if (SingleUseTokenConsumes.Enabled)
        {
            SingleUseTokenConsumes.Add(1, new KeyValuePair<string, object?>(SystemName, systemName), new KeyValuePair<string, object?>(Outcome, outcome));
        }
    }

    public static void DecryptionFailed(string systemName, string table, string column)
    {
        if (DecryptionFailures.Enabled)
        {
            DecryptionFailures.Add(1, new KeyValuePair<string, object?>(SystemName, systemName), new KeyValuePair<string, object?>(CollectionName, table),
                new KeyValuePair<string, object?>("gatewaystorage.column", column));
        }
    }
}
