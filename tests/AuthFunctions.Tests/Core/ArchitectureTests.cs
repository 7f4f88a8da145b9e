using System.Reflection;
using AuthFunctions.Client;
using AuthFunctions.Core.Tokens;

namespace AuthFunctions.Tests.Core;

public sealed class ArchitectureTests
{
    [Fact]
    public void Core_references_neither_the_HTTP_stack_nor_an_Azure_SDK()
    {
        var references = typeof(TokenIssuer).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains(references, r => r.StartsWith("Microsoft.IdentityModel", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.StartsWith("Azure", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.AspNetCore.Http", StringComparison.Ordinal)
            || r.StartsWith("Microsoft.AspNetCore.Mvc", StringComparison.Ordinal)
            || r.StartsWith("Microsoft.AspNetCore.Routing", StringComparison.Ordinal)
            || r.StartsWith("Microsoft.Azure.Functions", StringComparison.Ordinal));
    }

    [Fact]
    public void The_HTTP_surface_knows_nothing_of_Table_Storage_or_Key_Vault()
    {
        var references = Assembly.Load("AuthFunctions.Http").GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("AuthFunctions.Core", references);
        Assert.DoesNotContain(references, r => r.StartsWith("Azure", StringComparison.Ordinal) || r == "AuthFunctions.Azure");
    }

    [Fact]
    public void The_client_package_references_none_of_our_projects_and_no_server_stack()
    {
        var references = typeof(AuthFunctionsClientOptions).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("Microsoft.Extensions.Http", references);
        Assert.DoesNotContain(references, r => r.StartsWith("AuthFunctions", StringComparison.Ordinal)
            || r.StartsWith("Azure", StringComparison.Ordinal)
            || r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || r.StartsWith("Microsoft.IdentityModel", StringComparison.Ordinal));
    }
}
