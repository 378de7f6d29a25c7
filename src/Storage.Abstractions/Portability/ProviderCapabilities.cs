namespace GatewayStorage;

/// <summary>
/// Finds an internal capability of a provider (copy, portable files, key rotation): the provider itself, or what it
/// hands out as an <see cref="IServiceProvider"/>. A provider of another library has none.
/// </summary>
internal static class ProviderCapabilities
{
    public static T? Capability<T>(this IDatabaseProvider provider)
        where T : class =>
        provider as T ?? (provider as IServiceProvider)?.GetService(typeof(T)) as T;
}
