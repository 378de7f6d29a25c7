using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace GatewayStorage;

/// <summary>Reflection-based conveniences over <see cref="IConfigStore"/> for applications that do not trim.</summary>
public static class ConfigStoreExtensions
{
    /// <summary>Gets a configuration value deserialised to <typeparamref name="T"/> with reflection-based System.Text.Json.</summary>
    /// <typeparam name="T">The type to deserialise to.</typeparam>
    /// <param name="store">The config store.</param>
    /// <param name="key">The key.</param>
    /// <param name="options">Serializer options; <see cref="JsonSerializerOptions.Default"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The value, or <see langword="default"/> when the key is not set.</returns>
    [RequiresUnreferencedCode("Uses reflection-based JSON serialization; pass a JsonTypeInfo<T> when trimming.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization; pass a JsonTypeInfo<T> when compiling ahead of time.")]
    public static async Task<T?> GetConfigValueAsync<T>(this IConfigStore store, string key, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var entry = await store.GetConfigAsync(key, cancellationToken).ConfigureAwait(false);
        return entry is null ? default : entry.Value.Deserialize<T>(options ?? JsonSerializerOptions.Default);
    }

    /// <summary>Serialises a value with reflection-based System.Text.Json and sets it.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="store">The config store.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="expectedVersion">As for <see cref="IConfigStore.SetConfigAsync"/>.</param>
    /// <param name="options">Serializer options; <see cref="JsonSerializerOptions.Default"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The stored entry.</returns>
    [RequiresUnreferencedCode("Uses reflection-based JSON serialization; serialize to a JsonElement yourself when trimming.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization; serialize to a JsonElement yourself when compiling ahead of time.")]
    public static Task<ConfigEntry> SetConfigValueAsync<T>(this IConfigStore store, string key, T value, long? expectedVersion = null, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var element = JsonSerializer.SerializeToElement(value, options ?? JsonSerializerOptions.Default);
        return store.SetConfigAsync(key, element, expectedVersion, cancellationToken);
    }
}
