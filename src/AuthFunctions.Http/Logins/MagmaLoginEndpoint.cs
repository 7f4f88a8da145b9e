using AuthFunctions.Core.Errors;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Principals;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthFunctions.Http.Logins;

public sealed record MagmaLoginRequest(string? MagmaName, string? Secret, DelegatedUserRequest? User);

/// <summary>The user of a delegated login, with the seed's <c>allow*</c> flags.</summary>
public sealed record DelegatedUserRequest(
    string? Id,
    string? Name,
    string? Email,
    string? OrganisationName,
    bool AllowData,
    bool AllowIndex,
    bool AllowModify,
    bool AllowStatistics,
    bool AllowManagement,
    bool AllowAdministration)
{
    public Rights Rights =>
        (AllowData ? Rights.Data : Rights.None)
        | (AllowIndex ? Rights.Index : Rights.None)
        | (AllowModify ? Rights.Modify : Rights.None)
        | (AllowStatistics ? Rights.Statistics : Rights.None)
        | (AllowManagement ? Rights.Management : Rights.None)
        | (AllowAdministration ? Rights.Administration : Rights.None);
}

/// <summary><c>POST /api/authentication/magma</c>: the key's own login, or a delegated one when <c>user</c> is given.</summary>
public static class MagmaLoginEndpoint
{
    public const string Name = "MagmaLogin";

    public const string Pattern = "api/authentication/magma";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(Name, Pattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } = [AuthRoute.WithJsonBody(Name, HttpMethods.Post, Pattern, RouteAccess.Anonymous, AuthJson.Default.MagmaLoginRequest, HandleAsync)];

    private static async Task<IResult> HandleAsync(RouteCall call, MagmaLoginRequest request)
    {
        if (RequestReader.Require(request.MagmaName, "magmaName", out var magmaName) is { } noName)
        {
            return Problem.From(noName);
        }

        if (RequestReader.Require(request.Secret, "secret", out var secret) is { } noSecret)
        {
            return Problem.From(noSecret);
        }

        var login = call.Service<MagmaLogin>();
        if (request.User is not { } user)
        {
            return TokenResponse.From(await login.LoginAsync(magmaName, secret, call.Aborted), call.Context);
        }

        if (RequestReader.Require(user.Id, "user.id", out var userId) is { } noUserId)
        {
            return Problem.From(noUserId);
        }

        if (RequestReader.Require(user.Name, "user.name", out var userName) is { } noUserName)
        {
            return Problem.From(noUserName);
        }

        var delegated = new DelegatedUser
        {
            Id = userId,
            Name = userName,
            Email = user.Email,
            OrganisationName = user.OrganisationName,
            Rights = user.Rights,
        };
        return TokenResponse.From(await login.LoginDelegatedAsync(magmaName, secret, delegated, call.Aborted), call.Context);
    }
}
