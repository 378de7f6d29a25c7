namespace GatewayStorage.Postgres;

/// <summary>One host of a <see cref="ConnectionUri"/>, with its port when the URI gives one.</summary>
/// <param name="Host">
/// A host name, an IP address (IPv6 without its brackets, for example <c>2001:db8::1234</c>), a Unix socket
/// directory (starting with <c>/</c>, for example <c>/var/lib/postgresql</c>), or empty for libpq's default host.
/// </param>
/// <param name="Port">The port, from 1 to 65535, or <see langword="null"/> for the default port (5432).</param>
internal readonly record struct ConnectionUriHost(string Host, int? Port);
