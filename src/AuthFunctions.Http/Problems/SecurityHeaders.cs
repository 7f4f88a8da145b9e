using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Problems;

/// <summary>Headers every response carries, set by the shared surface because the worker runs no middleware.</summary>
public static class SecurityHeaders
{
    public static void Apply(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);

        // Browsers must take our JSON for what its Content-Type says, never sniff it into HTML.
        response.Headers.XContentTypeOptions = "nosniff";
    }
}
