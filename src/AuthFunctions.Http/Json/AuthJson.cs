using System.Text.Json;
using System.Text.Json.Serialization;
using AuthFunctions.Http.Administration;
using AuthFunctions.Http.Discovery;
using AuthFunctions.Http.Health;
using AuthFunctions.Http.Logins;
using AuthFunctions.Http.OAuth;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Tenancy;
using AuthFunctions.Http.Tokens;

namespace AuthFunctions.Http.Json;

/// <summary>
/// Every body we read or write, source-generated: no reflection on the hot path. camelCase on the
/// wire; unknown properties are ignored; a wrong type is a <see cref="System.Text.Json.JsonException"/> (400).
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(MagmaLoginRequest))]
[JsonSerializable(typeof(LicenseLoginRequest))]
[JsonSerializable(typeof(AssertionLoginRequest))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(TokenDetailsResponse))]
[JsonSerializable(typeof(InactiveTokenResponse))]
[JsonSerializable(typeof(SigningKeyResponse))]
[JsonSerializable(typeof(IReadOnlyList<SigningKeyResponse>))]
[JsonSerializable(typeof(CreateApiTokenRequest))]
[JsonSerializable(typeof(CreatedApiTokenResponse))]
[JsonSerializable(typeof(IReadOnlyList<ApiTokenResponse>))]
[JsonSerializable(typeof(OAuthTokenResponse))]
[JsonSerializable(typeof(OAuthErrorResponse))]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(CreatedUserResponse))]
[JsonSerializable(typeof(UpdateUserRequest))]
[JsonSerializable(typeof(UpdateMagmaKeyRequest))]
[JsonSerializable(typeof(IReadOnlyList<UserResponse>))]
[JsonSerializable(typeof(CreateMagmaKeyRequest))]
[JsonSerializable(typeof(CreatedMagmaKeyResponse))]
[JsonSerializable(typeof(CreateTenantRequest))]
[JsonSerializable(typeof(CreatedTenantResponse))]
[JsonSerializable(typeof(MagmaKeyResponse))]
[JsonSerializable(typeof(SetMemberRequest))]
[JsonSerializable(typeof(IReadOnlyList<MemberResponse>))]
[JsonSerializable(typeof(IReadOnlyList<PluginResponse>))]
[JsonSerializable(typeof(IReadOnlyList<TenantSummaryResponse>))]
[JsonSerializable(typeof(CreatePluginRequest))]
[JsonSerializable(typeof(CreatedPluginResponse))]
[JsonSerializable(typeof(UpdatePluginRequest))]
[JsonSerializable(typeof(IReadOnlyList<TenantResponse>))]
[JsonSerializable(typeof(InstalledPluginResponse))]
[JsonSerializable(typeof(IReadOnlyList<InstallationResponse>))]
[JsonSerializable(typeof(IReadOnlyList<CatalogPluginResponse>))]
[JsonSerializable(typeof(IReadOnlyList<TenantPluginResponse>))]
[JsonSerializable(typeof(IReadOnlyList<MagmaKeySummaryResponse>))]
[JsonSerializable(typeof(DiscoveryDocument))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class AuthJson : JsonSerializerContext;
