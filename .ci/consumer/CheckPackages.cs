// Run by .ci/consumer-check as a file-based app: `dotnet run CheckPackages.cs -- <folder of .nupkg files> <version>`.
// Fails unless every GatewayStorage package:
// - depends on every other GatewayStorage package at exactly its own version ([x.y.z]): the backends reach the
//   relational layer's internals, so a mix of versions must be refused at restore, not fail at run time;
// - carries the metadata a user looks at (license, readme, icon, release notes and the CHANGELOG.md they name, tags);
// - holds strong-named assemblies, signed with the repository's key.
using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;

if (args.Length != 2)
{
    throw new ArgumentException("usage: CheckPackages.cs <folder> <version>");
}

var (folder, expectedVersion) = (args[0], args[1]);
var problems = new List<string>();
var dependencies = 0;
var packages = Directory.GetFiles(folder, "GatewayStorage.*.nupkg");
foreach (var path in packages)
{
    using var zip = ZipFile.OpenRead(path);
    var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
    XDocument nuspec;
    using (var stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/')).Open())
    {
        nuspec = XDocument.Load(stream);
    }

    XNamespace ns = nuspec.Root!.Name.Namespace;
    var metadata = nuspec.Root.Element(ns + "metadata")!;
    string? Value(string name) => metadata.Element(ns + name)?.Value;
    var id = Value("id")!;
    var version = Value("version")!;
    void Require(bool condition, string what)
    {
        if (!condition)
        {
            problems.Add($"{id} {version}: {what}");
        }
    }

    Require(version == expectedVersion, $"version {version}, expected {expectedVersion}");
    foreach (var dependency in metadata.Descendants(ns + "dependency"))
    {
        var dependencyId = dependency.Attribute("id")!.Value;
        if (dependencyId.StartsWith("GatewayStorage.", StringComparison.Ordinal))
        {
            dependencies++;
            var range = dependency.Attribute("version")?.Value;
            Require(range == $"[{version}]", $"depends on {dependencyId} {range ?? "(any version)"}; expected [{version}]");
        }
    }

    Require(Value("license") == "MIT", "no MIT license expression");
    Require(Value("readme") is { } readme && entries.Contains(readme), "no packed readme");
    Require(Value("icon") is { } icon && entries.Contains(icon), "no packed icon");
    Require(entries.Contains("CHANGELOG.md"), "no CHANGELOG.md");
    Require(Value("releaseNotes")?.Contains("CHANGELOG.md", StringComparison.Ordinal) == true, "release notes do not point to CHANGELOG.md");
    Require(Value("tags")?.Contains("gateway", StringComparison.Ordinal) == true, "no tags");
    var assemblies = zip.Entries.Where(e => e.FullName.StartsWith("lib/", StringComparison.Ordinal) && e.FullName.EndsWith(".dll", StringComparison.Ordinal)).ToList();
    Require(assemblies.Count > 0, "no assembly under lib/");
    foreach (var assembly in assemblies)
    {
        var file = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".dll");
        assembly.ExtractToFile(file);
        try
        {
            var token = AssemblyName.GetAssemblyName(file).GetPublicKeyToken();
            Require(token is { Length: 8 } && Convert.ToHexStringLower(token) == "a5ed4bd2ab60b9cc", $"{assembly.FullName} is not signed with GatewayStorage.snk");
        }
        finally
        {
            File.Delete(file);
        }
    }
}

if (packages.Length == 0 || dependencies == 0)
{
    problems.Add($"no GatewayStorage package, or no dependency between them, found in {folder}");
}

foreach (var problem in problems)
{
    Console.Error.WriteLine("packages: " + problem);
}

Console.WriteLine($"packages: {packages.Length} packages and {dependencies} dependencies between them checked, {problems.Count} problem(s)");
return problems.Count == 0 ? 0 : 1;
