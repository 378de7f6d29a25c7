namespace GatewayStorage.Tests.Support;

/// <summary>An <see cref="IProgress{T}"/> that runs its handler at once, on the reporting thread (unlike <see cref="Progress{T}"/>).</summary>
public sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
