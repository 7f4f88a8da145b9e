using System.Text.Json.Serialization.Metadata;
using AuthFunctions.Core.Principals;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Requests;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Administration;

/// <summary>The start of every administration endpoint that takes a body.</summary>
internal static class AdminRequest
{
    /// <summary>
    /// Authenticates a bearer token with <c>administration</c>, then reads the JSON body: the body
    /// of a caller who may not administer is never parsed.
    /// </summary>
    public static async Task<(T? Body, ProblemResult? Problem)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        var (_, denied) = await BearerAuthentication.AuthenticateAsync(context, Rights.Administration);
        return denied is not null ? (null, denied) : await RequestReader.ReadJsonAsync(context.Request, typeInfo);
    }
}
