using AuthFunctions.Core.Errors;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Principals;
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
    public static AuthRoute Route { get; } = new("MagmaLogin", HttpMethods.Post, "api/authentication/magma", HandleAsync);

    private static async Task<IResult> HandleAsync(HttpContext context)
    {
        var (request, problem) = await RequestReader.ReadJsonAsync(context.Request, AuthJson.Default.MagmaLoginRequest);
        if (request is null)
        {
            return problem!;
        }

        if ((RequestReader.Require(request.MagmaName, "magmaName") ?? RequestReader.Require(request.Secret, "secret")) is { } missing)
        {
            return Problem.From(missing);
        }

        var login = context.RequestServices.GetRequiredService<MagmaLogin>();
        if (request.User is not { } user)
        {
            return TokenResponse.From(await login.LoginAsync(request.MagmaName!, request.Secret!, context.RequestAborted), context);
        }

        if ((RequestReader.Require(user.Id, "user.id") ?? RequestReader.Require(user.Name, "user.name")) is { } missingUserField)
        {
            return Problem.From(missingUserField);
        }

        var delegated = new DelegatedUser
        {
            Id = user.Id!,
            Name = user.Name!,
            Email = user.Email,
            OrganisationName = user.OrganisationName,
            Rights = user.Rights,
        };
        return TokenResponse.From(await login.LoginDelegatedAsync(request.MagmaName!, request.Secret!, delegated, context.RequestAborted), context);
    }
}
