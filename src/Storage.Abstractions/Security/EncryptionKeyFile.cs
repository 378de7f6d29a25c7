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
    /// <summary>The id a key file's key is configured with; values written before fingerprint ids carry it, so it stays an alias.</summary>
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
    /// Creation is atomic and safe when several processes start at once: the file is created exclusively (O_EXCL, mode
    /// 0600 on Unix) by exactly one of them; the others read the winner's key.
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
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);

        // CreateNew is O_EXCL: of several processes creating the file at once exactly one succeeds. (A temporary file
        // moved into place is not enough: File.Move falls back to rename(), which overwrites, where hard links fail.)
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,

            // Readers that lose the race may open the file while it is being written; they wait for all 45 bytes.
            Share = FileShare.Read,
        };
        if (!OperatingSystem.IsWindows())
        {
            // Owner-only from the first byte: setting permissions after writing would leave a window.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var content = Encoding.ASCII.GetBytes(Convert.ToBase64String(key) + "\n");
        try
        {
            using var stream = new FileStream(fullPath, options);
            stream.Write(content);
            stream.Flush(flushToDisk: true);
            return true;
        }
        catch (IOException) when (File.Exists(fullPath))
        {
            // Another process created the key first; its key is the one to use.
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }

    private static byte[] Read(string fullPath)
    {
        // The creator writes the 45 bytes right after creating the file: a reader that comes in between sees a
        // shorter file for a moment, so it waits a little before calling the file malformed.
        var content = File.ReadAllBytes(fullPath);
        for (var attempt = 0; content.Length < 44 && attempt < 100; attempt++)
        {
            Thread.Sleep(10);
            content = File.ReadAllBytes(fullPath);
        }

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
