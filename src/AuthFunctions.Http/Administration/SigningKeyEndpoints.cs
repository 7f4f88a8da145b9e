using AuthFunctions.Core.Keys;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Administration;

/// <summary>A signing key's dates, as an administrator sees them: never private material.</summary>
public sealed record SigningKeyResponse(
    string Kid,
    string Algorithm,
    int Generation,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset SignsFrom,
    DateTimeOffset SignsUntil,
    DateTimeOffset RetiresAt);

/// <summary><c>GET /admin/signing-keys</c> and <c>POST /admin/signing-keys/rotate</c> (Bearer with <c>administration</c>).</summary>
public static class SigningKeyEndpoints
{
    public const string ListName = "ListSigningKeys";

    public const string KeysPattern = AuthRoute.AdminScope + "/signing-keys";

    /// <summary>The Function app's function of <see cref="KeysPattern"/>, every method.</summary>
    public const string KeysFunction = "AdminSigningKeys";

    public const string RotateName = "RotateSigningKeys";

    public const string RotatePattern = AuthRoute.AdminScope + "/signing-keys/rotate";

    /// <summary>The Function app's function of <see cref="RotatePattern"/>, every method.</summary>
    public const string RotateFunction = "AdminSigningKeyRotation";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(KeysFunction, KeysPattern), new(RotateFunction, RotatePattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } =
    [
        new(ListName, HttpMethods.Get, KeysPattern, RouteAccess.Administration, ListAsync),
        new(RotateName, HttpMethods.Post, RotatePattern, RouteAccess.Administration, RotateAsync),
    ];

    private static async Task<IResult> ListAsync(RouteCall call)
    {
        var keys = await call.Service<KeyRing>().ListAsync(call.Aborted);
        var signer = (await call.Service<KeyRing>().GetAsync(call.Aborted)).Signer.Record.KeyId;
        var now = call.Service<TimeProvider>().GetUtcNow();
        call.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json<IReadOnlyList<SigningKeyResponse>>(
            [.. keys.OrderByDescending(k => k.Generation).Select(k => Describe(k, signer, now))],
            AuthJson.Default.IReadOnlyListSigningKeyResponse);
    }

    private static async Task<IResult> RotateAsync(RouteCall call)
    {
        var key = await call.Service<KeyRing>().RotateAsync(call.Aborted);
        var signer = (await call.Service<KeyRing>().GetAsync(call.Aborted)).Signer.Record.KeyId;
        call.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(Describe(key, signer, call.Service<TimeProvider>().GetUtcNow()), AuthJson.Default.SigningKeyResponse, statusCode: StatusCodes.Status201Created);
    }

    /// <summary><c>signing</c> (the one that signs now), <c>next</c> (published, not signing yet), <c>published</c> (verifies only), <c>retired</c>.</summary>
    private static SigningKeyResponse Describe(SigningKeyRecord key, string signer, DateTimeOffset now) => new(
        key.KeyId,
        key.Algorithm,
        key.Generation,
        key.KeyId == signer ? "signing" : now >= key.RetiresAt ? "retired" : now < key.SignsFrom ? "next" : "published",
        key.CreatedAt,
        key.SignsFrom,
        key.SignsUntil,
        key.RetiresAt);
}
