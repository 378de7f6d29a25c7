using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace GatewayStorage.Relational;

/// <summary>One numbered migration script, embedded in a backend assembly as <c>Migrations/NNNN_name.sql</c>.</summary>
internal sealed record MigrationScript(int Version, string Name, string Sql, string Checksum)
{
    /// <summary>Loads the scripts embedded under <paramref name="resourcePrefix"/>, in version order.</summary>
    public static IReadOnlyList<MigrationScript> LoadEmbedded(Assembly assembly, string resourcePrefix)
    {
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(resourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[resourcePrefix.Length..^4];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(fileName.AsSpan(0, underscore), out var version))
            {
                throw new InvalidOperationException($"Migration resource '{resource}' is not named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var sql = reader.ReadToEnd().ReplaceLineEndings("\n");
            scripts.Add(new MigrationScript(version, fileName[(underscore + 1)..], sql, ChecksumOf(sql)));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        // Versions ascend from 1 without repeats. A gap is allowed: scripts are written on branches in parallel
        // (version 4 may land before version 3), and the runner applies every script a database has not applied.
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Version < 1 || (i > 0 && scripts[i].Version == scripts[i - 1].Version))
            {
                throw new InvalidOperationException($"Migration versions must be positive and distinct; found {scripts[i].Version} at position {i + 1}.");
            }
        }

        return scripts;
    }

    public static string ChecksumOf(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));
}
