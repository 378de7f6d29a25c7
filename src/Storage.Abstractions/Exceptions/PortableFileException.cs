namespace GatewayStorage;

/// <summary>
/// A portable export file (see <see cref="Portability.DatabaseImporter"/>) was refused: it is not such a file, it is
/// truncated, a row or the manifest was edited, or it was written in a newer format version than this library reads.
/// Nothing was written to the target. The message names the table and line where the file went wrong; it never quotes
/// a stored value.
/// </summary>
public sealed class PortableFileException : StorageException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with the file, where, and what to do; never a stored value.</param>
    /// <param name="table">The table whose stream is at fault, or <see langword="null"/> when the fault is not in one table (the archive, the manifest).</param>
    /// <param name="line">The 1-based line of that table's stream at fault, or <see langword="null"/>.</param>
    /// <param name="innerException">The reader's exception, if any.</param>
    public PortableFileException(string message, string? table = null, long? line = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Table = table;
        Line = line;
    }

    /// <summary>The table whose stream is at fault, or <see langword="null"/> when the fault is in the archive or the manifest.</summary>
    public string? Table { get; }

    /// <summary>The 1-based line of <see cref="Table"/>'s stream at fault, or <see langword="null"/> when no single line is.</summary>
    public long? Line { get; }
}
