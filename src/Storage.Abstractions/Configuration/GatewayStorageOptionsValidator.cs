using System.Buffers.Text;
using Microsoft.Extensions.Options;

namespace GatewayStorage;

/// <summary>Checks <see cref="GatewayStorageOptions"/> at start-up, with messages a user can act on.</summary>
internal sealed class GatewayStorageOptionsValidator : IValidateOptions<GatewayStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayStorageOptions options)
    {
        var failures = new List<string>();
        var prefix = GatewayStorageOptions.SectionName + ":";

        if (string.IsNullOrWhiteSpace(options.Url))
        {
            failures.Add($"{prefix}Url is empty; set it, or {GatewayStorageOptions.DatabaseUrlVariable}, to e.g. '{GatewayStorageOptions.DefaultUrl}'.");
        }
        else if (!DatabaseUrl.TryGetScheme(options.Url, out _))
        {
            failures.Add($"{prefix}Url has no scheme; use 'sqlite:<path>', 'sqlite::memory:' or 'postgresql://user:password@host/database'.");
        }

        if (options.CommandTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}CommandTimeout must be positive (it is {options.CommandTimeout}).");
        }

        if (options.BusyTimeout < TimeSpan.Zero)
        {
            failures.Add($"{prefix}BusyTimeout must not be negative (it is {options.BusyTimeout}).");
        }

        if (options.StartupRetryTimeout < TimeSpan.Zero)
        {
            failures.Add($"{prefix}StartupRetryTimeout must not be negative (it is {options.StartupRetryTimeout}).");
        }

        if (options.HealthCheckTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}HealthCheckTimeout must be positive (it is {options.HealthCheckTimeout}); the default is 00:00:02.");
        }

        if (options.MaxPoolSize < 0)
        {
            failures.Add($"{prefix}MaxPoolSize must not be negative (it is {options.MaxPoolSize}); 0 means the backend's default.");
        }

        if (options.PruneBatchSize is < 1 or > 100_000)
        {
            failures.Add($"{prefix}PruneBatchSize must be between 1 and 100000 (it is {options.PruneBatchSize}).");
        }

        if (options.StreamBatchSize is < 1 or > 100_000)
        {
            failures.Add($"{prefix}StreamBatchSize must be between 1 and 100000 (it is {options.StreamBatchSize}).");
        }

        if (options.ApiKeyLastUsedInterval < TimeSpan.Zero)
        {
            failures.Add($"{prefix}ApiKeyLastUsedInterval must not be negative (it is {options.ApiKeyLastUsedInterval}).");
        }

        if (string.IsNullOrEmpty(options.ApiKeyPrefix) || options.ApiKeyPrefix.Length > 16 || !options.ApiKeyPrefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
        {
            failures.Add($"{prefix}ApiKeyPrefix must be 1 to 16 lower-case ASCII letters or digits (it is '{options.ApiKeyPrefix}').");
        }

        if (!Enum.IsDefined(options.Pooler))
        {
            failures.Add($"{prefix}Pooler must be None or Transaction (it is {(int)options.Pooler}).");
        }

        if (!Enum.IsDefined(options.ReadFrom))
        {
            failures.Add($"{prefix}ReadFrom must be Primary or Standby (it is {(int)options.ReadFrom}).");
        }

        if (options.ApiKeyHashKey is not null && !IsBase64OfAtLeast(options.ApiKeyHashKey, 32))
        {
            failures.Add($"{prefix}ApiKeyHashKey must be base64 of at least 32 bytes.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.EncryptionKeys.Count; i++)
        {
            var key = options.EncryptionKeys[i];
            var where = $"{prefix}EncryptionKeys:{i}";
            if (key.Source is { } variable)
            {
                // Copied from ENCRYPTION_KEY: name the variable the user wrote, not the position it was copied to.
                if (!IsBase64OfExactly(key.Key, 32))
                {
                    failures.Add($"{variable} must be base64 of exactly 32 bytes (generate one with: openssl rand -base64 32).");
                }

                continue;
            }

            if (string.IsNullOrEmpty(key.Id) || key.Id.Length > 32 || !key.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                failures.Add($"{where}:Id must be 1 to 32 ASCII letters, digits, '-' or '_'.");
            }
            else if (!ids.Add(key.Id))
            {
                failures.Add($"{where}:Id '{key.Id}' is used by another key; key ids must be unique.");
            }

            if (!IsBase64OfExactly(key.Key, 32))
            {
                failures.Add($"{where}:Key must be base64 of exactly 32 bytes (generate one with: openssl rand -base64 32).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsBase64OfExactly(string? value, int bytes) =>
        value is not null && Base64.IsValid(value, out var length) && length == bytes;

    private static bool IsBase64OfAtLeast(string value, int bytes) =>
        Base64.IsValid(value, out var length) && length >= bytes;
}
