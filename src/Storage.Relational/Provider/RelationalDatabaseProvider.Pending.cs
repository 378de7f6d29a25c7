namespace GatewayStorage.Relational;

// The stores of the issue "Secrets and the remaining domains" (encryption at rest, API keys, OAuth, credentials,
// sessions, audit) are declared by the contract; until a domain is implemented its methods throw this.
internal sealed partial class RelationalDatabaseProvider
{
    private const string PendingFeature =
        "is part of the feature 'Secrets and the remaining domains' (encryption at rest, API keys, OAuth providers and tokens, credentials, sessions, audit log), which this version of GatewayStorage does not implement yet.";

    private static NotSupportedException Pending(string operation) => new($"{operation} {PendingFeature}");
}
