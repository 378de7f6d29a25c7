using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace GatewayStorage.Security;

/// <summary>Hashes the UTF-8 bytes of a secret through a scratch buffer (stack or pool) that is zeroed afterwards.</summary>
internal static class Utf8Hashing
{
    private const int StackLimit = 256;

    /// <summary>A hash function over UTF-8 bytes, with a state (a key) passed without a closure.</summary>
    public delegate void HashFunction<in TState>(TState state, ReadOnlySpan<byte> utf8, Span<byte> destination);

    public static void Hash<TState>(ReadOnlySpan<char> text, Span<byte> destination, TState state, HashFunction<TState> hash)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        byte[]? rented = null;
        Span<byte> bytes = length <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(length));
        bytes = bytes[..length];
        try
        {
            Encoding.UTF8.GetBytes(text, bytes);
            hash(state, bytes, destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
