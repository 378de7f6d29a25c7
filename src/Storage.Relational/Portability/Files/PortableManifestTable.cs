namespace GatewayStorage.Relational;

/// <summary>One table as a portable file's manifest lists it.</summary>
/// <param name="Name">The table.</param>
/// <param name="Entry">The archive entry of its JSON Lines stream.</param>
/// <param name="Rows">How many rows (lines) the stream holds.</param>
/// <param name="Digest">The table's content digest (<see cref="TableDigest"/>), lower-case hex.</param>
/// <param name="Columns">Its columns, in the order each line lists them.</param>
internal sealed record PortableManifestTable(string Name, string Entry, long Rows, string Digest, IReadOnlyList<string> Columns);
