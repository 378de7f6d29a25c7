using System.Security.Cryptography;
using System.Text;

namespace GatewayStorage.Security;

/// <summary>
/// The key file SQLite falls back to when no encryption key is configured: base64 of 32 random bytes and a newline,
/// beside the database (<see cref="PathBeside"/>), readable by its owner only. Losing the file loses every secret
/// encrypted under it, so it is created once and never overwritten.
/// </summary>
internal static class EncryptionKeyFile
{
    /// <summary>The key id values encrypted under a key file carry.</summary>
    public const string KeyId = "file";

    /// <summary>
    /// Where the key file of a database lives: the database path plus <c>.key</c>
    /// (<c>./data/gateway.db</c> → <c>./data/gateway.db.key</c>), so it is backed up and moved with the database.
    /// </summary>
    /// <param name="databasePath">The path of the SQLite database file.</param>
    /// <returns>The path of its key file.</returns>
    public static string PathBeside(string databasePath) => databasePath + ".key";

    /// <summary>
    /// Reads the key file at <paramref name="path"/>, or creates it with a new random key when it does not exist.
    /// Creation is atomic and safe when several processes start at once: each writes a temporary file (mode 0600 on
    /// Unix) and moves it into place without overwriting; a process that loses the race reads the winner's key.
    /// </summary>
    /// <param name="path">The key file path; its folder is created if missing.</param>
    /// <param name="created">Whether this call created the file (callers log a warning then).</param>
    /// <returns>The 32-byte key.</returns>
    /// <exception cref="StorageConfigurationException">The file is malformed or cannot be read or written.</exception>
    public static byte[] LoadOrCreate(string path, out bool created)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        created = false;
        try
        {
            if (File.Exists(fullPath))
            {
                return Read(fullPath);
            }

            var key = RandomNumberGenerator.GetBytes(EncryptionKeyRing.KeySize);
            if (TryCreate(fullPath, key))
            {
                created = true;
                return key;
            }

            CryptographicOperations.ZeroMemory(key);
            return Read(fullPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StorageConfigurationException(
                $"The encryption key file '{fullPath}' cannot be read or created: {exception.Message}", exception);
        }
    }

    private static bool TryCreate(string fullPath, byte[] key)
    {
        var folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);

        // A temporary file in the same folder, so the final move is a rename on one file system: readers see no
        // file or a complete one, never a half-written key.
        var temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            // Owner-only from the first byte: setting permissions after writing would leave a window.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            var content = Encoding.ASCII.GetBytes(Convert.ToBase64String(key) + "\n");
            try
            {
                using (var stream = new FileStream(temporary, options))
                {
                    stream.Write(content);
                    stream.Flush(flushToDisk: true);
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(content);
            }

            try
            {
                File.Move(temporary, fullPath, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(fullPath))
            {
                // Another process created the key first; its key is the one to use.
                return false;
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static byte[] Read(string fullPath)
    {
        var content = File.ReadAllBytes(fullPath);
        try
        {
            var text = Encoding.ASCII.GetString(content).TrimEnd('\r', '\n');
            var key = new byte[EncryptionKeyRing.KeySize];
            if (text.Length == 44 && Convert.TryFromBase64String(text, key, out var written) && written == key.Length)
            {
                return key;
            }

            throw new StorageConfigurationException(
                $"The encryption key file '{fullPath}' is malformed: it must hold base64 of exactly 32 bytes. " +
                "Restore it from a backup; a new key cannot decrypt the secrets already stored.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }
}
