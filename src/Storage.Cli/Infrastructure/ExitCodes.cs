namespace GatewayStorage.Cli.Infrastructure;

/// <summary>The process exit codes of <c>gateway-storage</c>, as documented in <c>--help</c> and the README.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>The work failed: a copy or import did not verify, a file is damaged, or the database refused the work.</summary>
    public const int Failed = 1;

    /// <summary>
    /// A usage or configuration error that retrying will not fix: a bad option, an unknown scheme, a malformed URL, a
    /// refused copy, a refused password or missing database, a missing or wrong encryption key.
    /// </summary>
    public const int Usage = 2;

    /// <summary>The database could not be reached or timed out; retrying may help.</summary>
    public const int Unavailable = 3;

    /// <summary>The command was cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
