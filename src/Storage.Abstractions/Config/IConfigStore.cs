using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace GatewayStorage;

/// <summary>
/// Stores configuration as JSON values under keys. A key is 1 to 200 characters of ASCII letters, digits
/// and <c>. _ - : /</c>; keys are compared ordinally (case-sensitive).
/// </summary>
public interface IConfigStore
{
    /// <summary>Gets a configuration entry.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The entry, or <see langword="null"/> when the key is not set.</returns>
    /// <exception cref="ArgumentException">The key is malformed.</exception>
    Task<ConfigEntry?> GetConfigAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Gets a configuration value deserialised to <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The type to deserialise to.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="typeInfo">The System.Text.Json contract of <typeparamref name="T"/> (trim- and AOT-safe).</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The value, or <see langword="default"/> when the key is not set.</returns>
    /// <exception cref="JsonException">The stored value does not fit <typeparamref name="T"/>.</exception>
    Task<T?> GetConfigValueAsync<T>(string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets a configuration value. With <paramref name="expectedVersion"/> the write happens only when the stored
    /// version is that one (0: only when the key is not set yet); without it the value is written unconditionally.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="value">
    /// The JSON value, stored in the library's canonical form (no white space, properties in the given order, number
    /// literals as written) of at most 1 MiB; strings may not contain NUL (<c>\u0000</c>) or unpaired surrogates, and a
    /// number literal may have at most 64 characters within the range of a double.
    /// </param>
    /// <param name="expectedVersion">The version the caller read, 0 for "must not exist", or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The stored entry with its new version.</returns>
    /// <exception cref="ArgumentException">The key or the value is malformed.</exception>
    /// <exception cref="ConcurrencyConflictException">The stored version is not <paramref name="expectedVersion"/>.</exception>
    Task<ConfigEntry> SetConfigAsync(string key, JsonElement value, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a configuration value.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see langword="true"/> when a value was deleted.</returns>
    Task<bool> DeleteConfigAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Lists the entries whose key starts with a prefix, in ordinal key order, one keyset page at a time.</summary>
    /// <param name="prefix">The prefix (case-sensitive); empty for every key.</param>
    /// <param name="page">Which page.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The page of entries.</returns>
    Task<Page<ConfigEntry>> ListConfigAsync(string prefix, PageRequest page, CancellationToken cancellationToken = default);
}
