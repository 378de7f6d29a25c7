using System.Security.Claims;

namespace GatewayStorage.AspNetCore;

/// <summary>
/// The claim types of a principal authenticated by an API key. The user's id, email, name and roles use the standard
/// <see cref="ClaimTypes"/>, so <c>User.IsInRole("admin")</c> and <c>User.FindFirstValue(ClaimTypes.NameIdentifier)</c> work.
/// </summary>
public static class GatewayClaimTypes
{
    /// <summary>The user's id (a GUID): <see cref="ClaimTypes.NameIdentifier"/>.</summary>
    public const string UserId = ClaimTypes.NameIdentifier;

    /// <summary>The user's email: <see cref="ClaimTypes.Email"/>.</summary>
    public const string Email = ClaimTypes.Email;

    /// <summary>The user's display name, or the email when there is none: <see cref="ClaimTypes.Name"/>.</summary>
    public const string Name = ClaimTypes.Name;

    /// <summary>One claim per role the user holds (the role's name): <see cref="ClaimTypes.Role"/>.</summary>
    public const string Role = ClaimTypes.Role;

    /// <summary>One claim per effective permission of the user (the union of its roles' permissions).</summary>
    public const string Permission = "gateway:permission";

    /// <summary>One claim per scope the API key grants.</summary>
    public const string Scope = "scope";

    /// <summary>The id (a GUID) of the API key the request was authenticated with.</summary>
    public const string ApiKeyId = "gateway:api_key_id";

    /// <summary>The name the user gave the API key.</summary>
    public const string ApiKeyName = "gateway:api_key_name";
}
