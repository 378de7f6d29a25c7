namespace GatewayStorage.Gateway;

/// <summary>The permissions the sample's endpoints require; roles grant them.</summary>
public static class GatewayPermissions
{
    public const string InvokeTools = "tools:invoke";
    public const string WriteRoles = "roles:write";
    public const string WriteUsers = "users:write";
    public const string WriteKeys = "keys:write";

    /// <summary>Everything: what the bootstrap admin role grants.</summary>
    public static readonly string[] All = [InvokeTools, WriteRoles, WriteUsers, WriteKeys];
}
