namespace GatewayStorage.Relational;

/// <summary>The statements of the key check at start-up; standard SQL that runs unchanged on both engines.</summary>
internal static class KeyCheckSql
{
    public const string List = "SELECT key_id, purpose, check_value FROM key_checks";

    // Two instances starting together record the same row: the second insert does nothing.
    public const string Record =
        "INSERT INTO key_checks (key_id, purpose, check_value, created_at) VALUES (@key_id, @purpose, @check_value, @now) " +
        "ON CONFLICT (key_id, purpose) DO NOTHING";

    public const string ForgetOtherHashKeys = "DELETE FROM key_checks WHERE purpose = @purpose AND key_id <> @key_id";

    public const string AnyApiKey = "SELECT 1 FROM api_keys LIMIT 1";

    // One value per encrypted column, the newest (ids are version 7 GUIDs): a database from before key checks is
    // probed with it once, before its check values are recorded.
    public const string NewestClientSecret = "SELECT id, client_secret FROM oauth_providers ORDER BY id DESC LIMIT 1";

    public const string NewestAccessToken = "SELECT id, access_token FROM oauth_tokens ORDER BY id DESC LIMIT 1";

    public const string NewestCredentialSecret = "SELECT id, secret FROM credentials ORDER BY id DESC LIMIT 1";
}
