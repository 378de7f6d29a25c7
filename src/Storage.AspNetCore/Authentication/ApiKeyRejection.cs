namespace GatewayStorage.AspNetCore;

/// <summary>Why a request's API key was not accepted; says nothing about the key itself.</summary>
internal enum ApiKeyRejection
{
    /// <summary>The header is there but holds no usable credential (empty, repeated, too long).</summary>
    Malformed,

    /// <summary>The key is unknown, revoked, expired or malformed: the store does not tell these apart, and neither do we.</summary>
    InvalidKey,

    /// <summary>The key is valid but its user is missing or disabled.</summary>
    UserDisabled,

    /// <summary>The storage could not be asked.</summary>
    StorageUnavailable,
}
