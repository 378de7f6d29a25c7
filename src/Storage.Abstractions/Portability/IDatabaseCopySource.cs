namespace GatewayStorage.Portability;

/// <summary>
/// The capability behind <see cref="DatabaseCopier"/>: a provider that can copy its stored rows, as stored, into
/// another provider of the same family. The relational provider of both backends implements it.
/// </summary>
internal interface IDatabaseCopySource
{
    /// <summary>Copies every table into <paramref name="target"/>; see <see cref="DatabaseCopier.CopyAsync"/>.</summary>
    Task<DatabaseCopyReport> CopyToAsync(
        IDatabaseProvider target, DatabaseCopyOptions options, IProgress<CopyProgress>? progress, CancellationToken cancellationToken);
}
