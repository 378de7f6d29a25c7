namespace GatewayStorage.Tests.Support;

/// <summary>Finds the build output of another project of this repository, built beside the tests.</summary>
public static class BuiltAssembly
{
    /// <summary>
    /// The path of <paramref name="assemblyFile"/> in <paramref name="projectDirectory"/>'s output for the tests'
    /// configuration and framework: tests/Storage.Tests/bin/&lt;Configuration&gt;/&lt;framework&gt;/ →
    /// &lt;projectDirectory&gt;/bin/&lt;Configuration&gt;/&lt;framework&gt;/. Fails the test when it was not built.
    /// </summary>
    public static string Find(string projectDirectory, string assemblyFile)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(root, projectDirectory, "bin", configuration, framework, assemblyFile);
        Assert.True(File.Exists(path), $"{assemblyFile} was not built at {path}.");
        return path;
    }
}
